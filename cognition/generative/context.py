"""`MindContext`: what a behaviour module of the generative mind may touch, and nothing more.

Perception, planning, reacting, dialogue, reflection and the user's side each receive this small
value (persona, memory stream, spatial memory, short-term state, settings, caller) instead of the
whole `GenerativeMind`, so they never depend on the mind's dispatch or locking and never import
it back. The references are fixed; what they point to (memory, state) changes as the agent lives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cognition.generative.calls import Caller
from cognition.generative.locations import SpatialMemory
from cognition.generative.settings import GenerativeSettings
from cognition.generative.state import MindState
from cognition.memory.stream import MemoryStream
from engine.agent_api import Persona
from engine.provenance import Provenance


@dataclass
class Made:
    """The tally of the kinds `cognition.generative.made` lists (`counts`: kind ->
    "source:via" -> n, the dict `MindState.made` saves)."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def note(self, kind: str, by: Provenance, n: int = 1) -> Provenance:
        """Count `n` outputs of `kind` made as `by`; returns `by`."""
        if n > 0:
            row = self.counts.setdefault(kind, {})
            row[str(by)] = row.get(str(by), 0) + n
        return by


@dataclass(frozen=True, slots=True)
class MindContext:
    """One agent's persona, memory, spatial memory, state, settings and model caller."""

    persona: Persona
    memory: MemoryStream
    spatial: SpatialMemory
    state: MindState
    settings: GenerativeSettings
    caller: Caller
    made: Made = field(default_factory=Made)  # who made the latest line / reply; the tally

    @property
    def name(self) -> str:
        return self.persona.name

    def identity(self) -> str:
        """The identity block for prompts (name, age, traits, currently, lifestyle); "currently"
        is the day's revised one once the agent has lived through a night."""
        text = self.persona.identity_text()
        if self.state.currently:
            old = f"Currently: {self.persona.currently}"
            text = text.replace(old, f"Currently: {self.state.currently}")
        return text
