"""The `simulacra bench --base` table: both busy fractions, honest reuse and window notes."""

from __future__ import annotations

from cognition.llm import CallLog, CallRecord
from game.bench.cognition import CallsRun, calls_table


def _run(steps: int, *, server: bool, cached: int = 0, instances: int = 2) -> CallsRun:
    log = CallLog()
    log.record(CallRecord("Isabella", "react", "react.v1", 100, 10, 1.0, True, 0, cached))
    return CallsRun(
        description="test", agents=1, start_hhmm="07:00", steps=steps, wall_s=10.0, load_s=0.1,
        first_move_s=0.2, busy_s=8.0, summary=log.summary(steps / 360, ["Isabella"]),
        failed_calls=0, fallbacks=0, instances=instances, any_busy_s=6.0, server=server,
    )  # fmt: skip


def test_table_shows_any_context_and_per_context_busy():
    rows = dict(calls_table(_run(360, server=False, cached=40)))
    assert rows["model busy fraction (any context working)"] == "0.600"
    assert rows["model busy fraction per context (2)"] == "0.400"
    assert rows["prompt tokens saved by prefix reuse"] == "40 (40%)"
    assert "note" not in rows


def test_server_without_reuse_counts_says_so_and_short_windows_are_flagged():
    rows = dict(calls_table(_run(90, server=True, instances=1)))
    assert rows["prompt tokens saved by prefix reuse"] == "not reported by the server"
    assert "start-up, not speed" in rows["note"]
