"""`simulacra list`: the shipped bases and the user's saves."""

from __future__ import annotations

import argparse

from engine.clock import GameClock, format_game_time, parse_time
from engine.persistence import SaveStore, read_meta


def register(sub) -> None:
    parser = sub.add_parser("list", help="show base simulations and saves",
                            description="Show the base simulations and your saves.")
    parser.set_defaults(handler=handle)


def _describe(path, where: str) -> str:
    meta = read_meta(path, where)
    clock = GameClock(parse_time(meta.start_time), meta.step_s)
    when = format_game_time(clock.time_at(meta.step))
    mind = f", {meta.mind}" if meta.mind else ""
    return f"{meta.name:<40} {len(meta.personas):>2} agents  step {meta.step:>6}  {when}{mind}"


def handle(args: argparse.Namespace) -> int:
    store = SaveStore()
    print("Base simulations (fork with --fork NAME):")
    for name in store.base_names():
        print("  " + _describe(store.base_path(name), f"base '{name}'"))
    saves = store.save_names()
    print(f"\nSaves in {store.saves_root} (continue with --load NAME):")
    if not saves:
        print("  (none yet)")
    for name in saves:
        print("  " + _describe(store.saves_root / name, f"save '{name}'"))
    return 0
