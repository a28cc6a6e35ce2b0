"""`--judge-server`: an OpenAI-compatible model rates each answer's believability 1-7, and the
conditions are ranked with TrueSkill (the `trueskill` package), as the paper ranked its
evaluators' orderings: every question is one match between the conditions' answers, ranked by
rating (equal ratings draw)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from cognition.evaluation.scoring import Result
from cognition.llm.base import ModelError, Request
from cognition.llm.schema import integer_range, object_schema

RUBRIC = """You are evaluating a generative agent: a simulated person who lives in a small town.
Agent: {name}. {persona}
The agent was interviewed and asked: "{question}"
It answered: "{answer}"
How believable is this answer as what {first} would say, given who {first} is and what {first}
could know? 1 = not believable at all (off-topic, contradicts who the agent is, invents people
or events, says the question back), 7 = completely believable (in character, consistent, plausible).
Answer JSON like {{"rating": <1-7>}}"""
SCHEMA = object_schema({"rating": integer_range(1, 7)})


class Judge:
    """Rates answers through one server; `model` is any `LanguageModel` (tests pass a fake)."""

    def __init__(self, url: str, model_name: str = "default", model: Any = None) -> None:
        if model is None:
            from cognition.llm import OpenAICompatibleModel

            model = OpenAICompatibleModel(url, model_name, concurrency=1)
            model.check()  # an unreachable judge is one line now, not after the interviews
        self.model = model
        self.description = f"{model_name} at {url}"

    def rate(self, result: Result, persona: Any) -> float | None:
        """The answer's rating 1-7, or None when the judge gave no valid one."""
        prompt = RUBRIC.format(
            name=persona.name, first=persona.first_name, question=result.question.question,
            answer=result.answer.replace('"', "'"), persona=persona.identity_text().replace(
                "\n", "; "),
        )  # fmt: skip
        request = Request(prompt=prompt, purpose="judge", prompt_id="evaluate.judge.v1",
                          schema=SCHEMA, max_tokens=16, temperature=0.0)
        try:
            text = self.model.complete(request).text
            value = json.loads(text).get("rating")
            return float(min(7, max(1, int(value))))
        except (ModelError, ValueError, TypeError, AttributeError):
            return None

    def rate_all(self, results: list[Result], personas: dict[str, Any]
                 ) -> tuple[list[Result], dict[str, Any]]:
        rated = [replace(r, rating=self.rate(r, personas[r.question.agent])) for r in results]
        return rated, {"model": self.description, "conditions": trueskill_ranking(rated)}


def trueskill_ranking(results: list[Result]) -> dict[str, dict[str, float]]:
    """{condition: {"mu", "sigma", "mean_rating"}}, best mu first. Each question asked in every
    condition is one free-for-all match ranked by the judge's ratings (unrated answers skip)."""
    import trueskill

    env = trueskill.TrueSkill(draw_probability=0.2)
    conditions = list(dict.fromkeys(r.condition for r in results))
    ratings = {c: env.create_rating() for c in conditions}
    matches: dict[tuple[str, str], dict[str, float]] = {}
    for r in results:
        if r.rating is not None:
            matches.setdefault((r.question.agent, r.question.question), {})[r.condition] = r.rating
    for scores in matches.values():
        if len(scores) < 2:
            continue
        names = list(scores)
        new = env.rate([(ratings[n],) for n in names], ranks=[-scores[n] for n in names])
        for name, (rating,) in zip(names, new):
            ratings[name] = rating
    out = {}
    for c in sorted(conditions, key=lambda c: -ratings[c].mu):
        rated = [r.rating for r in results if r.condition == c and r.rating is not None]
        out[c] = {"mu": ratings[c].mu, "sigma": ratings[c].sigma,
                  "mean_rating": sum(rated) / len(rated) if rated else 0.0}
    return out
