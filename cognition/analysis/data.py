"""Reading a save for analysis: meta, mind states (memories) and the run log's action timeline,
with who made each action, line and answer (`engine.provenance`, as "source:via" strings;
"rule:unknown" where a save or log predates provenance)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from engine.clock import parse_time
from cognition.memory.state import node_dicts
from engine.persistence import read_save
from engine.runlog import read_runlog

CHAT_PREDICATE = "chat with"
USER = "the user"
SAME_TALK = timedelta(minutes=10)  # both sides' memories of one conversation
UNKNOWN_BY = "rule:unknown"


def by_text(state: Any) -> str:
    """A logged provenance (`[source, via]`) as "source:via"; UNKNOWN_BY when absent/odd."""
    if isinstance(state, list | tuple) and len(state) == 2 and all(
            isinstance(s, str) for s in state):
        return f"{state[0]}:{state[1]}" if state[1] else state[0]
    return UNKNOWN_BY


@dataclass(frozen=True, slots=True)
class Memory:
    """One memory node as stored in the save."""

    agent: str
    node_id: int
    kind: str
    created: datetime
    description: str
    predicate: str
    object: str
    keywords: tuple[str, ...]
    filling: tuple[tuple[str, str], ...]
    by: str = UNKNOWN_BY  # who made the text
    importance_by: str = UNKNOWN_BY  # who rated its importance


@dataclass(frozen=True, slots=True)
class Span:
    """An agent doing one action at one address from `start` for `seconds` game seconds."""

    agent: str
    start: datetime
    seconds: float
    action: str
    address: str
    by: str = UNKNOWN_BY  # who made the action


@dataclass(frozen=True, slots=True)
class Stay:
    """An agent showing one action in one room with one arrival state (engine.records:
    "there" at the action's place, "near" in its room, "going", "away" or "" for none)."""

    agent: str
    start: datetime
    seconds: float
    action: str
    place: str
    arrival: str


@dataclass(frozen=True, slots=True)
class Said:
    """A dialogue line said at a step, or an answer to the user, and who made it."""

    agent: str
    step: int
    text: str
    by: str


@dataclass(frozen=True, slots=True)
class RunData:
    name: str
    agents: tuple[str, ...]
    start: datetime
    end: datetime
    memories: dict[str, list[Memory]]
    minds: dict[str, dict[str, Any]]
    spans: list[Span]
    lines: list[Said] = field(default_factory=list)  # dialogue lines, as the run log has them
    replies: list[Said] = field(default_factory=list)  # answers to the user's chat
    step_s: int = 10
    stays: list[Stay] = field(default_factory=list)  # action, room and arrival over time

    @property
    def game_hours(self) -> float:
        return max(0.0, (self.end - self.start).total_seconds() / 3600)


def _memories(agent: str, state: dict[str, Any]) -> list[Memory]:
    nodes = node_dicts(state.get("memory", {}))
    return [
        Memory(agent, int(n["node_id"]), n["kind"], datetime.fromisoformat(n["created"]),
               n["description"], n.get("predicate", ""), n.get("object", ""),
               tuple(n.get("keywords", ())), tuple(tuple(p) for p in n.get("filling", ())),
               by_text(n.get("by")), by_text(n.get("importance_by")))
        for n in nodes
    ]  # fmt: skip


def stretches(records: list[dict[str, Any]], keys: tuple[str, ...], last_step: int
              ) -> list[tuple[str, int, int, dict[str, Any]]]:
    """(agent, first step, end step, view) for each stretch over which the run log shows the
    same values of `keys` for an agent (records are a keyframe and changes)."""
    current: dict[str, dict[str, Any]] = {}
    since: dict[str, int] = {}
    out: list[tuple[str, int, int, dict[str, Any]]] = []

    def close(agent: str, step: int) -> None:
        if step > since[agent]:
            out.append((agent, since[agent], step, current[agent]))

    for record in records:
        step = int(record["step"])
        for agent, diff in record.get("agents", {}).items():
            changes = {k: diff[k] for k in keys if k in diff}
            old = current.get(agent)
            if old is not None and all(old.get(k) == v for k, v in changes.items()):
                continue
            if old is not None:
                close(agent, step)
            current[agent] = {**(old or {}), **changes}
            since[agent] = step
    for agent in current:
        close(agent, last_step)
    return out


def spans_from_records(
    records: list[dict[str, Any]], step_s: int, origin: datetime, last_step: int
) -> list[Span]:
    """Turn run-log records (keyframe + changes) into per-agent action spans."""
    return [Span(agent, origin + timedelta(seconds=start * step_s), (end - start) * step_s,
                 str(view.get("action") or ""), str(view.get("address") or ""),
                 by_text(view.get("by")))
            for agent, start, end, view in stretches(records, ("action", "address", "by"),
                                                     last_step)]  # fmt: skip


def stays_from_records(
    records: list[dict[str, Any]], step_s: int, origin: datetime, last_step: int
) -> list[Stay]:
    """Per agent, the stretches over which its shown action, room and arrival stay the same."""
    return [Stay(agent, origin + timedelta(seconds=start * step_s), (end - start) * step_s,
                 str(view.get("action") or ""), str(view.get("place") or ""),
                 str(view.get("arrival") or ""))
            for agent, start, end, view in stretches(records, ("action", "place", "arrival"),
                                                     last_step)]  # fmt: skip


def load_run(save_dir: Path) -> RunData:
    """Everything `analyze` needs from a save folder."""
    loaded = read_save(Path(save_dir), str(save_dir))
    meta = loaded.meta
    origin = parse_time(meta.start_time)
    minds = (loaded.state or {}).get("minds", {})
    records = list(read_runlog(loaded.runlog_path))
    last_step = max([meta.step] + [int(r["step"]) for r in records])
    first_step = min([int(r["step"]) for r in records], default=0)
    memories = {a: _memories(a, minds.get(a, {})) for a in meta.personas}
    return RunData(
        name=meta.name, agents=tuple(meta.personas),
        start=origin + timedelta(seconds=first_step * meta.step_s),
        end=origin + timedelta(seconds=last_step * meta.step_s),
        memories=memories, minds=minds,
        spans=spans_from_records(records, meta.step_s, origin, last_step),
        lines=said_lines(records), replies=replies(records), step_s=meta.step_s,
        stays=stays_from_records(records, meta.step_s, origin, last_step),
    )  # fmt: skip


def said_lines(records: list[dict[str, Any]]) -> list[Said]:
    """Every dialogue line the run log shows (an agent's `say` at its step), with its maker."""
    return [Said(agent, int(r["step"]), str(view["say"]), by_text(view.get("say_by")))
            for r in records for agent, view in r.get("agents", {}).items()
            if isinstance(view.get("say"), str) and view["say"]]


def replies(records: list[dict[str, Any]]) -> list[Said]:
    """Every answer to the user's chat in the run log, with its maker (a fifth element)."""
    out = []
    for r in records:
        for item in r.get("replies", ()) or ():
            if isinstance(item, list) and len(item) >= 3:
                by = by_text(item[4]) if len(item) > 4 else UNKNOWN_BY
                out.append(Said(str(item[0]), int(r["step"]), str(item[2]), by))
    return out


def conversations(data: RunData) -> list[tuple[datetime, tuple[str, str], list[tuple[str, str]]]]:
    """Agent-agent conversations (time, sorted pair, lines), each once though both remember it.

    The two sides store their memory of one talk when each finishes it, a few steps apart
    (sometimes in another minute), the one who closed it with its closing line added: memories
    of a pair within SAME_TALK of each other that open with the same line are one conversation
    (the longer transcript is kept)."""
    found = []
    for agent, memories in data.memories.items():
        for m in memories:
            if m.kind != "chat" or m.predicate != CHAT_PREDICATE or m.object == USER:
                continue
            found.append((m.created, tuple(sorted((agent, m.object))), list(m.filling)))
    found.sort(key=lambda c: (c[1], c[0]))
    kept: list[tuple[datetime, tuple[str, str], list[tuple[str, str]]]] = []
    for when, pair, lines in found:
        last = kept[-1] if kept else None
        if (last is not None and last[1] == pair and when - last[0] <= SAME_TALK
                and last[2][:1] == lines[:1]):
            if len(lines) > len(last[2]):
                kept[-1] = (last[0], pair, lines)
            continue
        kept.append((when, pair, lines))  # type: ignore[arg-type]
    return sorted(kept, key=lambda c: (c[0], c[1]))