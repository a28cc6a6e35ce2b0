"""Checking answers against the keywords a question expects, and the scores per condition.

A question passes when its answer contains (case-insensitively) any of `expect_any` (or that list
is empty) and none of `expect_none`. An answer that is empty or says the question back fails
whatever the keywords (the window's old "What Klaus says" / echoed-question replies).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

CATEGORIES = ("self-knowledge", "memory", "plans", "reactions", "reflections")


@dataclass(frozen=True, slots=True)
class Question:
    """One interview question with its keyword checks."""

    agent: str
    category: str
    question: str
    expect_any: tuple[str, ...] = ()
    expect_none: tuple[str, ...] = ()

    def to_json(self) -> dict:
        return {"agent": self.agent, "category": self.category, "question": self.question,
                "expect_any": list(self.expect_any), "expect_none": list(self.expect_none)}


@dataclass(frozen=True, slots=True)
class Verdict:
    passed: bool
    reason: str  # "ok", "no expected word", "says <word>", "empty", "echoes the question"


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def verdict(question: Question, answer: str) -> Verdict:
    """Whether `answer` passes `question`'s checks, and why not."""
    said = _norm(answer)
    if not said.strip(" .?!"):
        return Verdict(False, "empty")
    asked = _norm(question.question).strip(" ?.!")
    if asked and asked in said:
        return Verdict(False, "echoes the question")
    for word in question.expect_none:
        if _norm(word) and _norm(word) in said:
            return Verdict(False, f"says '{word}'")
    if question.expect_any and not any(_norm(w) and _norm(w) in said for w in question.expect_any):
        return Verdict(False, "no expected word")
    return Verdict(True, "ok")


@dataclass(frozen=True, slots=True)
class Result:
    """One question asked in one condition: the answer, who made it, and the verdict."""

    condition: str
    question: Question
    answer: str
    by: str  # str(Provenance)
    verdict: Verdict
    rating: float | None = None  # the judge's believability 1-7, with --judge-server
    rank: int = 0  # place of the chosen sentence among those offered (0: a written reply)

    def to_json(self) -> dict:
        out = {"condition": self.condition, **self.question.to_json(), "answer": self.answer,
               "by": self.by, "rank": self.rank, "passed": self.verdict.passed, "reason": self.verdict.reason}
        if self.rating is not None:
            out["rating"] = self.rating
        return out


def share(results: Iterable[Result]) -> float:
    """Share of `results` that passed (0.0 for none)."""
    rows = list(results)
    return sum(r.verdict.passed for r in rows) / len(rows) if rows else 0.0


def summarise(results: list[Result]) -> dict[str, dict]:
    """{condition: {"overall": share, "categories": {category: share}, "questions": n}}.

    Every question counts once: the overall share is over questions, not an average of the
    category shares (a category with more questions weighs more)."""
    out: dict[str, dict] = {}
    for condition in dict.fromkeys(r.condition for r in results):
        rows = [r for r in results if r.condition == condition]
        categories = {c: share(r for r in rows if r.question.category == c)
                      for c in dict.fromkeys(r.question.category for r in rows)}
        out[condition] = {"overall": share(rows), "categories": categories,
                          "questions": len(rows)}
    return out
