"""The append-only run log: one JSON line per step in which anything visible changed.

Each line is `{"step", "time", "agents": {name: {changed fields}}}`; the first line after a
load is a keyframe (`"key": true`) holding every agent, so replay can start from any session.
Fields: `xy`, `action`, `emoji`, `address`, `say` (a line spoken at that step), `reply`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from engine.records import StepRecord


class RunLog:
    """Writes step records to a JSONL file, skipping agents whose view did not change."""

    def __init__(self, path: Path, lines_written: int = 0):
        self.path = path
        self.lines_written = lines_written
        self._last: dict[str, dict[str, Any]] = {}
        self._file: TextIO | None = None

    def _handle(self) -> TextIO:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a", encoding="utf-8")
        return self._file

    def record(self, step: int, time_iso: str, views: dict[str, dict[str, Any]],
               extra: dict[str, Any] | None = None) -> None:
        key = not self._last
        changed: dict[str, dict[str, Any]] = {}
        for name, view in views.items():
            last = self._last.get(name, {})
            diff = {k: v for k, v in view.items() if key or last.get(k) != v}
            transient = {k: v for k, v in view.items() if k in ("say", "reply") and v}
            diff.update(transient)
            diff = {k: v for k, v in diff.items() if v is not None or k not in ("say", "reply")}
            if diff:
                changed[name] = diff
            self._last[name] = {k: v for k, v in view.items() if k not in ("say", "reply")}
        if not changed and not extra:
            return
        line: dict[str, Any] = {"step": step, "time": time_iso, "agents": changed}
        if key:
            line["key"] = True
        if extra:
            line.update(extra)
        self._handle().write(json.dumps(line, ensure_ascii=False) + "\n")
        self.lines_written += 1

    def append(self, record: StepRecord) -> None:
        """Log one finished step from the simulation's frozen record."""
        views = {
            a.name: {"xy": list(a.tile_xy), "action": a.action, "emoji": a.emoji,
                     "address": a.address, "say": a.said}
            for a in record.agents
        }
        replies = [[r.agent, r.message_id, r.text] for r in record.replies]
        self.record(record.step, record.time_iso, views, {"replies": replies} if replies else None)

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_runlog(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the records of a run log (a missing file yields nothing)."""
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def truncate_runlog(path: Path, lines: int) -> None:
    """Keep only the first `lines` records (drops what was logged after the last save)."""
    if not path.is_file():
        return
    with open(path, encoding="utf-8") as handle:
        kept = [line for _, line in zip(range(lines), handle)]
    # Write a new file rather than truncating in place: saves may share the old one by link.
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.writelines(kept)
    os.replace(tmp, path)
