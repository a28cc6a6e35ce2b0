"""The random baseline: a model that answers every request validly and at random.

`RandomModel` (`--model random`) answers a structured request with a uniformly random value
that matches the request's JSON schema (an enum member, an integer in range, an array within
its item limits, a boolean), and writes every string, and every free-text answer, as a random
sentence taken from the prompt's own listed lines (its memories, "- item" and "1. item" rows).
It knows nothing and decides nothing, so whatever a run on it shows is what the architecture
and its rules make without a model: the control any claim about what a real model adds must
beat. It answers at engine speed.

Answers are deterministic: the choice depends only on the model's seed and the request (its
seed already derives from the run's seed, the agent, the step and the purpose), never on timing
or threads. Written here rather than taken from a library: schema-driven fakers (hypothesis-
jsonschema, jsf) draw strings from the schema, not from the prompt, and are not dependencies.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from typing import Any

from cognition.llm.base import Completion, Request, approx_tokens

RANDOM = "random"  # the `--model` value that picks this model
_LISTED = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.+?)\s*$")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_ARRAY_SPAN = 3  # items beyond minItems an array without maxItems may get
_INT_SPAN = 10  # an integer without bounds lies in [minimum, minimum + span]
_FILLER = "nothing comes to mind"


def listed_lines(prompt: str) -> list[str]:
    """The prompt's listed rows ("- a memory", "3. an event"), without their bullets."""
    rows = []
    for line in prompt.splitlines():
        match = _LISTED.match(line)
        if match and match.group(1).strip():
            rows.append(match.group(1).strip())
    return rows


def sentences(prompt: str) -> list[str]:
    """Every sentence of the prompt's listed rows; the prompt's non-empty lines when it lists
    none (a prompt with no memories)."""
    rows = listed_lines(prompt) or [line.strip() for line in prompt.splitlines() if line.strip()]
    out = []
    for row in rows:
        out.extend(part.strip() for part in _SENTENCE.findall(row) if len(part.strip()) > 1)
    return out


class RandomModel:
    """Answers each request with a seeded, uniformly random valid answer (see the module)."""

    name = RANDOM

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def rng(self, request: Request) -> random.Random:
        """The generator for one request: the model's seed and the request's identity."""
        key = f"{self.seed}|{request.seed}|{request.agent}|{request.step}|{request.prompt_id}"
        return random.Random(int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest()))

    def answer(self, request: Request) -> str:
        """The text `complete` returns for `request`."""
        rng = self.rng(request)
        pool = sentences(request.prompt)
        if request.schema is None:
            return _sentence(rng, pool)
        return json.dumps(random_value(request.schema, rng, pool))

    def complete(self, request: Request) -> Completion:
        text = self.answer(request)
        return Completion(
            text=text,
            prompt_tokens=approx_tokens(request.system + request.prompt),
            completion_tokens=approx_tokens(text),
            latency_s=0.0,
        )


def _sentence(rng: random.Random, pool: list[str]) -> str:
    return rng.choice(pool) if pool else _FILLER


def _string(schema: dict[str, Any], rng: random.Random, pool: list[str]) -> str:
    low = int(schema.get("minLength", 0))
    high = schema.get("maxLength")
    fitting = [s for s in pool if len(s) >= low and (high is None or len(s) <= high)]
    text = _sentence(rng, fitting or pool)
    while len(text) < low:
        text = f"{text} {_sentence(rng, pool)}"
    if high is not None and len(text) > high:
        cut = text[: int(high)]
        text = cut.rsplit(" ", 1)[0] if " " in cut and len(cut.rsplit(" ", 1)[0]) >= low else cut
    return text


def random_value(schema: dict[str, Any], rng: random.Random, pool: list[str]) -> Any:
    """A uniformly random value matching `schema` (the subset `cognition.llm.schema` builds);
    strings are sentences from `pool`."""
    if "enum" in schema:
        return rng.choice(list(schema["enum"]))
    kind = schema.get("type")
    if isinstance(kind, list):  # ["string", "null"]: one of the types
        kind = rng.choice(kind)
    if kind == "object":
        props = schema.get("properties", {})
        return {name: random_value(sub, rng, pool) for name, sub in props.items()}
    if kind == "array":
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", low + _ARRAY_SPAN))
        return [random_value(schema.get("items", {}), rng, pool)
                for _ in range(rng.randint(low, max(low, high)))]
    if kind == "integer":
        low = int(schema.get("minimum", 0))
        return rng.randint(low, int(schema.get("maximum", low + _INT_SPAN)))
    if kind == "number":
        low = float(schema.get("minimum", 0.0))
        return rng.uniform(low, float(schema.get("maximum", low + _INT_SPAN)))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return _string(schema, rng, pool)
