"""`simulacra bench`: measure the engine, pathfinding, saves, the mind and the window."""

from __future__ import annotations

import argparse

SECTIONS = ("engine", "paths", "retrieval", "frames", "calls")
DEFAULT_SECTIONS = ("engine", "paths", "retrieval", "frames", "calls")


def register(sub) -> None:
    from game.commands.options import add_mind_options

    parser = sub.add_parser(
        "bench", help="measure speed and cost, print the numbers",
        description="Run benchmarks and print numbers (nothing is asserted). Sections: "
        "engine (steps/s, 25 routine agents, one core; save and load after --steps), "
        "paths (time per path search), retrieval (latency at 10,000 memories), "
        "frames (frame time p50/p99 at 1280x720 with 25 agents: idle, decisions pending, "
        "recording), calls (model calls and tokens per agent per game hour, game hours per "
        "wall hour and model busy fraction for the 3-agent base on the chosen model).",
    )
    parser.add_argument("--only", metavar="SECTIONS", default=",".join(DEFAULT_SECTIONS),
                        help="comma-separated sections to run (default: all)")
    parser.add_argument("--steps", type=int, default=8640,
                        help="engine steps to time (default 8640 = one game day)")
    parser.add_argument("--hours", type=float, default=1.0,
                        help="game hours for the calls section (default 1; 24 = a full day)")
    parser.add_argument("--frames", type=int, default=600, help="frames per frame scenario")
    add_mind_options(parser)
    parser.set_defaults(handler=handle)


def _section(name: str, args: argparse.Namespace):
    from game import bench_cognition, benchmarks
    from game.wiring import MindOptions

    if name == "engine":
        return benchmarks.bench_engine(args.steps)
    if name == "paths":
        return benchmarks.bench_paths()
    if name == "retrieval":
        return bench_cognition.bench_retrieval()
    if name == "calls":
        return bench_cognition.bench_calls(args.hours, MindOptions.from_args(args))
    from game.frame_bench import bench_frames

    return bench_frames(frames=args.frames)


def handle(args: argparse.Namespace) -> int:
    from engine.errors import UserError

    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise UserError(f"unknown bench section '{unknown[0]}' (sections: {', '.join(SECTIONS)})")
    for section in wanted:
        print(f"[{section}]", flush=True)
        for name, value, unit in _section(section, args):
            print(f"  {name:<62} {value:>12.3f} {unit}", flush=True)
    return 0
