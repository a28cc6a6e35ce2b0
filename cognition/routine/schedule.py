"""The persona's daily routine as actions: which block covers a time, and the action it implies.

Pure functions only; the generative mind reuses `routine_action` as its fallback when a model
call fails, so a broken model still leaves every agent living a plausible day.
"""

from __future__ import annotations

import math
from datetime import datetime

from engine.agent_api import Action, Persona
from engine.provenance import Provenance, rule

ROUTINE = rule("routine")  # the persona's routine, as written in its file
MAX_ACTION_MIN = 120  # long blocks are split so agents re-decide at least every two hours
DAY_MIN = 24 * 60

# Object name -> how the object looks while someone uses it (default: "being used").
_OBJECT_STATES = {
    "bed": "being slept in",
    "shower": "running",
    "toilet": "occupied",
    "bathroom sink": "running",
    "kitchen sink": "running",
    "cooking area": "being cooked on",
    "toaster": "toasting",
    "refrigerator": "open",
    "piano": "being played",
    "guitar": "being played",
    "harp": "being played",
    "easel": "being painted on",
}
_OUTDOOR_ARENAS = {"park", "garden"}


def _minute(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def seconds_of_day(time_iso: str) -> int:
    """Seconds since midnight of an ISO game time such as "2023-02-13T07:00:00"."""
    moment = datetime.fromisoformat(time_iso)
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def block_index(persona: Persona, time_iso: str) -> int:
    """Index of the routine block covering `time_iso` (the last one starting at or before it)."""
    now_min = seconds_of_day(time_iso) / 60
    index = 0
    for i, block in enumerate(persona.routine):
        if _minute(block["start"]) <= now_min:
            index = i
    return index


def block_end_min(persona: Persona, index: int) -> int:
    """Minute of day at which block `index` ends (the next start, or midnight for the last)."""
    if index + 1 < len(persona.routine):
        return _minute(persona.routine[index + 1]["start"])
    return DAY_MIN


def object_state(address: str) -> str:
    """How the object at `address` looks while used: "" outdoors or without an object."""
    parts = address.split(":")
    if len(parts) < 4 or parts[2] in _OUTDOOR_ARENAS:
        return ""
    return _OBJECT_STATES.get(parts[3], "being used")


def activity_event(name: str, activity: str) -> tuple[str, str, str]:
    """The event triple for an activity: ("Klaus Mueller", "is", "sleeping")."""
    return (name, "is", activity)


SLEEP_WORDS = ("sleep", "asleep", "in bed", "nap")


def is_sleep_activity(activity: str) -> bool:
    """Whether an activity text means sleeping: the one rule every mind uses to classify plan
    and routine text. Actions then carry the answer in `Action.sleeping`."""
    low = activity.lower()
    return any(word in low for word in SLEEP_WORDS)


def routine_action(persona: Persona, time_iso: str, step: int,
                   by: Provenance = ROUTINE) -> Action:
    """The action the routine prescribes at `time_iso`, lasting until the block ends (≤ 120 min),
    made by the rule `by` (the routine; a mind's stand-in while it thinks says `interim`).

    `step` is accepted so callers can pass their context uniformly; the routine depends on the
    time of day alone, and the engine fills in `start_step` when the action starts.
    """
    del step  # the routine is a function of the time of day only
    index = block_index(persona, time_iso)
    block = persona.routine[index]
    remaining_s = block_end_min(persona, index) * 60 - seconds_of_day(time_iso)
    duration_min = max(1, min(MAX_ACTION_MIN, math.ceil(remaining_s / 60)))
    return Action(
        description=block["activity"],
        emoji=block["emoji"],
        address=block["place"],
        duration_min=duration_min,
        event=activity_event(persona.name, block["activity"]),
        object_state=object_state(block["place"]),
        sleeping=is_sleep_activity(block["activity"]),
        by=by,
    )


def schedule_view(persona: Persona, time_iso: str | None) -> list[dict[str, object]]:
    """The day's blocks for the inspector, marking the one covering `time_iso` as current."""
    current = block_index(persona, time_iso) if time_iso else -1
    return [
        {
            "start": block["start"],
            "activity": block["activity"],
            "place": block["place"],
            "current": i == current,
        }
        for i, block in enumerate(persona.routine)
    ]
