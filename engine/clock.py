"""Game time: a start moment plus a fixed number of game seconds per step."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"


@dataclass(frozen=True, slots=True)
class GameClock:
    """Maps step numbers to game time. Immutable: the simulation owns the step counter."""

    start: datetime
    step_s: int = 10

    def time_at(self, step: int) -> datetime:
        return self.start + timedelta(seconds=step * self.step_s)

    def iso_at(self, step: int) -> str:
        return self.time_at(step).strftime(TIME_FORMAT)

    def steps_for_minutes(self, minutes: float) -> int:
        return max(1, round(minutes * 60 / self.step_s))

    def to_state(self) -> dict:
        return {"start": self.start.strftime(TIME_FORMAT), "step_s": self.step_s}

    @classmethod
    def from_state(cls, state: dict) -> GameClock:
        return cls(start=parse_time(state["start"]), step_s=int(state["step_s"]))


def parse_time(text: str) -> datetime:
    return datetime.strptime(text, TIME_FORMAT)


def format_game_time(moment: datetime) -> str:
    """`Monday February 13, 2023 07:05` for the HUD and progress bars."""
    return moment.strftime("%A %B %d, %Y %H:%M")


class StepRate:
    """Measured steps per wall second over the last `window_s` seconds (for the HUD).

    `monotonic` is injected so tests can drive it; it never influences the simulation.
    """

    def __init__(self, monotonic: Callable[[], float], window_s: float = 2.0):
        self._now = monotonic
        self.window_s = window_s
        self._times: deque[float] = deque()

    def tick(self) -> None:
        """One step finished now."""
        now = self._now()
        self._times.append(now)
        self._trim(now)

    def per_s(self) -> float:
        now = self._now()
        self._trim(now)
        if not self._times:
            return 0.0
        span = max(now - self._times[0], 1e-6)
        return len(self._times) / max(span, min(self.window_s, 1.0))

    def _trim(self, now: float) -> None:
        while self._times and now - self._times[0] > self.window_s:
            self._times.popleft()
