"""Importance (the paper's 1-10 poignancy) that distinguishes, with a check per loaded model.

Three ways to rate, chosen once per loaded model by a check on a small built-in calibration set
(`data/importance_labels.json`, the items marked "calibration": hand labels, everyday things low,
life events high), whose result every rating's provenance records:

- **probabilities** (`importance.probs.v1`, a model choice): a model that scores options
  (`cognition.llm.options.OptionScorer`: llama.cpp, or a server giving log-probabilities) is
  asked the paper's question on a 0-9 scale and the *expected* digit is read from its next-token
  probabilities in one pass per memory. Nothing is generated, so nothing can "walk" the listing;
  prompts share the agent's head, which the prefix cache keeps evaluated. The expectation is
  mapped linearly so that the calibration set's everyday items sit at 1 and its life events at
  10 (each model's own scale, measured at the check);
- **levels** (`importance.batch.v2`, generated): a model that cannot score options names a
  level per memory in one batched call, as before; a refused answer gets the original's
  fail-safe 4. Over its first answers, a model whose refusals pass `max_failsafe` of its
  ratings is switched to the keywords for the rest of the run;
- **keywords** (`rule("importance.keywords")`): a transparent table of categories (life events,
  relationships and news, plans, routine), used where the model failed the check.

The check passes when the model's ratings of the calibration items rank like the labels
(Spearman's rho >= `CHECK_RHO`). Spearman's rho is written here (ten lines) rather than taken
from scipy, which the project does not otherwise need.
"""

from __future__ import annotations

import json
import math
import threading
import weakref
from dataclasses import dataclass, field
from functools import partial
from importlib import resources
from types import SimpleNamespace
from typing import Any

from cognition.generative.calls import Caller
from cognition.generative.prompts import memory as prompts
from cognition.generative.prompts.base import Template, numbered_list
from cognition.llm.base import ModelError
from cognition.llm.options import option_scorer
from engine.provenance import Provenance, model_choice, rule

CHECK_RHO = 0.6  # one-sided p < 0.05 for 10 items is 0.56
CHECK_WINDOW = 8  # generated batches watched before the refusal share decides
DIGITS = tuple(str(d) for d in range(10))

PROBS_TEXT = """{identity}
On the scale of 0 to 9, where 0 is purely mundane (e.g., brushing teeth, making bed) and 9 is extremely poignant (e.g., a break up, college acceptance), rate the likely poignancy of the following piece of memory.
Memory: {memory}
Rating (one digit, 0 to 9):"""

IMPORTANCE_PROBS = Template("importance.probs.v1", "importance", PROBS_TEXT, None, lambda v: v)
KEYWORDS = rule("importance.keywords")
FAILSAFE = rule("importance.failsafe")


def labelled_set() -> list[dict[str, Any]]:
    """The hand-labelled memories ({"text", "label", "calibration"?})."""
    raw = resources.files("cognition.generative").joinpath("data/importance_labels.json")
    return json.loads(raw.read_text(encoding="utf-8"))["items"]


def ranks(values: list[float]) -> list[float]:
    """1-based ranks, ties given their average rank."""
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(a: list[float], b: list[float]) -> float:
    """Spearman's rank correlation (Pearson's on the ranks); 0.0 when either is constant."""
    ra, rb = ranks(a), ranks(b)
    n = len(ra)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va, vb = sum((x - ma) ** 2 for x in ra), sum((y - mb) ** 2 for y in rb)
    return 0.0 if va == 0 or vb == 0 else cov / math.sqrt(va * vb)


# -- the transparent scorer -----------------------------------------------------------------
# Categories of what happens in a life, each with the score of its most poignant member; a
# description takes the highest category any of its words (or word stems) falls in.
KEYWORD_CATEGORIES: tuple[tuple[int, tuple[str, ...]], ...] = (
    (9, ("died", "death", "dead", "funeral", "divorc", "engaged", "married", "wedding",
         "pregnan", "baby", "diagnos", "illness", "accident", "hospital", "fire", "burn",
         "broke up", "break up", "breakup", "accepted", "admitted", "fired", "new job",
         "job offer", "offered", "moved away", "confess")),
    (7, ("love", "crush", "party", "invit", "birthday", "valentine", "argu", "fight",
         "quarrel", "exam", "prize", "won ", "award", "mayor", "election", "candida",
         "publish", "promot", "failed", "lost")),
    (5, ("complain", "news", "heard", "told", "research", "professor", "plan", "new ",
         "meeting", "interview", "visit")),
    (3, ("chat", "convers", "talk", "met ", "with ", "class", "studying", "working",
         "writing", "stream", "notes", "rain")),
)
KEYWORD_DEFAULT = 2  # everyday things: brushing teeth, a meal, an object in use


def keyword_importance(description: str) -> int:
    """The transparent scorer (see `KEYWORD_CATEGORIES`); idle things are 1."""
    text = f" {description.lower()} "
    if "is idle" in text:
        return 1
    for score, words in KEYWORD_CATEGORIES:
        if any(w in text for w in words):
            return score
    return KEYWORD_DEFAULT


# -- the per-model check ----------------------------------------------------------------------
@dataclass
class Verdict:
    """How one loaded model's importance is rated, and why (the calibration check's result)."""

    method: str  # "probs", "levels" or "keywords"
    rho: float = 0.0
    low: float = 0.0  # the probabilities' expected digit for the calibration's everyday items
    high: float = 9.0  # ... and for its life events
    mass: float = 0.0  # mean probability the digits held (probs only)
    ratings: int = 0
    failsafes: int = 0
    batches: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def to_state(self) -> dict[str, Any]:
        return {"method": self.method, "rho": round(self.rho, 3), "low": round(self.low, 3),
                "high": round(self.high, 3), "mass": round(self.mass, 3),
                "ratings": self.ratings, "failsafes": self.failsafes}  # fmt: skip


_VERDICTS: weakref.WeakKeyDictionary[Any, Verdict] = weakref.WeakKeyDictionary()
_CHECKING = threading.Lock()


def verdict_for(ctx: Any, step: int) -> Verdict:
    """The check's verdict for the ctx's model, run once per loaded model (threads wait)."""
    model = ctx.caller.model
    with _CHECKING:
        found = _VERDICTS.get(model)
        if found is None:
            # Asked by no mind (its own caller, seed and step 0): which mind gets here first
            # depends on thread timing, and must change neither the answers nor any mind's state.
            neutral = SimpleNamespace(settings=ctx.settings, caller=Caller(
                model, "importance check", 0, ctx.settings, ctx.caller.stats))
            found = check(neutral, 0) if ctx.settings.importance_check else Verdict("trusted")
            _VERDICTS[model] = found
    if not ctx.state.importance_check:  # each mind records the verdict it rates by
        # (not the shared running counts: when a mind first looks depends on thread timing)
        ctx.state.importance_check = {k: v for k, v in found.to_state().items()
                                      if k not in ("ratings", "failsafes")}
    return found


def check(ctx: Any, step: int) -> Verdict:
    """Rate the calibration items with the model's best method; keywords when it fails."""
    items = [i for i in labelled_set() if i.get("calibration")]
    labels = [float(i["label"]) for i in items]
    texts = [i["text"] for i in items]
    if option_scorer(ctx.caller.model) is not None:
        try:
            answers = [expected_digit(ctx, t, step, identity="") for t in texts]
        except ModelError:
            answers = []
        if answers:
            values = [e for e, _ in answers]
            rho = spearman(values, labels)
            low = [v for v, lab in zip(values, labels) if lab <= 2]
            high = [v for v, lab in zip(values, labels) if lab >= 9]
            verdict = Verdict("probs" if rho >= CHECK_RHO else "keywords", rho,
                              sum(low) / len(low), sum(high) / len(high),
                              sum(m for _, m in answers) / len(answers))  # fmt: skip
            if verdict.high - verdict.low <= 0.05:
                verdict.method = "keywords"
            return verdict
    scores, ok = ctx.caller.ask(
        prompts.IMPORTANCE, step, partial(prompts.fallback_importance, len(texts)),
        schema=prompts.importance_schema(len(texts)),
        parse=partial(prompts.parse_importance, count=len(texts)), retries=0,
        identity="", first="the person", items=numbered_list(texts), count=len(texts),
    )  # fmt: skip
    rho = spearman([float(s) for s in scores], labels) if ok else 0.0
    return Verdict("levels" if rho >= CHECK_RHO else "keywords", rho)


def expected_digit(ctx: Any, memory: str, step: int, identity: str) -> tuple[float, float]:
    """(expected 0-9 rating, probability mass on the digits) in one pass over the prompt."""
    scorer = option_scorer(ctx.caller.model)
    prompt = IMPORTANCE_PROBS.render(identity=identity, memory=memory)
    request = ctx.caller.request(IMPORTANCE_PROBS, prompt.lstrip("\n"), step)
    answer = scorer.option_probs(request, DIGITS)  # type: ignore[union-attr]
    return answer.expected(range(10)), answer.mass


def from_digit(verdict: Verdict, expected: float) -> int:
    """The 1-10 importance of an expected digit, on the model's own calibrated scale."""
    span = max(verdict.high - verdict.low, 1e-6)
    return max(1, min(10, round(1 + 9 * (expected - verdict.low) / span)))


def rate(ctx: Any, descriptions: list[str], step: int) -> list[tuple[int, Provenance]]:
    """Importance and provenance for each (distinct, unscored) description."""
    verdict = verdict_for(ctx, step)
    if verdict.method == "probs":
        out = []
        for text in descriptions:
            try:
                expected, _ = expected_digit(ctx, text, step, ctx.identity())
                out.append((from_digit(verdict, expected), model_choice(IMPORTANCE_PROBS.prompt_id)))
            except ModelError:
                out.append((keyword_importance(text), KEYWORDS))
        return _count(verdict, out)
    if verdict.method == "keywords":
        return _count(verdict, [(keyword_importance(t), KEYWORDS) for t in descriptions])
    return _count(verdict, _levels(ctx, verdict, descriptions, step))


def _levels(ctx: Any, verdict: Verdict, descriptions: list[str], step: int
            ) -> list[tuple[int, Provenance]]:  # fmt: skip
    """One batched generated call; its refusal is the fail-safe, and a model refused in more
    than `importance_max_failsafe` of its first ratings is switched to the keywords."""
    scores, ok = ctx.caller.ask(
        prompts.IMPORTANCE, step, partial(prompts.fallback_importance, len(descriptions)),
        schema=prompts.importance_schema(len(descriptions)),
        parse=partial(prompts.parse_importance, count=len(descriptions)),
        retries=ctx.settings.importance_retries, identity=ctx.identity(),
        first=ctx.persona.first_name, items=numbered_list(descriptions), count=len(descriptions),
    )  # fmt: skip
    with verdict.lock:
        verdict.batches += 1
        refused = verdict.failsafes + (0 if ok else len(descriptions))
        share = refused / max(1, verdict.ratings + len(descriptions))
        if verdict.method == "levels" and verdict.batches >= CHECK_WINDOW and (
            share > ctx.settings.importance_max_failsafe
        ):
            verdict.method = "keywords"  # over its first answers, the model failed
    if not ok:
        return [(s, FAILSAFE) for s in scores]
    return [(s, model_choice(prompts.IMPORTANCE.prompt_id)) for s in scores]


def _count(verdict: Verdict, out: list[tuple[int, Provenance]]) -> list[tuple[int, Provenance]]:
    with verdict.lock:
        verdict.ratings += len(out)
        verdict.failsafes += sum(by == FAILSAFE for _, by in out)
    return out
