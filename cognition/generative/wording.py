"""Whether the loaded model writes a dialogue line itself, decided from what it shows.

Every chosen act has a template line. The model is asked to say it in its own words
(`dialogue.write.v1`) while it earns that: its first `WRITE_PROBE` answers are always asked for,
and after that only while at least `WRITE_PASS` of its answers passed `keeps_facts` (every name,
place, date and number of the template line kept, a question still a question, one or two
sentence more than the template at most, half its content words, no speaker label, not the
template, an earlier line or one of their sentences copied, no earlier line repeated). A model that fails is not asked again,
so a small model costs three calls per agent and says the template's words; a capable one
writes every line. The tally is kept in the mind state (`MindState.writing`: asked, passed), so
`analyze` and a reader of the save can see the check's outcome; each line's provenance says who
wrote it (`model_text("dialogue.write.v1")` or the act's).
"""

from __future__ import annotations

import re

from cognition.generative.actions import similar_lines
from cognition.generative.common import first_name
from cognition.generative.context import MindContext
from cognition.generative.prompts import social as prompts
from engine.provenance import Provenance, model_text

WRITE_PROBE = 3
WRITE_PASS = 2 / 3
MORE_SENTENCES = 1  # a written line may have one sentence more than the template's
CONTENT_SHARE = 1 / 2  # of the template's content words (their first four letters) kept
_CONTENT = re.compile(r"[a-z']{4,}")
_SENTENCE = re.compile(r"[^.!?]+[.!?]+")
_LABEL = re.compile(r"^\s*[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?\s*:")


def facts(line: str) -> set[str]:
    """Names, places, dates and numbers in a template line (capitalised words past a
    sentence's first word, and numbers), lower-cased."""
    out = set()
    for sentence in _SENTENCE.findall(line) or [line]:
        words = sentence.strip().split()
        out |= {w.strip(",.!?").lower() for w in words[1:] if w[:1].isupper() or w[:1].isdigit()}
    return out - {"i", "i'm", "i'd", "i've", "i'll"}


def _stems(text: str) -> set[str]:
    return {w[:4] for w in _CONTENT.findall(text.lower())}


def keeps_facts(written: str, line: str, earlier: tuple[str, ...] = ()) -> bool:
    """Whether `written` says `line` in other words (see the module docstring)."""
    low = written.lower()
    most = len(_SENTENCE.findall(line)) + MORE_SENTENCES
    if _LABEL.match(written) or len(_SENTENCE.findall(written)) > most:
        return False
    wanted = _stems(line)
    if wanted and len(wanted & _stems(written)) < CONTENT_SHARE * len(wanted):
        return False
    if any(similar_lines(written, old) for old in earlier):
        return False
    if "?" in line and "?" not in written:
        return False
    pieces = [line, *earlier] + [p.strip() for t in (line, *earlier) for p in _SENTENCE.findall(t)]
    if any(similar_lines(written, piece, 0.9) for piece in pieces):
        return False  # the template or a line (or one sentence of them) copied: not its own
    return all(fact in low for fact in facts(line)) and len(written.split()) >= 3


def worth_asking(ctx: MindContext) -> bool:
    asked, passed = ctx.state.writing
    return asked < WRITE_PROBE or passed >= WRITE_PASS * asked


def reword(ctx: MindContext, step: int, line: str, label: str, partner: str, lines: str,
           time: str, by: Provenance, earlier: tuple[str, ...] = ()) -> tuple[str, Provenance]:
    """`line` in the model's words when it has shown it can write, else `line` as it is."""
    if not line or not worth_asking(ctx):
        return line, by
    written, ok = ctx.caller.ask(
        prompts.WRITE, step, lambda: "", identity=ctx.identity(), time=time,
        first=first_name(ctx.name), other=partner, other_first=first_name(partner),
        lines=lines, label=label, line=line.replace('"', "'"),
    )  # fmt: skip
    passed = ok and keeps_facts(written, line, earlier)
    asked, count = ctx.state.writing
    ctx.state.writing = [asked + 1, count + int(passed)]
    return (written, model_text(prompts.WRITE.prompt_id)) if passed else (line, by)
