"""`simulacra bench` section "frames": frame time with 25 agents, idle vs saturated vs recording.

Runs the real `App` on SDL's dummy video driver (a 1280×720 window that is never shown), on a
fork of the n25 base in a temporary store. Frames are paced at 60 fps like the real loop, and
each frame's time is measured from event handling to flip (the pacing sleep is excluded).
With the dummy driver `display.flip()` costs almost nothing, so these numbers are the CPU side
of a frame (simulation polling, drawing, capturing), not what a GPU compositor adds.

Sessions use the live clock, the window's default. Scenarios: (a) idle: routine minds, speed
1 step/s; (b) decisions pending: every agent's mind
sleeps `slow_decide_s` in `decide` on a 25-thread pool, so decisions are pending most of the
time; (c) recording: as (a) while F10 recording is on (frame copy on the main thread, H.264
encoding on a worker thread); (d) saturated CPU: as (b) but each decision keeps every core busy
as a local model does (`BusyMind`), so the window competes for the CPU and the GIL.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

Row = tuple[str, float, str]
BASE = "base_the_ville_n25"


class SlowMind:
    """Wraps a mind; every decision first sleeps (a stand-in for a slow language model)."""

    def __init__(self, inner, delay_s: float):
        self.inner = inner
        self.name = inner.name
        self.delay_s = delay_s

    def decide(self, percept):
        time.sleep(self.delay_s)
        return self.inner.decide(percept)

    def interim(self, percept):
        return self.inner.interim(percept)

    def to_state(self) -> dict[str, Any]:
        return self.inner.to_state()

    def inspect(self) -> dict[str, Any]:
        return self.inner.inspect()


class BusyMind(SlowMind):
    """Like `SlowMind`, but the decision keeps the CPU busy the way a local model does: one
    call at a time (a shared lock, as on `LlamaCppModel`), native maths on every core with the
    GIL released, and a little Python per "token" (sampling, grammar, detokenising)."""

    def __init__(self, inner, delay_s: float, model_lock):
        super().__init__(inner, delay_s)
        self.model_lock = model_lock

    def decide(self, percept):
        import numpy as np

        with self.model_lock:
            a = np.ones((192, 192), np.float32)
            ends = time.perf_counter() + self.delay_s
            while time.perf_counter() < ends:
                for _ in range(8):
                    a = np.tanh(a @ a * 1e-3)  # native, GIL released, BLAS threads
                sum(i * i for i in range(800))  # the per-token Python part, GIL held
        return self.inner.decide(percept)


class SlowMindFactory:
    """Routine minds that take `delay_s` per decision (sleeping, or busy with `busy`)."""

    kind = "routine"

    def __init__(self, seed: int, delay_s: float = 2.0, busy: bool = False):
        import threading

        from cognition.routine import RoutineMindFactory

        self.inner = RoutineMindFactory(seed)
        self.delay_s = delay_s
        self.busy = busy
        self.model_lock = threading.Lock()

    def _wrap(self, mind):
        if self.busy:
            return BusyMind(mind, self.delay_s, self.model_lock)
        return SlowMind(mind, self.delay_s)

    def create(self, persona):
        return self._wrap(self.inner.create(persona))

    def restore(self, persona, state):
        return self._wrap(self.inner.restore(persona, state))


def open_bench_session(store, name: str, slow_decide_s: float = 0.0, workers: int = 25,
                       base: str = BASE, busy: bool = False, clock: str = "live"):
    """A fork of `base` on routine minds (slowed down when `slow_decide_s`), in the `clock`
    mode (default live, the window's)."""
    from engine.dispatcher import ThreadPoolDispatcher
    from game.wiring import MindOptions, Minds, build_session, save_seed

    if slow_decide_s <= 0:
        return build_session(MindOptions(mind="routine"), store=store, fork=base, name=name,
                             clock=clock)
    factory = SlowMindFactory(save_seed(store, fork=base, load=None), slow_decide_s, busy)
    return build_session(MindOptions(mind="routine", workers=workers), store=store, fork=base,
                         name=name, minds=Minds(factory, f"routine, {slow_decide_s} s a decision"),
                         dispatcher=ThreadPoolDispatcher(workers), clock=clock)


def _measure(app, frames: int, fps: int) -> tuple[list[float], int, int]:
    import pygame

    clock = pygame.time.Clock()
    times_ms: list[float] = []
    thinking_frames = 0
    step0 = app.sim.step
    last = time.perf_counter()
    for _ in range(frames):
        clock.tick(fps)
        started = time.perf_counter()
        app.frame(started - last)
        last = started
        times_ms.append((time.perf_counter() - started) * 1000.0)
        thinking_frames += bool(app.sim.thinking())
    return times_ms, thinking_frames, app.sim.step - step0


def bench_frames(frames: int = 600, slow_decide_s: float = 2.0, fps: int = 60,
                 size: tuple[int, int] = (1280, 720)) -> list[Row]:
    """Frame time p50/p99 for idle, saturated cognition and recording (rows of name/value/unit)."""
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import pygame

    from engine.persistence import SaveStore
    from game.app import App
    from game.benchmarks import percentile

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        old_home = os.environ.get("SIMULACRA_HOME")
        os.environ["SIMULACRA_HOME"] = tmp  # videos of scenario (c) land in the temp dir
        try:
            pygame.display.init()
            pygame.font.init()
            screen = pygame.display.set_mode(size)
            store = SaveStore(saves_root=Path(tmp) / "saves")
            for label, slow, record, busy in (
                    ("idle", 0.0, False, False), ("decisions pending", slow_decide_s, False, False),
                    ("recording", 0.0, True, False), ("saturated CPU", slow_decide_s, False, True)):
                session = open_bench_session(store, f"bench-frames-{label.replace(' ', '-')}",
                                             slow, busy=busy)
                app = App(session, screen)
                app.driver.set_speed(0)
                # Warm up through the first step: it fills the chunk and sprite caches and
                # the engine's path distance fields (the first step computes ~25 of them on
                # the polling thread, a one-off of ~0.5 s reported as its own row).
                warm_started = time.perf_counter()
                worst_warm_ms = 0.0
                while app.sim.step < 1 and time.perf_counter() - warm_started < 6 + slow:
                    t0 = time.perf_counter()
                    app.frame(1 / fps)
                    worst_warm_ms = max(worst_warm_ms, (time.perf_counter() - t0) * 1000)
                    time.sleep(1 / fps)
                if record:
                    app.toggle_recording()
                times, thinking, steps = _measure(app, frames, fps)
                if record:
                    app.toggle_recording()
                app.close()
                session.close()
                name = f"frame time, 25 agents, {label}"
                rows += [(f"{name}, p50", statistics.median(times), "ms"),
                         (f"{name}, p99", percentile(times, 99), "ms"),
                         (f"{name}, max", max(times), "ms"),
                         (f"{name}, worst warm-up frame (first step)", worst_warm_ms, "ms"),
                         (f"{name}, frames with decisions pending",
                          100.0 * thinking / frames, "%"),
                         (f"{name}, steps advanced over {frames} frames", float(steps), "steps")]
        finally:
            if old_home is None:
                os.environ.pop("SIMULACRA_HOME", None)
            else:
                os.environ["SIMULACRA_HOME"] = old_home
    rows.append(("frame bench video driver", 0.0, pygame.display.get_driver()))
    return rows


if __name__ == "__main__":
    for row_name, value, unit in bench_frames():
        print(f"{row_name:60s} {value:10.2f} {unit}")
