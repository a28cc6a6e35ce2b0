"""Who knows a topic and since when, and who has talked with whom: the paper's two diffusion
measures (information diffusion and relationship formation), read from a save's memories.

An agent knows a topic from the first memory that mentions it: a memory mentions a topic when it
holds at least two thirds of the topic's content words ("Valentine's Day party" -> valentine,
day, party: any two). The network links two agents from their first conversation; its density is
2|E| / (|V| (|V| - 1)) as in the paper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from cognition.analysis.data import RunData, conversations
from cognition.memory.stream import content_words


def topic_words(topic: str) -> frozenset[str]:
    return content_words(topic)


def mentions(text: str, words: frozenset[str]) -> bool:
    if not words:
        return False
    need = max(1, math.ceil(len(words) * 2 / 3))
    return len(words & content_words(text)) >= need


@dataclass(frozen=True, slots=True)
class Awareness:
    topic: str
    since: dict[str, datetime | None]  # agent -> first memory mentioning the topic

    def aware_at(self, when: datetime) -> int:
        return sum(1 for t in self.since.values() if t is not None and t <= when)

    def share_at(self, when: datetime) -> float:
        return self.aware_at(when) / len(self.since) if self.since else 0.0


def awareness(data: RunData, topic: str) -> Awareness:
    words = topic_words(topic)
    since: dict[str, datetime | None] = {}
    for agent in data.agents:
        times = [m.created for m in data.memories.get(agent, []) if mentions(m.description, words)]
        since[agent] = min(times) if times else None
    return Awareness(topic, since)


def timeline(data: RunData, step: timedelta = timedelta(hours=1)) -> list[datetime]:
    """Sample times from the run's start to its end (both included)."""
    out, when = [], data.start
    while when < data.end:
        out.append(when)
        when += step
    out.append(data.end)
    return out


@dataclass(frozen=True, slots=True)
class Network:
    agents: tuple[str, ...]
    first_talk: dict[tuple[str, str], datetime]  # sorted pair -> first conversation
    talks: dict[tuple[str, str], int]  # sorted pair -> conversations

    def edges_at(self, when: datetime) -> int:
        return sum(1 for t in self.first_talk.values() if t <= when)

    def density_at(self, when: datetime) -> float:
        n = len(self.agents)
        return 2 * self.edges_at(when) / (n * (n - 1)) if n > 1 else 0.0

    def per_agent(self) -> dict[str, int]:
        out = {a: 0 for a in self.agents}
        for pair, count in self.talks.items():
            for agent in pair:
                if agent in out:
                    out[agent] += count
        return out


def network(data: RunData) -> Network:
    first: dict[tuple[str, str], datetime] = {}
    talks: dict[tuple[str, str], int] = {}
    for when, pair, _ in conversations(data):
        first.setdefault(pair, when)
        talks[pair] = talks.get(pair, 0) + 1
    return Network(data.agents, first, talks)


def time_by_place(data: RunData) -> dict[str, dict[str, float]]:
    """Agent -> sector -> game hours spent there (by the action's address)."""
    out: dict[str, dict[str, float]] = {a: {} for a in data.agents}
    for span in data.spans:
        parts = span.address.split(":")
        place = parts[1] if len(parts) > 1 else (span.address or "unknown")
        row = out.setdefault(span.agent, {})
        row[place] = row.get(place, 0.0) + span.seconds / 3600
    return out
