"""Who made an output: the model's own text, its choice among offered options, its text repaired,
or a rule.

Every output a viewer sees or an analysis counts (an action, a place, a plan item, a dialogue
line, a chat answer, a memory's importance, a reflection) carries one `Provenance`, so that
`analyze` and the window can tell what the language model contributed from what structure
(routine, template, fallback, a call never made) wrote. The engine only carries these values; the
minds fill them in.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


class Source(enum.StrEnum):
    """Who decided or wrote an output."""

    MODEL_TEXT = "model"  # the model's own words, used as written (after checks)
    MODEL_CHOICE = "choice"  # the model chose among options the prompt offered
    MODEL_REPAIRED = "repaired"  # the model's answer, changed by code before use
    RULE = "rule"  # code made it: routine, template, fallback, or a call never made

    @property
    def by_model(self) -> bool:
        """Whether the model made the decision (its text, its choice or its repaired answer)."""
        return self is not Source.RULE


@dataclass(frozen=True, slots=True)
class Provenance:
    """Who made an output, and with what: the prompt's name (`dialogue.turn.v5`) for a model
    output, the rule's name (`routine`, `fallback.sleep`, `skipped.decompose`) for a rule's."""

    source: Source
    via: str = ""

    @property
    def by_model(self) -> bool:
        return self.source.by_model

    def to_state(self) -> list[str]:
        return [self.source.value, self.via]

    @classmethod
    def from_state(cls, state: Any) -> Provenance:
        """From `[source, via]`; anything else is a ValueError naming what is wrong."""
        if not isinstance(state, list | tuple) or len(state) != 2:
            raise ValueError("a provenance must be [source, via]")
        source, via = state
        if not isinstance(via, str) or len(via) > 200:
            raise ValueError("a provenance's 'via' must be a short string")
        try:
            return cls(Source(source), via)
        except ValueError:
            raise ValueError(f"unknown provenance source {str(source)[:40]!r}") from None

    @classmethod
    def read(cls, state: Any) -> Provenance:
        """A saved or logged provenance; UNKNOWN where none was kept (None: written before
        provenance was). One shared value per distinct pair, so a stream of memories or log
        lines holds few objects. Anything malformed is a ValueError naming what is wrong."""
        if state is None:
            return UNKNOWN
        if isinstance(state, list | tuple) and len(state) == 2 and all(
                isinstance(s, str) for s in state):
            return _shared(state[0], state[1])
        return cls.from_state(state)

    def __str__(self) -> str:
        return f"{self.source.value}:{self.via}" if self.via else self.source.value


@lru_cache(maxsize=1024)
def _shared(source: str, via: str) -> Provenance:
    return Provenance.from_state([source, via])


def rule(via: str) -> Provenance:
    return Provenance(Source.RULE, via)


def model_text(via: str) -> Provenance:
    return Provenance(Source.MODEL_TEXT, via)


def model_choice(via: str) -> Provenance:
    return Provenance(Source.MODEL_CHOICE, via)


def repaired(via: str) -> Provenance:
    return Provenance(Source.MODEL_REPAIRED, via)


UNKNOWN = rule("unknown")  # records and memories written before provenance was kept
