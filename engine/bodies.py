"""An agent's physical side: where it stands, what it is doing, where it is walking."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from engine.agent_api import HERE, Action, ConversationView, PerceivedEvent, Triple, Utterance
from engine.provenance import UNKNOWN, Provenance
from engine.town_map import TileXY

MAX_PENDING_EVENTS = 32


@dataclass
class AgentBody:
    """Mutable per-agent world state owned by the simulation thread."""

    name: str
    tile: TileXY
    retention: int = 8
    facing: str = "down"
    action: Action | None = None
    path: list[TileXY] = field(default_factory=list)
    route_pending: bool = False  # the action's path is still to be searched
    conversation_id: int | None = None
    last_talk_step: int | None = None  # when its last conversation ended (seen by others)
    suspended_action: Action | None = None
    recent_triples: deque[Triple] = field(default_factory=deque)
    pending_events: list[PerceivedEvent] = field(default_factory=list)
    finished_conversation: ConversationView | None = None
    noticed: bool = False  # saw someone new while a decision was in flight (asked for later)
    said: str | None = None  # the line spoken at the current step, for bubbles and the log
    said_by: Provenance = UNKNOWN  # who made that line
    fallbacks: int = 0
    history: list[str] = field(default_factory=list)  # planted at fork, told with the 1st decision

    @property
    def destination(self) -> TileXY:
        return self.path[-1] if self.path else self.tile

    @property
    def arrived(self) -> bool:
        """Standing where the current action happens (not walking, not about to set off)."""
        return not self.path and not self.route_pending

    def remember_triple(self, triple: Triple) -> None:
        self.recent_triples.append(triple)
        while len(self.recent_triples) > self.retention:
            self.recent_triples.popleft()

    def queue_events(self, events: list[PerceivedEvent]) -> None:
        self.pending_events.extend(events)
        if len(self.pending_events) > MAX_PENDING_EVENTS:
            del self.pending_events[: len(self.pending_events) - MAX_PENDING_EVENTS]

    def set_action(self, action: Action | None) -> None:
        """Start `action` (already stamped with its start step): walk there from scratch."""
        self.action = action
        self.path = []
        self.route_pending = action is not None and action.address != HERE

    def take_news(self) -> tuple[tuple[PerceivedEvent, ...], ConversationView | None]:
        """Hand over (and forget) the events and the ended conversation not yet told."""
        events, finished = tuple(self.pending_events), self.finished_conversation
        self.pending_events, self.finished_conversation = [], None
        return events, finished

    def is_sleeping(self) -> bool:
        return self.action is not None and self.action.sleeping

    def to_state(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "tile": list(self.tile),
            "retention": self.retention,
            "facing": self.facing,
            "action": self.action.to_state() if self.action else None,
            "path": [list(t) for t in self.path],
            "route_pending": self.route_pending,
            "conversation_id": self.conversation_id,
            **({"last_talk_step": self.last_talk_step} if self.last_talk_step is not None else {}),
            "suspended_action": self.suspended_action.to_state() if self.suspended_action else None,
            "recent_triples": [list(t) for t in self.recent_triples],
            "pending_events": [_event_state(e) for e in self.pending_events],
            "finished_conversation": (
                conversation_view_state(self.finished_conversation)
                if self.finished_conversation
                else None
            ),
            "said": self.said,
            **({"said_by": self.said_by.to_state()} if self.said is not None else {}),
            "fallbacks": self.fallbacks,
            "noticed": self.noticed,
            **({"history": list(self.history)} if self.history else {}),
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> AgentBody:
        finished = state.get("finished_conversation")
        return cls(
            name=state["name"],
            tile=tuple(state["tile"]),  # type: ignore[arg-type]
            retention=int(state.get("retention", 8)),
            facing=state.get("facing", "down"),
            action=Action.from_state(state["action"]) if state.get("action") else None,
            path=[tuple(t) for t in state.get("path", [])],  # type: ignore[misc]
            route_pending=bool(state.get("route_pending", False)),
            conversation_id=state.get("conversation_id"),
            last_talk_step=state.get("last_talk_step"),  # checked by engine.state_check
            suspended_action=(
                Action.from_state(state["suspended_action"])
                if state.get("suspended_action")
                else None
            ),
            recent_triples=deque(tuple(t) for t in state.get("recent_triples", [])),
            pending_events=[_event_from_state(e) for e in state.get("pending_events", [])],
            finished_conversation=conversation_view_from_state(finished) if finished else None,
            said=state.get("said"),
            said_by=Provenance.read(state.get("said_by")),
            fallbacks=int(state.get("fallbacks", 0)),
            noticed=bool(state.get("noticed", False)),
            history=list(state.get("history", [])),
        )


def _event_state(event: PerceivedEvent) -> list:
    return [
        event.subject,
        event.predicate,
        event.object,
        event.description,
        event.distance,
        event.is_agent,
    ]


def _event_from_state(state: list) -> PerceivedEvent:
    s, p, o, d, dist, is_agent = state
    return PerceivedEvent(s, p, o, d, float(dist), bool(is_agent))


def conversation_view_state(view: ConversationView) -> dict[str, Any]:
    return {
        "id": view.conversation_id,
        "participants": list(view.participants),
        "lines": [u.to_state() for u in view.lines],
        "place": view.place,
        "ended": view.ended,
    }


def conversation_view_from_state(state: dict[str, Any]) -> ConversationView:
    return ConversationView(
        conversation_id=int(state["id"]),
        participants=tuple(state["participants"]),  # type: ignore[arg-type]
        lines=tuple(Utterance.from_state(line) for line in state["lines"]),
        place=state["place"],
        ended=bool(state.get("ended", False)),
    )
