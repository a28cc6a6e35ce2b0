"""`simulacra load-history`: plant memories from a history CSV into a save's agents."""

from __future__ import annotations

import argparse
import os
import stat
from pathlib import Path

from engine.agent_api import MessageKind
from engine.errors import UserError
from engine.history_csv import load_history, statements_by_name
from engine.persistence import SaveStore
from game.wiring import start_session


def register(sub) -> None:
    from game.commands.options import add_mind_options

    parser = sub.add_parser(
        "load-history", help="load memories from a history CSV into a save",
        description="Read a CSV in the original project's format (header Name,Whisper; "
        "statements separated by ';') and store each statement as a memory of that agent.",
    )
    parser.add_argument("save", help="the save to change")
    parser.add_argument("csv", type=Path, help="the history CSV file")
    add_mind_options(parser)
    parser.set_defaults(handler=handle, fork=None, name=None)


MAX_CSV_BYTES = 64 * 1024 * 1024


def _check_csv_file(path: Path) -> None:
    """Refuse a named pipe, a device or a folder (reading one would block or fail)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UserError(f"history CSV {path}: not found") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise UserError(f"history CSV {path}: cannot read ({exc})") from None
    if not stat.S_ISREG(info.st_mode):
        raise UserError(f"history CSV {path}: not a regular file (a pipe, device or folder)")
    if info.st_size > MAX_CSV_BYTES:
        raise UserError(f"history CSV {path}: over {MAX_CSV_BYTES // (1024 * 1024)} MiB; refused")


def handle(args: argparse.Namespace) -> int:
    _check_csv_file(args.csv)
    store = SaveStore()
    names = store.read(args.save).meta.personas
    entries = load_history(args.csv, known_names=set(names))  # refuse a bad CSV before loading
    args.load = args.save
    session = start_session(args)
    total = 0
    for name, statements in statements_by_name(entries).items():
        session.sim.ask(name, [(MessageKind.WHISPER, s) for s in statements])
        total += len(statements)
        print(f"simulacra: {name}: {len(statements)} memories")
    path = session.save()
    print(f"simulacra: loaded {total} memories into {path}")
    session.close()
    return 0
