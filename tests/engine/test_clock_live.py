"""The live clock: no step waits for a mind. A decision that is not in when due is applied at
the first step it is in, that step's record says so, and the run log replays it exactly; the
lockstep clock still waits. Plumbing tests: the minds are scripted stand-ins for a slow model."""

from __future__ import annotations

import threading
import time

from sim_helpers import N3

from cognition.routine import RoutineMindFactory
from engine.agent_api import HERE, Action, Decision, MessageKind, Reason
from engine.dispatcher import ThreadPoolDispatcher
from engine.persistence import RUNLOG, SaveStore
from engine.runlog import open_runlog
from engine.session import open_session
from engine.settings import ClockMode, DecisionLatency, SimSettings

LIVE = SimSettings(clock=ClockMode.LIVE)
PLAN = "writing the day's plan"


class GatedMind:
    """Routine interim actions; every decision waits for `gate`, then the day plan is `PLAN`
    (answers to chat are 'hello')."""

    def __init__(self, inner, gate: threading.Event):
        self.inner, self.name, self.gate = inner, inner.name, gate

    def decide(self, percept):
        self.gate.wait(30)
        replies = tuple((m.message_id, "hello") for m in percept.user_messages
                        if m.kind is MessageKind.CHAT)
        if percept.reasons == (Reason.USER,):
            return Decision(replies=replies)
        return Decision(action=Action(PLAN, "📝", HERE, 120, (self.name, "is", "planning")),
                        replies=replies)

    def interim(self, percept):
        return self.inner.interim(percept)

    def to_state(self):
        return self.inner.to_state()

    def inspect(self):
        return {"memories": [f"planned at {self.inner.last_time_iso}"]}


class GatedFactory:
    kind = "routine"

    def __init__(self, seed, gate):
        self.inner, self.gate = RoutineMindFactory(seed), gate

    def create(self, persona):
        return GatedMind(self.inner.create(persona), self.gate)

    def restore(self, persona, state):
        return GatedMind(self.inner.restore(persona, state), self.gate)


def _session(tmp_path, settings, gate):
    store = SaveStore(saves_root=tmp_path / "saves")
    seed = store.read_base(N3).meta.seed
    return open_session(store, fork=N3, load=None, name="live", factory=GatedFactory(seed, gate),
                        dispatcher=ThreadPoolDispatcher(3), settings=settings)


def _until_minds_done(sim, timeout_s=20.0):
    deadline = time.monotonic() + timeout_s
    while sim.thinking() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_live_clock_keeps_stepping_past_a_due_plan_and_records_where_it_landed(tmp_path):
    gate = threading.Event()
    session = _session(tmp_path, LIVE, gate)
    sim = session.sim
    records = []
    sim.add_listener(records.append)
    due = DecisionLatency().start
    try:
        sim.run(due + 30)  # the plans were due at step 90; no mind has answered
        assert sim.step == due + 30
        assert all(a.thinking and a.action != PLAN for a in sim.last_record.agents)
        assert not any(r.landed for r in records)
    finally:
        gate.set()
    _until_minds_done(sim)
    sim.run(1)
    landing = sim.last_record
    assert landing.step == due + 30
    assert {x.agent for x in landing.landed} == set(sim.order)
    assert all(x.asked_step == 0 and x.due_step == due for x in landing.landed)
    assert all(a.action == PLAN and not a.thinking for a in landing.agents), landing.agents
    sim.runlog.flush()
    with open_runlog(session.path / RUNLOG) as log:  # replay needs no minds
        for record in records + [landing]:
            assert log.record_at(record.step).to_state() == record.to_state()
    session.close()


def test_lockstep_clock_still_waits_for_the_due_plans(tmp_path):
    gate = threading.Event()
    session = _session(tmp_path, SimSettings(), gate)
    sim = session.sim
    due = DecisionLatency().start
    try:
        while sim.poll(50):
            pass
        assert sim.step == due and sim.poll(5) == 0
    finally:
        gate.set()
    sim.run(2)
    assert sim.step == due + 2 and not any(r.landed for r in [sim.last_record])
    assert all(sim.bodies[n].action.description == PLAN for n in sim.order)
    session.close()


def test_live_clock_answers_a_chat_without_holding_the_town(tmp_path):
    gate = threading.Event()
    session = _session(tmp_path, LIVE, gate)
    sim = session.sim
    replies = []
    sim.add_listener(lambda r: replies.extend(r.replies))
    agent = sim.order[0]
    try:
        sim.submit_message(agent, MessageKind.CHAT, "how are you?")
        sim.run(20)  # the mind has not answered: the town goes on
        assert sim.step == 20 and not replies
    finally:
        gate.set()
    _until_minds_done(sim)
    sim.run(3)
    assert [(r.agent, r.text) for r in replies] == [(agent, "hello")]
    assert replies[0].step >= 20
    session.close()


def test_a_save_asked_in_live_mode_waits_for_the_minds_not_the_town(tmp_path):
    gate = threading.Event()
    session = _session(tmp_path, LIVE, gate)
    sim = session.sim
    sim.run(5)
    sim.hold_decisions(True)
    assert not sim.settle()  # minds still thinking: no save yet
    sim.run(10)  # but the town goes on
    gate.set()
    _until_minds_done(sim)
    assert sim.settle() and sim.idle
    session.save()
    sim.hold_decisions(False)
    session.close()
