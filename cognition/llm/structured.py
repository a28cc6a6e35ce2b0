"""The one path every structured decision takes: ask, extract JSON, parse, retry once, fall back.

`ask` never raises for model problems. A `ModelError` (crash, timeout, unreachable server) goes
straight to the fallback, because a different seed will not bring a server back. Output that is
not JSON, or that the parser rejects with `ValueError`, is retried once with a derived seed (and a
temperature of at least `RETRY_TEMPERATURE`, since greedy decoding ignores the seed); if the retry
fails too the fallback answers. Every outcome is counted in `CallStats`.

A parser is a pure function `parse(json_value) -> T` that validates, may repair (returning
`Repaired(value)` to say so) and raises `ValueError` when it cannot make sense of the value.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from cognition.llm.accounting import CallStats
from cognition.llm.base import LanguageModel, ModelError, Request
from cognition.llm.schema import array_of, check_schema, integer_range, object_schema, string_enum

__all__ = [
    "Repaired",
    "array_of",
    "ask",
    "check_schema",
    "clean_text",
    "extract_json",
    "free_text",
    "integer_range",
    "object_schema",
    "retry_request",
    "string_enum",
]

T = TypeVar("T")

RETRY_TEMPERATURE = 0.7
_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*\n?(.*?)(?:```|$)", re.DOTALL)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
# Exceptions a parser may raise on a malformed value; all mean "invalid output".
_INVALID = (ValueError, TypeError, KeyError, IndexError, AttributeError)


@dataclass(frozen=True, slots=True)
class Repaired(Generic[T]):
    """Returned by a parser that had to fix the value; `ask` unwraps it and counts a repair."""

    value: T


@dataclass(slots=True)
class _Scan:
    """Where a bracket group starting at some index ends, or how it was cut off."""

    end: int | None = None  # index just past the closing bracket
    closers: str = ""  # what would close the group at the end of the text
    in_string: bool = False  # the text ends inside a string
    last_comma: int | None = None  # index of the last top-level-of-its-group comma
    comma_closers: str = ""  # what would close the group right before that comma


def _scan(text: str, start: int) -> _Scan | None:
    """Follow the bracket group opening at `start`; None if brackets mismatch."""
    pairs = {"{": "}", "[": "]"}
    stack: list[str] = []
    scan = _Scan()
    escaped = False
    for i in range(start, len(text)):
        ch = text[i]
        if scan.in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                scan.in_string = False
        elif ch == '"':
            scan.in_string = True
        elif ch in pairs:
            stack.append(pairs[ch])
        elif ch in "}]":
            if not stack or stack.pop() != ch:
                return None
            if not stack:
                scan.end = i + 1
                return scan
        elif ch == ",":
            scan.last_comma, scan.comma_closers = i, "".join(reversed(stack))
    scan.closers = "".join(reversed(stack))
    return scan


def _loads(candidate: str) -> Any:
    try:
        return json.loads(candidate, strict=False)
    except json.JSONDecodeError:
        return json.loads(_TRAILING_COMMA.sub(r"\1", candidate), strict=False)


def _truncated(body: str, start: int, scan: _Scan) -> list[str]:
    """Ways to close a group the model was cut off in (max_tokens): close it where it stops,
    or drop the unfinished element after the last comma (tried first: a half-written task
    or enum value is worse than none)."""
    options = []
    if scan.last_comma is not None:
        options.append(body[start : scan.last_comma] + scan.comma_closers)
    options.append(body[start:].rstrip() + ('"' if scan.in_string else "") + scan.closers)
    return options


def extract_json(text: str) -> tuple[Any, bool]:
    """Find the JSON value in a model's answer; return (value, clean).

    `clean` is True when the whole answer was the JSON value. Otherwise code fences are stripped
    and the first balanced `{...}` or `[...]` that parses is taken (trailing commas and raw
    control characters in strings tolerated). An answer cut off by `max_tokens` is closed,
    dropping its unfinished last element. Raises `ValueError` when nothing parses.
    """
    stripped = text.strip()
    if not stripped:
        raise ValueError("empty answer")
    try:
        return json.loads(stripped, strict=False), True
    except json.JSONDecodeError:
        pass
    fenced = _FENCE.search(stripped)
    bodies = [fenced.group(1), stripped] if fenced else [stripped]
    cut_off: list[str] = []
    for body in bodies:
        for start, ch in enumerate(body):
            if ch not in "{[":
                continue
            scan = _scan(body, start)
            if scan is None:
                continue
            if scan.end is None:
                if not cut_off:
                    cut_off = _truncated(body, start, scan)
                continue
            try:
                return _loads(body[start : scan.end]), False
            except json.JSONDecodeError:
                continue
    for candidate in cut_off:
        try:
            return _loads(candidate), False
        except json.JSONDecodeError:
            continue
    raise ValueError("no JSON value in answer")


def retry_request(request: Request) -> Request:
    """The request to send after an invalid answer: a derived seed, some temperature."""
    seed = (request.seed * 1_000_003 + 7_919) % 2**31
    return dataclasses.replace(
        request, seed=seed, temperature=max(request.temperature, RETRY_TEMPERATURE)
    )


def ask(
    model: LanguageModel,
    request: Request,
    parse: Callable[[Any], T | Repaired[T]],
    fallback: Callable[[], T],
    stats: CallStats | None = None,
    *,
    retries: int = 1,
) -> T:
    """Ask `model`, parse the JSON answer, retry at most `retries` times, else `fallback()`."""
    attempt = request
    for tries in range(retries + 1):
        try:
            completion = model.complete(attempt)
        except ModelError:
            _count(stats, "model_error", request)
            return fallback()
        try:
            value, clean = extract_json(completion.text)
            result = parse(value)
        except _INVALID:
            attempt = retry_request(attempt)
            continue
        repaired = isinstance(result, Repaired)
        outcome = "repaired" if repaired or not clean or tries > 0 else "ok"
        _count(stats, outcome, request)
        return result.value if repaired else result
    _count(stats, "fallback", request)
    return fallback()


def clean_text(text: str, max_chars: int | None = None) -> str:
    """A free-text answer without code fences, wrapping quotes or surrounding blank space."""
    out = text.strip()
    fenced = _FENCE.search(out)
    if fenced and out.startswith("```"):
        out = fenced.group(1).strip()
    if len(out) >= 2 and out[0] == out[-1] and out[0] in "\"'":
        out = out[1:-1].strip()
    out = "\n".join(line.rstrip() for line in out.splitlines()).strip()
    if max_chars is not None and len(out) > max_chars:
        cut = out[:max_chars]
        out = cut.rsplit(" ", 1)[0] if " " in cut else cut
    return out


def free_text(
    model: LanguageModel,
    request: Request,
    fallback: str | Callable[[], str],
    stats: CallStats | None = None,
    *,
    max_chars: int | None = None,
) -> str:
    """An unconstrained answer, cleaned; the fallback when the model fails or says nothing."""
    try:
        text = clean_text(model.complete(request).text, max_chars)
    except ModelError:
        _count(stats, "model_error", request)
        return fallback() if callable(fallback) else fallback
    if not text:
        _count(stats, "fallback", request)
        return fallback() if callable(fallback) else fallback
    _count(stats, "ok", request)
    return text


def _count(stats: CallStats | None, outcome: str, request: Request) -> None:
    if stats is not None:
        stats.count(outcome, request.purpose)
