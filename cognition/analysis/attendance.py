"""Who came to an event: the paper's coordination measure ("5 of the 12 invited agents
attended"), read from what the run showed, not from what the minds planned.

An agent attended a topic's event when, for at least `ATTEND_MINUTES` game minutes in all, its
shown action mentions the topic (the `diffusion.mentions` rule: "going to the Valentine's Day
party at Hobbs Cafe") while it stood at that action's place or in its room (the run log's
arrival "there" or "near"). Walking there does not count, nor does a plan nobody followed.
Each game day is counted apart (preparing a party the day before is a visit of that day).
Those who heard of it are the agents whose first memory of the topic came during the run; those
who knew at the start (the host who thought of it) are counted apart, as in the paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from cognition.analysis.data import RunData
from cognition.analysis.diffusion import Awareness, mentions, topic_words

ATTEND_MINUTES = 15
PRESENT = ("there", "near")


@dataclass(frozen=True, slots=True)
class Visit:
    """One agent's time there for the event on one game day."""

    first: datetime  # the first moment it was there for the event that day
    last: datetime  # the end of its last stretch there that day
    minutes: float


@dataclass(frozen=True, slots=True)
class Attendance:
    topic: str
    visits: dict[str, tuple[Visit, ...]]  # agents who attended: their days there, in order
    knew_at_start: tuple[str, ...]
    heard: tuple[str, ...]  # first memory of it during the run

    def attended_of_heard(self) -> tuple[int, int]:
        """(how many of those who heard of it during the run came, how many heard)."""
        return sum(1 for a in self.heard if a in self.visits), len(self.heard)

    def to_json(self) -> dict:
        came, heard = self.attended_of_heard()
        return {
            "attended": {a: [{"first": v.first.isoformat(), "last": v.last.isoformat(),
                              "minutes": round(v.minutes, 1)} for v in days]
                         for a, days in self.visits.items()},
            "knew_at_start": list(self.knew_at_start), "heard": list(self.heard),
            "attended_of_heard": [came, heard],
        }  # fmt: skip


def attendance(data: RunData, known: Awareness) -> Attendance:
    """Who attended `known.topic`'s event, and who had heard of it (see the module docstring)."""
    words = topic_words(known.topic)
    seconds: dict[tuple[str, date], float] = {}
    first: dict[tuple[str, date], datetime] = {}
    last: dict[tuple[str, date], datetime] = {}
    for stay in data.stays:
        if stay.arrival not in PRESENT or not mentions(stay.action, words):
            continue
        key = (stay.agent, stay.start.date())
        seconds[key] = seconds.get(key, 0.0) + stay.seconds
        first.setdefault(key, stay.start)
        last[key] = stay.start + timedelta(seconds=stay.seconds)
    visits: dict[str, list[Visit]] = {}
    for key in sorted(seconds, key=lambda k: (k[1], k[0])):
        if seconds[key] >= ATTEND_MINUTES * 60:
            visits.setdefault(key[0], []).append(Visit(first[key], last[key], seconds[key] / 60))
    at_start = tuple(a for a, t in known.since.items() if t is not None and t <= data.start)
    heard = tuple(a for a, t in known.since.items() if t is not None and t > data.start)
    return Attendance(known.topic, {a: tuple(visits[a]) for a in data.agents if a in visits},
                      at_start, heard)
