"""Chat while paused: answered without a step advancing, and the town afterwards equals one
where the same chat was sent at that step while it ran."""

from __future__ import annotations

import threading
import time

from sim_helpers import routine_session, wrapped_session

from engine.agent_api import MessageKind
from engine.dispatcher import ThreadPoolDispatcher
from engine.records import EventKind

AGENT = "Maria Lopez"
QUESTION = "What are you doing today?"


def test_a_chat_while_paused_is_answered_at_once_and_matches_a_running_chat(tmp_path):
    running = routine_session(tmp_path / "a", "running")
    running.sim.run(30)
    running.sim.submit_message(AGENT, MessageKind.CHAT, QUESTION)
    running.sim.run(60)

    gate = threading.Event()
    gate.set()
    paused = wrapped_session(tmp_path / "b", "paused", lambda: gate.wait(10),
                             dispatcher=ThreadPoolDispatcher(2))
    sim = paused.sim
    gate.set()
    sim.run(30)
    gate.clear()
    future = sim.answer_paused(AGENT, QUESTION)
    assert not future.done() and AGENT in sim.thinking()
    assert not sim.serve()  # the mind is still thinking: nothing to apply yet
    gate.set()
    deadline = time.monotonic() + 10
    while not sim.serve() and time.monotonic() < deadline:  # what the window does each frame
        time.sleep(0.001)
    reply = future.result(timeout=0)
    assert reply is not None and reply.agent == AGENT and reply.text and reply.step == 30
    assert sim.step == 30 and sim.replies == [reply]
    sim.run(60)
    assert sim.world_hash() == running.sim.world_hash()
    assert running.sim.replies == [reply]
    running.close()
    paused.close()


def test_the_answered_chat_is_recorded_at_its_step(tmp_path):
    session = routine_session(tmp_path, "recorded")
    sim = session.sim
    records = []
    sim.add_listener(records.append)
    sim.run(10)
    future = sim.answer_paused(AGENT, QUESTION)  # inline minds answer at once
    assert future.done() and sim.step == 10
    whisper = sim.answer_paused(AGENT, "You love jazz", MessageKind.WHISPER)
    assert whisper.result() is None
    sim.run(1)
    at_step = records[-1]
    assert at_step.step == 10
    assert [r.message_id for r in at_step.replies] == [future.result().message_id]
    kinds = [(e.kind, e.detail) for e in at_step.events]
    assert kinds == [(EventKind.USER_MESSAGE, "chat"), (EventKind.USER_MESSAGE, "whisper")]
    session.close()
