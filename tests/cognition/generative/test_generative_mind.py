"""The generative mind end to end against fake models: planning, perception, reacting,
reflection, failures, state round trip and determinism."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta

import numpy as np
from generative_helpers import (
    CAFE,
    ISABELLA,
    KLAUS,
    MARIA,
    brain,
    brain_routes,
    conversation,
    event,
    factory,
    percept,
    view,
)

from cognition.llm.fakes import FailingModel, RoutedModel
from engine.agent_api import Decision, MessageKind, Mind, Reason, UserMessage

NAME = ISABELLA.name


def ids(model: RoutedModel) -> list[str]:
    """Prompt ids called, place stages left out (test_generative_places covers them)."""
    return [r.prompt_id for r in model.calls if not r.prompt_id.startswith("place.")]


def known(mind, address: str) -> bool:
    return mind.spatial.knows(address)


def test_start_asleep_plans_once_and_sleeps_in_bed():
    model = brain()
    mind = factory(model).create(ISABELLA)
    assert isinstance(mind, Mind)
    decision = mind.decide(percept(NAME, "2023-02-13T02:00:00", (Reason.START,)))
    assert ids(model) == ["plan.day.v4"]
    action = decision.action
    assert action.address == ISABELLA.bed and action.duration_min == 300
    assert action.object_state == "being slept in"
    assert any("plan for" in m for m in mind.inspect()["memories"])
    plan_node = mind.memory.recent(1)[0]
    assert plan_node.importance == 5 and "plan" in plan_node.keywords


def test_action_done_decomposes_to_known_place_and_continues_subtasks():
    model = brain()
    mind = factory(model).create(ISABELLA)
    mind.decide(percept(NAME, "2023-02-13T06:00:00", (Reason.START,)))
    first = mind.decide(percept(NAME, "2023-02-13T07:00:00", (Reason.ACTION_DONE,), step=10))
    assert ids(model) == ["plan.day.v4", "plan.decompose.v3"]
    req = model.calls[-1]
    assert req.agent == NAME and req.purpose == "plan.decompose" and req.schema is not None
    action = first.action
    assert known(mind, action.address)
    assert sum(s.minutes for s in mind.state.subtasks) == 60  # one hour window per call
    assert action.duration_min == mind.state.subtasks[0].minutes
    assert action.event == (NAME, "is", "getting started")
    # the next subtask needs no call
    later = 7 * 60 + action.duration_min
    second = mind.decide(
        percept(
            NAME,
            f"2023-02-13T{later // 60:02d}:{later % 60:02d}:00",
            (Reason.ACTION_DONE,),
            step=70,
        )
    )
    assert len(ids(model)) == 2
    assert second.action.description == "working with focus"
    assert second.action.duration_min == mind.state.subtasks[1].minutes
    sched = mind.inspect()["schedule"]
    assert sum(1 for row in sched if row["current"]) == 1


def test_model_cannot_name_an_unknown_place_or_a_junk_activity():
    junk = json.dumps({"subtasks": [
        {"task": "the Ville:Hobbs Cafe:cafe:behind the cafe counter", "minutes": 10, "emoji": "☕"},
        {"task": "the Willows Market and Pharmacy", "minutes": 10, "emoji": "🏪"},
        {"task": "affects low-w", "minutes": 10, "emoji": "x"},
    ]})  # fmt: skip
    narnia = json.dumps({"area": "Narnia"})
    model = brain(**{"plan.decompose.v3": junk, "place.sector.v1": narnia,
                     "place.arena.v1": narnia, "place.object.v1": narnia})  # fmt: skip
    mind = factory(model).create(ISABELLA)
    decision = mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.START,)))
    assert decision.action.description == "working on projects"  # the hourly plan's activity
    assert known(mind, decision.action.address) and "Narnia" not in decision.action.address
    assert {s.task for s in mind.state.subtasks} == {"working on projects"}
    texts = [n.description for n in mind.memory.nodes]
    assert not any("the Ville:" in t or "Pharmacy" in t or "low-w" in t for t in texts)


def test_failing_model_still_lives_a_day():
    model = FailingModel()
    mind = factory(model).create(ISABELLA)
    step, minute = 0, 0
    fallbacks = 0
    reasons = (Reason.START,)
    while minute < 24 * 60:
        time_iso = f"2023-02-13T{minute // 60:02d}:{minute % 60:02d}:00"
        d = mind.decide(
            percept(
                NAME,
                time_iso,
                reasons,
                step=step,
                events=(event("Klaus Mueller", "Klaus Mueller is reading"),),
            )
        )
        assert d.action is not None and d.action.duration_min >= 1 and d.action.address
        fallbacks += d.fallbacks
        minute += d.action.duration_min
        step += d.action.duration_min * 6
        reasons = (Reason.ACTION_DONE, Reason.PERCEIVED)
    assert fallbacks >= 2
    turn = mind.decide(
        percept(
            NAME,
            "2023-02-14T10:00:00",
            (Reason.CONVERSATION_TURN,),
            conversation=conversation(1, KLAUS.name, NAME, [(KLAUS.name, "hi")]),
        )
    )
    # the failed choice is covered by a rule: a greeting back and a question, made by templates
    assert turn.say and turn.say.startswith("Hi Klaus!") and turn.fallbacks >= 1
    assert mind.state.line_by.via == "fallback.dialogue"


def test_importance_batched_and_cached():
    model = brain()
    mind = factory(model, importance_batch=1).create(ISABELLA)
    events = (
        event(f"{CAFE}:piano", "piano is idle"),
        event("Klaus Mueller", "Klaus Mueller is reading"),
        event("Maria Lopez", "Maria Lopez is drinking coffee"),
    )
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=events))
    assert ids(model) == ["importance.batch.v2"]
    assert "1. Klaus Mueller is reading" in model.calls[0].prompt
    assert "piano is idle" not in model.calls[0].prompt
    mind.decide(percept(NAME, "2023-02-13T10:01:00", (Reason.PERCEIVED,), step=6, events=events))
    assert ids(model) == ["importance.batch.v2"]  # cached: no second call
    stored = [n for n in mind.memory.nodes if n.kind == "event"]
    assert [n.importance for n in stored[:3]] == [1, 3, 3]


def test_seen_places_grow_spatial_memory():
    mind = factory(brain()).create(ISABELLA)
    new = "the Ville:Harvey Oak Supply Store:supply store:supply store counter"
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), seen_places=(new,)))
    assert mind.spatial.knows(new)


def test_reflection_fires_at_threshold_with_evidence():
    routes = brain_routes(
        **{"importance.batch.v2": lambda r: json.dumps(["important"] * r.schema["minItems"])}
    )
    model = RoutedModel(routes)
    persona = ISABELLA.__class__(
        **{**{f: getattr(ISABELLA, f) for f in ISABELLA.__slots__}, "reflection_threshold": 20}
    )
    mind = factory(model, importance_batch=1).create(persona)
    evs = (
        event("Klaus Mueller", "Klaus Mueller is writing a paper"),
        event("Maria Lopez", "Maria Lopez is streaming a game"),
    )
    mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), events=evs[:1]))
    assert "reflect.questions.v3" not in ids(model)  # 7 < 20
    mind.decide(percept(NAME, "2023-02-13T10:10:00", (Reason.PERCEIVED,), step=60, events=evs[1:]))
    assert "reflect.questions.v3" not in ids(model)  # 14 < 20
    evs2 = (event("Klaus Mueller", "Klaus Mueller is eating lunch"),)
    d = mind.decide(
        percept(NAME, "2023-02-13T10:20:00", (Reason.PERCEIVED,), step=120, events=evs2)
    )
    assert "reflect.questions.v3" in ids(model) and "reflect.insight.v4" in ids(model)
    assert "reflected" in d.notes
    assert mind.memory.importance_since_reflection == 0
    insight = mind.memory.recent(1)[0]
    assert insight.description.startswith("Isabella keeps thinking about how ")
    assert insight.evidence and insight.depth == 1
    cited = {n.node_id: n.description for n in mind.memory.nodes}
    assert all(cited[i] in insight.description for i in insight.evidence[:1])
    assert mind.inspect()["reflections"] == [insight.description]


def test_react_talk_then_cooldown_and_decline():
    model = brain()
    mind = factory(model).create(ISABELLA)
    p = percept(NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), nearby_agents=(view(KLAUS.name),))
    assert mind.decide(p).talk_to == KLAUS.name
    assert ids(model) == ["react.decide.v4"]
    mind.decide(
        percept(
            NAME,
            "2023-02-13T10:01:00",
            (Reason.PERCEIVED,),
            step=6,
            nearby_agents=(view(KLAUS.name),),
        )
    )
    assert ids(model) == ["react.decide.v4"]  # cooldown: not asked again
    declining = brain(**{"react.decide.v4": '{"talk": "no"}'})
    mind2 = factory(declining).create(ISABELLA)
    d = mind2.decide(p)
    assert d.talk_to is None and d.action is None
    asleep = percept(
        NAME,
        "2023-02-13T10:00:00",
        (Reason.PERCEIVED,),
        nearby_agents=(view(KLAUS.name, "sleeping", sleeping=True),),
    )
    assert factory(brain()).create(ISABELLA).decide(asleep) == Decision()


def test_nobody_is_asked_into_a_talk_within_half_an_hour_of_their_last():
    model = brain()
    mind = factory(model).create(ISABELLA)
    mind.state.last_talk_step = 100  # Isabella's own last conversation ended at step 100
    at = lambda step, *views: percept(  # noqa: E731
        NAME, "2023-02-13T10:00:00", (Reason.PERCEIVED,), step=step, nearby_agents=views)
    assert mind.decide(at(279, view(KLAUS.name))).talk_to is None
    assert ids(model) == []  # not even asked
    assert mind.decide(at(280, view(KLAUS.name))).talk_to == KLAUS.name  # half an hour later
    fresh = factory(brain()).create(ISABELLA)
    just_talked = dataclasses.replace(view(KLAUS.name), distance=1.0, last_talk_step=200)
    free = dataclasses.replace(view(MARIA.name), distance=3.0, last_talk_step=99)
    assert fresh.decide(at(280, just_talked, free)).talk_to == MARIA.name  # the nearer one rests


def test_user_chat_and_whisper():
    model = brain()
    mind = factory(model).create(ISABELLA)
    msgs = (
        UserMessage(MessageKind.WHISPER, "You are planning a party", 1),
        UserMessage(MessageKind.CHAT, "How are you?", 2),
    )
    d = mind.decide(percept(NAME, "2023-02-13T10:00:00", (Reason.USER,), user_messages=msgs))
    # the scripted model picks the first offered sentence: plumbing only, the words are a rule's
    (message_id, reply), = d.replies
    assert message_id == 2 and reply and "How are you" not in reply
    texts = [n.description for n in mind.memory.nodes]
    assert "Isabella Rodriguez is planning a party" in texts
    assert any("How are you?" in t for t in texts)
    answer = mind.answer("What are you doing?", "2023-02-13T11:00:00", remember=False)
    assert answer.text and str(answer.by) == "choice:interview.choice.v1"
    assert mind.interview("What are you doing?", "2023-02-13T11:00:00") == answer.text
    assert mind.load_history(["You like jazz", "You and Klaus Mueller are friends"]) == 2
    assert (
        mind.memory.recent(1)[0].description == "Isabella Rodriguez and Klaus Mueller are friends"
    )


def iso(minute: int) -> str:
    return (datetime(2023, 2, 13) + timedelta(minutes=minute)).isoformat()


def run_day(mind, hours: int = 12):
    """Drive a mind through `hours` with action ends, perceptions and a visitor; return decisions."""
    out = []
    step, minute = 0, 6 * 60
    reasons = (Reason.START,)
    end = minute + hours * 60
    while minute < end:
        time_iso = iso(minute)
        evs = (event("Klaus Mueller", f"Klaus Mueller is busy with task {minute // 120}"),)
        near = (view(KLAUS.name),) if minute // 60 == 12 else ()
        d = mind.decide(percept(NAME, time_iso, reasons, step=step, events=evs, nearby_agents=near))
        out.append(d)
        minute += d.action.duration_min if d.action else 5
        step = (minute - 6 * 60) * 6
        reasons = (Reason.ACTION_DONE, Reason.PERCEIVED)
    return out


def test_state_round_trip_exact():
    fac = factory(brain())
    mind = fac.create(ISABELLA)
    run_day(mind, hours=4)
    mind.whisper("You love the piano", "2023-02-13T11:00:00")
    state = mind.to_state()
    restored = fac.restore(ISABELLA, state).to_state()
    at_a, at_b = state["memory"].pop("last_accessed"), restored["memory"].pop("last_accessed")
    np.testing.assert_array_equal(at_a, at_b)
    assert restored == state  # memory segments compare by name: a digest of their bytes
    json.dumps(state, default=lambda sealed: sealed.name)  # the rest is JSON-able


def test_determinism_same_seed_same_mind():
    def run(seed):
        model = brain()
        mind = factory(model, seed=seed).create(ISABELLA)
        decisions = run_day(mind, hours=6)
        return decisions, [n.to_dict() for n in mind.memory.nodes], [r.seed for r in model.calls]

    a, b, c = run(3), run(3), run(4)
    assert a == b
    assert a[2] != c[2]  # seeds depend on the factory seed


def test_call_budget_over_a_day():
    model = brain()
    mind = factory(model).create(ISABELLA)
    run_day(mind, hours=24)
    calls = len(model.calls)
    tokens = sum(len(r.prompt + r.system) // 4 + 1 + r.max_tokens // 2 for r in model.calls)
    assert calls / 24 <= 4
    assert tokens / 24 <= 4000


def test_chroma_backed_factory_round_trips():
    from cognition.generative import GenerativeMindFactory
    from cognition.llm.fakes import HashEmbedder
    from cognition.memory.chroma_index import make_client

    fac = GenerativeMindFactory(brain(), HashEmbedder(64), seed=1, chroma_client=make_client())
    mind = fac.create(ISABELLA)
    mind.whisper("You are planning a Valentine's Day party", "2023-02-13T08:00:00")
    run_day(mind, hours=2)
    state = mind.to_state()
    again = fac.restore(ISABELLA, state)
    found = again.memory.retrieve(["Valentine party"], datetime(2023, 2, 13, 9), 3)
    assert any("Valentine" in n.description for n in found)


def test_a_new_day_revises_currently_before_the_day_plan():
    model = brain()
    mind = factory(model).create(ISABELLA)
    mind.decide(percept(NAME, "2023-02-13T02:00:00", (Reason.START,)))
    assert "plan.revise.v1" not in ids(model)  # the first day keeps the persona's "currently"
    mind.decide(percept(NAME, "2023-02-14T02:00:00", (Reason.ACTION_DONE,), step=8640))
    assert ids(model)[-2:] == ["plan.revise.v1", "plan.day.v4"]
    assert mind.state.currently == "Isabella is looking forward to a new day"
    assert "Currently: Isabella is looking forward to a new day" in model.calls[-1].prompt
    restored = factory(model).restore(ISABELLA, mind.to_state())
    assert restored.state.currently == mind.state.currently


def test_half_hour_routine_blocks_survive_an_hourly_plan():
    from engine.personas import load_personas
    from pathlib import Path

    n3 = Path(__file__).resolve().parents[3] / "saves" / "base_the_ville_isabella_maria_klaus"
    klaus = load_personas(n3 / "personas", ["Klaus Mueller"])[0]
    routine_day = json.dumps({"wake_up": "07:00", "day_plan": [], "hourly": [
        {"hour": h, "activity": "sleeping" if h < 7 else
         {7: "taking a shower", 8: "researching gentrification for his paper"}.get(h, "reading")}
        for h in range(24)]})  # fmt: skip
    mind = factory(brain(**{"plan.day.v4": routine_day})).create(klaus)
    mind.decide(percept(klaus.name, "2023-02-13T07:00:00", (Reason.START,)))
    assert mind.state.chunk_activity == "taking a shower"
    assert sum(s.minutes for s in mind.state.subtasks) == 30  # the routine's block ends at 07:30
    later = mind.decide(percept(klaus.name, "2023-02-13T07:30:00", (Reason.ACTION_DONE,), step=180))
    assert "Hobbs Cafe" in later.action.address  # breakfast at the cafe, as his routine says

