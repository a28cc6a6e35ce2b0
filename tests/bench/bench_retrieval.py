"""Retrieval latency at 10,000 memories: prints p50/p99 ms for 3-query retrievals.

A script, not a test: `python tests/bench/bench_retrieval.py [--n 10000] [--dim 576]`. The same
numbers come from `simulacra bench --only retrieval`.
"""

from __future__ import annotations

import argparse

from game.bench.cognition import bench_retrieval


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--dim", type=int, default=576)
    args = parser.parse_args()
    for name, value, unit in bench_retrieval(args.n, args.dim):
        print(f"{name:<70} {value:8.2f} {unit}")


if __name__ == "__main__":
    main()
