"""How the window marks who made what it shows (`engine.provenance`): a coloured dot and a word
beside an action, a tag in front of a chat answer. Green: the model's own words or choice;
amber: the model's answer repaired by code; grey: a rule (routine, template, fallback, a call
never made) — the rule's name is shown, so "rule: interim" and "rule: fallback.interview" read
differently. Records from before provenance was kept show nothing."""

from __future__ import annotations

from typing import Any

from engine.provenance import UNKNOWN, Provenance, Source

MODEL_COLOR = (150, 214, 140)
REPAIRED_COLOR = (238, 190, 110)
RULE_COLOR = (170, 160, 160)


def provenance(value: Any) -> Provenance:
    """A provenance from a record's value (a `Provenance`, or `[source, via]` from a log)."""
    if isinstance(value, Provenance):
        return value
    try:
        return Provenance.from_state(value)
    except ValueError:
        return UNKNOWN


def mark(by: Provenance) -> tuple[str, tuple[int, int, int]] | None:
    """(words, colour) for `by`; None when it is not known."""
    if by == UNKNOWN:
        return None
    if by.source is Source.MODEL_TEXT:
        return "model", MODEL_COLOR
    if by.source is Source.MODEL_CHOICE:
        return "model's choice", MODEL_COLOR
    if by.source is Source.MODEL_REPAIRED:
        return "model, repaired", REPAIRED_COLOR
    return f"rule: {by.via}" if by.via else "rule", RULE_COLOR


def tag(by: Provenance | None) -> str:
    """A short tag for a chat line ("[model] ", "[rule: fallback.interview] "; "" if unknown)."""
    shown = mark(by) if by is not None else None
    return f"[{shown[0]}] " if shown else ""
