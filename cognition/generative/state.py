"""The mutable, saveable part of a generative mind besides its memory stream and spatial tree.

Everything here is plain data with an exact `to_state` / `from_state` round trip: today's plan,
the decomposed chunk being worked through, the current action, the importance cache, cooldowns,
relationship summaries and conversation bookkeeping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cognition.generative.dated import Commitment
from cognition.generative.schedule import DayPlan, Subtask
from engine.agent_api import Action
from engine.provenance import UNKNOWN, Provenance

MAX_HANDLED_CONVERSATIONS = 32


@dataclass
class MindState:
    """Short-term state of one generative mind (the original's "scratch")."""

    plan: DayPlan | None = None
    chunk_activity: str = ""  # the hourly activity the current subtasks decompose
    chunk_place: str = ""  # the full address chosen for them
    subtasks: list[Subtask] = field(default_factory=list)
    action: Action | None = None
    importance_cache: dict[str, int] = field(default_factory=dict)
    importance_by: dict[str, list[str]] = field(default_factory=dict)  # cached rating's maker
    importance_check: dict[str, Any] = field(default_factory=dict)  # the model check's verdict
    chat_cooldown: dict[str, int] = field(default_factory=dict)  # partner -> step it ends
    react_cooldown: dict[str, int] = field(default_factory=dict)  # person -> step it ends
    last_talk_step: int | None = None  # when the agent's last conversation ended
    relationships: dict[str, str] = field(default_factory=dict)
    conversation: dict[str, Any] | None = None  # {"id", "partner"} while talking
    handled_conversations: list[int] = field(default_factory=list)
    last_step: int = 0
    last_time_iso: str = ""
    reflections: int = 0
    reflected_on: str = ""  # the game date of the last reflection (ISO), for the daily one
    currently: str = ""  # today's revised "currently" (the persona's until the first new day)
    topic: str = ""  # what the current conversation is about
    prompt_counts: dict[str, list[int]] = field(default_factory=dict)  # see calls.Caller.counts
    decompositions: list[int] = field(default_factory=lambda: [0, 0])  # today: asked, useful
    pending_events: list[dict[str, Any]] = field(default_factory=list)  # see perceive.perceive
    made: dict[str, dict[str, int]] = field(default_factory=dict)  # see generative.made
    commitments: list[Commitment] = field(default_factory=list)  # see commitments.py
    commitments_seen: int = 0  # memories read for dated events so far
    line_by: Provenance = UNKNOWN  # who made the last conversation line this mind returned
    writing: list[int] = field(default_factory=lambda: [0, 0])  # see wording.py: asked, passed

    def worth_decomposing(self, probe: int, min_useful: float) -> bool:
        """Whether to ask the model to decompose: always for the first `probe` blocks of a day,
        then only while at least `min_useful` of its decompositions today were useful."""
        asked, useful = self.decompositions
        return asked < probe or useful >= min_useful * asked

    def new_day_decompositions(self, probe: int, min_useful: float) -> None:
        """A new day: a model whose decompositions were useful yesterday starts afresh; one
        that was not gets a single try today (its first answer decides)."""
        asked, useful = self.decompositions
        failed = asked > 0 and useful < min_useful * asked
        self.decompositions = [max(0, probe - 1), 0] if failed else [0, 0]

    def remember_cached(
        self, description: str, importance: int, limit: int, by: list[str] | None = None
    ) -> None:
        """Cache a score (and who made it), dropping the oldest entries beyond `limit`."""
        self.importance_cache[description] = importance
        if by is not None:
            self.importance_by[description] = by
        while len(self.importance_cache) > limit:
            oldest = next(iter(self.importance_cache))
            self.importance_cache.pop(oldest)
            self.importance_by.pop(oldest, None)

    def mark_handled(self, conversation_id: int) -> None:
        """Remember that a finished conversation has been summarised."""
        self.handled_conversations = (self.handled_conversations + [conversation_id])[
            -MAX_HANDLED_CONVERSATIONS:
        ]

    def current_subtask_index(self, minute: int) -> int:
        """Index of the subtask covering minute-of-day `minute`, or -1."""
        for i, sub in enumerate(self.subtasks):
            if sub.start_min <= minute < sub.end_min:
                return i
        return -1

    def to_state(self) -> dict[str, Any]:
        return {
            "plan": self.plan.to_state() if self.plan else None,
            "chunk_activity": self.chunk_activity,
            "chunk_place": self.chunk_place,
            "subtasks": [s.to_state() for s in self.subtasks],
            "action": self.action.to_state() if self.action else None,
            "importance_cache": dict(self.importance_cache),
            "importance_by": {k: list(v) for k, v in self.importance_by.items()},
            "importance_check": dict(self.importance_check),
            "chat_cooldown": dict(self.chat_cooldown),
            "react_cooldown": dict(self.react_cooldown),
            "last_talk_step": self.last_talk_step,
            "relationships": dict(self.relationships),
            "conversation": dict(self.conversation) if self.conversation else None,
            "handled_conversations": list(self.handled_conversations),
            "last_step": self.last_step,
            "last_time_iso": self.last_time_iso,
            "reflections": self.reflections,
            "reflected_on": self.reflected_on,
            "currently": self.currently,
            "topic": self.topic,
            "prompt_counts": {k: list(v) for k, v in self.prompt_counts.items()},
            "decompositions": list(self.decompositions),
            "pending_events": [dict(p, triple=list(p["triple"]), keywords=list(p["keywords"]))
                               for p in self.pending_events],
            "made": {kind: dict(row) for kind, row in self.made.items()},
            "commitments": [c.to_state() for c in self.commitments],
            "commitments_seen": self.commitments_seen,
            "line_by": self.line_by.to_state(),
            "writing": list(self.writing),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> MindState:
        return cls(
            plan=DayPlan.from_state(state["plan"]) if state.get("plan") else None,
            chunk_activity=state.get("chunk_activity", ""),
            chunk_place=state.get("chunk_place", ""),
            subtasks=[Subtask.from_state(s) for s in state.get("subtasks", [])],
            action=Action.from_state(state["action"]) if state.get("action") else None,
            importance_cache={k: int(v) for k, v in state.get("importance_cache", {}).items()},
            importance_by={k: [str(x) for x in v][:2]
                           for k, v in state.get("importance_by", {}).items()},
            importance_check=dict(state.get("importance_check", {})),
            chat_cooldown={k: int(v) for k, v in state.get("chat_cooldown", {}).items()},
            react_cooldown={k: int(v) for k, v in state.get("react_cooldown", {}).items()},
            last_talk_step=_optional_int(state.get("last_talk_step")),
            relationships=dict(state.get("relationships", {})),
            conversation=dict(state["conversation"]) if state.get("conversation") else None,
            handled_conversations=[int(i) for i in state.get("handled_conversations", [])],
            last_step=int(state.get("last_step", 0)),
            last_time_iso=state.get("last_time_iso", ""),
            reflections=int(state.get("reflections", 0)),
            reflected_on=str(state.get("reflected_on", "")),
            currently=str(state.get("currently", "")),
            topic=str(state.get("topic", "")),
            prompt_counts={
                k: [int(x) for x in v] for k, v in state.get("prompt_counts", {}).items()
            },
            decompositions=([int(x) for x in state.get("decompositions", [])] + [0, 0])[:2],
            pending_events=[_pending(p) for p in state.get("pending_events", [])],
            made={str(kind): {str(k): int(n) for k, n in row.items()}
                  for kind, row in state.get("made", {}).items()},
            commitments=[Commitment.from_state(c) for c in state.get("commitments", [])],
            commitments_seen=int(state.get("commitments_seen", 0)),
            line_by=Provenance.read(state.get("line_by")),
            writing=([int(x) for x in state.get("writing", [])] + [0, 0])[:2],
        )


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _pending(item: dict[str, Any]) -> dict[str, Any]:
    """A pending perceived event read back from a save (its fields checked)."""
    triple = [str(x) for x in item["triple"]]
    if len(triple) != 3:
        raise ValueError("a pending event's triple must have three parts")
    return {
        "description": str(item["description"]),
        "time": str(item["time"]),
        "triple": triple,
        "keywords": [str(k) for k in item["keywords"]],
    }
