"""Readers take no lock: a run-log line that a run is still appending is never half-seen."""

from __future__ import annotations

from engine.runlog import open_runlog
from tests.integration.test_replay import routine_session, store  # noqa: F401


def test_a_reader_sees_the_log_up_to_its_last_complete_line(tmp_path):
    session = routine_session(tmp_path, "appending")
    session.sim.run(60)
    path = session.save()
    session.close()
    log_path = path / "runlog.jsonl"
    whole = log_path.read_bytes()
    with open_runlog(log_path) as log:
        last = log.steps()[-1]
        expected = log.record_at(last)
    with open(log_path, "ab") as handle:  # a writer in the middle of its next line
        handle.write(b'{"step": 61, "time": "2023-02-13T07:10:10", "agents": {"Isab')
    with open_runlog(log_path) as log:
        assert log.steps()[-1] == last
        assert log.record_at(last) == expected
        assert len(list(log.iter_records(log.steps()[0], last))) == last - log.steps()[0] + 1
    assert log_path.read_bytes().startswith(whole)
