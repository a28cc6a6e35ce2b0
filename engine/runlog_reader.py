"""Reading a run log from any step without reading the whole file (format in `runlog.py`).

`RunLogReader.frame_at(step)` seeks to the nearest keyframe at or before the step (from the
sidecar index, each entry checked against the line it points at) and replays the changes up
to the step. `iter_frames(a, b)` streams consecutive steps from one seek. Memory is the
state of one step plus the list of keyframe offsets, whatever the run's length.

Every problem with the file (binary data, a line that is not a record, a truncated last line,
steps going backwards, a link instead of a file) is a `UserError` with one line.
"""

from __future__ import annotations

import bisect
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO

from engine import safe_json
from engine.clock import GameClock, parse_time
from engine.errors import UserError
from engine.mind_snapshot import MindSnapshot
from engine.records import (
    AgentRecord, ConversationRecord, ErrorEntry, Landing, Reply, StepRecord, TownEvent,
)  # fmt: skip

TRANSIENT = ("say", "reply", "say_by")
INDEX_SUFFIX = ".idx"
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def index_path(path: Path) -> Path:
    """`runlog.jsonl` -> `runlog.idx`."""
    return path.with_suffix(INDEX_SUFFIX)


def open_nofollow(path: Path, mode: str) -> BinaryIO:
    """Open for binary reading ("rb") or appending ("ab") without following a symlink."""
    flags = _NOFOLLOW | _BINARY
    flags |= os.O_RDONLY if mode == "rb" else os.O_WRONLY | os.O_APPEND | os.O_CREAT
    try:
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        if os.path.islink(path):
            raise UserError(f"run log {path} is a symbolic link; refusing to follow it") from None
        raise UserError(f"cannot open run log {path} ({exc.strerror or exc})") from None
    return os.fdopen(fd, mode)


TAIL_CHUNK = 1 << 16
MAX_LOG_STEP = 10**9  # 317 years at 10 s a step: a larger step is not a run log's
MAX_QUIET_STEPS = 3600  # keyframes come every 60 steps by default; 10 game hours at 10 s
DEFAULT_STEP_S = 10


def _read_index_entries(path: Path) -> list[tuple[int, int, int]]:
    """The sidecar index as (step, offset, line) triples; unreadable lines are skipped."""
    idx = index_path(path)
    if not idx.is_file() or idx.is_symlink():
        return []
    entries = []
    try:
        with open_nofollow(idx, "rb") as handle:
            for raw in handle:
                parts = raw.split()
                if len(parts) == 3 and all(p.isdigit() and len(p) <= 15 for p in parts):
                    entries.append((int(parts[0]), int(parts[1]), int(parts[2])))
    except (UserError, OSError):
        return []
    return entries


@dataclass(frozen=True, slots=True)
class LoggedStep:
    """Everything the log knows about one step: each agent's view (`xy`, `action`, `emoji`,
    `address`, `say`, ...), the step-wide `world` state and the transient `extra` entries
    (e.g. `replies`). `logged` is False for a step at which nothing changed."""

    step: int
    time_iso: str
    agents: Mapping[str, Mapping[str, Any]]
    world: Mapping[str, Any] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict)
    logged: bool = True


def parse_line(path: Path, raw: bytes, where: int | str) -> dict[str, Any]:
    """One log line as a dict, or a UserError naming the file and the line (or byte)."""
    place = f"line {where}" if isinstance(where, int) else where
    if b"\x00" in raw:
        raise UserError(f"run log {path} is not a text run log (binary data at {place})")
    try:
        line = safe_json.loads(raw)
    except UnicodeDecodeError:
        raise UserError(f"run log {path} is not UTF-8 text (at {place})") from None
    except json.JSONDecodeError as exc:
        raise UserError(f"run log {path}: {place} is not a JSON record ({exc.msg})") from None
    except ValueError as exc:  # safe_json.JSONFault: a huge number, NaN, too deep
        raise UserError(f"run log {path}: {place} is refused: {exc}") from None
    if not (isinstance(line, dict) and type(line.get("step")) is int
            and 0 <= line["step"] <= MAX_LOG_STEP
            and isinstance(line.get("time", ""), str) and isinstance(line.get("agents"), dict)
            and all(isinstance(v, dict) for v in line["agents"].values())
            and isinstance(line.get("world", {}), dict)):
        raise UserError(f"run log {path}: {place} is not a run-log record "
                        "(needs step, time and agents)")
    return line


class RunLogReader:
    """A run log opened for replay: `steps()`, `frame_at(step)`, `iter_frames(a, b)`.

    `record_at` / `iter_records` return the engine's `StepRecord` of a step (`convert` can
    replace `record_from_frame`). Close it, or use it as a context manager.
    """

    def __init__(self, path: Path, last_step: int | None = None, clock: GameClock | None = None,
                 convert=None):
        self.path = Path(path)
        self._file = open_nofollow(self.path, "rb")
        self.convert = convert or RecordBuilder()
        # A run may be appending (readers take no lock): read up to the last complete line.
        self.size = self._complete_size(os.fstat(self._file.fileno()).st_size)
        if self.size == 0:
            self.close()
            raise UserError(f"run log {self.path} is empty (or its only line is incomplete)")
        try:
            self.last_logged_step = self._tail()["step"]  # a cut last line: the likely fault
            first, second = self._head()
            self.first_step = first["step"]
            self.clock = clock or _infer_clock(first, second)
        except UserError:
            self.close()
            raise
        # A step past the last logged line is one at which nothing changed; a log holds a
        # keyframe at least every MAX_QUIET_STEPS steps, so a saved step far past its end (a
        # hand-edited meta.json) is not believed: only what the log can hold is planned.
        wanted = last_step if last_step is not None else -1
        self.last_step = max(self.last_logged_step,
                             min(wanted, self.last_logged_step + MAX_QUIET_STEPS))
        self._keys: list[tuple[int, int]] | None = None  # (step, offset) of keyframes
        self._keys_verified = False

    # ------------------------------------------------------------------ open / close

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> RunLogReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _head(self) -> tuple[dict[str, Any], dict[str, Any] | None]:
        self._file.seek(0)
        first = parse_line(self.path, self._file.readline(), 1)
        if not first.get("key"):
            raise UserError(f"run log {self.path}: line 1 is not a keyframe "
                            "(the log was cut or is not a run log)")
        for number, raw in enumerate(self._file, 2):
            if not raw.endswith(b"\n"):
                break  # a line still being written
            line = parse_line(self.path, raw, number)
            if line["step"] != first["step"]:
                return first, line
            if number > 4:
                break
        return first, None

    def _complete_size(self, size: int) -> int:
        """The byte length up to and including the last newline (0: no complete line)."""
        end = size
        while end > 0:
            start = max(0, end - TAIL_CHUNK)
            self._file.seek(start)
            cut = self._file.read(end - start).rfind(b"\n")
            if cut >= 0:
                return start + cut + 1
            end = start
        return 0

    def _tail(self) -> dict[str, Any]:
        chunk = TAIL_CHUNK
        while True:
            start = max(0, self.size - chunk)
            self._file.seek(start)
            data = self._file.read(self.size - start)
            if not data.endswith(b"\n"):
                raise UserError(f"run log {self.path} is truncated: its last line is incomplete")
            cut = data.rfind(b"\n", 0, len(data) - 1)
            if cut >= 0 or start == 0:
                return parse_line(self.path, data[cut + 1:], f"byte {start + cut + 1}")
            chunk *= 4

    # ------------------------------------------------------------------ public reading

    def steps(self) -> range:
        """The steps this log covers (first logged step to the last step known)."""
        return range(self.first_step, self.last_step + 1)

    def frame_at(self, step: int) -> LoggedStep:
        """The log's view of one step: nearest keyframe, then the changes up to `step`."""
        return next(self.iter_frames(step, step))

    def record_at(self, step: int):
        """The `StepRecord` of one step (seek: nearest keyframe, then the changes)."""
        return self._convert(self.frame_at(step))

    def iter_records(self, from_step: int, to_step: int) -> Iterator:
        """The `StepRecord` of every step from `from_step` to `to_step`, from one seek."""
        for frame in self.iter_frames(from_step, to_step):
            yield self._convert(frame)

    def _convert(self, frame: LoggedStep):
        try:
            return self.convert(frame)
        except (LookupError, TypeError, ValueError, AttributeError, OverflowError) as exc:
            raise UserError(f"run log {self.path}: step {frame.step} holds a malformed view "
                            f"({type(exc).__name__}: {exc})") from None

    def iter_frames(self, from_step: int, to_step: int) -> Iterator[LoggedStep]:
        """Every step from `from_step` to `to_step` (inclusive), from a single seek."""
        self._check_step(from_step)
        self._check_step(to_step)
        offset = self._keyframe_offset(from_step)
        lines = self._lines_from(offset)
        agents: dict[str, dict[str, Any]] = {}
        world: dict[str, Any] = {}
        pending = next(lines, None)
        last_step = -1
        for step in range(from_step, to_step + 1):
            transient: dict[str, dict[str, Any]] = {}
            extra: dict[str, Any] = {}
            logged = False
            while pending is not None and pending["step"] <= step:
                if pending["step"] < last_step:
                    raise UserError(f"run log {self.path}: steps go backwards at step "
                                    f"{pending['step']} (after {last_step})")
                last_step = pending["step"]
                here = pending["step"] == step
                _apply(pending, agents, world, transient if here else None)
                if here:
                    logged = True
                    extra = {k: v for k, v in pending.items()
                             if k not in ("step", "time", "agents", "world", "key", "v")}
                pending = next(lines, None)
            views = {name: ({**view, **transient[name]} if name in transient else view)
                     for name, view in agents.items()}
            yield LoggedStep(step, self.clock.iso_at(step), MappingProxyType(views),
                             MappingProxyType(dict(world)), MappingProxyType(extra), logged)

    # ------------------------------------------------------------------ seeking

    def _check_step(self, step: int) -> None:
        if step not in self.steps():
            raise UserError(f"step {step} is not in the run log {self.path.name} "
                            f"(steps {self.first_step}–{self.last_step})")

    def _keyframe_offset(self, step: int) -> int:
        keys = self._keyframes()
        at = bisect.bisect_right(keys, (step, float("inf"))) - 1
        if at < 0:
            return 0
        key_step, offset = keys[at]
        if not self._keys_verified and not self._is_keyframe(offset, key_step):
            self._keys = self._scan_keyframes()  # the index is stale: find them by reading
            self._keys_verified = True
            return self._keyframe_offset(step)
        return offset

    def _keyframes(self) -> list[tuple[int, int]]:
        if self._keys is None:
            entries = [(s, o) for s, o, _ in _read_index_entries(self.path) if o < self.size]
            if entries and entries == sorted(entries) and entries[0][1] == 0:
                self._keys = entries
            else:
                self._keys = self._scan_keyframes()
                self._keys_verified = True
        return self._keys

    def _is_keyframe(self, offset: int, step: int) -> bool:
        if offset > 0:
            self._file.seek(offset - 1)
            if self._file.read(1) != b"\n":
                return False
        self._file.seek(offset)
        raw = self._file.readline()
        try:
            line = parse_line(self.path, raw, f"byte {offset}")
        except UserError:
            return False
        return bool(line.get("key")) and line["step"] == step

    def _scan_keyframes(self) -> list[tuple[int, int]]:
        """Find every keyframe in one streamed pass (v1 logs, or a missing index)."""
        keys: list[tuple[int, int]] = []
        self._file.seek(0)
        offset = 0
        for raw in self._file:
            if offset >= self.size:
                break  # appended after this reader opened
            if b'"key": true' in raw or b'"key":true' in raw:
                line = parse_line(self.path, raw, f"byte {offset}")
                if line.get("key"):
                    keys.append((line["step"], offset))
            offset += len(raw)
        return keys

    def _lines_from(self, offset: int) -> Iterator[dict[str, Any]]:
        """Parsed lines from a byte offset to the end, read lazily in file order."""
        handle = open_nofollow(self.path, "rb")  # its own position: frames may interleave
        try:
            handle.seek(offset)
            while offset < self.size:  # lines appended after this reader opened are not read
                raw = handle.readline()
                if not raw:
                    return
                if raw.strip():
                    yield parse_line(self.path, raw, f"byte {offset}")
                offset += len(raw)
        finally:
            handle.close()


def _apply(line: dict[str, Any], agents: dict[str, dict[str, Any]], world: dict[str, Any],
           transient: dict[str, dict[str, Any]] | None) -> None:
    """Fold one line into the running state (copy-on-write: frames already handed out keep
    their views). Transient fields go to `transient` when the line is the step asked for."""
    if line.get("key"):
        agents.clear()
        world.clear()
    for name, change in line["agents"].items():
        lasting = {k: v for k, v in change.items() if k not in TRANSIENT}
        agents[name] = {**agents.get(name, {}), **lasting}
        if transient is not None:
            moment = {k: v for k, v in change.items() if k in TRANSIENT and v}
            if moment:
                transient[name] = moment
    world.update(line.get("world", {}))


def _infer_clock(first: dict[str, Any], second: dict[str, Any] | None) -> GameClock:
    """The log's clock from its first two lines with different steps (10 s if unknown)."""
    try:
        t1 = parse_time(first["time"])
        step_s = DEFAULT_STEP_S
        if second is not None:
            span_s = (parse_time(second["time"]) - t1).total_seconds()
            span_steps = second["step"] - first["step"]
            if span_steps > 0 and span_s > 0 and span_s % span_steps == 0:
                step_s = int(span_s // span_steps)
        from datetime import timedelta

        return GameClock(t1 - timedelta(seconds=first["step"] * step_s), step_s)
    except (KeyError, ValueError):
        raise UserError("run log: line 1 has no valid game time") from None


class RecordBuilder:
    """Turns logged steps into the engine's `StepRecord`, reusing each agent's record while
    its view is unchanged (the reader's views are copy-on-write, so "unchanged" is identity:
    most agents, most steps)."""

    def __init__(self) -> None:
        self._agents: dict[str, tuple[Mapping[str, Any], AgentRecord]] = {}

    def __call__(self, frame: LoggedStep) -> StepRecord:
        agents = []
        for name in sorted(frame.agents):
            view = frame.agents[name]
            cached = self._agents.get(name)
            if cached is None or cached[0] is not view:
                cached = (view, AgentRecord.from_state({**view, "name": name}))
                self._agents[name] = cached
            agents.append(cached[1])
        replies = tuple(
            Reply.from_state(r) if len(r) in (4, 5) else Reply(r[0], int(r[1]), r[2], frame.step)
            for r in frame.extra.get("replies", ()))
        return StepRecord(
            step=frame.step, time_iso=frame.time_iso, agents=tuple(agents), replies=replies,
            errors=int(frame.world.get("errors", 0)),
            last_error=str(frame.world.get("last_error", "")),
            conversations=tuple(ConversationRecord.from_state(c)
                                for c in frame.world.get("conversations", ())),
            events=tuple(TownEvent.from_state(e) for e in frame.extra.get("events", ())),
            landed=tuple(Landing.from_state(x) for x in frame.extra.get("landed", ())),
            minds=tuple(MindSnapshot.from_state(m) for m in frame.extra.get("minds", ())),
            error_list=tuple(ErrorEntry.from_state(e)
                             for e in frame.extra.get("error_list", ())))


def record_from_frame(frame: LoggedStep) -> StepRecord:
    """The engine's frozen record of a logged step (fields a v1 log lacks take defaults)."""
    return RecordBuilder()(frame)
