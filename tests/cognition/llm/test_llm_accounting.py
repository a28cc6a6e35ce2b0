"""Call records, summaries per agent per game hour, and outcome counters."""

from __future__ import annotations

import threading

import pytest

from cognition.llm import (
    AccountedModel,
    CallLog,
    CallRecord,
    CallStats,
    FailingModel,
    ModelError,
    Request,
    RoutedModel,
)


def req(agent: str, purpose: str, step: int = 0) -> Request:
    return Request(
        prompt="x" * 40, purpose=purpose, prompt_id=purpose + ".v1", agent=agent, step=step
    )


def test_accounted_model_records_successes_and_failures():
    log = CallLog()
    ok = AccountedModel(RoutedModel({}, default="y" * 8), log)
    bad = AccountedModel(FailingModel(), log, clock=iter([1.0, 3.5, 3.5]).__next__)
    assert ok.complete(req("Isabella", "plan.hourly", step=7)).text == "y" * 8
    with pytest.raises(ModelError):
        bad.complete(req("Klaus", "react"))
    first, second = log.records()
    assert first == CallRecord("Isabella", "plan.hourly", "plan.hourly.v1", 11, 3, 0.0, True, 7)
    assert (second.ok, second.latency_s, second.tokens) == (False, 2.5, 0)


def test_summary_per_agent_per_game_hour_and_by_purpose():
    log = CallLog()
    for agent, purpose, p, c, lat in [
        ("Isabella", "plan.hourly", 100, 20, 1.0),
        ("Isabella", "react", 50, 10, 0.5),
        ("Klaus", "react", 50, 10, 0.5),
        ("Klaus", "react", 50, 10, 0.5),
    ]:
        log.record(CallRecord(agent, purpose, purpose, p, c, lat, True, 0))
    summary = log.summary(game_hours=2.0, agents=["Isabella", "Klaus", "Maria"])
    assert summary.total.calls == 4 and summary.total.tokens == 300
    assert summary.calls_per_agent_hour == pytest.approx(4 / 6)
    assert summary.tokens_per_agent_hour == pytest.approx(50.0)
    assert summary.per_agent["Maria"].calls == 0
    assert summary.per_agent["Klaus"].prompt_tokens == 100
    assert list(summary.by_purpose) == ["plan.hourly", "react"]
    assert log.busy_seconds() == pytest.approx(2.5)


def test_any_busy_seconds_counts_overlapping_calls_once():
    """Two contexts answering at once are one busy stretch; a gap between calls is idle."""
    log = CallLog()
    a = log.begin(req("Isabella", "react"), 0.0)
    b = log.begin(req("Klaus", "react"), 1.0)  # overlaps a
    log.end(a, 2.0)
    assert log.any_busy_seconds() == 0.0  # b still running: a stretch counts when it ends
    assert log.any_busy_seconds(now_s=2.5) == pytest.approx(2.5)
    log.end(b, 3.0)
    c = log.begin(req("Maria", "react"), 5.0)  # after 2 idle seconds
    log.end(c, 6.0)
    assert log.any_busy_seconds() == pytest.approx(4.0)
    assert log.in_flight() == ()


def test_summary_with_no_time_or_agents_is_zero_not_an_error():
    assert CallLog().summary(0.0, []).calls_per_agent_hour == 0.0


def test_call_log_is_thread_safe():
    log = CallLog()

    def work():
        for _ in range(500):
            log.record(CallRecord("a", "p", "p", 1, 1, 0.0, True, 0))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(log.records()) == 2000


def test_call_stats_count_and_round_trip():
    stats = CallStats()
    for outcome, purpose in [("ok", "a"), ("ok", "a"), ("repaired", "b"), ("model_error", "a")]:
        stats.count(outcome, purpose)
    assert stats.counts() == {"ok": 2, "repaired": 1, "fallback": 0, "model_error": 1}
    assert stats.failures == 1
    again = CallStats.from_state(stats.to_state())
    assert again.to_state() == stats.to_state()
    assert again.by_purpose()["a"] == {"ok": 2, "model_error": 1}
    with pytest.raises(ValueError):
        stats.count("bogus")
