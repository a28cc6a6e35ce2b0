"""The run log: what every agent visibly did at every step, streamed to a JSONL file.

Format v2 — one JSON object per line, UTF-8, steps increasing along the file:

- keyframe `{"step", "time", "key": true, "v": 2, "agents": {name: full view}, "world": {...}}`:
  every agent's complete view. Written at the first logged step of a session and then every
  `keyframe_every` steps, so a reader can start at any keyframe.
- change `{"step", "time", "agents": {name: changed fields}, "world": {changed keys}}`: only
  what changed. A step at which nothing changed is not written at all.
- transient fields (`say`, `reply` in an agent's view; `replies`, `events`, `landed`, `minds`
  beside `agents`) hold for the step of their line only. `landed` lists the decisions the live
  clock applied at that step (`[agent, asked step, due step]`); `minds` the mind snapshots
  (`engine.mind_snapshot`) that changed at that step.
- boundary `{"step": N, "time", "agents": {...}}` written when a save is made at step N (N steps
  finished, the town as it stands before step N runs): only changes, possibly none, and no
  transient fields. It makes the log reach the step the save is at, so a save at step N replays
  through step N. When the run goes on, step N's own line follows with the same step number;
  readers apply both, in file order.

Agent views hold `xy`, `facing`, `action`, `emoji`, `address`, `sleeping`, `say` ... (whatever
the simulation logs: the writer diffs any keys). `world` holds step-wide state (errors,
conversations).

Index: a sidecar `runlog.idx` beside the log, one line per keyframe, `step offset line`
(byte offset and 0-based line number of the keyframe). Readers only trust an entry after
checking that the line at its offset is that keyframe; without a usable index they find the
keyframes in one streamed pass. v1 logs (no `"v"`, a keyframe only at each session's start)
read through the same code.

Reading and writing are streamed: memory stays flat in the run's length. Files are opened
with `O_NOFOLLOW` (a link in a save is never followed).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from engine.errors import UserError
from engine.safe_write import disk_error
from engine.runlog_reader import (
    TRANSIENT,
    RunLogReader,
    _read_index_entries,
    index_path,
    open_nofollow,
    parse_line,
)

if TYPE_CHECKING:
    from engine.records import StepRecord

FORMAT_VERSION = 2
KEYFRAME_EVERY = 60  # steps (10 game minutes at 10 s a step)


class RunLog:
    """Writes step views to the log, skipping agents whose view did not change.

    `lines_written` counts every line in the file (saves store it to cut the log back to the
    saved step on load, see `truncate_runlog`)."""

    def __init__(self, path: Path, lines_written: int = 0, keyframe_every: int = KEYFRAME_EVERY):
        self.path = path
        self.lines_written = lines_written
        self.keyframe_every = max(1, keyframe_every)
        self._last: dict[str, dict[str, Any]] = {}
        self._last_world: dict[str, Any] = {}
        self._next_key_step: int | None = None
        self._file: BinaryIO | None = None
        self._index: BinaryIO | None = None
        self.last_step: int | None = None  # the last step this writer logged

    def _handles(self) -> tuple[BinaryIO, BinaryIO]:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open_append(self.path)
            self._index = open_append(index_path(self.path))
        assert self._index is not None
        return self._file, self._index

    def record(self, step: int, time_iso: str, views: dict[str, dict[str, Any]],
               extra: dict[str, Any] | None = None, world: dict[str, Any] | None = None,
               force: bool = False) -> None:
        """Log one finished step: every agent's view, step-wide `world` state, and `extra`
        transient entries (e.g. `replies`). `force`: write a line even when nothing changed."""
        key = self._next_key_step is None or step >= self._next_key_step
        changed: dict[str, dict[str, Any]] = {}
        for name, view in views.items():
            last = self._last.get(name, {})
            diff = {k: v for k, v in view.items()
                    if k not in TRANSIENT and (key or k not in last or last[k] != v)}
            diff.update({k: v for k, v in view.items() if k in TRANSIENT and v})
            if diff:
                changed[name] = diff
            self._last[name] = {k: v for k, v in view.items() if k not in TRANSIENT}
        world = world or {}
        world_diff = {k: v for k, v in world.items()
                      if key or k not in self._last_world or self._last_world[k] != v}
        self._last_world = dict(world)
        if not key and not changed and not world_diff and not extra and not force:
            return
        self.last_step = step
        line: dict[str, Any] = {"step": step, "time": time_iso}
        if key:
            line.update(key=True, v=FORMAT_VERSION)
            self._next_key_step = (step // self.keyframe_every + 1) * self.keyframe_every
        line["agents"] = changed
        if world_diff:
            line["world"] = world_diff
        if extra:
            line.update(extra)
        handle, index = self._handles()
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8")
        offset = os.lseek(handle.fileno(), 0, os.SEEK_END)
        _append(handle, data, self.path)  # whole, or cut back and one line (full disk)
        if key:
            _append(index, f"{step} {offset} {self.lines_written}\n".encode(),
                    index_path(self.path))
        self.lines_written += 1

    def append_boundary(self, record: StepRecord) -> None:
        """Log the town at a step boundary a save is made at (`record.step` = the steps
        finished), unless this writer already logged that step: no transient fields."""
        if self.last_step is not None and self.last_step >= record.step:
            return
        views = {}
        for agent in record.agents:
            view = agent.to_state()
            del view["name"]
            views[agent.name] = {k: v for k, v in view.items() if k not in TRANSIENT}
        world = {"errors": record.errors, "last_error": record.last_error,
                 "conversations": [c.to_state() for c in record.conversations]}
        self.record(record.step, record.time_iso, views, None, world, force=True)

    def append(self, record: StepRecord) -> None:
        """Log one finished step from the simulation's frozen record (`engine.records`)."""
        views = {}
        for agent in record.agents:
            view = agent.to_state()
            del view["name"]
            views[agent.name] = view
        world = {"errors": record.errors, "last_error": record.last_error,
                 "conversations": [c.to_state() for c in record.conversations]}
        extra: dict[str, Any] = {}
        if record.replies:
            extra["replies"] = [r.to_state() for r in record.replies]
        if record.events:
            extra["events"] = [e.to_state() for e in record.events]
        if record.landed:  # live clock: decisions applied at this step
            extra["landed"] = [x.to_state() for x in record.landed]
        if record.minds:  # mind snapshots new at this step (written when they change)
            extra["minds"] = [m.to_state() for m in record.minds]
        if record.error_list:
            extra["error_list"] = [e.to_state() for e in record.error_list]
        self.record(record.step, record.time_iso, views, extra, world)

    def flush(self) -> None:
        for handle in (self._file, self._index):
            if handle is not None:
                try:
                    handle.flush()
                except OSError as exc:
                    raise disk_error(exc, self.path) from None

    def close(self) -> None:
        for handle in (self._file, self._index):
            if handle is not None:
                handle.close()
        self._file = self._index = None


def open_append(path: Path) -> BinaryIO:
    """Open the log for appending, never writing through a link: a symbolic link is refused and
    a file with other names (a hard link, st_nlink > 1, perhaps to a file outside the save) is
    first replaced by a private copy, so appending changes this file only."""
    handle = open_nofollow(path, "ab")
    if os.fstat(handle.fileno()).st_nlink <= 1:
        return handle.detach()  # unbuffered: a line is written whole or cut back (`_append`)
    handle.close()
    break_hard_link(path)
    handle = open_nofollow(path, "ab")
    if os.fstat(handle.fileno()).st_nlink > 1:  # linked again in between: give up, write nothing
        handle.close()
        raise UserError(f"run log {path} is a hard link to another file; refusing to append")
    return handle.detach()


def _append(handle: BinaryIO, data: bytes, path: Path) -> None:
    """Append `data` whole; if the disk is full (or a size limit is reached) midway, the file is
    cut back to where it was, so the log never ends in half a line, and one line is raised."""
    start = os.lseek(handle.fileno(), 0, os.SEEK_END)
    view = memoryview(data)
    try:
        while view:
            view = view[handle.write(view):]
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.ftruncate(handle.fileno(), start)
        raise disk_error(exc, path) from None


def break_hard_link(path: Path) -> None:
    """If `path` has other names, give it a copy of its own (new file renamed over it); the
    other names keep the old contents untouched. No-op for a file with one name or none."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if info.st_nlink <= 1:
        return
    tmp = path.with_name(path.name + ".tmp")
    if os.path.lexists(tmp):
        os.unlink(tmp)
    try:
        with open_nofollow(path, "rb") as source, open(tmp, "xb") as out:  # O_EXCL: no link
            shutil.copyfileobj(source, out, 1 << 20)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"cannot give run log {path} a copy of its own ({exc.strerror})") from None


def truncate_runlog(path: Path, lines: int) -> int:
    """Keep only the first `lines` lines (drops what was logged after the last save); returns
    the lines the log now holds (fewer than `lines` when the file is shorter).

    Streamed; when the file already has no more lines it is left alone. A log with one name is
    cut in place (no room needed: this works on a full disk); one shared by hard link with
    another save is replaced by a new file instead, so the other keeps its lines."""
    if not path.is_file():
        return 0
    with open_nofollow(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        hint = _index_hint(path, lines)
        if hint[1] and not (hint[1] < size and _starts_keyframe(handle, hint[1])):
            hint = (0, 0)  # the index does not match this file: count from the start
        handle.seek(hint[1])
        count, cut = hint[0], hint[1]
        while count < lines and handle.readline():
            count += 1
        cut = handle.tell() if count else 0
        if cut >= size:
            return count
        if os.fstat(handle.fileno()).st_nlink == 1:
            _cut_in_place(path, cut)
            _truncate_index(path, lines)
            return count
        tmp = path.with_name(path.name + ".tmp")
        handle.seek(0)
        with open(tmp, "xb") as out:  # O_EXCL: never through a planted link
            _copy_bytes(handle, out, cut)
    os.replace(tmp, path)
    _truncate_index(path, lines)
    return count


def _cut_in_place(path: Path, size: int) -> None:
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        if os.fstat(fd).st_nlink == 1:
            os.ftruncate(fd, size)
    finally:
        os.close(fd)


def _index_hint(path: Path, lines: int) -> tuple[int, int]:
    """(line number, byte offset) of the last indexed keyframe before line `lines`."""
    best = (0, 0)
    for _, offset, line_no in _read_index_entries(path):
        if line_no < lines and line_no >= best[0]:
            best = (line_no, offset)
    return best


def _starts_keyframe(handle: BinaryIO, offset: int) -> bool:
    handle.seek(offset - 1)
    if handle.read(1) != b"\n":
        return False
    line = handle.readline()
    return line.startswith(b"{") and b'"key": true' in line


def _copy_bytes(source: BinaryIO, target: BinaryIO, count: int) -> None:
    left = count
    while left > 0:
        chunk = source.read(min(left, 1 << 20))
        if not chunk:
            break
        target.write(chunk)
        left -= len(chunk)


def _truncate_index(path: Path, lines: int) -> None:
    idx = index_path(path)
    if not idx.is_file():
        return
    kept = [entry for entry in _read_index_entries(path) if entry[2] < lines]
    tmp = idx.with_name(idx.name + ".tmp")
    try:
        with open(tmp, "x", encoding="utf-8") as out:  # O_EXCL: never through a planted link
            out.writelines(f"{s} {o} {n}\n" for s, o, n in kept)
        os.replace(tmp, idx)
    except OSError:  # no room: the index is only a hint (readers can scan), so drop it
        for stale in (tmp, idx):
            with contextlib.suppress(OSError):
                os.unlink(stale)


def read_runlog(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the raw lines of a run log as dicts (a missing file yields nothing).

    For analysis that wants every logged change; replay uses `open_runlog`."""
    if not path.is_file():
        return
    with open_nofollow(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if raw.strip():
                yield parse_line(path, raw, number)


def open_runlog(path: Path, last_step: int | None = None, clock=None) -> RunLogReader:
    """Open a run log for reading from any step: `steps()`, `record_at(step)`,
    `iter_records(from_step, to_step)` (see `engine.runlog_reader.RunLogReader`)."""
    return RunLogReader(path, last_step=last_step, clock=clock)


__all__ = ["RunLog", "open_runlog", "read_runlog", "truncate_runlog", "index_path",
           "open_nofollow", "open_append", "break_hard_link"]
