"""How the mind talks to the model: one `Caller` per mind that stamps every request.

Each request carries the agent, purpose and versioned prompt id, a completion budget from the
settings and a seed derived from (factory seed, agent, step, purpose) with blake2b, so runs are
reproducible and never depend on global randomness. `Caller` also counts the fallbacks it had to
use, which `GenerativeMind.decide` reports in `Decision.fallbacks`, and says who made the
answer of its latest call (`made`: the model's text or choice, repaired, or the fallback rule).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any, TypeVar

from cognition.generative.prompts.base import Template
from cognition.generative.settings import GenerativeSettings
from cognition.llm import structured
from cognition.llm.accounting import CallStats
from cognition.llm.base import LanguageModel, ModelError, Request
from cognition.llm.options import option_scorer
from cognition.llm.schema import object_schema, string_enum
from cognition.llm.structured import Repaired
from engine.provenance import Provenance, model_choice, model_text, repaired, rule

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
        self.last_outcome = "fallback"  # of the latest `ask`: "ok", "repaired" or "fallback"
        self.last_template: Template | None = None

    def made(self, template: Template | None = None, choice: bool = False) -> Provenance:
        """Who made the answer of the latest `ask` (of `template`, when given: another
        template's latest call is not this one's): the model's text (`choice`: its choice
        among the options the prompt offered), its answer repaired by the parser, or the
        fallback rule `fallback.<purpose>`."""
        asked = self.last_template
        if asked is None or (template is not None and template.prompt_id != asked.prompt_id):
            return rule(f"fallback.{template.purpose if template is not None else 'none'}")
        if self.last_outcome == "ok":
            return (model_choice if choice else model_text)(asked.prompt_id)
        if self.last_outcome == "repaired":
            return repaired(asked.prompt_id)
        return rule(f"fallback.{asked.purpose}")

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

        fixed = [False]

        def _parse(raw: Any) -> Any:
            row[0] += 1
            row[1] += template.copies(raw)
            result = parser(raw)
            fixed[0] = isinstance(result, Repaired)
            return result

        value = structured.ask(self.model, request, _parse, _fallback, self.stats, retries=retries)
        self.last_template = template
        self.last_outcome = "fallback" if used_fallback else "repaired" if fixed[0] else "ok"
        if used_fallback:
            self.fallbacks += 1
            row[2] += 1
        return value, not used_fallback

    def choose(
        self, template: Template, step: int, options: tuple[str, ...], fallback: str, **fields: Any
    ) -> tuple[str, Provenance]:
        """The model's choice among `options` (single words with distinct first tokens) and its
        provenance. A model that scores options (`cognition.llm.options`) chooses in one pass
        (the most probable option; nothing generated); any other answers a one-key JSON object
        whose value the schema limits to the options. A failure takes `fallback`, marked as a
        rule (`fallback.<purpose>`) and counted."""
        scorer = option_scorer(self.model)
        if scorer is None:
            schema = object_schema({"answer": string_enum(options)})

            def parse(value: Any) -> str:
                answer = value.get("answer") if isinstance(value, dict) else value
                if not isinstance(answer, str) or answer.strip().lower() not in options:
                    raise ValueError(f"not one of the options: {answer!r}")
                return answer.strip().lower()

            value, ok = self.ask(template, step, lambda: fallback, schema=schema, parse=parse,
                                 **fields)  # fmt: skip
            return (value, model_choice(template.prompt_id)) if ok else (value, _fallback(template))
        row = self.counts.setdefault(template.prompt_id, [0, 0, 0, 0])
        row[3] += 1
        try:
            answer = scorer.option_probs(self.request(template, template.render(**fields), step),
                                         options)  # fmt: skip
        except ModelError:
            row[2] += 1
            self.fallbacks += 1
            return fallback, _fallback(template)
        row[0] += 1
        return answer.best(), model_choice(template.prompt_id)

    def take_fallbacks(self) -> int:
        """Fallbacks counted since the last call, and reset the counter."""
        count, self.fallbacks = self.fallbacks, 0
        return count


def _fallback(template: Template) -> Provenance:
    return rule(f"fallback.{template.purpose}")


def _with_schema(request: Request, schema: dict[str, Any]) -> Request:
    from dataclasses import replace

    return replace(request, schema=schema)
