"""The one reason dispatch every mind shares: which behaviour answers which `Percept.reason`.

A percept may carry several reasons at once (an action ended while someone came into view, a
conversation ended while the user whispered). `decide` applies the same rules for every mind:

1. user messages are answered first (whispers stored, chats replied to);
2. a conversation that ended is wrapped up (it may yield the next action);
3. on this agent's turn in a live conversation it speaks (closing it may yield the next action);
   otherwise, when nothing else set an action and the run started or the action ended, it plans;
4. outside a conversation, someone perceived may be talked to (or waited for);
5. outside a conversation, idle work (reflection) may run.

Minds implement the `Behaviour` protocol; the rule-based and the generative mind differ only in
how they answer each step, not in when they are asked. Lines and answers come with who made
them (`engine.provenance`), which the decision hands on to the engine.
"""

from __future__ import annotations

from typing import Protocol

from engine.agent_api import Action, ConversationView, Decision, Percept, Reason, Utterance
from engine.provenance import UNKNOWN, Provenance


class Behaviour(Protocol):
    """What a mind does for each kind of reason; see the module docstring."""

    def begin(self, percept: Percept) -> None:
        """Take in the percept (events, places) before anything is decided."""

    def answer_user(self, percept: Percept) -> tuple[tuple[int, str, Provenance], ...]:
        """Store whispers and answer chats: (message id, reply, who made it) per chat message."""

    def conversation_ended(self, percept: Percept, conversation: ConversationView) -> Action | None:
        """Wrap up a finished conversation; the action to take next, if any."""

    def conversation_turn(
        self, percept: Percept, conversation: ConversationView
    ) -> tuple[Utterance | None, bool, Action | None]:
        """(line to say and who made it, end the conversation, action after it when it ends)."""

    def next_action(self, percept: Percept) -> Action:
        """The action for now when nothing is going on."""

    def perceived(self, percept: Percept) -> tuple[str | None, Action | None]:
        """(whom to start talking to, or an action such as waiting for them)."""

    def idle(self, percept: Percept) -> tuple[str, ...]:
        """Background work outside conversations; short notes for the run log."""

    def fallbacks(self) -> int:
        """Model failures covered for since the last decision."""


PLAN_REASONS = frozenset({Reason.START, Reason.ACTION_DONE})


def decide(behaviour: Behaviour, percept: Percept) -> Decision:
    """The decision for `percept`, asking `behaviour` in the order the module docstring gives."""
    reasons = set(percept.reasons)
    behaviour.begin(percept)
    replies = behaviour.answer_user(percept) if Reason.USER in reasons else ()
    action: Action | None = None
    said: Utterance | None = None
    end, talk_to = False, None
    notes: list[str] = []
    finished = percept.finished_conversation
    if Reason.CONVERSATION_ENDED in reasons and finished is not None:
        action = behaviour.conversation_ended(percept, finished)
    active = percept.conversation
    if active is not None and active.ended:
        active = None
    if Reason.CONVERSATION_TURN in reasons and active is not None:
        said, end, closing = behaviour.conversation_turn(percept, active)
        action = closing or action
    elif active is None and action is None and reasons & PLAN_REASONS:
        action = behaviour.next_action(percept)
    # A mind that `reacts_when_free` also looks around when an action ends: someone sitting
    # nearby since before is never "new", and its cooldowns may have run out since.
    looks = Reason.PERCEIVED in reasons or (
        Reason.ACTION_DONE in reasons and getattr(behaviour, "reacts_when_free", False))
    if looks and active is None and not end:
        talk_to, waiting = behaviour.perceived(percept)
        action = waiting or action
        if talk_to:
            notes.append(f"wants to talk with {talk_to}")
    if active is None and Reason.CONVERSATION_TURN not in reasons:
        notes.extend(behaviour.idle(percept))
    return Decision(
        action=action, talk_to=talk_to, say=said.text if said else None, end_conversation=end,
        replies=tuple((i, text) for i, text, _ in replies), fallbacks=behaviour.fallbacks(),
        notes=tuple(notes), say_by=said.by if said else UNKNOWN,
        reply_by=tuple(by for _, _, by in replies),
    )  # fmt: skip
