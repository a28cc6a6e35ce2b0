"""Retrieval latency at 10,000 memories: prints p50/p99 ms for 3-query retrievals.

A script, not a test: `python tests/bench/bench_retrieval.py [--n 10000] [--dim 384] [--reps 200]`.
Measures the stream with a ChromaIndex and without one (every node a candidate). Query texts are
embedded once up front (the stream's cache), so the numbers are retrieval itself, not the embedder.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cognition.memory import ChromaIndex, MemoryStream, NodeKind, make_client

EPOCH = datetime(2023, 2, 13)
PEOPLE = ["Klaus Mueller", "Maria Lopez", "Isabella Rodriguez", "Sam Moore", "Jennifer Moore"]
VERBS = [
    "is reading",
    "is talking about",
    "is cooking",
    "is painting",
    "is planning",
    "is studying",
]
THINGS = ["the party", "a research paper", "breakfast", "the election", "music", "the garden"]


def make_embedder(dim: int):
    """The shipped HashEmbedder when available, else the tests' word-hash embedder."""
    try:
        from cognition.llm.fakes import HashEmbedder

        return HashEmbedder(dim)
    except ImportError:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cognition" / "memory"))
        from conftest import WordEmbedder

        return WordEmbedder(dim)


def build(n: int, dim: int, with_index: bool, seed: int = 7) -> MemoryStream:
    rng = random.Random(seed)
    index = ChromaIndex(make_client(), "bench") if with_index else None
    stream = MemoryStream("Klaus Mueller", make_embedder(dim), index)
    for i in range(n):
        when = EPOCH + timedelta(minutes=5 * i)
        text = f"{rng.choice(PEOPLE)} {rng.choice(VERBS)} {rng.choice(THINGS)} #{i % 997}"
        kind = NodeKind.THOUGHT if i % 10 == 0 else NodeKind.EVENT
        stream.add(kind, text, when, rng.randint(1, 10))
    return stream


def bench(stream: MemoryStream, reps: int) -> tuple[float, float]:
    queries = ["What is Maria Lopez doing?", "the party plans", "Klaus Mueller research"]
    now = stream.nodes[-1].created + timedelta(hours=1)
    stream.embed(queries)
    stream.retrieve(queries, now, 30)  # warm-up: flushes pending index writes
    times = []
    for r in range(reps):
        start = time.perf_counter()
        stream.retrieve(queries, now + timedelta(minutes=r), 30)
        times.append((time.perf_counter() - start) * 1000.0)
    return float(np.percentile(times, 50)), float(np.percentile(times, 99))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--dim", type=int, default=384)
    parser.add_argument("--reps", type=int, default=200)
    args = parser.parse_args()
    for with_index in (True, False):
        start = time.perf_counter()
        stream = build(args.n, args.dim, with_index)
        built_s = time.perf_counter() - start
        p50, p99 = bench(stream, args.reps)
        label = "chroma index" if with_index else "no index    "
        print(
            f"{label} n={args.n} dim={args.dim} k=30 3 queries: p50 {p50:.2f} ms  p99 {p99:.2f} ms"
            f"  (build {built_s:.1f} s)"
        )


if __name__ == "__main__":
    main()
