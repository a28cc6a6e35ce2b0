"""Planning templates: the whole day in one call, and one hour-block into subtasks in one call."""

from __future__ import annotations

import re
from typing import Any

from cognition.generative.actions import emoji_for, valid_activity
from cognition.generative.prompts.base import Template, as_int, clean
from cognition.generative.schedule import (
    SLEEPING,
    DayPlan,
    Subtask,
    fit_tasks,
    is_sleep_activity,
    parse_hhmm,
)
from cognition.llm.schema import array_of, integer_range, object_schema, string, string_enum
from cognition.llm.structured import Repaired

_NAME_PREFIX = re.compile(r"^(?:[A-Z][a-z]+ ){0,2}(?:is|will be|will)\s+", re.UNICODE)

ACTIVITY_CHARS = 60  # schema limit of an activity; text reaching it was cut

DAY_TEXT = """{identity}
Occupation: {occupation}
Usual day: {routine}
Today is {date}.
What {first} remembers:
{memories}
Plan {first}'s day: the hour {first} wakes up{plans}.
Answer JSON with the key "wake_up_hour"{plan_keys}."""

# v2 showed {"wake_up": "HH:MM", "day_plan": ["<activity>", ...], "hourly": [...]}: SmolLM2-135M
# answered that very example every time (so the routine was used); asked for free text without an
# example it wrote "morning" or "morning breakfast" for every hour. v3 asked for choices, per hour
# the usual activity or one of the agent's own plans (read from "currently" and its memories):
# about 300 completion tokens, since every hour's key and activity had to be written out. v4 asks
# the same choice the other way round, in about 30: the wake-up hour near the usual one, and for
# each of the agent's plans the hour it starts and how many hours it takes (the usual activity
# fills every other hour). No answer is shown.
WAKE_CHOICES = 1  # the wake-up hour may move this many hours from the usual one
MAX_HOURS = 3  # hours one plan may take
MAX_INTENTIONS = 3
_INTENTION = re.compile(r"\b(?:is|am|are)\s+((?:[a-z]+ly\s+)?[a-z]+ing\b[^.;:!?]*)")
_CUT_AT = re.compile(r"\s+(?:and|but|while|because|so|which|who|on how|from|to \w+ as)\s+")


def intentions(
    texts: list[str], names: set[str] | frozenset[str] = frozenset(), person: str = ""
) -> list[str]:
    """Activities a person has set out to do, read from statements such as "Isabella Rodriguez
    is planning a Valentine's Day party at Hobbs Cafe on February 14th ..." -> "planning a
    Valentine's Day party at Hobbs Cafe" (cut at a clause break, checked as an activity)."""
    out: list[str] = []
    for text in texts:
        text = " ".join(text.split())
        for match in _INTENTION.finditer(text):
            if person and not _subject_is(text[: match.start()], person):
                continue  # "Giorgio is curious about who is going to run": not his plan
            phrase = _CUT_AT.split(match.group(1))[0].strip().rstrip(",")
            if len(phrase.split()) < 2:
                continue  # "writing", "planning": too vague to plan an hour with
            while len(phrase) > ACTIVITY_CHARS:  # drop trailing phrases ("on February 14th")
                cut = max(phrase.rfind(f" {p} ") for p in ("on", "from", "at", "in", "for"))
                phrase = phrase[:cut] if cut > 0 else phrase[:ACTIVITY_CHARS].rsplit(" ", 1)[0]
            checked = valid_activity(phrase, max_chars=ACTIVITY_CHARS, names=names)
            if checked and checked not in out and not is_sleep_activity(checked):
                out.append(checked)
    return out[:MAX_INTENTIONS]


def _subject_is(before: str, person: str) -> bool:
    """Whether the clause ending in `before` has `person` (full or first name, or he/she) as its
    subject: the text before "is" ends with the name, possibly past an adverb."""
    first = person.split()[0] if person.split() else person
    tail = re.split(r"[,;.]| and | but ", before)[-1].strip()
    tail = " ".join(w for w in tail.split() if not w.endswith("ly"))
    return tail in (person, first, "he", "she", "He", "She")


# Routine hours that keep their activity whatever the plans: meals, sleep and washing.
_FIXED = re.compile(r"\b(sleep|bed|shower|bath|breakfast|lunch|dinner|eat|meal|teeth|wash)",
                    re.IGNORECASE)


def day_schema(routine: list[str], wake_hour: int, plans: list[str]) -> dict[str, Any]:
    """The wake-up hour (usual +- WAKE_CHOICES) and, for each of the agent's own plans in
    order, the hour it starts (from the earliest wake-up to 23) and how many hours it takes."""
    low, high = max(0, wake_hour - WAKE_CHOICES), min(23, wake_hour + WAKE_CHOICES)
    props: dict[str, Any] = {"wake_up_hour": integer_range(low, high)}
    if plans:
        slot = object_schema({"hour": integer_range(low, 23), "hours": integer_range(1, MAX_HOURS)})
        props["plans"] = array_of(slot, len(plans), len(plans))
    return object_schema(props)


def plans_text(plans: list[str], first: str) -> str:
    """The plans part of the day question (empty when the agent has no plans of its own)."""
    if not plans:
        return ""
    listed = "; ".join(f"{i}. {plan}" for i, plan in enumerate(plans, 1))
    return (f", and for each of {first}'s own plans the hour {first} starts it and for how many "
            f"hours (instead of the usual activity): {listed}")  # fmt: skip


def plan_keys_text(plans: list[str]) -> str:
    return ' and "plans" (an {"hour", "hours"} for each plan, in order)' if plans else ""


def place_plans(hourly: list[str | None], items: Any, plans: list[str]) -> bool:
    """Put the v4 answer's plans into `hourly` (from their start hour, for their hours); True
    when something had to be repaired. Later plans win an hour two plans claim."""
    repaired = not isinstance(items, list) or len(items) != len(plans)
    for item, plan in zip(items if isinstance(items, list) else [], plans):
        try:
            hour, hours = as_int(item["hour"]), max(1, min(MAX_HOURS, as_int(item["hours"])))
        except (ValueError, KeyError, TypeError):
            repaired = True
            continue
        if not 0 <= hour < 24:
            repaired = True
            continue
        for h in range(hour, min(24, hour + hours)):
            if not _FIXED.search(hourly[h] or ""):  # meals, sleep and washing stay
                hourly[h] = plan
    return repaired


def activity_text(value: Any, max_chars: int = ACTIVITY_CHARS) -> str:
    """A checked activity (`actions.valid_activity`), or "" when the text is not one."""
    text = _NAME_PREFIX.sub("", clean(value, 120)).rstrip(".").strip()
    return valid_activity(text, max_chars=max_chars) or ""


def parse_day(
    value: Any, *, date: str, routine: list[str], routine_wake_min: int, plans: list[str] = ()
) -> Any:
    """A `DayPlan` from the model's JSON; hours it missed come from the routine, hours before
    wake-up are sleeping. Raises `ValueError` when nothing usable came back."""
    if not isinstance(value, dict):
        raise ValueError("plan must be an object")  # noqa: TRY004 (parser contract)
    repaired = False
    hourly: list[str | None] = [None] * 24
    v4 = "hourly" not in value and "wake_up_hour" in value
    if v4:  # the routine's hours, with the agent's own plans placed into them
        hourly = list(routine)
        repaired = bool(plans) and place_plans(hourly, value.get("plans"), list(plans))
    items = value.get("hourly") or []
    if isinstance(items, dict):  # v3: {"07:00": "taking a shower", ...}
        items = [{"hour": key.split(":")[0], "activity": text} for key, text in items.items()]
    if "wake_up_hour" in value and "wake_up" not in value:
        value = {**value, "wake_up": f"{value['wake_up_hour']}:00"}
    for item in items:
        try:
            hour = as_int(item["hour"])
            text = activity_text(item["activity"])
            if not text and 0 <= hour < 24 and item["activity"] == routine[hour]:
                text = routine[hour]  # the persona's own routine, chosen as it is
        except (ValueError, KeyError, TypeError):
            repaired = True
            continue
        if 0 <= hour < 24 and hourly[hour] is None:
            if text:
                hourly[hour] = text
            else:
                repaired = True  # not an activity: the routine's hour is used below
    day_plan = [activity_text(v, 80) for v in value.get("day_plan") or [] if isinstance(v, str)]
    day_plan = list(dict.fromkeys(v for v in day_plan if v))[:8]  # small models repeat
    derived = "day_plan" not in value  # v3: the broad plan is the day's hours in order
    if not any(hourly) and not day_plan:
        raise ValueError("no hourly activities and no day plan")
    try:
        wake = parse_hhmm(value.get("wake_up"))
    except (ValueError, TypeError):
        wake, repaired = routine_wake_min, True
    wake_hour = min(23, wake // 60)
    up = routine[min(23, routine_wake_min // 60)]  # what the routine does on waking
    night_starts = next((h for h in range(24) if is_sleep_activity(routine[h])), 0)
    for hour in range(24):
        if hour < min(wake_hour, night_starts):
            hourly[hour] = hourly[hour] or routine[hour]  # last night's routine (a night owl)
        elif hour < wake_hour:
            repaired |= not v4 and hourly[hour] is not None and not is_sleep_activity(
                hourly[hour] or ""
            )
            hourly[hour] = SLEEPING
        elif v4 and is_sleep_activity(hourly[hour] or "") and hour < routine_wake_min // 60:
            hourly[hour] = up  # up earlier than usual: the morning starts early
        elif hourly[hour] is None:
            hourly[hour], repaired = routine[hour], True
    if derived:
        day_plan = list(dict.fromkeys(a for a in hourly[wake_hour:] if a and
                                      not is_sleep_activity(a)))[:8]  # fmt: skip
    if len(day_plan) < 5:
        repaired |= not derived
        spare = [a for a in dict.fromkeys([*hourly, *routine]) if a and a not in day_plan]
        spare.sort(key=is_sleep_activity)  # awake activities first
        day_plan += spare[: 5 - len(day_plan)]
    plan = DayPlan(date, wake, tuple(day_plan), tuple(h or SLEEPING for h in hourly))
    return Repaired(plan) if repaired else plan


def fallback_day(date: str, routine: list[str], routine_wake_min: int) -> DayPlan:
    """The routine as today's plan."""
    broad = list(dict.fromkeys(a for a in routine if not is_sleep_activity(a)))[:8]
    return DayPlan(date, routine_wake_min, tuple(broad), tuple(routine))


PLAN_DAY = Template("plan.day.v4", "plan.day", DAY_TEXT, None, parse_day)


DECOMPOSE_TEXT = """{identity}
From {start} to {end} ({minutes} minutes) {first} is {activity}.{context}
Split this into 2 to {most} steps of 5 to 20 minutes that add up to {minutes} minutes, each a short activity starting with a verb ending in -ing.
Answer JSON like {{"subtasks": [{{"task": "<activity>", "minutes": 10}}]}}"""

DECOMPOSE_EXAMPLE = {"subtasks": [{"task": "<activity>", "minutes": 10}]}


def decompose_schema(max_subtasks: int) -> dict[str, Any]:
    """The decomposition schema (the place is chosen separately, in stages)."""
    item = object_schema({"task": string(ACTIVITY_CHARS), "minutes": integer_range(1, 120)})
    return object_schema({"subtasks": array_of(item, 1, max_subtasks)})


def _emoji(value: Any) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or text.isascii():
        return ""
    return text[:2]


def parse_decompose(
    value: Any, *, start_min: int, total_min: int, low: int, high: int,
    names: set[str] | frozenset[str] = frozenset(), fallback_task: str = "",
) -> Any:
    """Subtasks anchored from `start_min` with minutes rescaled to fill `total_min`.

    A task that is not an activity (a place, an address, cut text) becomes `fallback_task`
    (repaired), with an emoji picked for that text; raises `ValueError` when nothing is usable.
    """
    if not isinstance(value, dict):
        raise ValueError("decomposition must be an object")  # noqa: TRY004 (parser contract)
    raw: list[tuple[str, int, str]] = []
    repaired = False
    for item in value.get("subtasks") or []:
        try:
            text = _NAME_PREFIX.sub("", clean(item["task"], 120))
            minutes = as_int(item.get("minutes", 0))
        except (ValueError, KeyError, TypeError, AttributeError):
            repaired = True
            continue
        task = valid_activity(text, max_chars=ACTIVITY_CHARS, names=names)
        emoji = _emoji(item.get("emoji"))
        if not task:
            task, emoji, repaired = fallback_task, "", True
        if task:
            raw.append((task, minutes, emoji))
    if not raw:
        raise ValueError("no usable subtasks")
    fitted = fit_tasks([m for _, m, _ in raw], total_min, low, high)
    repaired |= [m for _, m in fitted] != [m for _, m, _ in raw]
    subtasks, cursor = [], start_min
    for index, minutes in fitted:
        task, _, emoji = raw[index]
        subtasks.append(Subtask(task, minutes, emoji_for(task, emoji), cursor))
        cursor += minutes
    result = tuple(subtasks)
    return Repaired(result) if repaired else result


def fallback_decompose(activity: str, start_min: int, total_min: int) -> tuple[Subtask, ...]:
    """No decomposition: the block's activity for the whole window."""
    return (Subtask(activity, total_min, emoji_for(activity), start_min),)


PLAN_DECOMPOSE = Template(
    "plan.decompose.v3", "plan.decompose", DECOMPOSE_TEXT, None, parse_decompose,
    example=DECOMPOSE_EXAMPLE,
)


REVISE_TEXT = """{identity}
Today is {date}. What {first} remembers from yesterday:
{memories}
In one or two sentences, describe what {first} is currently busy with and thinking about, as a statement about {first} (for example starting "{first} is").
Answer JSON like {{"currently": "<statement about {first}>"}}"""

REVISE_SCHEMA = object_schema({"currently": string(240)})


def parse_revise(value: Any, *, first: str) -> str:
    """The new "currently" line; must be a statement about the person, not an echo."""
    text = clean(value.get("currently") if isinstance(value, dict) else value, 240)
    if len(text) < 12 or "<" in text or first.lower() not in text.lower():
        raise ValueError("not a statement about the person")
    return text


REVISE = Template(
    "plan.revise.v1", "plan.revise", REVISE_TEXT, REVISE_SCHEMA, parse_revise,
    example={"currently": "<statement about {first}>"},
)


COMMIT_TEXT = """{identity}
Today is {date}. {told}There is {event} today from {start} to {end}.
{earlier}At that time {first} would usually be {usual}.
Does {first} go?
Answer JSON like {{"go": "<yes or no>"}}"""

COMMIT_SCHEMA = object_schema({"go": string_enum(("yes", "no"))})


def parse_commit(value: Any) -> str:
    """ "yes" or "no": whether the agent goes to a dated event today (the model's choice)."""
    answer = value.get("go") if isinstance(value, dict) else value
    if not isinstance(answer, str) or answer.strip().lower() not in ("yes", "no"):
        raise ValueError(f"bad answer {answer!r}")
    return answer.strip().lower()


COMMIT = Template("plan.commit.v1", "plan.commit", COMMIT_TEXT, COMMIT_SCHEMA, parse_commit,
                  example={"go": "<yes or no>"})
