"""Asking every question in every condition, on minds restored afresh from the save each time.

Each condition gets its own copy of the minds (restored from the saved state), so what one
condition's retrieval touched (last access times) never changes what the next one finds, and
nothing an interview does is remembered: answers are asked with `remember=False` and the copies
are dropped. The save itself is only read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cognition.evaluation.conditions import Condition
from cognition.evaluation.scoring import Question, Result, verdict

MindsFor = Callable[[Condition], dict[str, Any]]  # condition -> {agent: GenerativeMind}


def interview_all(
    minds_for: MindsFor, conditions: list[Condition], questions: list[Question],
    tick: Callable[[str], None] = lambda _: None,
) -> list[Result]:  # fmt: skip
    """Every question in every condition; `tick(condition)` after each answer (progress)."""
    results: list[Result] = []
    for condition in conditions:
        minds = minds_for(condition)
        for question in questions:
            reply = minds[question.agent].answer(question.question, recall=condition.recall,
                                                 remember=False)
            results.append(Result(condition.name, question, reply.text, str(reply.by),
                                  verdict(question, reply.text), rank=reply.rank))
            tick(condition.name)
    return results
