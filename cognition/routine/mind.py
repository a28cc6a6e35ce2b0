"""`RoutineMind`: a rule-based mind that lives the persona's routine and makes small talk.

It needs no model, so it drives the engine's tests and benchmarks and stands in for agents whose
model is unavailable. All randomness comes from `random.Random(f"{seed}:{name}:{step}")`, so a
decision depends only on the factory seed, the agent and the step, never on thread timing.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from cognition.routine import reasons
from cognition.routine import talk
from cognition.routine.schedule import (
    block_index,
    is_sleep_activity,
    routine_action,
    schedule_view,
)
from engine.agent_api import (
    Action,
    ConversationView,
    Decision,
    MessageKind,
    Percept,
    Persona,
    Utterance,
)
from engine.provenance import Provenance, rule

STATE_VERSION = 1
CANNED_REPLY, CANNED_LINE = rule("routine.chat"), rule("routine.talk")  # everything is a rule's
TALK_PROBABILITY = 0.15  # chance to greet a newly perceived, free, awake agent
TALK_COOLDOWN = timedelta(hours=3)  # game time before the same pair talks again
MAX_MEMORIES = 50
MAX_NOTES = 20


class RoutineMind:
    """Follows `persona.routine`, chats in canned lines and remembers whispers and talks."""

    def __init__(self, persona: Persona, seed: int, state: dict[str, Any] | None = None) -> None:
        self.persona = persona
        self.name = persona.name
        self.seed = seed
        state = state or {}
        self.notes: list[str] = list(state.get("notes", []))  # whispered thoughts, oldest first
        self.memories: list[str] = list(state.get("memories", []))  # oldest first
        self.last_talk: dict[str, str] = dict(state.get("last_talk", {}))  # partner -> time_iso
        self.talk_counts: dict[str, int] = {
            k: int(v) for k, v in state.get("talk_counts", {}).items()
        }
        self.last_time_iso: str | None = state.get("last_time_iso")
        # ids of conversations already summarised, so a summary is written once per talk
        self.recorded: list[int] = [int(i) for i in state.get("recorded_conversations", [])]
        self._rng = random.Random(f"{seed}:{self.name}")  # replaced at every decision

    # -- the Mind protocol ---------------------------------------------------------------------

    def decide(self, percept: Percept) -> Decision:
        """Answer user messages, wrap up or continue conversations, follow the routine."""
        return reasons.decide(self, percept)

    # -- the shared reason dispatch (cognition.routine.reasons.Behaviour) ----------------------

    def begin(self, percept: Percept) -> None:
        self._rng = random.Random(f"{self.seed}:{self.name}:{percept.step}")
        self.last_time_iso = percept.time_iso

    def answer_user(self, percept: Percept) -> tuple[tuple[int, str, Provenance], ...]:
        return tuple((i, text, CANNED_REPLY) for i, text in self._handle_user(percept, self._rng))

    def conversation_ended(self, percept: Percept, conversation: ConversationView) -> Action:
        self._remember_conversation(conversation, percept.time_iso)
        return self.next_action(percept)

    def conversation_turn(
        self, percept: Percept, conversation: ConversationView
    ) -> tuple[Utterance | None, bool, Action | None]:
        say, end = self._next_line(conversation, percept, self._rng)
        line = Utterance(self.name, say, CANNED_LINE) if say else None
        if not end:
            return line, False, None
        self._remember_conversation(conversation, percept.time_iso, extra_line=say)
        return line, True, self.next_action(percept)

    def next_action(self, percept: Percept) -> Action:
        return routine_action(self.persona, percept.time_iso, percept.step)

    def perceived(self, percept: Percept) -> tuple[str | None, Action | None]:
        return self._maybe_talk(percept, self._rng), None

    def idle(self, percept: Percept) -> tuple[str, ...]:
        return ()

    def fallbacks(self) -> int:
        return 0

    def interim(self, percept: Percept) -> Action | None:
        """The routine's action for this hour (pure: no state changes)."""
        return routine_action(self.persona, percept.time_iso, percept.step)

    def to_state(self) -> dict[str, Any]:
        """JSON-able state; `RoutineMindFactory.restore` turns it back into an equal mind."""
        return {
            "version": STATE_VERSION,
            "notes": list(self.notes),
            "memories": list(self.memories),
            "last_talk": dict(self.last_talk),
            "talk_counts": dict(self.talk_counts),
            "last_time_iso": self.last_time_iso,
            "recorded_conversations": list(self.recorded),
        }

    def inspect(self) -> dict[str, Any]:
        """Schedule (current block marked), memories newest first, relationships."""
        return {
            "schedule": schedule_view(self.persona, self.last_time_iso),
            "memories": list(reversed(self.memories)),
            "reflections": [],
            "relationships": {
                name: f"talked {count} time{'s' if count != 1 else ''}"
                for name, count in sorted(self.talk_counts.items())
            },
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RoutineMind):
            return NotImplemented
        return (self.persona, self.seed, self.to_state()) == (
            other.persona, other.seed, other.to_state()
        )  # fmt: skip

    __hash__ = None  # type: ignore[assignment]  # mutable

    # -- helpers -------------------------------------------------------------------------------

    def current_activity(self, time_iso: str) -> tuple[str, str]:
        """(activity, place) of the routine block covering `time_iso`."""
        block = self.persona.routine[block_index(self.persona, time_iso)]
        return block["activity"], block["place"]

    def _handle_user(self, percept: Percept, rng: random.Random) -> tuple[tuple[int, str], ...]:
        replies = []
        activity, place = self.current_activity(percept.time_iso)
        for message in percept.user_messages:
            if message.kind is MessageKind.WHISPER:
                self.notes = (self.notes + [message.text])[-MAX_NOTES:]
                self._remember(f"A thought came to me: {message.text}")
            else:
                reply = talk.chat_reply(rng, self.persona, activity, place)
                replies.append((message.message_id, reply))
                self._remember(f'Someone asked me "{message.text}"; I said "{reply}"')
        return tuple(replies)

    def _next_line(
        self, conversation: ConversationView, percept: Percept, rng: random.Random
    ) -> tuple[str, bool]:
        partner = next((p for p in conversation.participants if p != self.name), self.name)
        length = talk.conversation_length(
            self.seed, conversation.conversation_id, conversation.participants
        )
        index = len(conversation.lines)
        last = index + 1 >= length
        mine, _ = self.current_activity(percept.time_iso)
        view = next((a for a in percept.nearby_agents if a.name == partner), None)
        theirs = view.action if view is not None and view.action else None
        return talk.conversation_line(rng, partner, mine, theirs, index, last), last

    def _maybe_talk(self, percept: Percept, rng: random.Random) -> str | None:
        activity, place = self.current_activity(percept.time_iso)
        if is_sleep_activity(activity):
            return None
        now = datetime.fromisoformat(percept.time_iso)
        for view in percept.nearby_agents:  # nearest first, as the engine sends them
            if view.name == self.name or view.sleeping or view.in_conversation:
                continue
            last = self.last_talk.get(view.name)
            if last is not None and now - datetime.fromisoformat(last) < TALK_COOLDOWN:
                continue
            if rng.random() < TALK_PROBABILITY:
                self.last_talk[view.name] = percept.time_iso
                return view.name
        return None

    def _remember_conversation(
        self, conversation: ConversationView, time_iso: str, extra_line: str | None = None
    ) -> None:
        """Record a finished conversation once (either when we close it or when told it ended)."""
        partner = next((p for p in conversation.participants if p != self.name), None)
        if partner is None:
            return
        if conversation.conversation_id in self.recorded:
            return
        self.recorded = (self.recorded + [conversation.conversation_id])[-MAX_NOTES:]
        lines = len(conversation.lines) + (1 if extra_line else 0)
        when = time_iso.replace("T", " ")[:16]
        self._remember(f"Talked with {partner} ({lines} lines) at {when}")
        self.talk_counts[partner] = self.talk_counts.get(partner, 0) + 1
        self.last_talk[partner] = time_iso

    def _remember(self, text: str) -> None:
        self.memories = (self.memories + [text])[-MAX_MEMORIES:]


class RoutineMindFactory:
    """Builds `RoutineMind`s that share one seed."""

    kind = "routine"

    def __init__(self, seed: int) -> None:
        self.seed = seed

    def create(self, persona: Persona) -> RoutineMind:
        """A fresh mind with no notes or memories."""
        return RoutineMind(persona, self.seed)

    def restore(self, persona: Persona, state: dict[str, Any]) -> RoutineMind:
        """The mind whose `to_state()` produced `state`."""
        return RoutineMind(persona, self.seed, state)
