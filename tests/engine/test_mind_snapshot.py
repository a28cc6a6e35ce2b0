"""Mind snapshots: frozen values a mind makes on its own thread after each decision, carried
to the window in the step records and written to the run log when they change."""

from __future__ import annotations

import threading

from sim_helpers import routine_session

from engine.dispatcher import ThreadPoolDispatcher
from engine.mind_snapshot import MindSnapshot, ScheduleBlock
from engine.persistence import RUNLOG
from engine.records import StepRecord
from engine.runlog import open_runlog


def test_a_snapshot_round_trips_and_reads_like_inspect():
    snap = MindSnapshot(
        "Klaus Mueller", 42, (ScheduleBlock("07:00", "breakfast", "the Ville:a:b", True),),
        ("saw Maria", "ate"), ("Klaus cares about research",), (("Maria Lopez", "a friend"),),
        "reading")
    assert MindSnapshot.from_state(snap.to_state()) == snap
    data = snap.as_inspect()
    assert MindSnapshot.from_inspect("Klaus Mueller", 42, data) == snap
    assert data["relationships"] == {"Maria Lopez": "a friend"}
    record = StepRecord(3, "2023-02-13T00:00:30", (), minds=(snap,))
    assert StepRecord.from_state(record.to_state()) == record


def test_snapshots_are_taken_on_the_minds_thread_and_published_in_records_and_the_log(
        tmp_path):
    session = routine_session(tmp_path, "snap", dispatcher=ThreadPoolDispatcher(2))
    sim = session.sim
    threads = set()
    for mind in sim.minds.values():
        inspect = mind.inspect

        def spy(inspect=inspect):
            threads.add(threading.current_thread().name)
            return inspect()

        mind.inspect = spy
    records = []
    sim.add_listener(records.append)
    sim.run(400)
    published = [(r.step, m) for r in records for m in r.minds]
    assert {m.agent for _, m in published} == set(sim.order)  # the loaded minds, at step 0
    assert [s for s, _ in published if s > 0], "decisions applied later publish new snapshots"
    assert threads and all(t.startswith("mind") for t in threads), threads
    for name in sim.order:
        newest = [m for _, m in published if m.agent == name][-1]
        assert sim.mind_snapshot(name) == newest
    sim.runlog.flush()
    with open_runlog(session.path / RUNLOG) as log:
        for step, snapshot in published:
            assert snapshot in log.record_at(step).minds
    session.close()
