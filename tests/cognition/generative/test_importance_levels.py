"""Importance as named levels (`importance.batch.v2`) against scripted models: a level per
memory is its score, an answer that walks the prompt's own order is refused, counted as a copy
and answered by the original's fail-safe 4 (a retry only where the settings ask for one), which
still lets a quiet agent reach the paper's reflection threshold."""

from __future__ import annotations

import json

from generative_helpers import ISABELLA, brain, event, factory, make_persona, percept

from cognition.generative.prompts.memory import IMPORTANCE, IMPORTANCE_FALLBACK
from engine.agent_api import Reason

NAME = ISABELLA.name
ID = IMPORTANCE.prompt_id
WALK = ["routine", "minor", "notable", "important", "life-changing"]


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
