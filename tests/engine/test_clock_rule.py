"""The clock rule: a decision asked at step N is due at a step fixed by game time, agents carry
on meanwhile, and the world does not depend on threads, worker counts or how long minds take."""

from __future__ import annotations

import random
import threading
import time

from sim_helpers import N3, N25, routine_session, wrapped_session

from engine.clock import StepRate
from engine.dispatcher import ThreadPoolDispatcher
from engine.settings import DecisionLatency, SimSettings


def _random_sleeps():
    rng = random.Random()  # unseeded on purpose: timings must not matter
    lock = threading.Lock()

    def before():
        with lock:
            delay = rng.uniform(0.0, 0.004)
        time.sleep(delay)

    return before


def test_same_world_inline_or_pooled_with_1_or_8_workers_fast_or_slow_minds(tmp_path):
    steps = 240
    reference = routine_session(tmp_path / "ref", "ref", base=N25)
    reference.sim.run(steps)
    expected = reference.sim.world_hash()
    reference.close()
    for workers in (1, 8):
        slow = wrapped_session(tmp_path / f"w{workers}", "slow", _random_sleeps(), base=N25,
                               dispatcher=ThreadPoolDispatcher(workers))
        slow.sim.run(steps)
        assert slow.sim.world_hash() == expected, f"{workers} workers, slow minds"
        slow.close()


def test_agents_move_while_25_day_plans_are_thought_out_and_the_clock_waits_when_due(tmp_path):
    gate = threading.Event()
    gate.set()  # forking plants the base's history through the minds
    session = wrapped_session(tmp_path, "gated", lambda: gate.wait(20), base=N25,
                              dispatcher=ThreadPoolDispatcher(4))
    gate.clear()
    sim = session.sim
    start = {n: b.tile for n, b in sim.bodies.items()}
    try:
        sim.run(12)  # no decision is due yet: the town goes on although no mind has answered
        assert sim.step == 12
        assert sim.planning_progress() == (0, 25)
        assert len(sim.thinking()) == 25
        moved = [n for n, b in sim.bodies.items() if b.tile != start[n]]
        assert len(moved) >= 5, "agents should walk on their routine while they plan"
        assert all(r.thinking for r in sim.last_record.agents)
        due = DecisionLatency().start
        while sim.poll(50):
            pass
        assert sim.step == due  # the day plans are due now: the clock waits for them
        assert sim.poll(5) == 0
    finally:
        gate.set()
    sim.run(3)
    assert sim.step == due + 3
    assert sim.planning_progress() == (25, 25)
    session.close()


def test_saving_with_decisions_in_flight_then_loading_equals_an_uninterrupted_run(tmp_path):
    straight = routine_session(tmp_path / "a", "straight")
    straight.sim.run(200)
    first = wrapped_session(tmp_path / "b", "halves", _random_sleeps(),
                            dispatcher=ThreadPoolDispatcher(3))
    first.sim.run(40)
    state = first.sim.to_state()
    assert state["engine"]["in_flight"], "decisions asked at step 0 are due later"
    first.save()
    first.close()
    second = wrapped_session(tmp_path / "b", "halves", _random_sleeps(), load=True,
                             dispatcher=ThreadPoolDispatcher(3))
    assert second.sim.step == 40
    second.sim.run(160)
    assert second.sim.world_hash() == straight.sim.world_hash()
    second.close()
    straight.close()


def test_no_latency_applies_each_decision_at_the_step_it_was_asked(tmp_path):
    settings = SimSettings(decision_latency_steps=DecisionLatency.none())
    session = wrapped_session(tmp_path, "lockstep", lambda: None, settings=settings)
    session.sim.run(1)
    assert session.sim.last_record is not None
    assert not any(r.thinking for r in session.sim.last_record.agents)
    assert session.sim.planning_progress() == (3, 3)
    session.close()


def test_steps_per_second_is_measured_on_the_injected_clock():
    now = [100.0]
    rate = StepRate(lambda: now[0], window_s=2.0)
    assert rate.per_s() == 0.0
    for _ in range(40):
        now[0] += 0.05
        rate.tick()
    assert abs(rate.per_s() - 20.0) < 0.6
    now[0] += 5.0
    assert rate.per_s() == 0.0


def test_a_3_agent_base_first_move_needs_no_answer(tmp_path):
    gate = threading.Event()
    gate.set()
    session = wrapped_session(tmp_path, "first-move", lambda: gate.wait(20), base=N3,
                              dispatcher=ThreadPoolDispatcher(2))
    gate.clear()
    try:
        session.sim.run(5)
        assert session.sim.step == 5 and len(session.sim.thinking()) == 3
    finally:
        gate.set()
    session.close()
