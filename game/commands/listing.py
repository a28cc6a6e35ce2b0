"""`simulacra list`: the shipped bases and the user's saves."""

from __future__ import annotations

import argparse
from pathlib import Path

from engine import safe_io
from engine.clock import GameClock, format_game_time, parse_time
from engine.errors import UserError
from engine.persistence import SaveStore, read_meta


def register(sub) -> None:
    parser = sub.add_parser("list", help="show base simulations and saves",
                            description="Show the base simulations and your saves.")
    parser.set_defaults(handler=handle)


def _describe(path, where: str) -> str:
    try:
        safe_io.check_tree(path, where)
        meta = read_meta(path, where)
        clock = GameClock(parse_time(meta.start_time), meta.step_s)
        when = format_game_time(clock.time_at(meta.step))
    except UserError as exc:
        return f"{path.name:<40} broken: {exc}"
    except (ValueError, OverflowError, TypeError, OSError) as exc:  # never stop the listing
        return f"{path.name:<40} broken: {where}: {type(exc).__name__}: {str(exc)[:120]}"
    mind = f", {meta.mind}" if meta.mind else ""
    return f"{path.name:<40} {len(meta.personas):>2} agents  step {meta.step:>6}  {when}{mind}"


def _entries(root: Path) -> list[Path]:
    """Every visible entry of a folder, sorted; a broken one is listed, not skipped."""
    try:
        return sorted((p for p in root.iterdir() if not p.name.startswith(".")),
                      key=lambda p: p.name)
    except OSError:
        return []


def handle(args: argparse.Namespace) -> int:
    store = SaveStore()
    print("Base simulations (fork with --fork NAME):")
    names = store.base_names()
    for name in names:
        print("  " + _describe(store.base_path(name), f"base '{name}'"))
    for path in _entries(store.user_bases_root):  # a folder of bases/ that is no base: say so
        if path.name not in names:
            print("  " + _describe(path, f"base '{path.name}'"))
    saves = _entries(store.saves_root)
    print(f"\nSaves in {store.saves_root} (continue with --load NAME):")
    if not saves:
        print("  (none yet)")
    broken = 0
    for path in saves:
        line = _describe(path, f"save '{path.name}'")
        broken += " broken: " in line
        print("  " + line)
    if broken:
        print(f"\n{broken} broken save(s): fix or move them away; the others are unaffected.")
    return 0
