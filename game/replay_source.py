"""A saved run opened for watching: the save's run log, personas and map, and a cursor that
hands out the record of any step cheaply (streaming forwards, seeking otherwise).

No model and no simulation are built: only files of the save are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from engine import paths
from engine.agent_api import Persona
from engine.clock import GameClock, parse_time
from engine.errors import UserError
from engine.persistence import SaveStore
from engine.personas import load_personas
from engine.records import StepRecord
from engine.runlog import open_runlog
from engine.runlog_reader import RunLogReader


@dataclass
class RecordedRun:
    """Everything replay and render need from a save."""

    name: str
    reader: RunLogReader
    personas: dict[str, Persona]
    map_path: Path
    clock: GameClock

    @property
    def steps(self) -> range:
        return self.reader.steps()

    def close(self) -> None:
        self.reader.close()

    def agent_name(self, text: str) -> str:
        """A persona named by full or first name (case-insensitive), or a UserError."""
        wanted = text.strip().lower()
        for name, persona in self.personas.items():
            if wanted in (name.lower(), persona.first_name.lower()):
                return name
        raise UserError(f"no agent named '{text}' in save '{self.name}' "
                        f"(agents: {', '.join(self.personas)})")

    def check_steps(self, from_step: int | None, to_step: int | None) -> tuple[int, int]:
        """The step range asked for, defaulting to the whole run; a UserError when outside."""
        steps = self.steps
        first = steps[0] if from_step is None else from_step
        last = steps[-1] if to_step is None else to_step
        for label, value in (("--from-step", first), ("--to-step", last)):
            if value not in steps:
                raise UserError(f"{label} {value} is outside the run of '{self.name}' "
                                f"(steps {steps[0]}–{steps[-1]})")
        if last < first:
            raise UserError(f"--to-step {last} is before --from-step {first}")
        return first, last


def open_recorded_run(save_name: str, store: SaveStore | None = None) -> RecordedRun:
    """Open a save's run log for replay (a UserError when the save or its log is missing)."""
    store = store or SaveStore()
    loaded = store.read(save_name)
    meta = loaded.meta
    if not loaded.runlog_path.is_file() and not loaded.runlog_path.is_symlink():
        raise UserError(f"save '{save_name}' has no run log yet (run it first, e.g. "
                        f"simulacra run --load {save_name} --steps 360)")
    clock = GameClock(parse_time(meta.start_time), meta.step_s)
    personas = {p.name: p for p in load_personas(loaded.personas_dir, list(meta.personas))}
    reader = open_runlog(loaded.runlog_path, last_step=meta.step - 1 if meta.step else None,
                         clock=clock)
    return RecordedRun(meta.name, reader, personas, paths.map_path(meta.map, loaded.path), clock)


class RecordCursor:
    """The record at the step asked for: the next step comes from one open stream, any other
    step from a fresh seek (nearest keyframe + changes)."""

    def __init__(self, reader: RunLogReader):
        self.reader = reader
        self._stream: Iterator[StepRecord] | None = None
        self.record: StepRecord | None = None
        self.seeks = 0

    def at(self, step: int) -> StepRecord:
        current = self.record
        if current is not None and current.step == step:
            return current
        if current is not None and self._stream is not None and step == current.step + 1:
            record = next(self._stream, None)
            if record is not None and record.step == step:
                self.record = record
                return record
        self.seeks += 1
        self._stream = self.reader.iter_records(step, self.reader.steps()[-1])
        self.record = next(self._stream)
        return self.record

    def close(self) -> None:
        self._stream = None
