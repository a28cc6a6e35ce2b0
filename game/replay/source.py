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
from engine.player import Player
from engine.records import (AgentRecord, ConversationRecord, ErrorEntry, Reply, StepRecord,
                            TownEvent)
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
    player: Player | None = None  # the user's character (meta.json extra), drawn as an agent

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
    player = None
    if "player" in meta.extra:
        try:
            player = Player.from_state(meta.extra["player"])
        except ValueError as exc:
            raise UserError(f"save '{save_name}': meta.json extra: {exc}") from None
    reader = open_runlog(loaded.runlog_path, last_step=meta.step - 1 if meta.step else None,
                         clock=clock)
    return RecordedRun(meta.name, reader, personas, paths.map_path(meta.map, loaded.path), clock,
                       player)


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


def talk_records(reader: RunLogReader, first: int, last: int) -> Iterator[StepRecord]:
    """Steps `first`..`last` as records that hold only what the panels list — the lines said,
    the conversations, replies, events and errors — without building every agent's record
    (a seek fills the Events and Talk panels from hours of log in well under a second)."""
    talks_seen: tuple[object, tuple[ConversationRecord, ...]] = (None, ())
    for frame in reader.iter_frames(first, last):
        raw = frame.world.get("conversations", ())
        if raw is not talks_seen[0]:  # the reader shares unchanged values between steps
            talks_seen = (raw, tuple(ConversationRecord.from_state(c) for c in raw))
        speakers = tuple(AgentRecord.from_state({**view, "name": name})
                         for name, view in sorted(frame.agents.items()) if view.get("say"))
        extra, world = frame.extra, frame.world
        yield StepRecord(
            step=frame.step, time_iso=frame.time_iso, agents=speakers,
            replies=tuple(Reply.from_state(r) if len(r) == 4 else
                          Reply(r[0], int(r[1]), r[2], frame.step)
                          for r in extra.get("replies", ())),
            errors=int(world.get("errors", 0)),
            conversations=talks_seen[1],
            events=tuple(TownEvent.from_state(e) for e in extra.get("events", ())),
            error_list=tuple(ErrorEntry.from_state(e) for e in extra.get("error_list", ())))
