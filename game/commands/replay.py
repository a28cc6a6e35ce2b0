"""`simulacra replay`: watch a saved run again in the window (no model is loaded)."""

from __future__ import annotations

import argparse

from engine.errors import UserError


def register(sub) -> None:
    parser = sub.add_parser(
        "replay", help="watch a saved run again (play, pause, step, seek)",
        description="Open the window on a save's run log: play, pause, step forwards and "
        "back, seek on the timeline, jump to a game time, follow and click agents to see "
        "what each was doing and saying. No model is loaded and nothing is simulated.",
    )
    parser.add_argument("save", help="the save whose run to watch (see simulacra list)")
    parser.add_argument("--from-step", type=int, default=None, metavar="N",
                        help="start at this step (default: the run's first)")
    parser.add_argument("--speed", type=int, default=2, metavar="1-5",
                        help="playback speed: 1, 4, 15, 60 or 240 steps per second "
                        "(default 2)")
    parser.add_argument("--size", default="1280x720", metavar="WxH", help="window size")
    parser.add_argument("--paused", action="store_true", help="start paused")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    if not 1 <= args.speed <= 5:
        raise UserError(f"--speed {args.speed} must be 1 to 5")
    from game.commands.render import parse_size
    from game.replay.app import run_replay
    from game.replay.source import open_recorded_run

    size = parse_size(args.size)
    run = open_recorded_run(args.save)
    try:
        first, _ = run.check_steps(args.from_step, None)
        return run_replay(run, first, args.speed, size, paused=args.paused)
    finally:
        run.close()
