"""What the window knows of minds: the newest `MindSnapshot` of every agent, taken from the
step records (`StepRecord.minds`), never from a live mind.

The inspector draws `inspect_data(agent)` (the dict `game.panels` reads) and the event feed
gets the reflections a snapshot shows for the first time (`take_in` returns them). The first
snapshot of an agent only learns what is there already: those reflections are not news.
Works the same on records from a live simulation and from a run log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from engine.mind_snapshot import MindSnapshot


class MindBook:
    """The newest snapshot per agent and a version that changes with any of them."""

    def __init__(self, snapshots: Iterable[MindSnapshot] = ()) -> None:
        self.snapshots: dict[str, MindSnapshot] = {}
        self.version = 0
        for snapshot in snapshots:
            self.take_in(snapshot)

    def take_in(self, snapshot: MindSnapshot) -> list[str]:
        """Keep `snapshot` as its agent's newest; the reflections it shows for the first time
        (none for an agent's first snapshot)."""
        known = self.snapshots.get(snapshot.agent)
        self.snapshots[snapshot.agent] = snapshot
        self.version += 1
        if known is None:
            return []
        old = set(known.reflections)
        return [text for text in snapshot.reflections if text not in old]

    def get(self, agent: str | None) -> MindSnapshot | None:
        return self.snapshots.get(agent) if agent is not None else None

    def inspect_data(self, agent: str | None) -> dict[str, Any]:
        """The inspector's dict for an agent ({} before its mind has shown anything)."""
        snapshot = self.get(agent)
        return snapshot.as_inspect() if snapshot is not None else {}

    def clear(self) -> None:
        self.snapshots.clear()
        self.version += 1
