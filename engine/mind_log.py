"""Mind snapshots read back from a run log: what a replay shows of minds at a step.

The run log writes an agent's `MindSnapshot` at the steps it changed (`minds` beside a step's
agents, see engine/runlog.py), so the snapshot shown at step S is the newest written at or
before S. `snapshots_until` streams the log once and keeps only those.
"""

from __future__ import annotations

from pathlib import Path

from engine.errors import UserError
from engine.mind_snapshot import MindSnapshot
from engine.runlog import read_runlog


def snapshots_until(path: Path, step: int) -> dict[str, MindSnapshot]:
    """The newest snapshot of every agent written at or before `step` (none in old logs)."""
    newest: dict[str, MindSnapshot] = {}
    for line in read_runlog(path):
        if line["step"] > step:
            break
        for state in line.get("minds", ()):
            try:
                snapshot = MindSnapshot.from_state(state)
            except (KeyError, TypeError, ValueError) as exc:
                raise UserError(f"run log {path}: step {line['step']} holds a malformed mind "
                                f"snapshot ({type(exc).__name__}: {exc})") from None
            newest[snapshot.agent] = snapshot
    return newest
