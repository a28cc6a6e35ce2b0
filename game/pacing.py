"""Stepping a simulation at a target rate without a window, the way the window's frame loop
does: one `sim.poll()` per "frame", never blocking on a mind, and the wall time of every
finished step kept, so the waits between steps can be measured (`StepGaps`).

Used by headless `simulacra run --clock live` (a live town needs a pace: at full speed no
decision would ever land before the day is over) and by the stall bench.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

FRAME_S = 1 / 60  # how often the loop looks, like the window at 60 fps


@dataclass(frozen=True)
class StepGaps:
    """Wall-clock waits between consecutive finished steps (the first step counts from the
    start), in seconds."""

    gaps: tuple[float, ...]

    @property
    def longest(self) -> float:
        return max(self.gaps, default=0.0)

    def percentile(self, q: float) -> float:
        """The `q`-th percentile (nearest rank), 0 when there are no steps."""
        if not self.gaps:
            return 0.0
        ordered = sorted(self.gaps)
        rank = max(1, math.ceil(q / 100 * len(ordered)))
        return ordered[rank - 1]

    def over(self, limit_s: float) -> int:
        return sum(g > limit_s for g in self.gaps)


def run_paced(sim, steps: int, steps_per_s: float, *, max_wall_s: float | None = None,
              progress: Callable[[int], None] | None = None,
              monotonic: Callable[[], float] = time.monotonic,
              sleep: Callable[[float], None] = time.sleep) -> StepGaps:
    """Advance up to `steps` steps at most `steps_per_s` a second (stops early after
    `max_wall_s`); returns the waits between steps. A lockstep simulation stalls here where
    the window would; a live one keeps the pace while minds think."""
    interval = 1.0 / steps_per_s
    started = last = monotonic()
    due = started
    gaps: list[float] = []
    while len(gaps) < steps:
        now = monotonic()
        if max_wall_s is not None and now - started >= max_wall_s:
            break
        if now < due:
            sleep(min(due - now, FRAME_S))
            continue
        if sim.poll(1):
            finished = monotonic()
            gaps.append(finished - last)
            last = finished
            due = max(due + interval, finished - interval)  # no burst after a wait
            if progress is not None:
                progress(1)
        else:
            sleep(FRAME_S)  # waiting on minds (lockstep): look again next frame
    return StepGaps(tuple(gaps))
