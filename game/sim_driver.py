"""Drives the simulation from the frame loop without ever waiting on it.

Each frame `update(dt_s)` adds `dt_s × steps-per-second` to an accumulator and calls
`sim.poll(k)`, which returns at once (steps whose decisions are not in simply do not happen
yet). Saving needs a step boundary: the driver then calls `sim.settle()` instead of `poll`
until `sim.idle`, takes `session.snapshot()` (fast, in memory) and hands `session.write` to
the disk worker. Quickload reads the slot on the disk worker and restores it on this thread.
With the live clock the town does not stop for a save: the driver asks the simulation to hold
new decisions (`hold_decisions`) and keeps stepping until the minds are done, then saves.

The speed shown is measured here over wall time (`steps_per_s`), counting every step the
driver advanced, at any speed setting ("max" included).
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from engine.clock import StepRate
from engine.session import QUICKSAVE_SUFFIX, Session
from game.background import Jobs

SPEEDS = (1.0, 4.0, 15.0, 60.0, None)  # steps per second; None = as fast as minds allow
SPEED_NAMES = ("1 step/s", "4 steps/s", "15 steps/s", "60 steps/s", "max")
FAST_BUDGET_S = 0.010  # at max speed, time per frame spent stepping
DEFAULT_SPEED = 1


class SimDriver:
    """Speed, pause, saving and loading for one session."""

    def __init__(self, session: Session, jobs: Jobs, notify: Callable[[str], None],
                 on_loaded: Callable[[], None] = lambda: None,
                 monotonic: Callable[[], float] = time.monotonic):
        self.session = session
        self.jobs = jobs
        self.notify = notify
        self.on_loaded = on_loaded
        self.speed_index = DEFAULT_SPEED
        self.paused = False
        self.accumulator = 0.0
        self.save_request: str | None = None  # "quick", "save" or "quit"
        self.saves_in_flight = 0
        self.loading = False
        self.last_quicksave = None  # the Snapshot of the last F5 (tests compare hashes)
        self.quit_saved = False
        self.last_step_real_s = 1.0
        self._rate = StepRate(monotonic)
        session.sim.set_autosave(self._autosave)  # same cadence, written off-thread

    @property
    def sim(self):
        return self.session.sim

    @property
    def speed_text(self) -> str:
        return SPEED_NAMES[self.speed_index]

    def set_speed(self, index: int) -> None:
        self.speed_index = max(0, min(len(SPEEDS) - 1, index))
        self.accumulator = 0.0

    def steps_per_s(self) -> float:
        """Steps advanced per wall second over the last two seconds (the HUD's figure)."""
        return self._rate.per_s()

    def update(self, dt_s: float) -> int:
        """Advance what the speed allows; returns steps advanced. Never blocks."""
        advanced = self._advance(dt_s)
        for _ in range(advanced):
            self._rate.tick()
        return advanced

    def _advance(self, dt_s: float) -> int:
        if self.save_request is not None:
            live = getattr(self.sim, "live", False)
            if live:
                self.sim.hold_decisions(True)  # minds finish; the town goes on meanwhile
            if self.sim.settle():
                self._take_snapshot(self.save_request)
                self.save_request = None
                if live:
                    self.sim.hold_decisions(False)
                return 0
            if not live:
                return 0
        if self.loading:
            return 0
        if self.paused:
            self.sim.serve()  # chats sent while paused are answered at this step boundary
            return 0
        rate = SPEEDS[self.speed_index]
        if rate is None:
            return self._fast(dt_s)
        self.accumulator = min(self.accumulator + dt_s * rate, max(1.0, rate * 0.25))
        due = int(self.accumulator)
        if due <= 0:
            return 0
        advanced = self.sim.poll(due)
        self.accumulator -= advanced
        if advanced < due:  # waiting on minds: do not bank a burst of steps
            self.accumulator = min(self.accumulator, 1.0)
        self.last_step_real_s = 1.0 / rate
        return advanced

    def _fast(self, dt_s: float) -> int:
        started = time.perf_counter()
        advanced = 0
        while time.perf_counter() - started < FAST_BUDGET_S:
            if self.sim.poll(1) == 0:
                break
            advanced += 1
        if advanced:
            self.last_step_real_s = max(1e-3, dt_s / advanced)
        return advanced

    # ---------------------------------------------------------------- saving and loading

    def quicksave(self) -> None:
        if self.save_request is None:
            self.save_request = "quick"
            self.notify("Quicksaving…" if self.sim.idle else "Quicksaving at the next step…")

    def save(self) -> None:
        """Save the session in place at the next step boundary (the pause menu's Save)."""
        if self.save_request is None:
            self.save_request = "save"

    def save_for_quit(self) -> None:
        self.save_request = "quit"

    def _take_snapshot(self, why: str) -> None:
        name = self.session.name + QUICKSAVE_SUFFIX if why == "quick" else None
        snapshot = self.session.snapshot(name)
        if why == "quick":
            self.last_quicksave = snapshot
        self.saves_in_flight += 1
        write = self.session.write_autosave if why == "auto" else self.session.write
        self.jobs.submit(write, lambda path, err: self._written(why, path, err), snapshot)

    def _written(self, why: str, path, error) -> None:
        self.saves_in_flight -= 1
        if error is not None:
            self.notify(f"Save failed: {error}")
            return
        if why == "quit":
            self.quit_saved = True
        elif why == "quick":
            self.notify(f"Quicksaved at step {self.last_quicksave.meta.step}")
        elif why == "save":
            self.notify(f"Saved {self.session.name} ({path})")

    def _autosave(self, sim) -> None:
        self._take_snapshot("auto")

    def quickload(self) -> None:
        if self.loading:
            return
        self.loading = True
        self.notify("Loading quicksave…")
        self.jobs.submit(self.session.read_quicksave, self._loaded)

    def _loaded(self, slot, error) -> None:
        self.loading = False
        if error is not None:
            self.notify("No quicksave to load yet (F5 makes one)")
            return
        self.session.quickload(slot)
        self.save_request = None
        if getattr(self.sim, "live", False):
            self.sim.hold_decisions(False)
        self.accumulator = 0.0
        self.on_loaded()
        self.notify(f"Quickloaded step {self.sim.step}")

    @property
    def busy_text(self) -> str:
        if self.save_request or self.saves_in_flight:
            return "saving…"
        return "loading…" if self.loading else ""


RATE_WINDOW_S = 15.0  # calls/s and tok/s are averaged over this much wall time (a call
# of the bundled model spends most of its seconds evaluating the prompt, which no backend reports
# while it runs)


class ModelRates:
    """What the model is doing, for the top bar: calls in flight (how many, how long the
    oldest has been waiting), and calls/s and tokens/s over the last few seconds, tokens still
    being generated included where the backend reports them (llama.cpp does), so the bar does
    not read 0.0 through a long day-plan call."""

    def __init__(self, call_log, health=None, clock=time.perf_counter) -> None:
        self.call_log = call_log
        self.health = health  # cognition.llm.health.ServerHealth with --server
        self.clock = clock  # the call log's clock (AccountedModel's default)
        self._samples: deque[tuple[float, int, int]] = deque()
        self.calls_s = 0.0
        self.tokens_s = 0.0
        self.in_flight = 0
        self.oldest_s = 0.0

    def sample(self, now_s: float) -> None:
        """Take a sample of the call log (every frame is fine: it is O(calls in flight))."""
        live = getattr(self.call_log, "live_totals", self.call_log.totals)
        calls, tokens = live()
        flying = self.call_log.in_flight() if hasattr(self.call_log, "in_flight") else ()
        self.in_flight = len(flying)
        self.oldest_s = max(0.0, self.clock() - flying[0].started_s) if flying else 0.0
        if not self._samples or now_s - self._samples[-1][0] >= 0.25:
            self._samples.append((now_s, calls, tokens))
        while len(self._samples) > 2 and now_s - self._samples[1][0] >= RATE_WINDOW_S:
            self._samples.popleft()
        first = self._samples[0]
        span = now_s - first[0]
        if span > 0:
            self.calls_s = (calls - first[1]) / span
            self.tokens_s = max(0.0, (tokens - first[2]) / span)

    def text(self, now_s: float) -> str:
        if self.call_log is None:
            return "no model"
        trouble = self.health.status().short if self.health is not None else ""
        if trouble:
            return trouble  # the model server is slow or gone: say so instead of 0.0 calls/s
        self.sample(now_s)
        if not self.in_flight:
            return f"model idle · {self.calls_s:.1f} calls/s · {self.tokens_s:.0f} tok/s"
        calls = f"{self.in_flight} call{'s' if self.in_flight > 1 else ''}"  # queued or running
        return f"model busy · {calls}, oldest {self.oldest_s:.0f} s · {self.tokens_s:.0f} tok/s"
