"""Benchmarks behind `simulacra bench`: each returns rows of (name, value, unit) to print."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

import numpy as np

from engine.dispatcher import InlineDispatcher
from engine.persistence import SaveStore
from engine.session import Session

Row = tuple[str, float, str]


def temp_store(root: Path) -> SaveStore:
    return SaveStore(saves_root=root / "saves")


def routine_session(store: SaveStore, base: str, name: str) -> Session:
    from game.wiring import MindOptions, build_session

    return build_session(MindOptions(mind="routine"), store=store, fork=base, name=name)


def bench_engine(steps: int, base: str = "base_the_ville_n25") -> list[Row]:
    """Engine steps per second with the routine mind on one core, over `steps` steps."""
    with tempfile.TemporaryDirectory() as tmp:
        store = temp_store(Path(tmp))
        session = routine_session(store, base, "bench-engine")
        sim = session.sim
        chunk = 360
        rates = []
        started = time.perf_counter()
        done = 0
        while done < steps:
            n = min(chunk, steps - done)
            t0 = time.perf_counter()
            sim.run(n)
            rates.append(n / (time.perf_counter() - t0))
            done += n
        total = time.perf_counter() - started
        rows = [
            (f"engine steps/s, {len(sim.order)} agents, routine mind, whole run", steps / total,
             "steps/s"),
            ("engine steps/s, slowest game hour", min(rates), "steps/s"),
            ("pathfinding distance fields computed", sim.paths.fields_computed, "fields"),
            ("pathfinding searches", sim.paths.searches, "searches"),
        ]
        save_rows = _save_load(store, session)
        session.close()
        return rows + save_rows


def _save_load(store: SaveStore, session: Session) -> list[Row]:
    t0 = time.perf_counter()
    path = session.save()
    save_s = time.perf_counter() - t0
    size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file())
    t0 = time.perf_counter()
    loaded = store.read(session.name)
    again = Session(store, loaded, session.sim.factory, InlineDispatcher(), town=session.town)
    load_s = time.perf_counter() - t0
    same = again.sim.world_hash() == session.sim.world_hash()
    again.close()
    return [
        (f"save after step {session.sim.step}", save_s * 1000, "ms"),
        ("load (read + rebuild minds)", load_s * 1000, "ms"),
        ("save size", size / 1024, "KiB"),
        ("loaded world equals saved world", float(same), "bool"),
    ]


def bench_paths(searches: int = 300, seed: int = 1) -> list[Row]:
    """Time per path search: cold (new destination) and warm (cached destination field)."""
    from engine import paths
    from engine.pathfinding import PathFinder
    from engine.tmx_loader import load_town_map

    town = load_town_map(paths.map_path("the_ville"))
    rng = random.Random(seed)
    walkable = [(x, y) for y in range(town.height) for x in range(town.width)
                if town.is_walkable((x, y))]
    addresses = sorted(a for a in town.addresses() if a.count(":") == 3)
    finder = PathFinder(town)
    cold, warm = [], []
    for _ in range(searches):
        address = rng.choice(addresses)
        start = rng.choice(walkable)
        targets = town.target_tiles(address)
        timer = warm if finder.has_field(targets) else cold
        t0 = time.perf_counter()
        finder.path_to(start, targets)
        timer.append((time.perf_counter() - t0) * 1000)
    rows = [("path search, new destination (p50)", percentile(cold, 50), "ms"),
            ("path search, cached destination (p50)", percentile(warm, 50), "ms"),
            ("path search, cached destination (p99)", percentile(warm, 99), "ms")]
    return rows


def percentile(values: list[float], pct: float) -> float:
    """The pct-th percentile of a list (NaN when empty); shared by every bench section."""
    return float(np.percentile(values, pct)) if values else float("nan")
