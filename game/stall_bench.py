"""`simulacra bench --only stalls`: the wall-clock waits between game steps, as a player sees
them in the window.

A fork of a base (default: the 25-agent one) on the chosen minds and model is stepped at the
window's default pace (4 steps/s) the way the window's frame loop does (`game.pacing`), in the
chosen clock mode (default: live, the window's). Reported: the longest and 99th-percentile
wait between two steps, how many waits were over 2 s, the game time covered in the wall time
allowed, when every first plan was in, and how many decisions landed after they were due.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from game.pacing import run_paced

Row = tuple[str, float, str]
N25 = "base_the_ville_n25"
STALL_S = 2.0


def bench_stalls(options, base: str = N25, clock: str = "live", hours: float = 1.0,
                 max_minutes: float = 60.0, steps_per_s: float = 4.0) -> list[Row]:
    from engine.persistence import SaveStore
    from game.wiring import build_session

    steps = max(1, round(hours * 360))
    with tempfile.TemporaryDirectory() as tmp:
        store = SaveStore(saves_root=Path(tmp) / "saves")
        opened = time.perf_counter()
        session = build_session(options, store=store, fork=base, name="bench-stalls",
                                clock=clock)
        open_s = time.perf_counter() - opened
        sim = session.sim
        started = time.perf_counter()
        planned_at: list[float] = []
        landed_late = [0, 0]  # decisions landed after their due step, all landed

        def watch(record) -> None:
            landed_late[0] += sum(x.due_step < record.step for x in record.landed)
            landed_late[1] += len(record.landed)
            done, total = sim.planning_progress()
            if not planned_at and done == total:
                planned_at.append(time.perf_counter() - started)

        sim.add_listener(watch)
        try:
            gaps = run_paced(sim, steps, steps_per_s, max_wall_s=max_minutes * 60)
        finally:
            wall_s = time.perf_counter() - started
            session.close()
    name = f"{clock} clock, {steps_per_s:g} steps/s"
    return [
        (f"{name}: open {base} (fork, minds, model)", open_s, "s"),
        (f"{name}: steps done (of {steps})", float(len(gaps.gaps)), "steps"),
        (f"{name}: game minutes covered", len(gaps.gaps) * sim.clock.step_s / 60, "min"),
        (f"{name}: wall time", wall_s, "s"),
        (f"{name}: longest wait between steps", gaps.longest, "s"),
        (f"{name}: p99 wait between steps", gaps.percentile(99), "s"),
        (f"{name}: p50 wait between steps", gaps.percentile(50), "s"),
        (f"{name}: waits over {STALL_S:g} s", float(gaps.over(STALL_S)), "waits"),
        (f"{name}: every first plan in after", planned_at[0] if planned_at else -1.0,
         "s (-1: not yet)"),
        (f"{name}: decisions landed after due / landed", float(landed_late[0]),
         f"of {landed_late[1]}"),
    ]
