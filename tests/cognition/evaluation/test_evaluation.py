"""simulacra evaluate's parts: scoring arithmetic, question files, conditions that really withhold
memories, the default bank's ground truth, and the judge through the fake OpenAI server."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from cognition.evaluation import bank
from cognition.evaluation.conditions import CONDITIONS, parse_conditions
from cognition.evaluation.judge import Judge, trueskill_ranking
from cognition.evaluation.scoring import Question, Result, summarise, verdict
from cognition.generative.interview import gather
from cognition.llm.fake_server import FakeOpenAIServer
from cognition.memory.node import NodeKind
from tests.cognition.generative.generative_helpers import ISABELLA, KLAUS, MARIA, brain, factory

NOW = datetime(2023, 2, 13, 10, 0)


def q(any_=(), none=(), category="memory", text="Who is Maria?"):
    return Question("Klaus Mueller", category, text, tuple(any_), tuple(none))


def test_a_question_passes_on_any_expected_word_and_fails_on_a_forbidden_one():
    assert verdict(q(["maria", "student"]), "She is a STUDENT.").passed
    assert verdict(q(), "anything at all").passed  # no expect_any: only expect_none counts
    assert not verdict(q(["maria"]), "I like tea.").passed
    assert verdict(q(["tea"], ["don't know"]), "Tea? I don't know.").reason == "says 'don't know'"
    assert verdict(q(["who"]), "who is maria").reason == "echoes the question"
    assert verdict(q(), "  ").reason == "empty"


def test_shares_count_every_question_once_per_condition():
    def result(cond, cat, ok):
        return Result(cond, q(category=cat), "maria" if ok else "no", "rule:x",
                      verdict(q(["maria"], category=cat), "maria" if ok else "no"))

    rows = [result("full", "memory", True), result("full", "memory", False),
            result("full", "plans", True), result("no_memory", "plans", False)]
    table = summarise(rows)
    assert table["full"]["overall"] == pytest.approx(2 / 3)
    assert table["full"]["categories"] == {"memory": 0.5, "plans": 1.0}
    assert table["no_memory"] == {"overall": 0.0, "categories": {"plans": 0.0}, "questions": 1}


def write(tmp_path, data) -> object:
    path = tmp_path / "q.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("data, message", [
    ("{not json", "not UTF-8 JSON"),
    ({"questions": []}, "at least one question"),
    ({"questions": [{"agent": "Nobody", "category": "memory", "question": "?"}]},
     "no agent named 'Nobody'"),
    ({"questions": [{"agent": "Klaus Mueller", "category": "gossip", "question": "?"}]},
     "category 'gossip'"),
    ({"questions": [{"agent": "Klaus Mueller", "category": "plans", "question": "?",
                     "expect_any": "lunch"}]}, "'expect_any' must be a list"),
    ({"questions": [{"agent": "Klaus Mueller", "category": "plans", "question": "?",
                     "extra": 1}]}, "unknown field 'extra'"),
])
def test_a_bad_questions_file_is_one_line_naming_the_problem(tmp_path, data, message):
    with pytest.raises(ValueError, match=message) as caught:
        bank.load_questions(write(tmp_path, data), ["Klaus Mueller"])
    assert "\n" not in str(caught.value)


def test_a_questions_file_is_read_with_its_checks(tmp_path):
    path = write(tmp_path, {"questions": [{"agent": "Klaus Mueller", "category": "plans",
                                           "question": "Lunch?", "expect_any": ["cafe"]}]})
    assert bank.load_questions(path, ["Klaus Mueller"]) == [
        Question("Klaus Mueller", "plans", "Lunch?", ("cafe",), ())]


def test_unknown_conditions_are_refused():
    assert [c.name for c in parse_conditions(None)] == list(CONDITIONS)
    with pytest.raises(ValueError, match="unknown condition 'everything'"):
        parse_conditions("full,everything")


def lived_mind():
    mind = factory(brain()).create(KLAUS)
    mind.memory.add(NodeKind.EVENT, "Klaus Mueller saw Maria Lopez reading physics", NOW, 5)
    mind.memory.add(NodeKind.THOUGHT, "Klaus Mueller plans to read about Maria Lopez's physics",
                    NOW, 5, keywords=("plan",))
    mind.memory.add(NodeKind.THOUGHT, "Klaus Mueller admires Maria Lopez's physics work", NOW,
                    8, keywords=("reflection",))
    mind.memory.add(NodeKind.CHAT, "Conversation with Maria Lopez about physics", NOW, 6)
    return mind


@pytest.mark.parametrize("condition, kept", [
    ("full", {"saw", "plans", "admires", "Conversation"}),
    ("no_reflection", {"saw", "plans", "Conversation"}),
    ("no_reflection_no_planning", {"saw", "Conversation"}),
    ("no_memory", set()),
])
def test_conditions_withhold_their_memory_kinds_from_retrieval(condition, kept):
    recall = CONDITIONS[condition].recall
    mind = lived_mind()
    found = mind.memory.retrieve(["Maria Lopez physics"], NOW, 10, kinds=recall.kinds,
                                 without=recall.without) if recall.kinds else []
    assert {n.description.split()[2] if n.description.startswith("Klaus") else
            n.description.split()[0] for n in found} == kept
    offered = " ".join(o.text for o in gather(mind.ctx, "Who is Maria Lopez?", NOW, recall))
    assert ("admire" in offered) == ("admires" in kept)


def test_default_bank_asks_the_papers_25_with_ground_truth():
    mind = lived_mind()
    questions = bank.default_bank({KLAUS.name: mind}, {KLAUS.name: KLAUS, MARIA.name: MARIA,
                                                       ISABELLA.name: ISABELLA})
    assert len(questions) == 25
    assert [sum(x.category == c for x in questions) for c in
            ("self-knowledge", "memory", "plans", "reactions", "reflections")] == [5] * 5
    who = next(x for x in questions if x.question == "Who is Maria Lopez?")
    assert "physic" in who.expect_any  # what Klaus's memories say of her
    stranger = next(x for x in questions if bank.STRANGER in x.question)
    assert "don't know" in stranger.expect_any and "my friend" in stranger.expect_none
    six_pm = next(x for x in questions if "6 pm" in x.question)
    assert set(six_pm.expect_any) == {"relaxing", "park"}  # his routine at 18:00 (no day plan)


def results_for_judge():
    out = []
    for cond, answer in (("full", "I study at the library."), ("no_memory", "Who is Maria?")):
        question = q(["library"])
        out.append(Result(cond, question, answer, "rule:x", verdict(question, answer)))
    return out


def test_judge_rates_every_answer_through_the_fake_server_and_ranks_with_trueskill():
    server = FakeOpenAIServer().start()
    try:
        judge = Judge(server.url, "fake")
        rated, summary = judge.rate_all(results_for_judge(), {KLAUS.name: KLAUS})
    finally:
        server.stop()
    assert all(r.rating is not None and 1 <= r.rating <= 7 for r in rated)
    assert set(summary["conditions"]) == {"full", "no_memory"}
    assert all(row["sigma"] > 0 for row in summary["conditions"].values())


def test_trueskill_puts_the_condition_rated_higher_first():
    rows = []
    for i in range(6):
        question = Question("Klaus Mueller", "memory", f"Question {i}?")
        for cond, rating in (("full", 6.0), ("no_memory", 2.0)):
            rows.append(Result(cond, question, "x", "rule:x", verdict(question, "x"), rating))
    ranking = trueskill_ranking(rows)
    assert list(ranking) == ["full", "no_memory"]
    assert ranking["full"]["mu"] > 25 > ranking["no_memory"]["mu"]
    assert ranking["full"]["mean_rating"] == 6.0
