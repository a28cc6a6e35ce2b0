"""What a mind shows the window: a frozen snapshot of its day, memories and relations.

A mind makes a `MindSnapshot` on its own thread when it finishes a decision (the engine calls
`mind.snapshot()` right after `decide` returns, in the same job), so nothing else ever reads a
live mind. The simulation publishes each new snapshot in the record of the step the decision
is applied (`StepRecord.minds`, changed snapshots only) and keeps the newest per agent
(`Simulation.mind_snapshot`); the run log writes them when they change, so a replay shows
memories, plans and reflections too. Plain values only: the engine imports no cognition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MEMORIES = 8  # newest memories kept in a snapshot (the inspector shows 6; the log stays small)
REFLECTIONS = 5
RELATIONSHIPS = 16
SCHEDULE = 48


@dataclass(frozen=True, slots=True)
class ScheduleBlock:
    """One block of the day as the mind plans it."""

    start: str  # "HH:MM"
    activity: str
    place: str  # world:sector:arena[:object]
    current: bool = False


@dataclass(frozen=True, slots=True)
class MindSnapshot:
    """One agent's mind as the inspector shows it, at the step of the decision it followed."""

    agent: str
    step: int  # the step of the percept the mind had just answered (-1: before any)
    schedule: tuple[ScheduleBlock, ...] = ()
    memories: tuple[str, ...] = ()  # newest first
    reflections: tuple[str, ...] = ()  # newest first
    relationships: tuple[tuple[str, str], ...] = ()  # (other agent, how they stand), by name
    action: str = ""  # what the mind last chose to do

    def same_content(self, other: MindSnapshot | None) -> bool:
        """Equal apart from the step it was taken at (nothing new to publish)."""
        return other is not None and (self.schedule, self.memories, self.reflections,
                                      self.relationships, self.action) == (
            other.schedule, other.memories, other.reflections, other.relationships,
            other.action)  # fmt: skip

    def as_inspect(self) -> dict[str, Any]:
        """The inspector's dict (the keys `Mind.inspect()` uses)."""
        return {
            "schedule": [{"start": b.start, "activity": b.activity, "place": b.place,
                          "current": b.current} for b in self.schedule],
            "memories": list(self.memories), "reflections": list(self.reflections),
            "relationships": dict(self.relationships), "action": self.action,
        }  # fmt: skip

    @classmethod
    def from_inspect(cls, agent: str, step: int, data: Mapping[str, Any]) -> MindSnapshot:
        """A snapshot of a mind's `inspect()` dict, cut to what the window shows."""
        schedule = tuple(
            ScheduleBlock(str(b.get("start", "")), str(b.get("activity", "")),
                          str(b.get("place", "")), bool(b.get("current", False)))
            for b in (data.get("schedule") or ())[:SCHEDULE])  # fmt: skip
        relations = data.get("relationships") or {}
        return cls(
            agent=agent, step=int(step), schedule=schedule,
            memories=tuple(str(m) for m in (data.get("memories") or ())[:MEMORIES]),
            reflections=tuple(str(r) for r in (data.get("reflections") or ())[:REFLECTIONS]),
            relationships=tuple((str(k), str(relations[k])) for k in sorted(relations)
                                )[:RELATIONSHIPS],
            action=str(data.get("action", "") or ""),
        )  # fmt: skip

    def to_state(self) -> dict[str, Any]:
        return {
            "agent": self.agent, "step": self.step,
            "schedule": [[b.start, b.activity, b.place, b.current] for b in self.schedule],
            "memories": list(self.memories), "reflections": list(self.reflections),
            "relationships": [list(r) for r in self.relationships], "action": self.action,
        }  # fmt: skip

    @classmethod
    def from_state(cls, state: Mapping[str, Any]) -> MindSnapshot:
        return cls(
            agent=str(state["agent"]), step=int(state.get("step", -1)),
            schedule=tuple(ScheduleBlock(str(s), str(a), str(p), bool(c))
                           for s, a, p, c in state.get("schedule", ())),
            memories=tuple(str(m) for m in state.get("memories", ())),
            reflections=tuple(str(r) for r in state.get("reflections", ())),
            relationships=tuple((str(a), str(b)) for a, b in state.get("relationships", ())),
            action=str(state.get("action", "")),
        )  # fmt: skip


def take_snapshot(mind: Any, step: int) -> MindSnapshot | None:
    """The mind's snapshot: its own `snapshot(step)` when it has one, else one made from its
    `inspect()`; None when it has neither or it fails (a broken mind costs the panel only).

    Call only on the thread the mind decides on, between decisions."""
    try:
        own = getattr(mind, "snapshot", None)
        if own is not None:
            return own(step)
        inspect = getattr(mind, "inspect", None)
        return MindSnapshot.from_inspect(mind.name, step, inspect()) if inspect else None
    except Exception:  # noqa: BLE001 - a snapshot is a view; the decision stands
        return None
