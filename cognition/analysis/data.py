"""Reading a save for analysis: meta, mind states (memories) and the run log's action timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from engine.clock import parse_time
from cognition.memory.state import node_dicts
from engine.persistence import read_save
from engine.runlog import read_runlog

CHAT_PREDICATE = "chat with"
USER = "the user"


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


@dataclass(frozen=True, slots=True)
class Span:
    """An agent doing one action at one address from `start` for `seconds` game seconds."""

    agent: str
    start: datetime
    seconds: float
    action: str
    address: str


@dataclass(frozen=True, slots=True)
class RunData:
    name: str
    agents: tuple[str, ...]
    start: datetime
    end: datetime
    memories: dict[str, list[Memory]]
    minds: dict[str, dict[str, Any]]
    spans: list[Span]

    @property
    def game_hours(self) -> float:
        return max(0.0, (self.end - self.start).total_seconds() / 3600)


def _memories(agent: str, state: dict[str, Any]) -> list[Memory]:
    nodes = node_dicts(state.get("memory", {}))
    return [
        Memory(agent, int(n["node_id"]), n["kind"], datetime.fromisoformat(n["created"]),
               n["description"], n.get("predicate", ""), n.get("object", ""),
               tuple(n.get("keywords", ())), tuple(tuple(p) for p in n.get("filling", ())))
        for n in nodes
    ]  # fmt: skip


def spans_from_records(
    records: list[dict[str, Any]], step_s: int, origin: datetime, last_step: int
) -> list[Span]:
    """Turn run-log records (keyframe + changes) into per-agent action spans."""
    current: dict[str, dict[str, Any]] = {}
    since: dict[str, int] = {}
    spans: list[Span] = []

    def close(agent: str, step: int) -> None:
        view = current.get(agent)
        if view is None or step <= since[agent]:
            return
        start = origin + timedelta(seconds=since[agent] * step_s)
        spans.append(Span(agent, start, (step - since[agent]) * step_s,
                          str(view.get("action") or ""), str(view.get("address") or "")))

    for record in records:
        step = int(record["step"])
        for agent, diff in record.get("agents", {}).items():
            changes = {k: v for k, v in diff.items() if k in ("action", "address")}
            old = current.get(agent, {})
            if agent in current and not any(old.get(k) != v for k, v in changes.items()):
                continue
            close(agent, step)
            current[agent] = {**old, **changes}
            since[agent] = step
    for agent in current:
        close(agent, last_step)
    return spans


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
    )  # fmt: skip


def conversations(data: RunData) -> list[tuple[datetime, tuple[str, str], list[tuple[str, str]]]]:
    """Agent-agent conversations (time, sorted pair, lines), each once though both remember it."""
    seen: dict[tuple[str, str, str], tuple[datetime, tuple[str, str], list[tuple[str, str]]]] = {}
    for agent, memories in data.memories.items():
        for m in memories:
            if m.kind != "chat" or m.predicate != CHAT_PREDICATE or m.object == USER:
                continue
            pair = tuple(sorted((agent, m.object)))
            key = (*pair, m.created.isoformat(timespec="minutes"))
            seen.setdefault(key, (m.created, pair, list(m.filling)))  # type: ignore[arg-type]
    return sorted(seen.values(), key=lambda c: (c[0], c[1]))
