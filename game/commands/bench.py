"""`simulacra bench`: measure the engine, pathfinding, saves, the mind and the window."""

from __future__ import annotations

import argparse

SECTIONS = ("engine", "paths", "retrieval", "frames", "calls", "stalls")
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
        "wall hour and model busy fraction for the 3-agent base on the chosen model), "
        "stalls (only when asked: the longest and 99th-percentile wall-clock wait between "
        "game steps at the window's pace, --hours game hours of --base, default the 25-agent "
        "base, in the --clock mode, default live as in the window). "
        "With --base (and no --only), runs that base on the chosen backend (bundled model, "
        "--model or --server) and prints one table: game hours per wall hour, seconds to the "
        "first move, model busy fraction, calls and tokens per agent per game hour, prompt "
        "tokens saved by prefix reuse.",
    )
    parser.add_argument("--only", metavar="SECTIONS", default=None,
                        help="comma-separated sections to run (default: all; with --base: "
                        "the calls table only)")
    parser.add_argument("--base", metavar="BASE", default=None,
                        help="base for the calls section (default: the 3-agent base)")
    parser.add_argument("--max-minutes", type=float, default=60.0, metavar="MIN",
                        help="stop the calls run after MIN wall minutes and report what was "
                        "simulated (default 60)")
    parser.add_argument("--steps", type=int, default=8640,
                        help="engine steps to time (default 8640 = one game day)")
    parser.add_argument("--hours", type=float, default=1.0,
                        help="game hours for the calls section (default 1; 24 = a full day)")
    parser.add_argument("--frames", type=int, default=600, help="frames per frame scenario")
    parser.add_argument("--clock", choices=("lockstep", "live"), default="live",
                        help="clock mode of the stalls section (default live, the window's)")
    parser.add_argument("--steps-per-s", type=float, default=4.0, metavar="N",
                        help="pace of the stalls section (default 4, the window's default)")
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
        return bench_cognition.bench_calls(args.hours, MindOptions.from_args(args),
                                           args.base or bench_cognition.N3, args.max_minutes)
    if name == "stalls":
        from game.stall_bench import N25, bench_stalls

        return bench_stalls(MindOptions.from_args(args), args.base or N25, args.clock,
                            args.hours, args.max_minutes, args.steps_per_s)
    from game.frame_bench import bench_frames

    return bench_frames(frames=args.frames)


def handle(args: argparse.Namespace) -> int:
    from engine.errors import UserError

    if args.hours <= 0 or args.max_minutes <= 0 or not args.steps_per_s > 0:
        raise UserError("--hours, --max-minutes and --steps-per-s must be more than 0")
    if args.base is not None and args.only is None:
        return _calls_table(args)
    only = args.only if args.only is not None else ",".join(DEFAULT_SECTIONS)
    wanted = [s.strip() for s in only.split(",") if s.strip()]
    unknown = [s for s in wanted if s not in SECTIONS]
    if unknown:
        raise UserError(f"unknown bench section '{unknown[0]}' (sections: {', '.join(SECTIONS)})")
    for section in wanted:
        print(f"[{section}]", flush=True)
        for name, value, unit in _section(section, args):
            print(f"  {name:<62} {value:>12.3f} {unit}", flush=True)
    return 0


def _calls_table(args: argparse.Namespace) -> int:
    from tabulate import tabulate

    from engine.persistence import SaveStore
    from game import bench_cognition
    from game.wiring import MindOptions

    SaveStore().read_base(args.base)  # an unknown base is a one-line error before any loading
    run = bench_cognition.run_calls(MindOptions.from_args(args), args.base, args.hours,
                                    args.max_minutes)  # fmt: skip
    print(tabulate(bench_cognition.calls_table(run), headers=("metric", "value"),
                   tablefmt="simple", disable_numparse=True), flush=True)  # fmt: skip
    return 0
