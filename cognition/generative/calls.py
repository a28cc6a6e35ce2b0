"""How the mind talks to the model: one `Caller` per mind that stamps every request.

Each request carries the agent, purpose and versioned prompt id, a completion budget from the
settings and a seed derived from (factory seed, agent, step, purpose) with blake2b, so runs are
reproducible and never depend on global randomness. `Caller` also counts the fallbacks it had to
use, which `GenerativeMind.decide` reports in `Decision.fallbacks`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from cognition.generative.prompts.base import Template
from cognition.generative.settings import GenerativeSettings
from cognition.llm import structured
from cognition.llm.accounting import CallStats
from cognition.llm.base import LanguageModel, Request

T = TypeVar("T")


def call_seed(factory_seed: int, agent: str, step: int, purpose: str) -> int:
    """A 31-bit seed that depends only on its inputs (blake2b, not the salted `hash`)."""
    key = f"{factory_seed}|{agent}|{step}|{purpose}".encode()
    digest = hashlib.blake2b(key, digest_size=8).digest()
    return int.from_bytes(digest, "little") % 2**31


class Caller:
    """Sends templated requests for one agent and tracks how many ended in a fallback."""

    def __init__(
        self,
        model: LanguageModel,
        agent: str,
        factory_seed: int,
        settings: GenerativeSettings,
        stats: CallStats | None = None,
        counts: dict[str, list[int]] | None = None,
    ) -> None:
        self.model = model
        self.agent = agent
        self.factory_seed = factory_seed
        self.settings = settings
        self.stats = stats
        self.fallbacks = 0
        # prompt id -> [answers parsed, answers copying the example, fallbacks, calls]; saved
        # with the mind's state so `simulacra analyze` can report example-copy and fallbacks.
        self.counts: dict[str, list[int]] = counts if counts is not None else {}

    def request(self, template: Template, prompt: str, step: int) -> Request:
        """The request for `template` filled with `prompt` at simulation step `step`."""
        return Request(
            prompt=prompt,
            purpose=template.purpose,
            prompt_id=template.prompt_id,
            agent=self.agent,
            schema=template.schema,
            system=template.system,
            max_tokens=self.settings.tokens_for(template.purpose),
            temperature=self.settings.temperature,
            seed=call_seed(self.factory_seed, self.agent, step, template.purpose),
            step=step,
        )

    def ask(
        self,
        template: Template,
        step: int,
        fallback: Callable[[], T],
        schema: dict[str, Any] | None = None,
        parse: Callable[[Any], Any] | None = None,
        retries: int = 1,
        seed_key: str = "",
        **fields: Any,
    ) -> tuple[T, bool]:
        """Ask a structured question; return (value, ok). `ok` is False when the fallback answered.

        `schema`/`parse` override the template's for calls whose shape depends on the situation
        (the place enum, the number of items to score); `retries` how many invalid answers are
        asked again before the fallback; `seed_key` (the question asked) makes calls of one
        purpose at one step draw different seeds.
        """
        prompt = template.render(**fields)
        request = self.request(template, prompt, step)
        if schema is not None:
            request = _with_schema(request, schema)
        if seed_key:
            from dataclasses import replace as replaced

            request = replaced(request, seed=call_seed(
                self.factory_seed, self.agent, step, f"{template.purpose}|{seed_key}"))
        if template.keep_after:
            from dataclasses import replace

            request = replace(request, keep=template.kept_chars(**fields))
        used_fallback = False

        def _fallback() -> T:
            nonlocal used_fallback
            used_fallback = True
            return fallback()

        parser = parse or template.parse
        row = self.counts.setdefault(template.prompt_id, [0, 0, 0, 0])
        while len(row) < 4:
            row.append(0)
        row[3] += 1

        def _parse(raw: Any) -> Any:
            row[0] += 1
            row[1] += template.copies(raw)
            return parser(raw)

        value = structured.ask(self.model, request, _parse, _fallback, self.stats, retries=retries)
        if used_fallback:
            self.fallbacks += 1
            row[2] += 1
        return value, not used_fallback

    def take_fallbacks(self) -> int:
        """Fallbacks counted since the last call, and reset the counter."""
        count, self.fallbacks = self.fallbacks, 0
        return count


def _with_schema(request: Request, schema: dict[str, Any]) -> Request:
    from dataclasses import replace

    return replace(request, schema=schema)
