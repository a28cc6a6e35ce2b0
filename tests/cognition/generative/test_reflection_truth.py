"""Reflections that are true (issue 21): an insight's claims are checked against the persona and
the memories, restated actions are refused, the model cites its evidence by number, and where
no insight of the model's holds up, its choice of the statement that matters most is written by
a template."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from cognition.generative import reflection, truth
from cognition.memory.node import MemoryNode, NodeKind
from engine.agent_api import Reason
from generative_helpers import ISABELLA, brain, event, factory, make_persona, percept

T = datetime(2023, 2, 13, 8)
NODES = [
    MemoryNode(1, NodeKind.THOUGHT, T, "Isabella Rodriguez is hosting a Valentine's Day party at "
               "Hobbs Cafe on February 14th", 7, "Isabella Rodriguez", "thinks", "whisper"),
    MemoryNode(2, NodeKind.THOUGHT, T, "Maria Lopez has a crush on Klaus Mueller", 6,
               "Maria Lopez", "thinks", "whisper"),
    MemoryNode(3, NodeKind.EVENT, T, "Isabella Rodriguez is taking a shower", 2,
               "Isabella Rodriguez", "is", "taking a shower"),
]  # fmt: skip
PERSONA = "Name: Klaus Mueller\nKlaus Mueller is a student at Oak Hill College studying sociology."


def status(text: str) -> list[str]:
    people = truth.known_people("Klaus Mueller", NODES)
    known = truth.statements("Klaus Mueller", PERSONA, NODES, people)
    return [c.status for c in truth.check(text, known, people)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Isabella Rodriguez is hosting a party at Hobbs Cafe.", ["supported"]),
    ("Maria is the host of the party.", ["misattributed"]),  # seen in a run: the wrong host
    ("Klaus has a crush on Maria.", ["misattributed"]),  # the crush reversed
    ("Maria Lopez has feelings for Klaus and a crush on him.", ["supported"]),
    ("Klaus studies sociology at Oak Hill College.", ["supported"]),
    ("Isabella is taking a shower.", ["restated action"]),  # what she did once, not an insight
    ("Maria Lopez is staying up at 6am.", ["unsupported"]),
    ("Klaus keeps thinking about how Isabella is hosting a party.", ["supported"]),
    ("Klaus keeps thinking about how Maria is hosting a party.", ["misattributed"]),
    ("A conversation about the weather.", []),
])  # fmt: skip
def test_claims_are_checked_against_persona_and_memories(text, expected):
    assert status(text) == expected
    assert truth.is_true([truth.Claim("x", frozenset(), s) for s in expected]) == (
        expected == ["supported"]
    )


def test_stems_match_word_forms():
    assert truth.stem("hosting") == truth.stem("host") == "host"
    assert truth.stem("planned") == "plan" and truth.stem("parties") == "parti"


PARTY = "Isabella Rodriguez is hosting a Valentine's Day party at Hobbs Cafe"
CRUSH = "Maria Lopez has a crush on Klaus Mueller"
WEATHER = "The weather has been lovely all week. Everyone says so."


def reflecting_mind(insight: str, choose: str | None):
    routes = {
        "importance.batch.v2": lambda r: json.dumps(["important"] * r.schema["minItems"]),
        "reflect.insight.v4": json.dumps({"insight": insight, "because": [1]}),
    }
    if choose is not None:
        routes["reflect.choose.v1"] = json.dumps({"answer": choose})
    model = brain(**routes)
    persona = make_persona(ISABELLA.name, ISABELLA.living_area, ISABELLA.bed,
                           ISABELLA.workplace, threshold=10)  # fmt: skip
    mind = factory(model, importance_batch=1).create(persona)
    mind.load_history([PARTY, CRUSH, WEATHER], "2023-02-13T07:00:00")
    seen = (event("Klaus Mueller", "Klaus Mueller is reading a book"),
            event("Maria Lopez", "Maria Lopez is drinking coffee"))  # 2 x 7: past the threshold
    mind.decide(percept(ISABELLA.name, "2023-02-13T08:00:00", (Reason.PERCEIVED,), events=seen))
    return mind, model


def insights(mind) -> list[MemoryNode]:
    return [n for n in mind.memory.nodes if reflection.REFLECTION_KEYWORD in n.keywords]


def test_plumbing_a_true_insight_is_stored_with_the_evidence_the_model_cited():
    mind, _ = reflecting_mind("Isabella Rodriguez cares about hosting the party at Hobbs Cafe",
                              None)  # fmt: skip
    (node,) = insights(mind)
    assert reflection.EVIDENCE_CITED in node.keywords
    assert [mind.memory.nodes[i - 1].description for i in node.evidence] == [PARTY]


def test_plumbing_a_false_insight_is_refused_and_the_models_choice_is_written_instead():
    mind, model = reflecting_mind("Isabella Rodriguez has a crush on Klaus Mueller", "2")
    (asked,) = [r.prompt for r in model.calls if r.prompt_id == "reflect.choose.v1"]
    assert CRUSH in asked and "weather" not in asked  # offered: statements about someone
    (node,) = insights(mind)  # the crush is Maria's: refused; the choice is stored
    assert reflection.EVIDENCE_CHOSEN in node.keywords
    chosen = mind.memory.nodes[node.evidence[0] - 1].description
    assert node.description == f"What matters to Isabella lately: {chosen}."
    counts = mind.state.prompt_counts["reflect.insight.v4"]
    assert counts[2] == counts[3]  # every insight call refused (a fallback each)


def test_plumbing_no_insight_is_made_up_when_the_choice_fails_too():
    mind, _ = reflecting_mind("Isabella Rodriguez has a crush on Klaus Mueller", None)
    assert insights(mind) == []


def test_an_evening_with_no_reflection_yet_reflects_once():
    model = brain(**{"reflect.insight.v4": json.dumps(
        {"insight": "Isabella Rodriguez cares about hosting the party at Hobbs Cafe"})})
    mind = factory(model, importance_batch=1).create(ISABELLA)  # threshold 150: never reached
    mind.load_history([PARTY], "2023-02-13T07:00:00")
    seen = (event("Klaus Mueller", "Klaus Mueller is reading a book"),)
    mind.decide(percept(ISABELLA.name, "2023-02-13T19:00:00", (Reason.PERCEIVED,), events=seen))
    assert mind.state.reflections == 0  # not yet evening
    mind.decide(percept(ISABELLA.name, "2023-02-13T20:10:00", (Reason.PERCEIVED,), step=60,
                        events=(event("Maria Lopez", "Maria Lopez is drinking coffee"),)))
    assert mind.state.reflections == 1 and len(insights(mind)) == 1
    mind.decide(percept(ISABELLA.name, "2023-02-13T21:00:00", (Reason.PERCEIVED,), step=120,
                        events=(event("Maria Lopez", "Maria Lopez is reading"),)))
    assert mind.state.reflections == 1  # once a day
