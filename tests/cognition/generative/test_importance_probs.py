"""Importance that distinguishes (issue 21): option probabilities, the per-model check, the
keyword scorer, and provenance on every rating."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest

from cognition.generative import importance
from cognition.llm.base import Completion, Request
from cognition.llm.options import (
    OptionProbs,
    option_scorer,
    probs_from_logits,
    probs_from_top_logprobs,
)
from cognition.memory.node import MemoryNode, NodeKind
from engine.provenance import Source, model_choice, rule
from generative_helpers import ISABELLA, brain, event, factory, percept

LABELS = {i["text"]: i["label"] for i in importance.labelled_set()}
HELD_OUT = [i for i in importance.labelled_set() if not i.get("calibration")]


class LogitsModel:
    """A fake `OptionScorer`: the logits of the ten digits for a memory come from `digit_of`
    (a peaked distribution on that digit); anything generated is refused."""

    name = "logits-fake"

    def __init__(self, digit_of) -> None:
        self.digit_of = digit_of
        self.passes = 0

    def complete(self, request: Request) -> Completion:
        return Completion(json.dumps(["routine"] * 12), 1, 1, 0.0)

    def option_probs(self, request: Request, options) -> OptionProbs:
        self.passes += 1
        memory = request.prompt.split("Memory: ", 1)[1].split("\n", 1)[0]
        logits = np.full(len(options), -4.0)
        logits[self.digit_of(memory)] = 2.0
        probs, mass = probs_from_logits(logits, [{i} for i in range(len(options))])
        return OptionProbs(tuple(options), tuple(probs), mass)


def knows(memory: str) -> int:
    return round((LABELS.get(memory, 3) - 1) * 9 / 9)  # label 1..10 -> digit 0..9


def random_digits(seed: int):
    rng = random.Random(seed)
    table: dict[str, int] = {}
    return lambda memory: table.setdefault(memory, rng.randrange(10))


def held_out_rho(model) -> float:
    """The labelled-set check: the model's expected digit on the held-out items vs the labels."""
    mind = factory(model, importance_check=True).create(ISABELLA)
    got = [importance.expected_digit(mind.ctx, i["text"], 0, identity="")[0] for i in HELD_OUT]
    return importance.spearman(got, [float(i["label"]) for i in HELD_OUT])


# -- the math ---------------------------------------------------------------------------------
def test_option_probabilities_from_fixed_logits():
    logits = np.array([0.0, math.log(3.0), math.log(6.0), 0.0])  # softmax: 1/11, 3/11, 6/11, 1/11
    probs, mass = probs_from_logits(logits, [{1}, {2}])
    assert probs == pytest.approx([1 / 3, 2 / 3]) and mass == pytest.approx(9 / 11)
    shared, _ = probs_from_logits(logits, [{1, 2}, {2}])  # token 2 is split between both
    assert shared == pytest.approx([6 / 9, 3 / 9])
    answer = OptionProbs(("0", "9"), (0.25, 0.75), 1.0)
    assert answer.expected([0, 9]) == pytest.approx(6.75) and answer.best() == "9"


def test_option_probabilities_from_a_servers_top_logprobs():
    top = [("7", math.log(0.5)), (" 2", math.log(0.25)), ("Sure", math.log(0.25))]
    probs, mass = probs_from_top_logprobs(top, [str(d) for d in range(10)])
    assert probs[7] == pytest.approx(2 / 3) and probs[2] == pytest.approx(1 / 3)
    assert mass == pytest.approx(0.75)
    with pytest.raises(ValueError):
        probs_from_top_logprobs([("Sure", 0.0)], ["0", "1"])


def test_spearman_ranks_with_ties():
    assert importance.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert importance.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert importance.ranks([5, 1, 5, 2]) == [3.5, 1.0, 3.5, 2.0]
    assert importance.spearman([1, 1, 1], [1, 2, 3]) == 0.0
    assert importance.spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]) == pytest.approx(0.8)


def test_only_models_that_score_options_are_option_scorers():
    assert option_scorer(brain()) is None
    assert option_scorer(LogitsModel(knows)) is not None


# -- the labelled-set check -------------------------------------------------------------------
def test_labelled_set_has_everyday_things_low_and_life_events_high():
    items = importance.labelled_set()
    assert len(items) >= 40 and len(HELD_OUT) >= 30
    assert LABELS["Klaus Mueller is brushing his teeth"] <= 2
    assert LABELS["Maria Lopez broke up with her boyfriend"] >= 8


def test_a_scorer_that_knows_passes_the_labelled_set_check():
    assert held_out_rho(LogitsModel(knows)) >= importance.CHECK_RHO


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_random_scorer_fails_the_labelled_set_check(seed):
    assert held_out_rho(LogitsModel(random_digits(seed))) < importance.CHECK_RHO


# -- the per-model check and what each verdict rates with -------------------------------------
def test_a_model_passing_the_check_rates_by_probabilities_on_its_own_scale():
    model = LogitsModel(knows)
    mind = factory(model, importance_check=True).create(ISABELLA)
    rated = importance.rate(mind.ctx, ["Maria Lopez broke up with her boyfriend",
                                       "Klaus Mueller is brushing his teeth"], 0)  # fmt: skip
    assert mind.state.importance_check["method"] == "probs"
    assert [by for _, by in rated] == [model_choice("importance.probs.v1")] * 2
    assert rated[0][0] >= 8 and rated[1][0] <= 2
    assert model.passes == 10 + 2  # the calibration items once, then one pass per memory


def test_a_model_failing_the_check_is_replaced_by_the_marked_keyword_scorer():
    model = LogitsModel(random_digits(4))
    mind = factory(model, importance_check=True).create(ISABELLA)
    rated = importance.rate(mind.ctx, ["Maria Lopez broke up with her boyfriend"], 0)
    assert mind.state.importance_check["method"] == "keywords"
    assert rated == [(importance.keyword_importance("Maria Lopez broke up with her boyfriend"),
                      rule("importance.keywords"))]  # fmt: skip
    assert model.passes == 10  # the check only: the keywords ask nothing


def test_a_generating_model_with_a_constant_answer_fails_the_check():
    model = brain()  # answers "minor" for every memory: no ranking at all
    mind = factory(model, importance_check=True).create(ISABELLA)
    importance.rate(mind.ctx, ["Maria Lopez broke up with her boyfriend"], 0)
    assert mind.state.importance_check["method"] == "keywords"


def test_keyword_scorer_puts_life_events_above_routine():
    low = importance.keyword_importance("Klaus Mueller is brushing his teeth")
    assert low < importance.keyword_importance("Klaus Mueller was invited to a party")
    assert importance.keyword_importance("the stove is idle") == 1
    assert importance.keyword_importance("Klaus Mueller's grandmother died last night") >= 8


def test_plumbing_stored_memories_say_who_rated_their_importance():

    from engine.agent_api import Reason

    mind = factory(LogitsModel(knows), importance_check=True, importance_batch=1).create(ISABELLA)
    seen = (event("Maria Lopez", "Maria Lopez broke up with her boyfriend"),)
    mind.decide(percept(ISABELLA.name, "2023-02-13T08:00:00", (Reason.PERCEIVED,), events=seen))
    node = next(n for n in mind.memory.nodes if "broke up" in n.description)
    assert node.importance_by.source is Source.MODEL_CHOICE and node.importance >= 8
    again = MemoryNode.from_dict(node.to_dict())
    assert again.importance_by == node.importance_by
    old = {k: v for k, v in node.to_dict().items() if k != "importance_by"}
    assert MemoryNode.from_dict(old).importance_by == rule("unknown")
    assert NodeKind.EVENT is node.kind
