"""The `simulacra` command line: one entry point, a subcommand per job, `--help` on each."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import signal
import sys
import threading

from engine.errors import UserError
from engine.safe_write import disk_error, shortage
from engine.save_lock import release_all
from game.commands.options import USAGE_ERROR, Parser
from game.errorlog import log_error

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")  # keep our output to our own lines

# One line per subcommand, in `--help` order: a module in game/commands with `register(sub)`,
# which adds its parser and sets `handler` (a function of the parsed arguments -> exit status).
COMMANDS = (
    "game.commands.play",
    "game.commands.run",
    "game.commands.listing",
    "game.commands.interview",
    "game.commands.history",
    "game.commands.bench",
    "game.commands.replay",
    "game.commands.render",
    "game.commands.repl",
    "game.commands.import_original",
    "game.commands.make_base",
    "game.commands.analyze",
    "game.commands.doctor",
    "game.commands.evaluate",
)


def default_argv() -> list[str]:
    """No command: continue the most recently saved game, or fork the 3-agent base."""
    from engine.persistence import SaveStore
    from engine.session import is_slot

    store = SaveStore()
    names = [n for n in store.save_names() if not is_slot(n)]  # not quicksave/autosave
    if not names:
        return ["play"]
    latest = max(names, key=lambda n: (store.save_path(n) / "meta.json").stat().st_mtime_ns)
    print(f"simulacra: continuing '{latest}' (simulacra list shows every save)", flush=True)
    return ["play", "--load", latest]


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="simulacra",
        description="A town of generative agents on local language models. With no command, "
        "opens the window on your most recent save, or the first time on a new fork of the "
        "3-agent base, with the bundled model.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module_name in COMMANDS:
        importlib.import_module(module_name).register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    if argv is None:  # the program itself (not a test calling in): native crashes to logs/
        from game import crashlog

        crashlog.enable(sys.argv[1:])
    argv = list(sys.argv[1:] if argv is None else argv)
    with _term_is_interrupt():
        try:
            return _main(argv)
        finally:
            release_all()  # a command that failed still frees the saves it held


@contextlib.contextmanager
def _term_is_interrupt():
    """SIGTERM stops a command as Ctrl+C does: a run saves its last step, a render leaves no
    partial file (only in the main thread, and the previous handler is put back)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str]) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv or default_argv())
        if args.command is None:
            args = parser.parse_args(default_argv())
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(f"simulacra: error: {exc}", file=sys.stderr)
        log_error(str(exc), argv)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("simulacra: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into `head` or similar, which has left
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit
        return 1
    except OSError as exc:  # a full disk or a size limit anywhere not caught closer: one line
        if shortage(exc) is None:
            raise
        error = disk_error(exc, exc.filename or "a file")
        print(f"simulacra: error: {error}", file=sys.stderr)
        log_error(str(error), argv)
        return USAGE_ERROR


if __name__ == "__main__":
    sys.exit(main())
