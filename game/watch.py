"""Watching the town start: the first agent to move (the camera follows it) and planning
progress until the first plans are in."""

from __future__ import annotations

from game.scene import Scene


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


def planning_text(sim) -> str:
    """"planning 7/25" until every mind's first plan is in (whatever the camera follows)."""
    done, total = sim.planning_progress()
    return f"planning {done}/{total}" if done < total else ""
