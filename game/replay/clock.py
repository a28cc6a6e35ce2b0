"""Playback of a recorded run: which step is shown, how fast it advances, where to jump.

Pure logic (no pygame), so the replay window, `render` and tests share it. Speeds 1–5 are the
original demo's levels, as steps of game time per second of real time.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from engine.clock import GameClock, parse_time
from engine.errors import UserError

SPEEDS = (1.0, 4.0, 15.0, 60.0, 240.0)  # steps per second for --speed 1..5
SPEED_NAMES = tuple(f"{s:g} steps/s" for s in SPEEDS)
DEFAULT_SPEED = 2
_TIME_RE = re.compile(r"^(?:(?:day\s*)?(\d+)\s+)?(\d{1,2}):(\d{2})(?::(\d{2}))?$", re.I)


@dataclass
class Playback:
    """The shown step of a run covering `steps`, playing or paused, at a speed level 1–5."""

    steps: range
    step: int
    speed: int = DEFAULT_SPEED
    playing: bool = True
    accumulator: float = 0.0

    def __post_init__(self) -> None:
        self.step = self.clamp(self.step)
        self.speed = max(1, min(len(SPEEDS), self.speed))

    @property
    def steps_per_s(self) -> float:
        return SPEEDS[self.speed - 1]

    @property
    def at_end(self) -> bool:
        return self.step >= self.steps[-1]

    def clamp(self, step: int) -> int:
        return max(self.steps[0], min(self.steps[-1], step))

    def update(self, dt_s: float) -> int:
        """Advance by what the speed allows in `dt_s`; returns how many steps were advanced.
        Stops at the last step."""
        if not self.playing:
            return 0
        self.accumulator += dt_s * self.steps_per_s
        due = int(self.accumulator)
        self.accumulator -= due
        target = self.clamp(self.step + due)
        advanced, self.step = target - self.step, target
        if self.at_end:
            self.playing = False
            self.accumulator = 0.0
        return advanced

    def toggle(self) -> None:
        if not self.playing and self.at_end:
            self.step = self.steps[0]  # play again from the start
        self.playing = not self.playing
        self.accumulator = 0.0

    def seek(self, step: int) -> None:
        self.step = self.clamp(step)
        self.accumulator = 0.0

    def step_by(self, steps: int) -> None:
        """Step forwards or backwards (pauses: stepping is for looking closely)."""
        self.playing = False
        self.seek(self.step + steps)

    def set_speed(self, level: int) -> None:
        self.speed = max(1, min(len(SPEEDS), level))

    def fraction(self) -> float:
        """Where the shown step is along the run, 0..1 (for the timeline bar)."""
        span = len(self.steps) - 1
        return 0.0 if span <= 0 else (self.step - self.steps[0]) / span

    def step_at_fraction(self, fraction: float) -> int:
        span = len(self.steps) - 1
        return self.clamp(self.steps[0] + round(max(0.0, min(1.0, fraction)) * span))


def step_for_time(text: str, clock: GameClock, steps: range, current: int) -> int:
    """The step a user's time means: `HH:MM` on the shown day, `day D HH:MM` (day 1 = the
    run's first day) or a full `YYYY-MM-DDTHH:MM:SS`. Outside the run: a UserError."""
    text = text.strip()
    moment = _parse_moment(text, clock, steps, current)
    seconds = (moment - clock.start).total_seconds()
    step = int(seconds // clock.step_s)
    if step not in steps:
        first, last = clock.time_at(steps[0]), clock.time_at(steps[-1])
        raise UserError(f"{text} is outside the run ({first:%a %H:%M} to {last:%a %H:%M})")
    return step


def _parse_moment(text: str, clock: GameClock, steps: range, current: int) -> datetime:
    match = _TIME_RE.match(text)
    if match is None:
        try:
            return parse_time(text)
        except ValueError:
            raise UserError(f"cannot read the time '{text}': use HH:MM, day 2 HH:MM or "
                            "YYYY-MM-DDTHH:MM:SS") from None
    day, hour, minute, second = match.groups()
    if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
        raise UserError(f"'{text}' is not a time of day")
    if day is None:
        base = clock.time_at(current)
    else:
        if int(day) < 1:
            raise UserError("days are counted from 1")
        base = clock.time_at(steps[0]) + timedelta(days=int(day) - 1)
    return base.replace(hour=int(hour), minute=int(minute), second=int(second or 0))


def frame_count(steps: int, speed: float, fps: int) -> int:
    """Frames a video of `steps` steps needs at `speed` steps per second (at least one)."""
    return max(1, math.ceil(steps * fps / speed - 1e-9))
