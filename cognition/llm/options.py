"""An optional capability of a model: the probability of each offered option as its answer.

A model that `OptionScorer`s reads its next-token probabilities after the prompt, in one pass:
nothing is generated, so a small model cannot "walk" a listing or copy an example. Each option
is known by its first token (for several tokenisations: "5" and " 5"); the probabilities of the
options' tokens are summed per option and renormalised over the options. `OptionProbs.mass` is
how much of the whole next-token distribution the options held before renormalising (a model
that would answer something else entirely gives a small mass).

Options whose first tokens coincide ("1" and "10") cannot be told apart this way: offer options
that differ in their first token (digits 0-9, distinct words). `option_scorer` finds the scorer
behind wrappers (`AccountedModel`); a model without the capability gives None and the caller
uses something else (a generated answer, or a transparent rule).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from cognition.llm.base import Request


@dataclass(frozen=True, slots=True)
class OptionProbs:
    """Probabilities of the offered options (summing to 1) and the mass they held."""

    options: tuple[str, ...]
    probs: tuple[float, ...]
    mass: float
    prompt_tokens: int = 0
    cached_tokens: int = 0
    latency_s: float = 0.0

    def best(self) -> str:
        return self.options[max(range(len(self.probs)), key=self.probs.__getitem__)]

    def expected(self, values: Sequence[float]) -> float:
        """The expected value of `values` (one per option) under the probabilities."""
        return sum(p * v for p, v in zip(self.probs, values, strict=True))


@runtime_checkable
class OptionScorer(Protocol):
    """A model that can say how likely each option is as the first token of its answer."""

    def option_probs(self, request: Request, options: Sequence[str]) -> OptionProbs:
        """Probabilities of `options` as the answer to `request`; `ModelError` on failure."""
        ...


def option_scorer(model: Any) -> OptionScorer | None:
    """The model itself when it scores options (and says it can: `scores_options`), else None.

    Wrappers (`AccountedModel`) expose `option_probs` and a `scores_options` that asks the
    model they wrap.
    """
    if model is None or not isinstance(model, OptionScorer):
        return None
    return model if getattr(model, "scores_options", True) else None


def first_token_ids(options: Sequence[str], tokenize: Callable[[str], list[int]]) -> list[set[int]]:
    """For each option, the ids its answer could start with: the first token of the option as
    written and with a leading space (a pure-space token is skipped)."""
    out = []
    for option in options:
        ids: set[int] = set()
        for text in (option, " " + option):
            tokens = tokenize(text)
            if tokens:
                ids.add(int(tokens[0]))
        out.append(ids)
    return out


def probs_from_logits(logits: Any, ids_per_option: list[set[int]]) -> tuple[list[float], float]:
    """(renormalised option probabilities, their mass in the full softmax) from one logits row.

    An id claimed by several options is shared equally among them.
    """
    import numpy as np

    row = np.asarray(logits, dtype=np.float64)
    top = float(row.max())
    log_z = top + math.log(float(np.exp(row - top).sum()))
    claims: dict[int, int] = {}
    for ids in ids_per_option:
        for i in ids:
            claims[i] = claims.get(i, 0) + 1
    raw = [sum(math.exp(float(row[i]) - log_z) / claims[i] for i in ids) for ids in ids_per_option]
    return normalised(raw)


def probs_from_top_logprobs(
    top: Sequence[tuple[str, float]], options: Sequence[str]
) -> tuple[list[float], float]:
    """The same from a server's top log-probabilities of the first answer token: a token counts
    for each option that starts with it (stripped), shared equally."""
    raw = [0.0] * len(options)
    for token, logprob in top:
        text = token.strip()
        if not text:
            continue
        owners = [i for i, o in enumerate(options) if o.strip().startswith(text)]
        for i in owners:
            raw[i] += math.exp(logprob) / len(owners)
    return normalised(raw)


def normalised(raw: list[float]) -> tuple[list[float], float]:
    mass = sum(raw)
    if mass <= 0 or not math.isfinite(mass):
        raise ValueError("no probability on any option")
    return [r / mass for r in raw], mass
