"""Planning templates: the whole day in one call, and one hour-block into subtasks in one call."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Any

from cognition.generative.prompts.base import Template, as_int, clean
from cognition.generative.schedule import (
    SLEEPING,
    DayPlan,
    Subtask,
    fit_tasks,
    is_sleeping,
    parse_hhmm,
)
from cognition.llm.schema import array_of, integer_range, object_schema, string, string_enum
from cognition.llm.structured import Repaired

_NAME_PREFIX = re.compile(r"^(?:[A-Z][a-z]+ ){0,2}(?:is|will be|will)\s+", re.UNICODE)

DAY_TEXT = """{identity}
Occupation: {occupation}
Usual day: {routine}
Today is {date}.
What {first} remembers:
{memories}
Plan {first}'s whole day. Give the wake-up time, a broad plan of 5 to 8 short items, and what {first} does each hour from 0 to 23 (sleeping before waking up).
Answer JSON like {{"wake_up": "{wake}", "day_plan": {plan_example}, "hourly": [{{"hour": 0, "activity": "sleeping"}}, {{"hour": {wake_hour}, "activity": "{wake_activity}"}}]}}"""

DAY_SCHEMA = object_schema(
    {
        "wake_up": string(5),
        "day_plan": array_of(string(80), 5, 8),
        "hourly": array_of(
            object_schema({"hour": integer_range(0, 23), "activity": string(60)}), 1, 24
        ),
    }
)


def activity_text(value: Any, max_chars: int = 60) -> str:
    """An activity as a short lower-case phrase without a leading "<Name> is"."""
    text = _NAME_PREFIX.sub("", clean(value, 120)).rstrip(".").strip()
    text = text[:1].lower() + text[1:]
    return clean(text, max_chars)


def parse_day(value: Any, *, date: str, routine: list[str], routine_wake_min: int) -> Any:
    """A `DayPlan` from the model's JSON; hours it missed come from the routine, hours before
    wake-up are sleeping. Raises `ValueError` when nothing usable came back."""
    if not isinstance(value, dict):
        raise ValueError("plan must be an object")  # noqa: TRY004 (parser contract)
    repaired = False
    hourly: list[str | None] = [None] * 24
    for item in value.get("hourly") or []:
        try:
            hour = as_int(item["hour"])
            text = activity_text(item["activity"])
        except (ValueError, KeyError, TypeError):
            repaired = True
            continue
        if 0 <= hour < 24 and text and hourly[hour] is None:
            hourly[hour] = text
    day_plan = [activity_text(v, 80) for v in value.get("day_plan") or [] if isinstance(v, str)]
    day_plan = list(dict.fromkeys(v for v in day_plan if v))[:8]  # small models repeat
    if not any(hourly) and not day_plan:
        raise ValueError("no hourly activities and no day plan")
    try:
        wake = parse_hhmm(value.get("wake_up"))
    except (ValueError, TypeError):
        wake, repaired = routine_wake_min, True
    wake_hour = min(23, wake // 60)
    for hour in range(24):
        if hour < wake_hour:
            repaired |= hourly[hour] is not None and not is_sleeping(hourly[hour] or "")
            hourly[hour] = SLEEPING
        elif hourly[hour] is None:
            hourly[hour], repaired = routine[hour], True
    if len(day_plan) < 5:
        repaired = True
        day_plan += [a for a in dict.fromkeys(routine) if a not in day_plan][: 5 - len(day_plan)]
    plan = DayPlan(date, wake, tuple(day_plan), tuple(h or SLEEPING for h in hourly))
    return Repaired(plan) if repaired else plan


def fallback_day(date: str, routine: list[str], routine_wake_min: int) -> DayPlan:
    """The routine as today's plan."""
    broad = list(dict.fromkeys(a for a in routine if not is_sleeping(a)))[:8]
    return DayPlan(date, routine_wake_min, tuple(broad), tuple(routine))


PLAN_DAY = Template("plan.day.v1", "plan.day", DAY_TEXT, DAY_SCHEMA, parse_day)


DECOMPOSE_TEXT = """{identity}
From {start} to {end} ({minutes} minutes) {first} is {activity}.{context}
Places {first} knows:
{places}
Split this into 3 to 8 steps of 5 to 15 minutes that add up to {minutes} minutes, each with one emoji, and pick the one place (copy a line above) where it happens.
Answer JSON like {{"subtasks": [{{"task": "{activity}", "minutes": 15, "emoji": "{emoji}"}}], "place": "{example_place}"}}"""


def decompose_schema(places: list[str], max_subtasks: int) -> dict[str, Any]:
    """The decomposition schema; `place` is an enum of the full addresses the agent knows."""
    item = object_schema({"task": string(60), "minutes": integer_range(1, 120), "emoji": string(8)})
    return object_schema(
        {"subtasks": array_of(item, 1, max_subtasks), "place": string_enum(places)}
    )


def _emoji(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or text.isascii():
        return "🙂"
    return text[:2]


def match_place(value: Any, places: list[str]) -> tuple[str, bool]:
    """The known address the answer names: exact, or a unique case-insensitive suffix match
    (repaired). Raises `ValueError` for anything else, so no unknown place gets through."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("place must be a non-empty string")
    text = value.strip()
    if text in places:
        return text, False
    low = text.lower()
    hits = [p for p in places if p.lower() == low or p.lower().endswith(":" + low)]
    if len(hits) == 1:
        return hits[0], True
    raise ValueError(f"unknown place {text!r}")


def parse_decompose(
    value: Any, *, places: list[str], start_min: int, total_min: int, low: int, high: int
) -> Any:
    """(subtasks anchored from `start_min`, place) with minutes rescaled to fill `total_min`."""
    if not isinstance(value, dict):
        raise ValueError("decomposition must be an object")  # noqa: TRY004 (parser contract)
    place, repaired = match_place(value.get("place"), places)
    raw: list[tuple[str, int, str]] = []
    for item in value.get("subtasks") or []:
        try:
            task = activity_text(item["task"])
            minutes = as_int(item.get("minutes", 0))
        except (ValueError, KeyError, TypeError, AttributeError):
            repaired = True
            continue
        if task:
            raw.append((task, minutes, _emoji(item.get("emoji"))))
    if not raw:
        raise ValueError("no usable subtasks")
    fitted = fit_tasks([m for _, m, _ in raw], total_min, low, high)
    repaired |= [m for _, m in fitted] != [m for _, m, _ in raw]
    subtasks, cursor = [], start_min
    for index, minutes in fitted:
        task, _, emoji = raw[index]
        subtasks.append(Subtask(task, minutes, emoji, cursor))
        cursor += minutes
    result = (tuple(subtasks), place)
    return Repaired(result) if repaired else result


def fallback_decompose() -> None:
    """No decomposition: the mind falls back to the routine action."""
    return


PLAN_DECOMPOSE = Template(
    "plan.decompose.v1", "plan.decompose", DECOMPOSE_TEXT, None, parse_decompose
)


def decompose_parser(**context: Any) -> Callable[[Any], Any]:
    """`parse_decompose` bound to the situation of one call."""
    return partial(parse_decompose, **context)
