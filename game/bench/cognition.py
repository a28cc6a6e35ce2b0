"""Cognition benchmarks: model calls and tokens per agent per game hour, game hours per wall
hour, model busy fraction, and retrieval latency at 10,000 memories."""

from __future__ import annotations

import random
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from cognition.llm.accounting import CallSummary
from engine.persistence import SaveStore
from engine.session import DEFAULT_BASE
from game.wiring import MindOptions, build_session

Row = tuple[str, float, str]
N3 = DEFAULT_BASE
STEPS_PER_HOUR = 360
SHORTEST_SPEED_WINDOW_H = 0.5  # shorter windows end before most first decisions fall due
SHORT_WINDOW_NOTE = ("under half a game hour measures start-up, not speed (the first day plans "
                     "fall due 15 game minutes in): use --hours 1 or more")


@dataclass(frozen=True, slots=True)
class CallsRun:
    """What one bounded run of a base on a real model measured."""

    description: str
    agents: int
    start_hhmm: str
    steps: int
    wall_s: float
    load_s: float
    first_move_s: float | None
    busy_s: float  # model seconds; divided by `instances` for the busy fraction
    summary: CallSummary
    failed_calls: int
    fallbacks: int
    instances: int = 1
    any_busy_s: float | None = None  # seconds with at least one call in flight (None: busy_s)
    server: bool = False  # through --server: reuse counts only where the server reports them

    @property
    def game_hours(self) -> float:
        return self.steps / STEPS_PER_HOUR


def run_calls(options: MindOptions, base: str, hours: float, max_minutes: float) -> CallsRun:
    """Run `hours` game hours of `base` (stopping early after `max_minutes` of wall time)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SaveStore(saves_root=Path(tmp) / "saves")
        loaded = time.perf_counter()
        session = build_session(options, store=store, fork=base, name="bench-calls")
        minds = session.minds
        sim = session.sim
        load_s = time.perf_counter() - loaded
        start_tiles = {n: b.tile for n, b in sim.bodies.items()}
        target = int(hours * STEPS_PER_HOUR)
        first_move: list[float] = []
        busy_before_s = _busy(minds)  # calls made while loading (history scoring) not counted
        any_before_s = _any_busy(minds)
        started = time.perf_counter()
        deadline = started + max_minutes * 60
        while sim.step < target and time.perf_counter() < deadline:
            if not sim.poll(min(10, target - sim.step)):  # never blocks: the deadline holds
                time.sleep(0.02)
            if not first_move and any(b.tile != start_tiles[n] for n, b in sim.bodies.items()):
                first_move.append(time.perf_counter() - started)
        wall_s = time.perf_counter() - started
        log = minds.call_log
        game_hours = sim.step / STEPS_PER_HOUR
        busy_s = _busy(minds) - busy_before_s
        any_busy_s = _any_busy(minds) - any_before_s
        result = CallsRun(
            description=minds.description, agents=len(sim.order),
            start_hhmm=sim.clock.iso_at(0)[11:16], steps=sim.step, wall_s=wall_s,
            load_s=load_s, first_move_s=first_move[0] if first_move else None, busy_s=busy_s,
            summary=log.summary(game_hours=game_hours, agents=list(sim.order)),
            failed_calls=minds.failed_calls(),
            fallbacks=sim.errors + sum(b.fallbacks for b in sim.bodies.values()),
            instances=minds.instances, any_busy_s=any_busy_s, server=minds.health is not None,
        )  # fmt: skip
        session.close()
        return result


def _busy(minds) -> float:
    """Seconds the model was busy so far: time with a call on the wire for a server (calls
    overlap there), summed call latencies for the in-process model (one call at a time)."""
    if minds.health is not None:
        return float(minds.health.busy_seconds())
    return float(minds.call_log.busy_seconds())


def _any_busy(minds) -> float:
    """Seconds with at least one call in flight: for a pool of contexts, the time the model
    as a whole was working (a server's busy time is this already)."""
    if minds.health is not None:
        return float(minds.health.busy_seconds())
    return float(minds.call_log.any_busy_seconds(time.perf_counter()))


def calls_table(run: CallsRun) -> list[tuple[str, str]]:
    """The rows `simulacra bench --base B --hours H` prints, as (metric, value) text."""
    total = run.summary.total
    hours = run.summary.agent_hours or float("nan")
    saved = total.cached_tokens / total.prompt_tokens if total.prompt_tokens else 0.0
    first = f"{run.first_move_s:.1f}" if run.first_move_s is not None else "no move yet"
    rows = [
        ("backend", run.description),
        ("agents / start", f"{run.agents} / {run.start_hhmm}"),
        ("game hours simulated", f"{run.game_hours:.2f} ({run.steps} steps)"),
        ("wall seconds (model load)", f"{run.wall_s:.1f} ({run.load_s:.1f})"),
        ("game hours per wall hour", f"{run.game_hours / (run.wall_s / 3600):.1f}x"),
        ("seconds to the first move", first),
        ("model busy fraction (any context working)", _fraction(run.any_busy_s, run.wall_s)),
        (f"model busy fraction per context ({run.instances})",
         _fraction(run.busy_s / run.instances, run.wall_s)),
        ("calls per agent per game hour", f"{total.calls / hours:.2f}"),
        ("tokens per agent per game hour", f"{total.tokens / hours:.0f}"),
        ("prompt tokens: total / evaluated", f"{total.prompt_tokens} / "
                                             f"{total.evaluated_prompt_tokens}"),
        ("prompt tokens saved by prefix reuse",
         "not reported by the server" if run.server and not total.cached_tokens
         else f"{total.cached_tokens} ({saved:.0%})"),
        ("failed calls / fallbacks", f"{run.failed_calls} / {run.fallbacks}"),
    ]  # fmt: skip
    if run.game_hours < SHORTEST_SPEED_WINDOW_H:
        rows.append(("note", SHORT_WINDOW_NOTE))
    for purpose, usage in run.summary.by_purpose.items():
        rows.append((f"  {purpose}: calls / tokens per agent-hour",
                     f"{usage.calls / hours:.2f} / {usage.tokens / hours:.0f}"))  # fmt: skip
    return rows


def _fraction(part: float | None, whole: float) -> str:
    return f"{part / whole:.3f}" if part is not None and whole else "-"


def bench_calls(hours: float, options: MindOptions, base: str = N3,
                max_minutes: float = 60.0) -> list[Row]:  # fmt: skip
    """The calls section as (name, value, unit) rows, for `simulacra bench`'s other sections."""
    run = run_calls(options, base, hours, max_minutes)
    total, agent_hours = run.summary.total, run.summary.agent_hours or float("nan")
    return [
        (f"model: {run.description}", 0.0, ""),
        (f"game hours simulated ({run.agents} agents, from {run.start_hhmm})",
         run.game_hours, "h"),
        ("model calls per agent per game hour", total.calls / agent_hours, "calls"),
        ("tokens per agent per game hour", total.tokens / agent_hours, "tokens"),
        ("game hours per wall hour", run.game_hours / (run.wall_s / 3600), "x"),
        ("seconds to the first move", run.first_move_s or float("nan"), "s"),
        ("fraction of wall time the model is busy (any context)",
         (run.any_busy_s if run.any_busy_s is not None else run.busy_s) / run.wall_s, ""),
        (f"fraction of wall time each of the {run.instances} contexts is busy",
         run.busy_s / run.instances / run.wall_s, ""),
        ("prompt tokens saved by prefix reuse", total.cached_tokens, "tokens"),
        ("failed calls", run.failed_calls, "calls"),
        ("fallbacks and engine errors", run.fallbacks, "count"),
    ]  # fmt: skip


def build_memories(n: int, dim: int, with_index: bool, seed: int = 7):
    """A memory stream of `n` synthetic memories embedded by the deterministic hash embedder."""
    from cognition.llm.fakes import HashEmbedder
    from cognition.memory import ChromaIndex, MemoryStream, NodeKind, make_client

    rng = random.Random(seed)
    people = ["Klaus Mueller", "Maria Lopez", "Isabella Rodriguez", "Sam Moore"]
    verbs = ["is reading", "is talking about", "is cooking", "is planning", "is studying"]
    things = ["the party", "a research paper", "breakfast", "the election", "the garden"]
    index = ChromaIndex(make_client(), "bench") if with_index else None
    stream = MemoryStream("Klaus Mueller", HashEmbedder(dim), index)
    epoch = datetime(2023, 2, 13)
    for i in range(n):
        text = f"{rng.choice(people)} {rng.choice(verbs)} {rng.choice(things)} #{i % 997}"
        kind = NodeKind.THOUGHT if i % 10 == 0 else NodeKind.EVENT
        stream.add(kind, text, epoch + timedelta(minutes=5 * i), rng.randint(1, 10))
    return stream


def retrieval_latency(stream, reps: int = 200, k: int = 30) -> tuple[float, float]:
    """p50 and p99 milliseconds of a 3-query retrieval (queries embedded beforehand)."""
    queries = ["What is Maria Lopez doing?", "the party plans", "Klaus Mueller research"]
    now = stream.nodes[-1].created + timedelta(hours=1)
    stream.embed(queries)
    stream.retrieve(queries, now, k)
    times = []
    for r in range(reps):
        start = time.perf_counter()
        stream.retrieve(queries, now + timedelta(minutes=r), k)
        times.append((time.perf_counter() - start) * 1000.0)
    return float(np.percentile(times, 50)), float(np.percentile(times, 99))


def bench_retrieval(n: int = 10_000, dim: int = 576) -> list[Row]:
    rows: list[Row] = []
    for with_index in (True, False):
        stream = build_memories(n, dim, with_index)
        p50, p99 = retrieval_latency(stream)
        label = "with Chroma index" if with_index else "exact scan"
        rows.append((f"retrieval, {n} memories, dim {dim}, 3 queries, {label} (p50)", p50, "ms"))
        rows.append((f"retrieval, {n} memories, dim {dim}, 3 queries, {label} (p99)", p99, "ms"))
    return rows
