"""JSON from files we did not write: bounded numbers, no NaN or infinity, bounded nesting.

`loads(data)` is `json.loads` with the limits a save (or an imported folder, or a run-log line)
must keep: an integer has at most `MAX_INT_DIGITS` digits (Python refuses more than 4,300 with a
`ValueError`, long before which sizes and steps are nonsense), a float is finite, the words `NaN`
and `Infinity` are refused, and nesting deeper than Python's recursion limit (about 1,000 levels) is refused
(the parser's `RecursionError`). Any fault is a `JSONFault` (a `ValueError`) with a short reason,
for the caller to turn into one line naming its file.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_INT_DIGITS = 40


class JSONFault(ValueError):
    """The text is not JSON within the limits; `str()` says why in a few words."""


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JSONFault(f"an integer of {len(text)} digits (at most {MAX_INT_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JSONFault(f"the number {text[:30]} is out of range")
    return value


def _constant(text: str) -> Any:
    raise JSONFault(f"'{text}' where a number is expected (NaN and infinity are refused)")


def loads(data: str | bytes, strict: bool = True) -> Any:
    """Parse JSON within the limits above; `JSONFault` (or `json.JSONDecodeError`, also a
    ValueError, or UnicodeDecodeError) otherwise."""
    try:
        return json.loads(data, parse_int=_int, parse_float=_float, parse_constant=_constant,
                          strict=strict)
    except RecursionError:
        raise JSONFault("nested too deeply") from None
