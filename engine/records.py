"""Frozen per-step records: what the town looked like when a step finished.

The simulation builds one `StepRecord` after every finished step and hands it to its listeners
(`Simulation.add_listener`) and its run log; `Simulation.last_record` holds the newest. A window,
a replay and a headless render all draw from these records and nothing else, so a live
simulation and a run log are two sources of the same values. Every value is frozen and
JSON-friendly (`to_state` / `from_state`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from engine.agent_api import Utterance
from engine.bodies import AgentBody
from engine.mind_snapshot import MindSnapshot
from engine.provenance import UNKNOWN, Provenance


@dataclass(frozen=True, slots=True)
class AgentRecord:
    """One agent at the end of a step."""

    name: str
    tile_xy: tuple[int, int]
    facing: str  # "down", "up", "left", "right"
    action: str  # action description ("" before the first action)
    emoji: str
    address: str  # where the action happens (world:sector:arena[:object] or "<here>")
    sleeping: bool
    said: str | None  # the conversation line spoken at this step
    thinking: bool  # a decision asked for is not applied yet (deterministic, not wall time)
    place: str = ""  # world:sector:arena the agent stands in ("" in logs before it was kept)
    arrival: str = ""  # where it is for its action: one of ARRIVALS ("": no place to reach)
    action_by: Provenance = UNKNOWN  # who made the action shown (its text and place)
    said_by: Provenance = UNKNOWN  # who made the line said at this step

    def to_state(self) -> dict[str, Any]:
        return {
            "name": self.name, "xy": list(self.tile_xy), "facing": self.facing,
            "action": self.action, "emoji": self.emoji, "address": self.address,
            "sleeping": self.sleeping, "say": self.said, "thinking": self.thinking,
            "place": self.place, "arrival": self.arrival,  # always: the run log diffs keys
            "by": self.action_by.to_state(),
            **({"say_by": self.said_by.to_state()} if self.said is not None else {}),
        }  # fmt: skip

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> AgentRecord:
        x, y = state["xy"]
        return cls(
            name=state["name"], tile_xy=(int(x), int(y)), facing=state.get("facing", "down"),
            action=state.get("action", ""), emoji=state.get("emoji", ""),
            address=state.get("address", ""), sleeping=bool(state.get("sleeping", False)),
            said=state.get("say"), thinking=bool(state.get("thinking", False)),
            place=str(state.get("place", "")), arrival=_arrival(state.get("arrival", "")),
            action_by=Provenance.read(state.get("by")), said_by=Provenance.read(state.get("say_by")),
        )  # fmt: skip


ARRIVALS = ("going", "there", "near", "away")
"""Where an agent is for its action: walking there; on a tile of its place; in its room but
not on its place (every spot taken); stopped elsewhere (the place cannot be reached)."""


def _arrival(value: Any) -> str:
    if value and value not in ARRIVALS:
        raise ValueError(f"an agent's arrival must be one of {', '.join(ARRIVALS)}")
    return str(value or "")


@dataclass(frozen=True, slots=True)
class Reply:
    """An agent's answer to a user chat message, for the window and the log."""

    agent: str
    message_id: int
    text: str
    step: int
    by: Provenance = UNKNOWN  # who made the answer (the model's text, a fallback ...)

    def to_state(self) -> list:
        return [self.agent, self.message_id, self.text, self.step, self.by.to_state()]

    @classmethod
    def from_state(cls, state: list) -> Reply:
        """From `[agent, id, text, step]` (before provenance was kept: UNKNOWN) or with `by`."""
        agent, message_id, text, step, *by = state
        return cls(agent, int(message_id), text, int(step), Provenance.read(by[0] if by else None))


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    """A conversation in progress at the end of a step, with its lines so far."""

    conversation_id: int
    participants: tuple[str, str]
    lines: tuple[Utterance, ...]
    place: str = ""  # world:sector:arena where it happens ("" in run logs before it was kept)

    def to_state(self) -> dict[str, Any]:
        return {"id": self.conversation_id, "participants": list(self.participants),
                "lines": [u.to_state() for u in self.lines],
                **({"place": self.place} if self.place else {})}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> ConversationRecord:
        a, b = state["participants"]
        place = state.get("place", "")
        if not isinstance(place, str):
            raise ValueError("a conversation's place must be a string")
        return cls(int(state["id"]), (a, b),
                   tuple(Utterance.from_state(line) for line in state["lines"]), place)


class EventKind(enum.StrEnum):
    """Things that happened in the town at a step, for the event feed."""

    CONVERSATION_STARTED = "conversation_started"
    CONVERSATION_ENDED = "conversation_ended"
    USER_MESSAGE = "user_message"  # a chat line or whisper the user sent to an agent


@dataclass(frozen=True, slots=True)
class TownEvent:
    """One event: its kind, the agents involved, and a short text.

    For conversations `conversation_id` is set and `text` is empty (started) or the last line
    (ended); for user messages `text` is the message and `detail` is "chat" or "whisper".
    """

    kind: EventKind
    agents: tuple[str, ...]
    text: str = ""
    conversation_id: int | None = None
    detail: str = ""

    def to_state(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "agents": list(self.agents), "text": self.text,
                "conversation_id": self.conversation_id, "detail": self.detail}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> TownEvent:
        return cls(EventKind(state["kind"]), tuple(state["agents"]), state.get("text", ""),
                   state.get("conversation_id"), state.get("detail", ""))


class ErrorKind(enum.StrEnum):
    """Why an error was counted. Only FALLBACK is expected: a small model's answer that could
    not be used, covered by a rule-made stand-in (the town goes on as designed). MIND (a
    mind's job failed: a model server unreachable, a crash) and ENGINE (a place nobody can
    reach, an unknown place) are real faults."""

    FALLBACK = "fallback"
    MIND = "mind"
    ENGINE = "engine"


@dataclass(frozen=True, slots=True)
class ErrorEntry:
    """One error counted at a step: who (may be ""), what kind, and its cause in words."""

    agent: str
    kind: ErrorKind
    cause: str

    @property
    def expected(self) -> bool:
        return self.kind == ErrorKind.FALLBACK

    def to_state(self) -> list:
        return [self.agent, self.kind.value, self.cause]

    @classmethod
    def from_state(cls, state: list) -> ErrorEntry:
        agent, kind, cause = state
        return cls(str(agent), ErrorKind(kind), str(cause))


@dataclass(frozen=True, slots=True)
class Landing:
    """A decision applied at this step in the live clock: asked at one step, due at another,
    in (landed) at the record's step, which is at or after it was due."""

    agent: str
    asked_step: int
    due_step: int

    def to_state(self) -> list:
        return [self.agent, self.asked_step, self.due_step]

    @classmethod
    def from_state(cls, state: list) -> Landing:
        agent, asked, due = state
        return cls(str(agent), int(asked), int(due))


@dataclass(frozen=True, slots=True)
class StepRecord:
    """The town at the end of one finished step. `agents` are sorted by name."""

    step: int
    time_iso: str
    agents: tuple[AgentRecord, ...]
    replies: tuple[Reply, ...] = ()  # answers given at this step
    errors: int = 0  # engine errors and mind failures so far in this run
    last_error: str = ""
    conversations: tuple[ConversationRecord, ...] = ()  # in progress at the end of the step
    events: tuple[TownEvent, ...] = ()
    landed: tuple[Landing, ...] = ()  # live clock: decisions applied at this step
    minds: tuple[MindSnapshot, ...] = ()  # snapshots new at this step (decisions applied)
    error_list: tuple[ErrorEntry, ...] = ()  # the errors counted at this step, with causes

    def agent(self, name: str) -> AgentRecord:
        """The record of one agent (KeyError when there is none of that name)."""
        for record in self.agents:
            if record.name == name:
                return record
        raise KeyError(name)

    def to_state(self) -> dict[str, Any]:
        return {
            "step": self.step, "time": self.time_iso,
            "agents": [a.to_state() for a in self.agents],
            "replies": [r.to_state() for r in self.replies],
            "errors": self.errors, "last_error": self.last_error,
            "conversations": [c.to_state() for c in self.conversations],
            "events": [e.to_state() for e in self.events],
            **({"landed": [x.to_state() for x in self.landed]} if self.landed else {}),
            **({"minds": [m.to_state() for m in self.minds]} if self.minds else {}),
            **({"error_list": [e.to_state() for e in self.error_list]} if self.error_list
               else {}),
        }  # fmt: skip

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StepRecord:
        return cls(
            step=int(state["step"]), time_iso=state["time"],
            agents=tuple(AgentRecord.from_state(a) for a in state["agents"]),
            replies=tuple(Reply.from_state(r) for r in state.get("replies", [])),
            errors=int(state.get("errors", 0)), last_error=state.get("last_error", ""),
            conversations=tuple(
                ConversationRecord.from_state(c) for c in state.get("conversations", [])
            ),
            events=tuple(TownEvent.from_state(e) for e in state.get("events", [])),
            landed=tuple(Landing.from_state(x) for x in state.get("landed", [])),
            minds=tuple(MindSnapshot.from_state(m) for m in state.get("minds", [])),
            error_list=tuple(ErrorEntry.from_state(e) for e in state.get("error_list", [])),
        )  # fmt: skip


def step_record(step: int, time_iso: str, bodies: Mapping[str, AgentBody], order: Sequence[str],
                thinking: Iterable[str], replies: Sequence[Reply], errors: int, last_error: str,
                conversations: tuple[ConversationRecord, ...], events: Iterable[TownEvent],
                where: Mapping[str, tuple[str, str]] | None = None,
                error_list: Iterable[ErrorEntry] = ()) -> StepRecord:
    """The record of a finished step from the world's values (`replies` of this step kept;
    `where`: each agent's (place, arrival), see `AgentRecord`; `error_list`: the errors counted
    at this step)."""
    where = where or {}
    busy = set(thinking)
    agents = []
    for name in order:
        body = bodies[name]
        action = body.action
        agents.append(AgentRecord(
            name=name, tile_xy=body.tile, facing=body.facing,
            action=action.description if action else "", emoji=action.emoji if action else "",
            address=action.address if action else "", sleeping=body.is_sleeping(),
            said=body.said, thinking=name in busy, place=where.get(name, ("", ""))[0],
            arrival=where.get(name, ("", ""))[1],
            action_by=action.by if action else UNKNOWN,
            said_by=body.said_by if body.said is not None else UNKNOWN,
        ))  # fmt: skip
    now = []
    for reply in reversed(replies):  # newest last: only the tail can be this step's
        if reply.step != step:
            break
        now.append(reply)
    return StepRecord(
        step=step, time_iso=time_iso, agents=tuple(sorted(agents, key=lambda a: a.name)),
        replies=tuple(reversed(now)), errors=errors,
        last_error=last_error, conversations=conversations, events=tuple(events),
        error_list=tuple(error_list),
    )  # fmt: skip
