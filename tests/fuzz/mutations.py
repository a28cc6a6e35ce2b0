"""Hypothesis strategies that derive broken inputs from valid files, so the fuzzers reach the
code behind the first parse: JSON documents with one value replaced or a key dropped, XML with an
attribute changed, and raw bytes flipped, inserted or cut; plus the shared checks every fuzzer
applies (one named error or success; nothing written outside the save).

CI replays the same examples every run (`derandomize`); set `SIMULACRA_FUZZ_RANDOM=1` to explore
with fresh random examples."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st

from engine.errors import UserError

# derandomize: CI runs the same 1,000 examples each time (exploration runs drop it).
FUZZ = settings(max_examples=1000, deadline=None, database=None, print_blob=True,
                derandomize=os.environ.get("SIMULACRA_FUZZ_RANDOM") is None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

INTERESTING_TEXT = ["", " ", "0", "-1", "1e309", "NaN", "../../outside", "/etc/passwd", "a:b:c",
                    "\x00", "\ufeff", "é", "💥", "x" * 300, "00:00", "25:61",
                    "2023-02-13T07:00:00", "true", "null", "[]", "{}", "the Ville:Hobbs Cafe:cafe"]
INTERESTING_INTS = [0, -1, 1, 2, 7, 255, 10**6, 10**12, 2**63, -(2**63) - 1]

json_scalars = st.one_of(
    st.none(), st.booleans(), st.sampled_from(INTERESTING_INTS), st.integers(),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(INTERESTING_TEXT),
    st.text(max_size=20),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every location (a tuple of keys and indices) inside a JSON document."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value[:6]):
            found += _paths(child, prefix + (index,))
    return found


def _replace(document: Any, where: tuple, new: Any, delete: bool) -> Any:
    if not where:
        return new
    head, rest = where[0], where[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if delete and not rest:
            copy.pop(head, None)
        else:
            copy[head] = _replace(copy[head], rest, new, delete)
        return copy
    copy = list(document)
    if delete and not rest:
        del copy[head]
    else:
        copy[head] = _replace(copy[head], rest, new, delete)
    return copy


@st.composite
def mutated_json(draw, document: Any, edits: int = 3) -> Any:
    """`document` with 1..edits values replaced, keys dropped or lists emptied."""
    for _ in range(draw(st.integers(1, edits))):
        where = draw(st.sampled_from(_paths(document)))
        delete = bool(where) and draw(st.booleans()) and draw(st.booleans())
        document = _replace(document, where, draw(json_values), delete)
    return document


@st.composite
def mutated_bytes(draw, data: bytes, edits: int = 4) -> bytes:
    """`data` with a few bytes flipped, inserted or cut, or a cut at some length."""
    tokens = [b'"', b"<", b">", b"/", b",", b";", b"\n", b"\x00", b"\xff", b"{", b"}", b"0",
              b"-1", b"99999999", b"&", b"]]>", b"\r\n", b"\xef\xbb\xbf"]
    for _ in range(draw(st.integers(1, edits))):
        if not data:
            data = draw(st.binary(max_size=16))
            continue
        at = draw(st.integers(0, len(data) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "cut", "truncate"]))
        if kind == "flip":
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif kind == "insert":
            piece = draw(st.one_of(st.sampled_from(tokens), st.binary(max_size=8)))
            data = data[:at] + piece + data[at:]
        elif kind == "cut":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        else:
            data = data[:at]
    return data


_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')
ATTRIBUTE_VALUES = [b"0", b"-1", b"-32", b"1e9", b"nan", b"inf", b"", b"abc", b"99999",
                    b"3.5", b"../../secret.png", b"/etc/passwd", b"true", b"Sectors", b"a:b"]


@st.composite
def mutated_xml(draw, data: bytes) -> bytes:
    """XML with some attribute values replaced, then sometimes a byte-level edit on top."""
    spans = [m.span(2) for m in _ATTRIBUTE.finditer(data)]
    for _ in range(draw(st.integers(1, 3))):
        start, end = draw(st.sampled_from(spans))
        value = draw(st.one_of(st.sampled_from(ATTRIBUTE_VALUES),
                               st.text(max_size=6).map(lambda t: t.encode("utf-8"))))
        value = value.replace(b'"', b"'")
        data = data[:start] + value + data[end:]
        spans = [m.span(2) for m in _ATTRIBUTE.finditer(data)]
    if draw(st.booleans()) and draw(st.booleans()):
        data = draw(mutated_bytes(data, edits=2))
    return data


def dumps(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, allow_nan=True).encode("utf-8")


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """(size, mtime_ns) of every entry under root: detects any file written or removed."""
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            found[os.path.relpath(path, root)] = (info.st_size, info.st_mtime_ns)
    return found


def expect_user_error_or_success(call) -> Any:
    """Run `call`; a UserError must be one named line. Anything else escaping fails the test."""
    try:
        result = call()
    except UserError as exc:
        message = str(exc)
        assert message.strip() and "\n" not in message.strip(), repr(message)
        event("refused: " + _gist(message))
        return exc
    event("accepted")
    return result


def _gist(message: str) -> str:
    """The kind of a refusal, without its varying details (for hypothesis statistics)."""
    words = re.sub(r"'[^']*'|\([^)]*\)|/\S+|\d+", "_", message).split()
    return " ".join(words[:8])
