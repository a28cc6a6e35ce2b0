"""Pure values and arithmetic of a day's plan: hourly blocks, subtasks and fitting minutes.

A `DayPlan` is what the one planning call produces (wake-up time, the broad-strokes plan, one
activity per hour). Consecutive equal hours merge into `Block`s; the current block is decomposed
into `Subtask`s whose minutes are repaired by `fit_minutes` so they exactly fill the window.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cognition.routine.schedule import is_sleep_activity
from engine.agent_api import Persona
from engine.provenance import UNKNOWN, Provenance

DAY_MIN = 24 * 60
SLEEPING = "sleeping"


def hhmm(minute: int) -> str:
    """Minute of day as "HH:MM"."""
    minute = max(0, min(DAY_MIN, minute))
    return f"{minute // 60:02d}:{minute % 60:02d}"


def parse_hhmm(text: Any) -> int:
    """Minute of day from "H:MM"/"HH:MM"/"7am"-like text; raises `ValueError` when unreadable."""
    if not isinstance(text, str):
        raise ValueError("time must be a string")  # noqa: TRY004 (parser contract)
    raw = text.strip().lower().replace(".", ":")
    pm = raw.endswith("pm")
    am = raw.endswith("am")
    raw = raw.removesuffix("pm").removesuffix("am").strip()
    hours_text, _, minutes_text = raw.partition(":")
    hours, minutes = int(hours_text), int(minutes_text or 0)
    if pm and hours < 12:
        hours += 12
    if am and hours == 12:
        hours = 0
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        raise ValueError(f"time out of range: {text!r}")
    return hours * 60 + minutes


def routine_block_at(persona: Persona, minute: int) -> dict[str, str]:
    """The persona's routine block covering minute-of-day `minute`."""
    chosen = persona.routine[0]
    for block in persona.routine:
        if parse_hhmm(block["start"]) <= minute:
            chosen = block
    return chosen


def routine_hourly(persona: Persona) -> list[str]:
    """The routine as 24 hourly activities (the activity at the start of each hour)."""
    return [routine_block_at(persona, hour * 60)["activity"] for hour in range(24)]


def routine_wake_up(persona: Persona) -> int:
    """Minute of day the routine's night sleep ends: the first awake block after its longest
    sleep (a night owl streaming until 02:00 and sleeping until 09:00 wakes at 09:00; 07:00 if
    the routine never sleeps or never wakes)."""
    starts = [(parse_hhmm(b["start"]), is_sleep_activity(b["activity"])) for b in persona.routine]
    best, wake = 0, 7 * 60
    for index, (start, asleep) in enumerate(starts):
        if not asleep:
            continue
        end = next((m for m, a in starts[index + 1 :] if not a), None)
        if end is not None and end - start > best:
            best, wake = end - start, end
    return wake


@dataclass(frozen=True, slots=True)
class Block:
    """A stretch of the day with one hourly activity, [start_min, end_min)."""

    start_min: int
    end_min: int
    activity: str

    @property
    def sleeping(self) -> bool:
        return is_sleep_activity(self.activity)


@dataclass(frozen=True, slots=True)
class DayPlan:
    """One day's plan: date "YYYY-MM-DD", wake-up minute, broad strokes, 24 hourly activities."""

    date: str
    wake_up_min: int
    day_plan: tuple[str, ...]
    hourly: tuple[str, ...]

    def blocks(self) -> list[Block]:
        """Consecutive equal hours merged into blocks covering the whole day."""
        out: list[Block] = []
        for hour, activity in enumerate(self.hourly):
            if out and out[-1].activity == activity:
                out[-1] = Block(out[-1].start_min, (hour + 1) * 60, activity)
            else:
                out.append(Block(hour * 60, (hour + 1) * 60, activity))
        return out

    def block_at(self, minute: int) -> Block:
        """The block covering minute-of-day `minute`."""
        for block in self.blocks():
            if block.start_min <= minute < block.end_min:
                return block
        return self.blocks()[-1]

    def to_state(self) -> dict[str, Any]:
        return {
            "date": self.date,
            "wake_up_min": self.wake_up_min,
            "day_plan": list(self.day_plan),
            "hourly": list(self.hourly),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> DayPlan:
        return cls(
            date=state["date"],
            wake_up_min=int(state["wake_up_min"]),
            day_plan=tuple(state["day_plan"]),
            hourly=tuple(state["hourly"]),
        )


@dataclass(frozen=True, slots=True)
class Subtask:
    """One 5-60 minute piece of a block, anchored at `start_min` (minute of day)."""

    task: str
    minutes: int
    emoji: str
    start_min: int = 0
    place: str = ""  # its own address when the chunk's place does not fit it
    by: Provenance = UNKNOWN  # who wrote `task` (`cognition.generative.made.subtasks`)

    @property
    def end_min(self) -> int:
        return self.start_min + self.minutes

    def to_state(self) -> list[Any]:
        return [self.task, self.minutes, self.emoji, self.start_min, self.place,
                self.by.to_state()]

    @classmethod
    def from_state(cls, state: list[Any]) -> Subtask:
        place = str(state[4]) if len(state) > 4 else ""
        by = Provenance.read(state[5] if len(state) > 5 else None)
        return cls(str(state[0]), int(state[1]), str(state[2]), int(state[3]), place, by)


def fit_minutes(raw: list[int], total: int, low: int, high: int) -> list[int]:
    """Minutes for the tasks (by original index, repeats allowed) that sum exactly to `total`.

    Returns a list of (index, minutes) flattened as indexes into `raw` via `fit_tasks`; here only
    the minutes. Non-positive entries count as `low`; each result lies in [low, high] unless
    `total` itself is below `low` (then one entry of `total`).
    """
    return [m for _, m in fit_tasks(raw, total, low, high)]


def fit_tasks(raw: list[int], total: int, low: int, high: int) -> list[tuple[int, int]]:
    """(task index, minutes) pairs filling `total` minutes; see `fit_minutes`."""
    if total <= 0 or not raw:
        return []
    if total < low:
        return [(0, total)]
    minutes = [m if m > 0 else low for m in raw]
    order = list(range(len(minutes)))[: max(1, total // low)]
    while len(order) * high < total:  # too few tasks to fill the window: repeat the longest
        longest = max(range(len(order)), key=lambda i: (minutes[order[i]], -i))
        order.insert(longest + 1, order[longest])
    weights = [minutes[i] for i in order]
    scale = total / sum(weights)
    out = [max(low, min(high, int(w * scale))) for w in weights]
    _settle(out, total, low, high)
    return list(zip(order, out))


def _settle(out: list[int], total: int, low: int, high: int) -> None:
    """Nudge entries by one minute, round-robin, until they sum to `total` within bounds."""
    i = 0
    guard = 0
    while sum(out) != total and guard < 100_000:
        j = i % len(out)
        if sum(out) < total and out[j] < high:
            out[j] += 1
        elif sum(out) > total and out[j] > low:
            out[j] -= 1
        i += 1
        guard += 1
