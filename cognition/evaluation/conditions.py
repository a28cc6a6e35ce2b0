"""The paper's interview conditions: the full architecture, its ablations, and a random model.

An ablation withholds memory kinds from retrieval (a `Recall`), as in the paper, where every
condition was given the same accumulated memories: `no_reflection` hides reflections,
`no_reflection_no_planning` also plans (the day plan and the plan memories), `no_memory` every
memory (the persona alone, the paper's "prior state of the art"). `random_model` is the full
architecture answered by `--model random`: what structure gives without a model.
"""

from __future__ import annotations

from dataclasses import dataclass

from cognition.generative.answering import FULL, Recall
from cognition.generative.reflection import REFLECTION_KEYWORD

PLAN_KEYWORD = "plan"


@dataclass(frozen=True, slots=True)
class Condition:
    name: str
    recall: Recall
    random_model: bool = False
    about: str = ""


CONDITIONS: dict[str, Condition] = {
    c.name: c
    for c in (
        Condition("full", FULL, about="the full architecture"),
        Condition("no_reflection", Recall(without=(REFLECTION_KEYWORD,)),
                  about="reflections withheld"),
        Condition("no_reflection_no_planning",
                  Recall(without=(REFLECTION_KEYWORD, PLAN_KEYWORD), plans=False),
                  about="reflections and plans withheld"),
        Condition("no_memory", Recall(kinds=(), plans=False),
                  about="every memory and plan withheld: the persona alone"),
        Condition("random_model", FULL, random_model=True,
                  about="the full architecture on --model random"),
    )
}


def parse_conditions(text: str | None) -> list[Condition]:
    """Conditions named in a comma list (all of them for None); ValueError naming an unknown one."""
    if text is None:
        return list(CONDITIONS.values())
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in CONDITIONS]
    if unknown or not names:
        raise ValueError(f"unknown condition '{unknown[0] if unknown else text}' "
                         f"(conditions: {', '.join(CONDITIONS)})")
    return [CONDITIONS[n] for n in dict.fromkeys(names)]
