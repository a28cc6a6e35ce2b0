"""Conversations between two agents, held by the engine so both minds see the same transcript."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.agent_api import ConversationView, Utterance
from engine.bodies import conversation_view_from_state, conversation_view_state


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
