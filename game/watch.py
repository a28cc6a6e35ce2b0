"""Small watchers of the town over real time: measured steps per second, the first agent to
move (the camera follows it at start), and planning progress until then."""

from __future__ import annotations

from collections import deque

from game.scene import Scene

RATE_WINDOW_S = 2.0


class StepRate:
    """Steps per real second over the last couple of seconds (what the top bar shows)."""

    def __init__(self) -> None:
        self._samples: deque[tuple[float, int]] = deque()

    def sample(self, now_s: float, step: int) -> None:
        if self._samples and step < self._samples[-1][1]:
            self._samples.clear()  # a load went back in time
        self._samples.append((now_s, step))
        while len(self._samples) > 2 and now_s - self._samples[0][0] > RATE_WINDOW_S:
            self._samples.popleft()

    @property
    def steps_s(self) -> float:
        if len(self._samples) < 2:
            return 0.0
        (t0, s0), (t1, s1) = self._samples[0], self._samples[-1]
        return (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0


class Watcher:
    """Finds the first agent whose tile changes after the window opens (once)."""

    def __init__(self, scene: Scene) -> None:
        self._start = {a.name: a.tile_xy for a in scene.agents}
        self.active = True

    def first_mover(self, scene: Scene) -> str | None:
        if not self.active:
            return None
        for agent in scene.agents:
            start = self._start.get(agent.name)
            if start is not None and agent.tile_xy != start:
                self.active = False
                return agent.name
        return None

    def stop(self) -> None:
        """The user chose what to look at: stop waiting to follow someone."""
        self.active = False


def planning_text(sim, watching: bool) -> str:
    """"planning 7/25" while minds make their first plans (until someone moves)."""
    if not watching:
        return ""
    progress = getattr(sim, "planning_progress", None)
    if callable(progress):
        done, total = progress()
    else:
        total = len(sim.order)
        done = total - len(sim.thinking())
    return f"planning {done}/{total}" if done < total or watching else ""
