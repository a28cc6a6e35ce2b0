"""`analyze` says who came to a topic's event from what the run showed: an action naming it,
standing at its place or in its room long enough; walking there or a plan does not count."""

from __future__ import annotations

from datetime import datetime, timedelta

from cognition.analysis.attendance import attendance
from cognition.analysis.data import Memory, RunData, Stay, stays_from_records
from cognition.analysis.diffusion import awareness

T = datetime(2023, 2, 14, 16, 0)
PARTY = "Valentine's Day party"
AGENTS = ("Isabella Rodriguez", "Klaus Mueller", "Maria Lopez", "Sam Moore")


def heard(agent: str, when: datetime) -> Memory:
    return Memory(agent, 1, "chat", when, "Isabella is hosting a Valentine's Day party",
                  "", "", (), ())


def run(stays: list[Stay]) -> RunData:
    start = T - timedelta(hours=30)
    memories = {"Isabella Rodriguez": [heard("Isabella Rodriguez", start)],
                "Klaus Mueller": [heard("Klaus Mueller", start + timedelta(hours=1))],
                "Maria Lopez": [heard("Maria Lopez", start + timedelta(hours=5))],
                "Sam Moore": []}
    return RunData("x", AGENTS, start, T + timedelta(hours=4), memories, {}, [], stays=stays)


def test_only_those_there_for_the_event_long_enough_attended():
    party = "going to the Valentine's Day party at Hobbs Cafe"
    stays = [
        Stay("Isabella Rodriguez", T + timedelta(hours=1), 7200,
             "hosting the Valentine's Day party", "the Ville:Hobbs Cafe:cafe", "there"),
        Stay("Klaus Mueller", T + timedelta(minutes=50), 600, party, "the Ville", "going"),
        Stay("Klaus Mueller", T + timedelta(hours=1), 5400, party, "the Ville:Hobbs Cafe:cafe",
             "near"),
        Stay("Maria Lopez", T + timedelta(hours=1), 3600, party, "the Ville", "going"),
        Stay("Maria Lopez", T + timedelta(hours=2), 600, party, "the Ville:Hobbs Cafe:cafe",
             "there"),  # ten minutes: not enough
        Stay("Sam Moore", T + timedelta(hours=1), 7200, "having dinner",
             "the Ville:Hobbs Cafe:cafe", "there"),  # there, but not for the party
    ]
    data = run(stays + [Stay("Isabella Rodriguez", T - timedelta(hours=24), 3600,
                             "planning the Valentine's Day party", "the Ville:Hobbs Cafe:cafe",
                             "there")])  # the day before: a visit of its own
    came = attendance(data, awareness(data, PARTY))
    assert [v.first for v in came.visits["Isabella Rodriguez"]] == [
        T - timedelta(hours=24), T + timedelta(hours=1)]
    assert list(came.visits) == ["Isabella Rodriguez", "Klaus Mueller"]
    (klaus,) = came.visits["Klaus Mueller"]
    assert klaus.first == T + timedelta(hours=1) and klaus.minutes == 90
    assert came.knew_at_start == ("Isabella Rodriguez",)
    assert came.heard == ("Klaus Mueller", "Maria Lopez")
    assert came.attended_of_heard() == (1, 2)


def test_stays_follow_the_run_logs_changes_of_action_room_and_arrival():
    records = [
        {"step": 0, "agents": {"A": {"action": "party", "place": "street", "arrival": "going"}}},
        {"step": 6, "agents": {"A": {"xy": [1, 2]}}},  # a move alone is no new stay
        {"step": 12, "agents": {"A": {"place": "cafe", "arrival": "there"}}},
    ]
    stays = stays_from_records(records, 10, T, 30)
    assert [(s.place, s.arrival, s.seconds) for s in stays] == [
        ("street", "going", 120), ("cafe", "there", 180)]
