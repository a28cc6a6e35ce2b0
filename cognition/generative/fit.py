"""Which places fit which activities: one table of rules shared by place choice and analysis.

Each rule names the words that mark an activity (sleeping, washing, eating) and the place words
(arena or object names) where it can happen. Some objects are only for their rule's activities
(a bed is for sleeping or resting, a shower for washing): using them for anything else is a
misfit too. The place ranker scores candidates with these rules and `simulacra analyze` counts
the actions that break them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FitRule:
    """Activities containing any of `activity_words` belong where a place word matches."""

    name: str
    activity_words: tuple[str, ...]
    place_words: tuple[str, ...]  # matched against the arena and object names
    reserved_objects: tuple[str, ...] = ()  # objects used only for this rule (or `also`)
    also: tuple[str, ...] = ()  # further activity words the reserved objects allow


RULES: tuple[FitRule, ...] = (
    FitRule(
        "sleep", ("sleep", "asleep", "nap", "in bed", "going to bed"), ("bed",),
        reserved_objects=("bed",), also=("rest", "relax", "read", "lying", "wak", "getting up"),
    ),
    FitRule(
        "wash", ("shower", "bath", "washing up", "wash up", "brushing", "teeth", "toilet",
                 "shaving", "washing face", "washing her face", "washing his face"),
        ("bathroom", "shower", "bathtub", "toilet", "bathroom sink"),
        reserved_objects=("shower", "bathtub", "toilet", "bathroom sink"),
        also=("getting ready", "morning routine", "clean", "dress"),
    ),
    FitRule(
        "eat", ("eat", "breakfast", "lunch", "dinner", "meal", "snack", "brunch", "cook"),
        ("kitchen", "cafe", "pub", "bar", "dining", "cooking", "refrigerator", "toaster",
         "seating", "microwave", "stove", "food", "restaurant", "table"),
    ),
)


def _mentions(low: str, words: tuple[str, ...]) -> bool:
    """Whether a word of the activity starts with one of `words` ("eat" in "eating", not in
    "creativity")."""
    return any(re.search(rf"\b{re.escape(word)}", low) for word in words)


def rule_for(activity: str) -> FitRule | None:
    """The first rule whose activity words the activity contains."""
    low = activity.lower()
    for rule in RULES:
        if _mentions(low, rule.activity_words):
            return rule
    return None


def _place_parts(address: str) -> tuple[str, str]:
    parts = [p.strip().lower() for p in address.split(":")]
    arena = parts[2] if len(parts) > 2 else ""
    obj = parts[3] if len(parts) > 3 else ""
    return arena, obj


def fits(activity: str, address: str) -> bool:
    """False when the place breaks a rule for the activity, or a reserved object is misused."""
    arena, obj = _place_parts(address)
    rule = rule_for(activity)
    if rule is not None and not any(w in arena or w in obj for w in rule.place_words):
        return False
    low = activity.lower()
    for other in RULES:
        if obj in other.reserved_objects and other is not rule:
            if not _mentions(low, other.also):
                return False
    return True


def fit_score(activity: str, address: str) -> float:
    """1 for a place a rule asks for, 0 for a neutral one, -1 for one that does not fit."""
    if not fits(activity, address):
        return -1.0
    return 1.0 if rule_for(activity) is not None else 0.0
