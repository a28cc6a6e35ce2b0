"""The rule-based mind: follows the persona's daily routine and makes canned small talk."""

from cognition.routine.mind import RoutineMind, RoutineMindFactory
from cognition.routine.schedule import routine_action

__all__ = ["RoutineMind", "RoutineMindFactory", "routine_action"]
