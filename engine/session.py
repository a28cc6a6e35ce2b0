"""A running save: the simulation built from a save, plus saving, quicksave and autosave."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine import paths, safe_io
from engine.agent_api import MindFactory, Persona
from engine.clock import GameClock, parse_time
from engine.dispatcher import Dispatcher
from engine.errors import UserError
from engine.history_csv import load_history, statements_by_name
from engine.persistence import (
    RUNLOG,
    RUNLOG_INDEX,
    LoadedSave,
    SaveMeta,
    SaveStore,
    read_save,
    MAX_STORED_NAME,
    validate_name,
)
from engine.personas import check_places, load_personas
from engine.player import Player, choose_sprite
from engine.runlog import RunLog, break_hard_link, truncate_runlog
from engine.runlog_reader import parse_line
from engine.save_lock import SaveLock
from engine.simulation import SimSettings, Simulation
from engine.state_check import check_restored
from engine.tmx_loader import load_town_map
from engine.town_map import TownMap

QUICKSAVE_SUFFIX = "-quicksave"
AUTOSAVE_SUFFIX = "-autosave-"
AUTOSAVE_KEEP = 3


def is_slot(name: str) -> bool:
    """True for a quicksave or autosave slot of another save (not a save of its own)."""
    head, _, step = name.rpartition(AUTOSAVE_SUFFIX)
    return name.endswith(QUICKSAVE_SUFFIX) or bool(head and step.isdigit())


class StepInFlight(RuntimeError):
    """The step being computed did not finish in time, so there is no boundary to save."""


@dataclass(frozen=True)
class Snapshot:
    """A captured step boundary waiting to be written: save name, meta and full state."""

    name: str
    meta: SaveMeta
    state: dict[str, Any]

DEFAULT_BASE = "base_the_ville_isabella_maria_klaus"


def map_file(loaded: LoadedSave) -> Path:
    """The .tmx file of a save: a shipped map, or one inside the save folder."""
    return paths.map_path(loaded.meta.map, loaded.path)


def load_world(loaded: LoadedSave, town: TownMap | None = None) -> tuple[TownMap, list[Persona]]:
    """The map and personas a save needs, checked against each other."""
    meta = loaded.meta
    town = town or load_town_map(map_file(loaded), name=Path(meta.map).stem)
    personas = load_personas(loaded.personas_dir, list(meta.personas))
    addresses = set(town.addresses())
    for persona in personas:
        check_places(persona, addresses)
        if persona.spawn not in town.spawns:
            raise UserError(
                f"persona {persona.name}: spawn point '{persona.spawn}' is not in map "
                f"'{meta.map}'"
            )
    return town, personas


class Session:
    """Owns one simulation and the save it belongs to."""

    def __init__(
        self,
        store: SaveStore,
        loaded: LoadedSave,
        factory: MindFactory,
        dispatcher: Dispatcher,
        *,
        settings: SimSettings = SimSettings(),
        model_name: str = "",
        town: TownMap | None = None,
        log_run: bool = True,
        minds: object | None = None,
        autosave_keep: int = AUTOSAVE_KEEP,
        player: Player | None = None,
        no_player: bool = False,
    ):
        self.store = store
        self.minds = minds  # what built the minds (game.wiring.Minds: description, call log)
        self.loaded = loaded
        self.meta = loaded.meta
        self.name = loaded.path.name  # the folder is the save's identity, never meta's name
        self.model_name = model_name
        self.autosave_keep = autosave_keep
        self.lock: SaveLock | None = None  # set by open_session; released by close()
        self.notes: list[str] = []  # things repaired on the way in, for the command to show
        self.town, self.personas = load_world(loaded, town)
        where = f"save '{self.name}'"
        clock = GameClock(parse_time(self.meta.start_time), self.meta.step_s)
        if player is not None and player.name in {p.name for p in self.personas}:
            raise UserError(f"--player-name '{player.name}' is an agent of {where}; choose "
                            "another name")
        if player is not None and not player.sprite:  # the first sheet no agent wears
            player = replace(player, sprite=choose_sprite("", {p.sprite for p in self.personas}))
        state = loaded.state
        if no_player and state and isinstance(state.get("engine"), dict):  # left out this time
            state = {**state, "engine": {k: v for k, v in state["engine"].items()
                                         if k != "player"}}
        try:
            self.sim = Simulation(
                self.town,
                self.personas,
                factory,
                clock,
                dispatcher=dispatcher,
                settings=settings,
                state=state,
                runlog=None,
                on_autosave=lambda sim: self.autosave(),
                player=None if no_player else player,
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            dispatcher.shutdown()
            raise UserError(
                f"{where}: world.json or minds/ has a bad shape ({type(exc).__name__}: {exc})"
            ) from None
        try:
            check_restored(self.sim, where)
        except UserError:
            self.sim.close()
            raise
        self.loaded = replace(loaded, state=None)  # restored: do not keep the read state in RAM
        if log_run:
            self.sim.set_runlog(_open_runlog(loaded, where, self.notes))

    @property
    def path(self) -> Path:
        return self.store.save_path(self.name)

    def current_meta(self, name: str | None = None) -> SaveMeta:
        lines = self.sim.runlog.lines_written if self.sim.runlog else self.meta.runlog_lines
        player = self.sim.world.player  # in meta too: replay and render draw it with its sprite
        extra = {k: v for k, v in self.meta.extra.items() if k != "player"}
        return replace(
            self.meta,
            name=name or self.name,
            step=self.sim.step,
            mind=self.sim.factory.kind,
            model=self.model_name or self.meta.model,
            runlog_lines=lines,
            extra={**extra, "player": player.to_state()} if player else extra,
        )

    def snapshot(self, name: str | None = None) -> Snapshot:
        """Capture the current step boundary (the simulation must be idle). Fast; no disk."""
        if not self.sim.idle:
            raise RuntimeError("snapshot() needs the simulation to be between steps")
        if self.sim.runlog is not None:  # the log reaches the saved step (`append_boundary`)
            self.sim.runlog.append_boundary(self.sim.world.record(self.sim.step, [], []))
            self.sim.runlog.flush()
        target = name or self.name
        return Snapshot(target, self.current_meta(target), self.sim.to_state())

    def write(self, snapshot: Snapshot) -> Path:
        """Write a snapshot to disk atomically. Safe to call from a background thread."""
        path = self.store.write(
            snapshot.name,
            snapshot.meta,
            snapshot.state,
            self.loaded.path,
            runlog_path=self.loaded.runlog_path if self.sim.runlog else None,
        )
        return path

    def save(self, name: str | None = None, timeout_s: float = 60.0) -> Path:
        """Finish the step in flight, then write it to the save (or to another slot name)."""
        if not self.sim.wait_idle(timeout_s):
            raise StepInFlight("the simulation did not reach a step boundary in time")
        return self.write(self.snapshot(name))

    def autosave(self) -> Path:
        """Save, and keep the last `autosave_keep` autosaves as `<name>-autosave-<step>`.

        The simulation calls this at an idle step boundary (so it must not wait for one)."""
        return self.write_autosave(self.snapshot())

    def write_autosave(self, snapshot: Snapshot) -> Path:
        """Write an autosave snapshot, then rotate the slots (safe on a background thread)."""
        path = self.write(snapshot)
        if self.autosave_keep > 0:
            self.store.clone(self.name, f"{self.name}{AUTOSAVE_SUFFIX}{snapshot.meta.step:09d}")
            self._prune_autosaves()
        return path

    def autosave_slots(self) -> list[str]:
        """This save's autosave slots, oldest first."""
        prefix = self.name + AUTOSAVE_SUFFIX
        return sorted(
            n for n in self.store.save_names()
            if n.startswith(prefix) and n[len(prefix):].isdigit()
        )

    def _prune_autosaves(self) -> None:
        slots = self.autosave_slots()
        for old in slots[: max(0, len(slots) - self.autosave_keep)]:
            self.store.remove(old)

    def quicksave(self) -> Path:
        return self.save(self.name + QUICKSAVE_SUFFIX)

    def read_quicksave(self) -> LoadedSave:
        """Read the quicksave slot from disk (safe on a background thread)."""
        slot = read_save(self.store.save_path(self.name + QUICKSAVE_SUFFIX), "quicksave")
        if slot.state is None:
            raise UserError("the quicksave slot holds no world")
        return slot

    def quickload(self, slot: LoadedSave | None = None) -> None:
        """Restore the quicksave slot exactly; results still being computed are dropped."""
        slot = slot or self.read_quicksave()
        self.sim.restore(slot.state)
        if self.sim.runlog is not None:
            self.sim.set_runlog(None)
            where = f"save '{self.name}'"
            self.sim.set_runlog(_open_runlog(replace(self.loaded, meta=slot.meta), where))

    def close(self) -> None:
        try:
            self.sim.close()
        finally:
            if self.lock is not None:
                self.lock.release()


def open_session(
    store: SaveStore,
    *,
    fork: str | None,
    load: str | None,
    name: str | None,
    factory: MindFactory,
    dispatcher: Dispatcher,
    settings: SimSettings = SimSettings(),
    model_name: str = "",
    minds: object | None = None,
    autosave_keep: int = AUTOSAVE_KEEP,
    player: Player | None = None,
    no_player: bool = False,
) -> Session:
    """Fork a base into a new save, or load an existing save, and build its session.

    The session holds the save's lock (`engine.save_lock`) until it is closed: a second writer
    of the same save is refused with one line naming this one."""
    lock = None
    try:
        if load is not None:  # an empty name is a bad name, never "fork instead"
            lock = SaveLock(store.saves_root, validate_name(load, MAX_STORED_NAME)).acquire()
            loaded = store.read(load)
            town, _ = load_world(loaded)
        else:
            base = fork or DEFAULT_BASE
            base_save = store.read_base(base)
            town, personas = load_world(base_save)  # refuse a broken base before copying it
            if player is not None and player.name in {p.name for p in personas}:
                raise UserError(f"--player-name '{player.name}' is an agent of {base}; "
                                "choose another name")
            if os.path.lexists(base_save.history_csv):
                load_history(base_save.history_csv, known_names={p.name for p in personas})
            new_name = validate_name(name) if name is not None else _free_name(store, base)
            lock = SaveLock(store.saves_root, new_name).acquire()
            loaded = store.fork(base, new_name)
        session = Session(
            store, loaded, factory, dispatcher, settings=settings, model_name=model_name,
            town=town, minds=minds, autosave_keep=autosave_keep, player=player,
            no_player=no_player,
        )
    except BaseException:
        if lock is not None:
            lock.release()
        raise
    session.lock = lock
    if lock.note:
        session.notes.append(lock.note)
    if load is None:
        plant_history(session)
    return session


def plant_history(session: Session) -> int:
    """A fresh fork starts as the paper's did: the base's history.csv is whispered to each agent
    once, with its first decision (a loaded save already holds it, in the minds or still queued
    in world.json). Returns statements planted."""
    path = session.loaded.history_csv
    if not path.is_file():
        return 0
    entries = load_history(path, known_names=set(session.sim.order))
    total = 0
    for agent, statements in statements_by_name(entries).items():
        session.sim.world.plant(agent, list(statements))
        total += len(statements)
    return total


def _open_runlog(loaded: LoadedSave, where: str, notes: list[str] | None = None) -> RunLog:
    """Open the save's run log for appending, after making sure nothing in it is a link.

    The run log is the one file written in place, so the folder is checked again right before
    (a link planted since loading is refused) and a stale `runlog.jsonl.tmp` of a killed run is
    removed first, so the truncation below always creates its temporary file afresh. A log with
    other names (a hard link: st_nlink > 1) gets a copy of its own first, so appending can never
    change a file outside the save.
    """
    safe_io.check_tree(loaded.path, where)
    for log_file in (RUNLOG, RUNLOG_INDEX):
        stale = loaded.path / (log_file + ".tmp")
        if os.path.lexists(stale):
            os.unlink(stale)
        if os.path.lexists(loaded.path / log_file):  # a regular file, not a folder
            safe_io.open_read(loaded.path, log_file, where, limit=1 << 62).close()
            break_hard_link(loaded.path / log_file)
    runlog_file = loaded.runlog_path
    if os.path.lexists(runlog_file):  # refuse a log that is not one before appending to it
        with safe_io.open_read(loaded.path, RUNLOG, where, limit=1 << 62) as handle:
            first = handle.readline(1 << 20)
        if first.strip():
            parse_line(runlog_file, first, 1)
    try:
        lines = truncate_runlog(runlog_file, loaded.meta.runlog_lines)
    except UnicodeDecodeError:
        raise UserError(f"{where}: {RUNLOG} is not UTF-8 text; move it away to continue") from None
    except OSError as exc:
        raise UserError(f"{where}: cannot rewrite {RUNLOG} ({exc.strerror})") from None
    if lines < loaded.meta.runlog_lines and notes is not None:
        # meta.json counts more lines than the log holds: the log is what replay has, so the
        # count is repaired from it (and said), never left to disagree.
        notes.append(f"{where}: meta.json counts {loaded.meta.runlog_lines} run-log lines but "
                     f"{RUNLOG} holds {lines}; continuing from the {lines} it holds (replay "
                     "shows only those)")
    return RunLog(runlog_file, lines)


def _free_name(store: SaveStore, base: str) -> str:
    stem = base.removeprefix("base_")
    existing = set(store.save_names())
    index = 1
    while f"{stem}-{index}" in existing:
        index += 1
    return f"{stem}-{index}"
