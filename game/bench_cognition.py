"""Cognition benchmarks: model calls and tokens per agent per game hour, game hours per wall
hour, model busy fraction, and retrieval latency at 10,000 memories."""

from __future__ import annotations

import random
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from engine.persistence import SaveStore
from engine.session import DEFAULT_BASE
from game.wiring import MindOptions, build_session

Row = tuple[str, float, str]
N3 = DEFAULT_BASE
STEPS_PER_HOUR = 360


def bench_calls(hours: float, options: MindOptions, base: str = N3) -> list[Row]:
    """Run `hours` game hours of a base on a real model and account for every call."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SaveStore(saves_root=Path(tmp) / "saves")
        session = build_session(options, store=store, fork=base, name="bench-calls")
        minds = session.minds
        sim = session.sim
        steps = int(hours * STEPS_PER_HOUR)
        started = time.perf_counter()
        sim.run(steps)
        wall_s = time.perf_counter() - started
        log = minds.call_log
        summary = log.summary(game_hours=hours, agents=list(sim.order))
        agent_hours = hours * len(sim.order)
        rows: list[Row] = [
            (f"model: {minds.description}", 0.0, ""),
            (f"game hours simulated ({len(sim.order)} agents, from "
             f"{sim.clock.iso_at(0)[11:16]})", hours, "h"),
            ("model calls per agent per game hour", summary.total.calls / agent_hours, "calls"),
            ("tokens per agent per game hour", summary.total.tokens / agent_hours, "tokens"),
            ("game hours per wall hour", hours / (wall_s / 3600), "x"),
            ("fraction of wall time the model is busy", log.busy_seconds() / wall_s, ""),
            ("failed calls", sum(not r.ok for r in log.records()), "calls"),
            ("fallbacks and engine errors", sim.errors + sum(
                b.fallbacks for b in sim.bodies.values()), "count"),
        ]
        for purpose, usage in summary.by_purpose.items():
            rows.append((f"  {purpose}: calls / tokens per agent-hour",
                         usage.calls / agent_hours, f"/ {usage.tokens / agent_hours:.0f} tok"))
        session.close()
        return rows


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
