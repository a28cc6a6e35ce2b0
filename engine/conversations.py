"""Conversations between two agents, held by the engine so both minds see the same transcript.

`ConversationBook` owns every live conversation and the id counter. Its operations take the
bodies they change explicitly and return the town events they cause; the simulation decides
when to call them (a `talk_to` decision starts one, a turn's line continues or ends it).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.agent_api import (
    HERE,
    MAX_CONVERSATION_LINES,
    Action,
    ConversationView,
    Utterance,
)
from engine.bodies import AgentBody, conversation_view_from_state, conversation_view_state
from engine.pathfinding import PathFinder
from engine.provenance import UNKNOWN, Provenance, rule
from engine.records import ConversationRecord, EventKind, TownEvent
from engine.town_map import TileXY, TownMap

CHAT_EMOJI = "💬"
CHAT_ACTION_MIN = 60  # how long a "chatting with" action is booked for; ended by the talk


@dataclass
class Conversation:
    """A live conversation: alternating turns, ended by either side or by the line cap."""

    conversation_id: int
    participants: tuple[str, str]
    place: str
    started_step: int
    lines: list[Utterance] = field(default_factory=list)
    ended: bool = False

    @property
    def next_speaker(self) -> str:
        return self.participants[len(self.lines) % 2]

    def partner_of(self, name: str) -> str:
        a, b = self.participants
        return b if name == a else a

    def view(self) -> ConversationView:
        return ConversationView(
            conversation_id=self.conversation_id,
            participants=self.participants,
            lines=tuple(self.lines),
            place=self.place,
            ended=self.ended,
        )

    def to_state(self) -> dict[str, Any]:
        state = conversation_view_state(self.view())
        state["started_step"] = self.started_step
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Conversation:
        view = conversation_view_from_state(state)
        return cls(
            conversation_id=view.conversation_id,
            participants=view.participants,
            place=view.place,
            started_step=int(state["started_step"]),
            lines=list(view.lines),
            ended=view.ended,
        )


class ConversationBook:
    """Every live conversation, by id, plus the next id to hand out."""

    def __init__(self, conversations: Iterable[Conversation] = (), next_id: int = 1,
                 max_lines: int = MAX_CONVERSATION_LINES, talk_radius: int = 8):
        self.by_id = {c.conversation_id: c for c in conversations}
        self.next_id = next_id
        self.max_lines = max_lines
        self.talk_radius = talk_radius

    def get(self, conversation_id: int | None) -> Conversation | None:
        return self.by_id.get(conversation_id) if conversation_id is not None else None

    def start(self, initiator: AgentBody, partner: AgentBody | None, town: TownMap,
              paths: PathFinder, step: int, taken: Collection[TileXY] = ()) -> TownEvent | None:
        """Start a talk if both are free, awake, in one room and close; the initiator walks up."""
        a, b = initiator, partner
        if b is None or b is a or a.conversation_id is not None or b.conversation_id is not None:
            return None
        if b.is_sleeping() or a.is_sleeping():
            return None
        if town.area_index(b.tile) != town.area_index(a.tile):
            return None
        radius = self.talk_radius
        if abs(a.tile[0] - b.tile[0]) > radius or abs(a.tile[1] - b.tile[1]) > radius:
            return None
        # A partner stopped mid-walk on a tile someone else holds steps off it first.
        aside = paths.path_near(b.tile, b.tile, avoid=taken) if b.tile in taken else []
        meet = aside[-1] if aside else b.tile
        path = paths.path_near(a.tile, meet, avoid=set(taken) | {meet})
        if path is None:
            return None
        conversation_id, self.next_id = self.next_id, self.next_id + 1
        self.by_id[conversation_id] = Conversation(
            conversation_id, (a.name, b.name), town.area_of(a.tile), step
        )
        for body, other in ((a, b.name), (b, a.name)):
            body.suspended_action = body.action
            body.conversation_id = conversation_id
            body.set_action(Action(
                description=f"chatting with {other}", emoji=CHAT_EMOJI, address=HERE,
                duration_min=CHAT_ACTION_MIN, event=(body.name, "chat with", other),
                start_step=step, by=rule("engine.chat"),
            ))  # fmt: skip
        a.path, b.path = path, aside or []
        return TownEvent(EventKind.CONVERSATION_STARTED, (a.name, b.name),
                         conversation_id=conversation_id)

    def speak(self, conversation: Conversation, speaker: AgentBody, text: str | None, end: bool,
              bodies: Mapping[str, AgentBody], still_running: Callable[[Action], bool],
              step: int, by: Provenance = UNKNOWN) -> TownEvent | None:
        """Add the speaker's line (made as `by` says); an empty line, `end` or the line cap
        closes the talk."""
        text = (text or "").strip()
        if text:
            conversation.lines.append(Utterance(speaker.name, text, by))
            speaker.said, speaker.said_by = text, by
        if not text or end or len(conversation.lines) >= self.max_lines:
            return self.end(conversation, bodies, still_running, step)
        return None

    def end(self, conversation: Conversation, bodies: Mapping[str, AgentBody],
            still_running: Callable[[Action], bool], step: int) -> TownEvent:
        """Close a talk at `step`: both are told, and each resumes what it was doing if time
        is left."""
        conversation.ended = True
        view = conversation.view()
        for participant in conversation.participants:
            body = bodies[participant]
            body.conversation_id = None
            body.last_talk_step = step
            body.finished_conversation = view
            resumed, body.suspended_action = body.suspended_action, None
            if resumed is not None and still_running(resumed):
                body.set_action(resumed)
            else:
                body.action = None
        del self.by_id[conversation.conversation_id]
        last = conversation.lines[-1].text if conversation.lines else ""
        return TownEvent(EventKind.CONVERSATION_ENDED, conversation.participants, last,
                         conversation.conversation_id)

    def records(self) -> tuple[ConversationRecord, ...]:
        return tuple(
            ConversationRecord(c.conversation_id, c.participants, tuple(c.lines), c.place)
            for _, c in sorted(self.by_id.items())
        )

    def to_state(self) -> list[dict[str, Any]]:
        return [c.to_state() for c in self.by_id.values()]
