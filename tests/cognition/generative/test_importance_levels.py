"""Importance as named levels (`importance.batch.v2`) against scripted models: a level per
memory is its score, an answer that walks the prompt's own order is refused, counted as a copy
and answered by the original's fail-safe 4 (a retry only where the settings ask for one), which
still lets a quiet agent reach the paper's reflection threshold."""

from __future__ import annotations

import json

import pytest
from generative_helpers import (
    ISABELLA,
    brain,
    brain_routes,
    event,
    factory,
    make_persona,
    percept,
)

from cognition.generative.prompts.memory import (
    IMPORTANCE,
    IMPORTANCE_FALLBACK,
    IMPORTANCE_LEVELS,
    LEVEL_ORDER,
    follows_the_listing,
    importance_schema,
    parse_importance,
)
from cognition.llm.structured import Repaired
from engine.agent_api import Reason

NAME = ISABELLA.name
ID = IMPORTANCE.prompt_id
WALK = ["routine", "minor", "notable", "important", "life-changing"]


@pytest.mark.parametrize(
    "value, count, expect",
    [
        (["notable", "routine"], 2, [5, 1]),
        (["Life-changing ", "minor", "important"], 3, [10, 3, 7]),
        (["routine", "routine", "routine"], 3, [1, 1, 1]),  # a quiet batch is a rating
        (["minor", "minor", "important"], 3, [3, 3, 7]),  # one jump is a rating
        (["notable", "routine", "minor"], 3, [5, 1, 3]),
        (["routine", "minor"], 2, [1, 3]),  # two answers cannot tell a walk from a rating
        ([3, 7], 2, [3, 7]),  # numbers are read on the paper's 1-10 scale
        ([0, 11], 2, [1, 10]),
        (["4", 5.6], 2, [4, 6]),
        (["notable"], 3, [5, 4, 4]),
        ({"levels": ["minor", "minor"]}, 2, [3, 3]),
        ([2, 8, 3], 3, [2, 8, 3]),
    ],
)
def test_parse_importance(value, count, expect):
    assert unwrap(parse_importance(value, count=count)) == expect


def test_parse_importance_marks_repairs():
    assert not isinstance(parse_importance(["minor", "routine"], count=2), Repaired)
    assert isinstance(parse_importance(["minor"], count=2), Repaired)
    assert isinstance(parse_importance([0, 5], count=2), Repaired)


@pytest.mark.parametrize(
    "value",
    [
        [1, 2, 3],  # SmolLM2-135M's v1 answer: the memories' numbers
        [1, 2, 3, 4, 5, 6, 7, 8],
        [10, 9, 8],
        ["routine", "minor", "notable"],  # the levels in the order the prompt lists them
        ["routine", "minor", "notable", "important", "life-changing", "life-changing"],
        ["life-changing", "important", "notable", "minor"],
        ["notable", "important", "life-changing", "life-changing"],  # from the middle, measured
        ["routine", "important", "life-changing"],  # skipping a level, measured
        [2, 3, 4],
        {"levels": ["routine", "minor", "notable"]},
    ],
)
def test_parse_importance_refuses_an_answer_that_follows_the_listing(value):
    assert follows_the_listing(value)
    with pytest.raises(ValueError, match="order"):
        parse_importance(value, count=3)


@pytest.mark.parametrize("value", [[], "high", None, ["a", "b"], ["routine", "huge"]])
def test_parse_importance_garbage(value):
    with pytest.raises(ValueError):
        parse_importance(value, count=2)


def test_importance_template_lists_every_level_and_the_grammar_allows_only_them():
    for level in LEVEL_ORDER:
        assert f"\n{level}: " in IMPORTANCE.text
    assert importance_schema(3) == {
        "type": "array", "items": {"type": "string", "enum": list(LEVEL_ORDER)},
        "minItems": 3, "maxItems": 3,
    }
    assert [IMPORTANCE_LEVELS[lv] for lv in LEVEL_ORDER] == sorted(IMPORTANCE_LEVELS.values())
    assert IMPORTANCE.copies(["routine", "minor", "notable"])
    assert not IMPORTANCE.copies(["notable", "routine", "minor"])


def unwrap(value):
    return value.value if isinstance(value, Repaired) else value


def scripted(*answers):
    """An importance route answering `answers` in turn (each cut to the batch's size)."""
    queue = list(answers)

    def reply(request):
        size = int(request.schema["minItems"])
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return json.dumps(answer[:size])

    return reply


def sightings(n: int, start: int = 0):
    return tuple(event("Klaus Mueller", f"Klaus Mueller is doing thing {i}")
                 for i in range(start, start + n))  # fmt: skip


def stored(mind) -> dict[str, int]:
    return {n.description: n.importance for n in mind.memory.nodes if n.kind == "event"}


def test_levels_are_the_scores_and_the_prompt_shows_the_scale():
    model = brain(**{ID: scripted(["notable", "routine", "life-changing"])})
    mind = factory(model, importance_batch=1).create(ISABELLA)
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=sightings(3)))
    assert list(stored(mind).values()) == [5, 1, 10]
    prompt = next(r.prompt for r in model.calls if r.prompt_id == ID)
    assert "routine: everyday things" in prompt and "1. Klaus Mueller is doing thing 0" in prompt
    assert mind.state.prompt_counts[ID] == [1, 0, 0, 1]  # answers, copies, fallbacks, calls


def test_an_answer_walking_the_listing_is_refused_at_once_by_default():
    model = brain(**{ID: scripted(WALK, ["minor", "important", "routine"])})
    mind = factory(model, importance_batch=1).create(ISABELLA)
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=sightings(3)))
    assert [r.prompt_id for r in model.calls].count(ID) == 1  # no retry
    assert list(stored(mind).values()) == [IMPORTANCE_FALLBACK] * 3
    assert mind.state.prompt_counts[ID] == [1, 1, 1, 1]  # answers, copies, fallbacks, calls


def test_with_a_retry_the_second_answer_is_used():
    model = brain(**{ID: scripted(WALK, ["minor", "important", "routine"])})
    mind = factory(model, importance_batch=1, importance_retries=1).create(ISABELLA)
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=sightings(3)))
    assert [r.prompt_id for r in model.calls].count(ID) == 2  # the one retry
    assert list(stored(mind).values()) == [3, 7, 1]
    assert mind.state.prompt_counts[ID] == [2, 1, 0, 1]


def test_walking_again_on_the_retry_falls_back_to_the_originals_fail_safe():
    model = brain(**{ID: scripted(WALK, WALK[::-1])})
    mind = factory(model, importance_batch=1, importance_retries=1).create(ISABELLA)
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=sightings(4)))
    assert list(stored(mind).values()) == [IMPORTANCE_FALLBACK] * 4
    assert mind.state.prompt_counts[ID] == [2, 2, 1, 1]  # both answers copied the listing


def test_counting_integers_is_refused_too():
    model = brain(**{ID: scripted([1, 2, 3, 4])})
    mind = factory(model, importance_batch=1).create(ISABELLA)
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=sightings(4)))
    assert list(stored(mind).values()) == [IMPORTANCE_FALLBACK] * 4


def test_a_quiet_agent_on_the_fail_safe_still_reaches_the_papers_threshold():
    """A model that only ever walks the listing gives every sighting 4: the 13th batch of three
    sightings (39 * 4 = 156) passes the paper's 150 and the agent reflects."""
    persona = make_persona(NAME, ISABELLA.living_area, ISABELLA.bed, ISABELLA.workplace, 150)
    model = brain(**{ID: scripted(WALK)})
    mind = factory(model, importance_batch=1).create(persona)
    batches = 0
    while not mind.state.reflections and batches < 20:
        mind.decide(percept(NAME, f"2023-02-13T{10 + batches // 6}:{batches % 6}0:00",
                            (Reason.PERCEIVED,), step=60 * batches,
                            events=sightings(3, 3 * batches)))  # fmt: skip
        batches += 1
    assert batches == 13 and len(stored(mind)) == 39
    assert set(stored(mind).values()) == {IMPORTANCE_FALLBACK}
    assert "reflect.questions.v3" in [r.prompt_id for r in model.calls]


def test_a_reflection_that_stores_nothing_keeps_half_of_its_importance():
    """Every insight refused (it copies a statement): half the accumulator is kept; one that
    stores an insight starts again from 0."""
    persona = make_persona(NAME, ISABELLA.living_area, ISABELLA.bed, ISABELLA.workplace, 20)
    copying = {"reflect.insight.v4": lambda r: json.dumps(
        {"insight": r.prompt.split("\n1. ", 1)[-1].splitlines()[0]})}  # fmt: skip
    model = brain(**{ID: scripted(["life-changing"] * 3)}, **copying)
    mind = factory(model, importance_batch=1).create(persona)
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=sightings(3)))
    assert mind.state.reflections == 1 and mind.memory.importance_since_reflection == 15
    assert not [n for n in mind.memory.nodes if n.kind == "thought"]
    model.routes["reflect.insight.v4"] = brain_routes()["reflect.insight.v4"]  # insights now
    mind.decide(percept(NAME, "2023-02-13T10:10:00", (Reason.PERCEIVED,), step=60,
                        events=sightings(1, 3)))  # fmt: skip
    assert mind.state.reflections == 2 and mind.memory.importance_since_reflection == 0
    assert [n for n in mind.memory.nodes if n.kind == "thought"]
