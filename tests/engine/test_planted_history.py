"""A fresh fork's history is told with each agent's first decision, not before the first step:
forking asks no mind anything, the statements wait in the world (and in a save), and they reach
the minds with the first plan, on the thread pool, while the town already moves."""

from __future__ import annotations

import threading

from engine.agent_api import MessageKind, Reason
from engine.dispatcher import ThreadPoolDispatcher
from tests.engine.sim_helpers import N25, wrapped_session


def test_forking_asks_no_mind_and_the_history_arrives_with_the_first_plan(tmp_path):
    asked: list = []
    lock = threading.Lock()

    def before():
        with lock:
            asked.append(1)

    session = wrapped_session(tmp_path, "fresh", before, base=N25,
                              dispatcher=ThreadPoolDispatcher(4))
    sim = session.sim
    assert not asked, "forking must not wait for any mind"
    queued = {name: list(body.history) for name, body in sim.bodies.items()}
    assert sum(map(len, queued.values())) > 0
    state = sim.to_state()  # a fork saved before its first step keeps what is still to be told
    assert state["engine"]["bodies"]["Isabella Rodriguez"]["history"] == queued[
        "Isabella Rodriguez"]
    seen: dict = {}
    for mind in sim.minds.values():
        inner = mind.inner.decide

        def spy(percept, inner=inner):
            whispers = [m.text for m in percept.user_messages if m.kind is MessageKind.WHISPER]
            if whispers:
                seen[percept.agent] = (percept.reasons, whispers)
            return inner(percept)

        mind.inner.decide = spy
    sim.run(1)
    assert not any(body.history for body in sim.bodies.values())
    sim.run(sim.settings.decision_latency_steps.start)
    for name, statements in queued.items():
        if statements:
            reasons, whispers = seen[name]
            assert Reason.START in reasons and Reason.USER in reasons
            assert whispers == statements
    session.close()
