"""The shape of a versioned prompt template and the small parsing helpers templates share.

A `Template` has an id ("plan.day.v1") that changes whenever its wording or schema changes, the
purpose it serves (for accounting and routing), the text with `{field}` slots, the JSON schema the
answer must match, and one pure `parse(value, **context)` function. Each template module also
defines one fallback function per template, used when the model fails or answers nonsense.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SYSTEM = "You are a helpful assistant. Answer with compact JSON only."
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Template:
    """A versioned prompt: id, purpose, text with `{slots}`, schema, parser and shown example.

    Keep the agent's fixed head (identity, situation) first and what changes call to call last:
    llama.cpp reuses the evaluated prefix of a prompt that starts the same way.
    """

    prompt_id: str
    purpose: str
    text: str
    schema: dict[str, Any] | None
    parse: Callable[..., Any]
    system: str = SYSTEM
    example: Any = None  # the JSON value the prompt shows as the answer's shape
    # The slot that ends the part of the prompt this agent's next call of the same kind starts
    # with (a conversation so far): the model keeps that much evaluated for the next turn.
    keep_after: str = ""
    # A template's own test for an answer that copies what its prompt shows, where equality
    # with `example` cannot tell (importance: answering in the order the prompt lists things).
    copied: Callable[[Any], bool] | None = None

    def render(self, **fields: Any) -> str:
        """The prompt with every slot filled."""
        return self.text.format(**fields)

    def kept_chars(self, **fields: Any) -> int:
        """How many leading characters of the rendered prompt end with `keep_after`'s slot
        (0 without one)."""
        if not self.keep_after:
            return 0
        slot = "{" + self.keep_after + "}"
        return len(self.text[: self.text.index(slot) + len(slot)].format(**fields))

    def copies(self, value: Any) -> bool:
        """Whether an answer copies what the prompt shows (`copied`, else `copies_example`)."""
        return self.copied(value) if self.copied else copies_example(value, self.example)


_CLAUSE = re.compile(r"[^,.;!?]+[,.;!?]*")
_JUNK = re.compile(r"[{}\[\]]|#\w+")


def drop_repeats(text: str) -> str:
    """Cut text at the first clause that repeats an earlier one.

    Small models fall into loops ("and I'm going to make a big party, and I'm going to make a
    big party, ..."); the first occurrence carries all the meaning.
    """
    seen: set[str] = set()
    kept: list[str] = []
    for part in _CLAUSE.findall(text):
        key = re.sub(r"\W+", " ", part).strip().lower()
        if key and key in seen:
            break
        if key:
            seen.add(key)
        kept.append(part)
    return "".join(kept).strip().rstrip(",;").strip()


def clean(text: Any, max_chars: int = 200) -> str:
    """A single-line, trimmed string of at most `max_chars` characters; raises on non-strings.

    Stray braces, hashtags and repeated clauses (a small model's loops) are removed.
    """
    if not isinstance(text, str):
        raise ValueError(f"expected a string, got {type(text).__name__}")  # noqa: TRY004 (parser contract)
    out = _SPACES.sub(" ", _JUNK.sub(" ", text)).strip().strip('"').strip()
    out = drop_repeats(out)
    if len(out) > max_chars:
        out = out[:max_chars].rsplit(" ", 1)[0] if " " in out[:max_chars] else out[:max_chars]
    return out


def as_int(value: Any) -> int:
    """An integer from an int, a float or a numeric string; raises `ValueError` otherwise."""
    if isinstance(value, bool):
        raise ValueError("boolean is not a number")  # noqa: TRY004 (parser contract)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return round(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+(\.\d+)?\s*", value):
        return round(float(value))
    raise ValueError(f"not an integer: {value!r}")


def clamp(value: int, low: int, high: int) -> int:
    """`value` limited to [low, high]."""
    return max(low, min(high, value))


def bullet_list(lines: list[str], empty: str = "(none)") -> str:
    """Lines as "- item" rows, or `empty` when there are none."""
    return "\n".join(f"- {line}" for line in lines) if lines else empty


def numbered_list(lines: list[str]) -> str:
    """Lines as "1. item" rows (1-based, as evidence indexes are)."""
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))


def leaves(value: Any) -> list[Any]:
    """Every scalar inside a JSON value, depth first."""
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in leaves(v)]
    if isinstance(value, list):
        return [leaf for v in value for leaf in leaves(v)]
    return [value]


def copies_example(value: Any, example: Any) -> bool:
    """Whether an answer copies the prompt's example: the same value, a placeholder such as
    "<activity>" copied verbatim, or any of the example's texts repeated."""
    if example is None:
        return False
    if value == example:
        return True
    shown = {v for v in leaves(example) if isinstance(v, str) and v not in COMMON_LEAVES}
    bare = {v.strip("<>").lower() for v in shown if v.startswith("<")}
    for leaf in leaves(value):
        if not isinstance(leaf, str):
            continue
        if leaf in shown or ("<" in leaf and ">" in leaf) or leaf.strip().lower() in bare:
            return True
    return False


COMMON_LEAVES = frozenset({"sleeping", ""})
