"""Ports to language models and embedders, and the values that cross them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import numpy as np


@dataclass(frozen=True, slots=True)
class Request:
    """One model call.

    `schema` is a JSON schema the answer must match (turned into a grammar on llama.cpp and into
    `response_format` on OpenAI-compatible servers); None asks for free text. `purpose` names the
    cognitive function ("plan.hourly", "dialogue.turn") and `prompt_id` the versioned template, so
    accounting and the routed fake model can key on them.
    """

    prompt: str
    purpose: str
    prompt_id: str
    agent: str = ""
    schema: dict[str, Any] | None = None
    system: str = ""
    max_tokens: int = 256
    temperature: float = 0.0
    seed: int = 0
    stop: tuple[str, ...] = ()
    step: int = 0  # simulation step the call is made for; accounting only
    keep: int = 0  # leading prompt characters this agent's next prompt likely starts with


def approx_tokens(text: str) -> int:
    """A rough token count (about four characters a token) for backends that report none."""
    return len(text) // 4 + 1


@dataclass(frozen=True, slots=True)
class Completion:
    """A model's answer with the counts accounting needs.

    `cached_tokens`: how many of the `prompt_tokens` were not evaluated because an earlier
    call's evaluated prefix was reused (prefix caching); 0 when unknown.
    """

    text: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    cached_tokens: int = 0


class ModelError(RuntimeError):
    """The model could not answer (crash, timeout, unreachable server)."""


class CapabilityMissing(ModelError):
    """The model cannot do what an optional capability asks (a server that gives no
    log-probabilities): not a failed call, so it is not counted as one."""


@runtime_checkable
class LanguageModel(Protocol):
    """Anything that completes a request. Implementations must be safe to call from threads."""

    name: str

    def complete(self, request: Request) -> Completion:
        """Answer one request or raise `ModelError`."""
        ...


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit-length vectors of a fixed dimension."""

    name: str
    dimension: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return a float32 array of shape (len(texts), dimension), rows L2-normalised."""
        ...
