"""`GenerativeMindFactory`: builds fresh and restored generative minds (kind "generative")."""

from __future__ import annotations

from typing import Any

from cognition.generative.locations import SpatialMemory
from cognition.generative.mind import GenerativeMind
from cognition.generative.settings import GenerativeSettings
from cognition.generative.state import MindState
from cognition.llm.accounting import CallStats
from cognition.llm.base import Embedder, LanguageModel
from cognition.memory.stream import MemoryStream
from engine.agent_api import Persona


class GenerativeMindFactory:
    """Makes `GenerativeMind`s sharing one model, embedder and (optional) Chroma client.

    Each mind gets its own memory stream and, with `chroma_client`, its own collection in that
    client. `stats` (optional) counts structured-call outcomes across all minds.
    """

    kind = "generative"

    def __init__(
        self,
        model: LanguageModel,
        embedder: Embedder,
        *,
        seed: int,
        chroma_client: Any = None,
        settings: GenerativeSettings | None = None,
        stats: CallStats | None = None,
    ) -> None:
        self.model = model
        self.embedder = embedder
        self.seed = seed
        self.chroma_client = chroma_client
        self.settings = settings or GenerativeSettings()
        self.stats = stats

    def _index(self, persona: Persona) -> Any:
        if self.chroma_client is None:
            return None
        from cognition.memory.chroma_index import ChromaIndex

        return ChromaIndex(self.chroma_client, persona.name)

    def create(self, persona: Persona) -> GenerativeMind:
        """A fresh mind with an empty memory stream and the persona's known places."""
        memory = MemoryStream(
            persona.name, self.embedder, self._index(persona),
            weights=self.settings.weights, decay=persona.recency_decay,
        )  # fmt: skip
        return GenerativeMind(
            persona, self.model, memory, seed=self.seed, settings=self.settings, stats=self.stats
        )

    def restore(self, persona: Persona, state: dict[str, Any]) -> GenerativeMind:
        """The mind whose `to_state()` produced `state` (the Chroma index is rebuilt)."""
        if state.get("kind", "generative") != "generative":
            raise ValueError(f"not a generative mind state: kind {state.get('kind')!r}")
        memory = MemoryStream.from_state(
            persona.name, state["memory"], self.embedder, self._index(persona),
            weights=self.settings.weights, decay=persona.recency_decay,
        )  # fmt: skip
        return GenerativeMind(
            persona, self.model, memory, seed=self.seed, settings=self.settings,
            spatial=SpatialMemory.from_state(state["spatial"]),
            state=MindState.from_state(state["mind"]), stats=self.stats,
        )  # fmt: skip
