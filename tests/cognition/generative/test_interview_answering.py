"""The interview's offered sentences and how a reply is made from them (cognition/generative/
answering.py, interview.py). Scripted models here test plumbing only: what the model adds is
tested against the random model in tests/integration/test_evaluate.py (llm mark)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from cognition.generative import answering
from cognition.generative.interview import answer, gather
from cognition.generative.prompts import social
from cognition.generative.schedule import DayPlan
from cognition.memory.node import NodeKind
from tests.cognition.generative.generative_helpers import KLAUS, brain, factory

NOW = datetime(2023, 2, 13, 10, 0)


@pytest.mark.parametrize("text, minute", [
    ("What will you be doing at 6 pm today?", 18 * 60), ("at 12 pm?", 12 * 60),
    ("at 12 am", 0), ("at 13:30", 13 * 60 + 30), ("I have 3 friends", None),
])
def test_the_hour_a_question_asks_about(text, minute):
    assert answering.asked_minute(text) == minute


def mind_with_plan(model=None):
    mind = factory(model or brain()).create(KLAUS)
    hourly = ["sleeping"] * 7 + ["morning routine"] * 2 + ["studying at the library"] * 4 + [
        "having lunch at Hobbs Cafe"] + ["writing the paper"] * 4 + ["walking in the park"] * 3 + [
        "reading"] * 2 + ["sleeping"]
    mind.state.plan = DayPlan(date="2023-02-13", wake_up_min=7 * 60,
                              day_plan=("study", "eat lunch"), hourly=tuple(hourly))
    return mind


def texts(mind, question, recall=answering.FULL):
    return [o.text for o in gather(mind.ctx, question, NOW, recall)]


def test_the_plan_at_the_hour_asked_is_offered_first_and_just_finished_only_when_asked():
    mind = mind_with_plan()
    six = texts(mind, "What will you be doing at 6 pm today?")
    assert six[0] == "At 6 pm I'll be walking in the park."
    assert not any(t.startswith("By ") for t in six)
    one = texts(mind, "What will you have just finished doing at 1 pm today?")
    assert "By 1 pm I'll have just finished studying at the library." in one
    assert not any("6 pm" in t for t in texts(mind, "What will you be doing at 6 pm today?",
                                              answering.Recall(plans=False)))


def test_a_stranger_question_offers_not_knowing_first_and_hypotheticals_offer_reactions():
    mind = mind_with_plan()
    assert texts(mind, "Who is Wolfgang Schulz?")[0] == answering.DONT_KNOW
    assert texts(mind, "The bathroom is occupied. What would you do?")[0] in answering.MOVES
    assert len(texts(mind, "Anything?")) == 5 and answering.DONT_KNOW in texts(mind, "Anything?")


def test_the_chosen_sentence_is_the_reply_with_its_provenance_and_nothing_is_remembered():
    mind = mind_with_plan(brain(**{"interview.choice.v1": json.dumps({"answer": 2})}))
    before = len(mind.memory)
    offered = texts(mind, "Who is Wolfgang Schulz?")
    reply = answer(mind.ctx, "Who is Wolfgang Schulz?", NOW, 1, remember=False)
    assert reply.text == offered[1] and reply.rank == 2
    assert str(reply.by) == "choice:interview.choice.v1"
    assert len(mind.memory) == before
    answer(mind.ctx, "Who is Wolfgang Schulz?", NOW, 1)
    assert mind.memory.nodes[-1].kind is NodeKind.CHAT


def test_an_invalid_choice_falls_back_to_not_knowing_as_a_rule():
    mind = mind_with_plan(brain(**{"interview.choice.v1": json.dumps({"answer": 9})}))
    reply = answer(mind.ctx, "What do you study?", NOW, 1, remember=False)
    assert reply.text == answering.DONT_KNOW and str(reply.by) == "rule:fallback.interview"


def test_a_written_reply_that_says_the_question_back_is_refused():
    with pytest.raises(ValueError, match="question back"):
        social.parse_interview({"reply": "What do you study?"}, question="What do you study?")
    assert social.parse_interview({"reply": "Sociology."}, question="What do you study?")
    mind = mind_with_plan(brain(**{"interview.reply.v3": json.dumps(
        {"reply": "Hi Klaus, what are you working on today?"})}))
    mind = factory(mind.ctx.caller.model, interview_free=True).create(KLAUS)
    reply = answer(mind.ctx, "Hi Klaus, what are you working on today?", NOW, 1, remember=False)
    assert reply.text == social.fallback_interview() and reply.by.source.value == "rule"
