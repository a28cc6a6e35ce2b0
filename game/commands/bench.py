"""`simulacra bench`: measure the engine, pathfinding, saves, the mind and the window."""

from __future__ import annotations

import argparse

from game import benchmarks

SECTIONS = ("engine", "paths")


def register(sub) -> None:
    parser = sub.add_parser(
        "bench", help="measure speed and cost, print the numbers",
        description="Run benchmarks and print numbers (nothing is asserted). Sections: "
        + ", ".join(SECTIONS) + ".",
    )
    parser.add_argument("--only", metavar="SECTIONS", default=",".join(SECTIONS),
                        help="comma-separated sections to run (default: all)")
    parser.add_argument("--steps", type=int, default=8640,
                        help="engine steps to time (default 8640 = one game day)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from engine.errors import UserError

    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise UserError(f"unknown bench section '{unknown[0]}' (sections: {', '.join(SECTIONS)})")
    for section in wanted:
        rows = {"engine": lambda: benchmarks.bench_engine(args.steps),
                "paths": benchmarks.bench_paths}[section]()
        print(f"[{section}]")
        for name, value, unit in rows:
            print(f"  {name:<58} {value:>12.3f} {unit}")
    return 0
