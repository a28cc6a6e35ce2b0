"""`GenerativeMind`: the paper's perceive -> retrieve -> plan/react/converse -> reflect loop.

`decide` handles every reason a percept carries (several may come at once) and never raises for
model problems: each failed call falls back (routine action, continue, a closing "...") and is
counted in `Decision.fallbacks`. Calls are few by design: a day plan per day, a decomposition per
block window, one batched importance call per percept with unseen descriptions, one call per
reaction / turn / conversation summary, two (plus scoring) per reflection.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

from cognition.routine import reasons
from cognition.generative import dialogue, interview, perceive, planning, reacting, reflection
from cognition.generative.answering import FULL, Recall
from cognition.generative.calls import Caller
from cognition.generative.common import game_time
from cognition.generative.context import Made, MindContext
from cognition.generative.locations import SpatialMemory
from cognition.generative.made import INTERIM
from cognition.generative.settings import GenerativeSettings
from cognition.generative.state import MindState
from cognition.llm.accounting import CallStats
from cognition.llm.base import LanguageModel
from cognition.memory.node import NodeKind
from cognition.memory.stream import MemoryStream
from cognition.routine.schedule import routine_action
from engine.agent_api import (
    Action,
    ConversationView,
    Decision,
    MessageKind,
    Reason,
    Percept,
    Persona,
    Utterance,
)
from engine.provenance import UNKNOWN, Provenance

STATE_VERSION = 1
# Decisions that retrieve what was just seen (talk, answer the user) store pending sightings
# first; the others let them wait for a batch (`perceive.perceive`). A new day's plan flushes too.
RECALLING = frozenset({Reason.USER, Reason.CONVERSATION_TURN, Reason.CONVERSATION_ENDED})
INSPECT_MEMORIES = 20


def seed_spatial(persona: Persona) -> SpatialMemory:
    """The spatial tree a fresh agent starts with: known places, home, bed, work, routine places."""
    spatial = SpatialMemory()
    for address in (*persona.known_places, persona.living_area, persona.bed, persona.workplace):
        spatial.add(address)
    for block in persona.routine:
        spatial.add(block["place"])
    return spatial


class GenerativeMind:
    """One agent's generative mind; see the module docstring."""

    reacts_when_free = True  # asks whom to talk to when an action ends, too (reasons.decide)

    def __init__(
        self,
        persona: Persona,
        model: LanguageModel,
        memory: MemoryStream,
        *,
        seed: int,
        settings: GenerativeSettings,
        spatial: SpatialMemory | None = None,
        state: MindState | None = None,
        stats: CallStats | None = None,
    ) -> None:
        self.persona = persona
        self.name = persona.name
        self.settings = settings
        state = state if state is not None else MindState()
        self.ctx = MindContext(
            persona=persona,
            memory=memory,
            spatial=spatial if spatial is not None else seed_spatial(persona),
            state=state,
            settings=settings,
            caller=Caller(model, persona.name, seed, settings, stats, state.prompt_counts),
            made=Made(state.made),
        )
        self._lock = threading.RLock()

    @property
    def memory(self) -> MemoryStream:
        return self.ctx.memory

    @property
    def spatial(self) -> SpatialMemory:
        return self.ctx.spatial

    @property
    def state(self) -> MindState:
        return self.ctx.state

    @property
    def caller(self) -> Caller:
        return self.ctx.caller

    def _clock(self, time_iso: str | None) -> tuple[datetime, int]:
        if time_iso:
            self.state.last_time_iso = time_iso
        return game_time(
            time_iso or self.state.last_time_iso or "2023-02-13T00:00:00"
        ), self.state.last_step

    # -- the Mind protocol ------------------------------------------------------------------------
    def decide(self, percept: Percept) -> Decision:
        """What the agent does next; see the module docstring and `cognition.routine.reasons`."""
        with self._lock:
            decision = reasons.decide(self, percept)
            if decision.action is not None:
                self.state.action = decision.action
            return decision

    def interim(self, percept: Percept) -> Action | None:
        """While a decision is thought out (no model): a commitment of today's plan that covers
        this hour (the party it decided to go to), else the persona's routine for the hour."""
        kept = planning.committed_now(self.ctx, game_time(percept.time_iso))
        return kept or routine_action(self.persona, percept.time_iso, percept.step, by=INTERIM)

    # -- the shared reason dispatch (cognition.routine.reasons.Behaviour) ------------------------
    def begin(self, percept: Percept) -> None:
        self.caller.take_fallbacks()
        self.state.last_step, self.state.last_time_iso = percept.step, percept.time_iso
        whispers = (
            [m.text for m in percept.user_messages if m.kind is MessageKind.WHISPER]
            if Reason.USER in percept.reasons
            else []
        )
        recalling = bool(set(percept.reasons) & RECALLING)
        perceive.perceive(self.ctx, percept, defer=bool(whispers) or not recalling)
        if whispers:  # one importance call for what was seen and what was told (a fork's history)
            thoughts = interview.as_thoughts(self.ctx, whispers)
            perceive.score_importance(
                self.ctx, perceive.pending_descriptions(self.ctx) + thoughts, percept.step
            )
            perceive.flush(self.ctx, percept.step)

    def answer_user(self, percept: Percept) -> tuple[tuple[int, str, Provenance], ...]:
        now = game_time(percept.time_iso)
        whispers = [m.text for m in percept.user_messages if m.kind is MessageKind.WHISPER]
        if whispers:
            interview.whisper(self.ctx, whispers, now, percept.step)
        replies = []
        for m in percept.user_messages:
            if m.kind is MessageKind.CHAT:
                reply = interview.answer(self.ctx, m.text, now, percept.step)
                replies.append((m.message_id, reply.text, reply.by))
        return tuple(replies)

    def conversation_ended(self, percept: Percept, conversation: ConversationView) -> Action | None:
        return dialogue.finish(self.ctx, percept, conversation)

    def conversation_turn(
        self, percept: Percept, conversation: ConversationView
    ) -> tuple[Utterance | None, bool, Action | None]:
        self.state.line_by = UNKNOWN
        say, end = dialogue.turn(self.ctx, percept, conversation)
        line = Utterance(self.name, say, self.state.line_by) if say else None
        if not end:
            return line, False, None
        return line, True, dialogue.finish(self.ctx, percept, conversation, line)

    def next_action(self, percept: Percept) -> Action:
        return planning.next_action(self.ctx, game_time(percept.time_iso), percept.step)

    def perceived(self, percept: Percept) -> tuple[str | None, Action | None]:
        if Reason.PERCEIVED not in percept.reasons:  # an action ended: only whom to talk to
            return reacting.talk(self.ctx, percept), None
        return reacting.react(self.ctx, percept)

    def idle(self, percept: Percept) -> tuple[str, ...]:
        now = game_time(percept.time_iso)
        return ("reflected",) if reflection.maybe_reflect(self.ctx, now, percept.step) else ()

    def fallbacks(self) -> int:
        return self.caller.take_fallbacks()

    # -- direct user access (CLI: interview, load-history) -----------------------------------------
    def interview(self, text: str, time_iso: str | None = None) -> str:
        """Answer the user's question in character (stores the exchange as a chat memory)."""
        return self.answer(text, time_iso).text

    def answer(self, text: str, time_iso: str | None = None, *, recall: Recall = FULL,
               remember: bool = True) -> interview.Answer:
        """The interview reply with its provenance; `recall` limits what it may draw on (the
        paper's ablations) and `remember=False` stores nothing (`simulacra evaluate`)."""
        with self._lock:
            now, step = self._clock(time_iso)
            perceive.flush(self.ctx, step)  # what was last seen is remembered when asked
            return interview.answer(self.ctx, text, now, step, recall=recall, remember=remember)

    def whisper(self, text: str, time_iso: str | None = None) -> None:
        """Plant one thought in the agent's memory."""
        with self._lock:
            now, step = self._clock(time_iso)
            interview.whisper(self.ctx, [text], now, step)

    def load_history(
        self, statements: list[str] | tuple[str, ...], time_iso: str | None = None
    ) -> int:
        """Plant a history file's statements as thoughts; returns how many were stored."""
        with self._lock:
            now, step = self._clock(time_iso)
            return len(interview.whisper(self.ctx, list(statements), now, step))

    # -- persistence and inspection ----------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """The whole mind; JSON-able except `memory["embeddings"]` (a numpy array)."""
        with self._lock:
            return {
                "version": STATE_VERSION,
                "kind": "generative",
                "mind": self.state.to_state(),
                "spatial": self.spatial.to_state(),
                "memory": self.memory.to_state(),
            }

    def inspect(self) -> dict[str, Any]:
        """Schedule, newest memories, reflections, relationships, day plan and current action."""
        with self._lock:
            now = game_time(self.state.last_time_iso) if self.state.last_time_iso else None
            nodes = self.memory.recent(INSPECT_MEMORIES * 3)
            memories = [n.description for n in nodes if not n.is_idle][:INSPECT_MEMORIES]
            reflections = [
                n.description
                for n in self.memory.recent(len(self.memory), kinds=(NodeKind.THOUGHT,))
                if reflection.REFLECTION_KEYWORD in n.keywords
            ][:INSPECT_MEMORIES]
            plan = self.state.plan
            action = self.state.action
            return {
                "schedule": planning.schedule_view(self.ctx, now),
                "memories": memories,
                "reflections": reflections,
                "relationships": dict(sorted(self.state.relationships.items())),
                "plan": list(plan.day_plan) if plan else [],
                "action": action.description if action else "",
            }
