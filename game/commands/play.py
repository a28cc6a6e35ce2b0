"""`simulacra play`: open the window on a save (or run headless when there is no display)."""

from __future__ import annotations

import argparse


def register(sub) -> None:
    from game.commands.options import add_mind_options, add_save_options

    parser = sub.add_parser(
        "play", help="open the window (the default command)",
        description="Open the desktop window on a new fork of a base or on a save.",
    )
    add_save_options(parser)
    parser.add_argument("--size", default="1280x720", metavar="WxH", help="window size")
    add_mind_options(parser)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace) -> int:
    from game.window_main import run_app

    return run_app(args)
