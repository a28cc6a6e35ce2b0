"""Scenes from a live simulation, one per finished step, for the window.

With a simulation that publishes frozen per-step records (`add_listener`), every record is
queued by the listener and turned into a `Scene` here, so nothing spoken or started in a
frame that advanced several steps is missed. Without records (older engines) the scene is
built from the simulation's public state each frame. `thinking` always comes live from the
simulation (who is thinking now is wall-clock state, not part of a record). The mind
snapshots the records carry (`StepRecord.minds`) are collected for `take_snapshots()`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import replace

from game.scene import Scene, scene_from_record, scene_from_sim


class SceneSource:
    """The newest scene and the scenes of steps finished since the last `pull`."""

    def __init__(self, sim):
        self.sim = sim
        self._queue: deque = deque()
        self._listening = hasattr(sim, "add_listener")
        if self._listening:
            sim.add_listener(self._queue.append)
        self._snapshots = list(getattr(sim, "snapshots", {}).values())
        self.current = self._live()
        self.pinned = False

    def pin(self, scene: Scene) -> None:
        """Show `scene` until `unpin()` whatever the simulation does (tests, previews)."""
        self.current, self.pinned = scene, True

    def unpin(self) -> None:
        self.pinned = False

    def _live(self) -> Scene:
        record = getattr(self.sim, "last_record", None)
        if self._listening and record is not None:
            return self._with_live_thinking(scene_from_record(record))
        return scene_from_sim(self.sim)

    def _with_live_thinking(self, scene: Scene) -> Scene:
        return replace(scene, thinking=frozenset(self.sim.thinking()), by_name={})

    def pull(self) -> list[Scene]:
        """Scenes of the steps finished since the last call (oldest first); updates `current`."""
        if self.pinned:
            return []
        if not self._listening:
            scene = scene_from_sim(self.sim)
            fresh = [scene] if scene.step != self.current.step else []
            self.current = scene
            return fresh
        fresh = []
        while self._queue:
            record = self._queue.popleft()
            self._snapshots += getattr(record, "minds", ())
            fresh.append(scene_from_record(record))
        if fresh:
            self.current = self._with_live_thinking(fresh[-1])
        else:
            self.current = replace(self.current, thinking=frozenset(self.sim.thinking()),
                                   by_name={})
        return fresh

    def take_snapshots(self) -> list:
        """Mind snapshots of the records pulled since the last call (oldest first)."""
        taken, self._snapshots = self._snapshots, []
        return taken

    def reset(self) -> None:
        """After a load: drop queued records and take the loaded town as it is."""
        self._queue.clear()
        self._snapshots = list(getattr(self.sim, "snapshots", {}).values())
        self.current = self._live() if getattr(self.sim, "last_record", None) is not None \
            else scene_from_sim(self.sim)

    def close(self) -> None:
        if self._listening and hasattr(self.sim, "remove_listener"):
            try:
                self.sim.remove_listener(self._queue.append)
            except ValueError:
                pass
