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

from cognition.generative import dialogue, interview, perceive, planning, reacting, reflection
from cognition.generative.calls import Caller
from cognition.generative.common import game_time
from cognition.generative.locations import SpatialMemory
from cognition.generative.settings import GenerativeSettings
from cognition.generative.state import MindState
from cognition.llm.accounting import CallStats
from cognition.llm.base import LanguageModel
from cognition.memory.node import NodeKind
from cognition.memory.stream import MemoryStream
from cognition.routine.schedule import routine_action
from engine.agent_api import Action, Decision, MessageKind, Percept, Persona, Reason, Utterance

STATE_VERSION = 1
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
        self.memory = memory
        self.spatial = spatial if spatial is not None else seed_spatial(persona)
        self.state = state if state is not None else MindState()
        self.caller = Caller(model, persona.name, seed, settings, stats)
        self._lock = threading.RLock()

    # -- time -------------------------------------------------------------------------------------
    def now(self, percept: Percept) -> datetime:
        return game_time(percept.time_iso)

    def _clock(self, time_iso: str | None) -> tuple[datetime, int]:
        if time_iso:
            self.state.last_time_iso = time_iso
        return game_time(
            time_iso or self.state.last_time_iso or "2023-02-13T00:00:00"
        ), self.state.last_step

    # -- the Mind protocol ------------------------------------------------------------------------
    def decide(self, percept: Percept) -> Decision:
        """What the agent does next; see the module docstring."""
        with self._lock:
            self.caller.take_fallbacks()
            self.state.last_step, self.state.last_time_iso = percept.step, percept.time_iso
            reasons = set(percept.reasons)
            now, notes = self.now(percept), []
            if percept.events or percept.seen_places:
                perceive.perceive(self, percept)
            replies = self._user(percept, now) if Reason.USER in reasons else ()
            action: Action | None = None
            say, end, talk_to = None, False, None
            finished = percept.finished_conversation
            if Reason.CONVERSATION_ENDED in reasons and finished is not None:
                action = dialogue.finish(self, percept, finished)
            active = percept.conversation
            if active is not None and active.ended:
                active = None
            if Reason.CONVERSATION_TURN in reasons and active is not None:
                say, end = dialogue.turn(self, percept, active)
                if end:
                    extra = Utterance(self.name, say) if say else None
                    action = dialogue.finish(self, percept, active, extra) or action
            elif active is None and action is None and reasons & {Reason.START, Reason.ACTION_DONE}:
                action = planning.next_action(self, now, percept.step)
            if Reason.PERCEIVED in reasons and active is None and not end:
                talk_to, waiting = reacting.react(self, percept)
                action = waiting or action
                if talk_to:
                    notes.append(f"wants to talk with {talk_to}")
            idle = active is None and Reason.CONVERSATION_TURN not in reasons
            if idle and reflection.maybe_reflect(self, now, percept.step):
                notes.append("reflected")
            if action is not None:
                self.state.action = action
            return Decision(
                action=action, talk_to=talk_to, say=say, end_conversation=end,
                replies=replies, fallbacks=self.caller.take_fallbacks(), notes=tuple(notes),
            )  # fmt: skip

    def interim(self, percept: Percept) -> Action | None:
        """While a decision is thought out, the persona's routine for this hour (no model)."""
        return routine_action(self.persona, percept.time_iso, percept.step)

    def _user(self, percept: Percept, now: datetime) -> tuple[tuple[int, str], ...]:
        whispers = [m.text for m in percept.user_messages if m.kind is MessageKind.WHISPER]
        if whispers:
            interview.whisper(self, whispers, now, percept.step)
        return tuple(
            (m.message_id, interview.interview(self, m.text, now, percept.step))
            for m in percept.user_messages
            if m.kind is MessageKind.CHAT
        )

    # -- direct user access (CLI: interview, load-history) -----------------------------------------
    def interview(self, text: str, time_iso: str | None = None) -> str:
        """Answer the user's question in character (stores the exchange as a chat memory)."""
        with self._lock:
            now, step = self._clock(time_iso)
            return interview.interview(self, text, now, step)

    def whisper(self, text: str, time_iso: str | None = None) -> None:
        """Plant one thought in the agent's memory."""
        with self._lock:
            now, step = self._clock(time_iso)
            interview.whisper(self, [text], now, step)

    def load_history(
        self, statements: list[str] | tuple[str, ...], time_iso: str | None = None
    ) -> int:
        """Plant a history file's statements as thoughts; returns how many were stored."""
        with self._lock:
            now, step = self._clock(time_iso)
            return len(interview.whisper(self, list(statements), now, step))

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
                "schedule": planning.schedule_view(self, now),
                "memories": memories,
                "reflections": reflections,
                "relationships": dict(sorted(self.state.relationships.items())),
                "plan": list(plan.day_plan) if plan else [],
                "action": action.description if action else "",
            }
