"""`simulacra play`: open the window on a save (or run headless when there is no display)."""

from __future__ import annotations

import argparse

HEADLESS_STEPS = 8640  # without a display, run one game day headless
AUTOSAVE_MIN = 60


def register(sub) -> None:
    from game.commands.options import (
        add_clock_option, add_mind_options, add_player_options, add_save_options,
    )  # fmt: skip

    parser = sub.add_parser(
        "play", help="open the window (the default command)",
        description="Open the desktop window on a new fork of a base or on a save.",
    )
    add_save_options(parser)
    parser.add_argument("--size", default="1280x720", metavar="WxH", help="window size")
    add_clock_option(parser, default=None)
    add_mind_options(parser)
    add_player_options(parser, default_on=True)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from game.view.display import display_ready
    from game.window.main import parse_size, run_app

    parse_size(args.size)  # a malformed --size is refused even without a display
    clock = getattr(args, "clock", None)
    if display_ready():
        return run_app(argparse.Namespace(**{**vars(args), "clock": clock or "live"}))
    args = argparse.Namespace(**{**vars(args), "clock": clock or "lockstep"})  # reproducible
    from game.commands.run import run_session
    from game.wiring import start_session

    print("simulacra: no display available; running headless instead (Ctrl+C saves)")
    return run_session(start_session(args, autosave_min=AUTOSAVE_MIN), HEADLESS_STEPS)
