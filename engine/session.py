"""A running save: the simulation built from a save, plus saving, quicksave and autosave."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine import paths
from engine.agent_api import MessageKind, MindFactory, Persona
from engine.clock import GameClock, parse_time
from engine.dispatcher import Dispatcher
from engine.errors import UserError
from engine.history_csv import load_history, statements_by_name
from engine.persistence import LoadedSave, SaveMeta, SaveStore, read_save
from engine.personas import check_places, load_personas
from engine.runlog import RunLog, truncate_runlog
from engine.simulation import SimSettings, Simulation
from engine.tmx_loader import load_town_map
from engine.town_map import TownMap

QUICKSAVE_SUFFIX = "-quicksave"


@dataclass(frozen=True)
class Snapshot:
    """A captured step boundary waiting to be written: save name, meta and full state."""

    name: str
    meta: SaveMeta
    state: dict[str, Any]

DEFAULT_BASE = "base_the_ville_isabella_maria_klaus"


def load_world(loaded: LoadedSave, town: TownMap | None = None) -> tuple[TownMap, list[Persona]]:
    """The map and personas a save needs, checked against each other."""
    meta = loaded.meta
    town = town or load_town_map(paths.map_path(meta.map, loaded.path), name=Path(meta.map).stem)
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
    ):
        self.store = store
        self.minds = minds  # what built the minds (game.wiring.Minds: description, call log)
        self.loaded = loaded
        self.meta = loaded.meta
        self.name = loaded.meta.name
        self.model_name = model_name
        self.town, self.personas = load_world(loaded, town)
        runlog = None
        if log_run:
            truncate_runlog(loaded.runlog_path, loaded.meta.runlog_lines)
            runlog = RunLog(loaded.runlog_path, loaded.meta.runlog_lines)
        clock = GameClock(parse_time(self.meta.start_time), self.meta.step_s)
        self.sim = Simulation(
            self.town,
            self.personas,
            factory,
            clock,
            dispatcher=dispatcher,
            settings=settings,
            state=loaded.state,
            runlog=runlog,
            on_autosave=lambda sim: self.save(),
        )

    @property
    def path(self) -> Path:
        return self.store.save_path(self.name)

    def current_meta(self, name: str | None = None) -> SaveMeta:
        lines = self.sim.runlog.lines_written if self.sim.runlog else self.meta.runlog_lines
        return replace(
            self.meta,
            name=name or self.name,
            step=self.sim.step,
            mind=self.sim.factory.kind,
            model=self.model_name or self.meta.model,
            runlog_lines=lines,
        )

    def snapshot(self, name: str | None = None) -> Snapshot:
        """Capture the current step boundary (the simulation must be idle). Fast; no disk."""
        if not self.sim.idle:
            raise RuntimeError("snapshot() needs the simulation to be between steps")
        if self.sim.runlog is not None:
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

    def save(self, name: str | None = None) -> Path:
        """Finish the step in flight, then write it to the save (or to another slot name)."""
        if not self.sim.wait_idle():
            raise RuntimeError("the simulation did not reach a step boundary in time")
        return self.write(self.snapshot(name))

    def quicksave(self) -> Path:
        return self.save(self.name + QUICKSAVE_SUFFIX)

    def has_quicksave(self) -> bool:
        return self.store.exists(self.name + QUICKSAVE_SUFFIX)

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
            truncate_runlog(self.loaded.runlog_path, slot.meta.runlog_lines)
            self.sim.set_runlog(RunLog(self.loaded.runlog_path, slot.meta.runlog_lines))

    def close(self) -> None:
        self.sim.close()


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
) -> Session:
    """Fork a base into a new save, or load an existing save, and build its session."""
    if load:
        loaded = store.read(load)
        town, _ = load_world(loaded)
    else:
        base = fork or DEFAULT_BASE
        town, _ = load_world(store.read_base(base))  # refuse a broken base before copying it
        new_name = name or _free_name(store, base)
        loaded = store.fork(base, new_name)
    session = Session(
        store, loaded, factory, dispatcher, settings=settings, model_name=model_name, town=town,
        minds=minds,
    )
    if not load:
        plant_history(session)
    return session


def plant_history(session: Session) -> int:
    """A fresh fork starts as the paper's did: the base's history.csv is whispered to each agent
    once, before the first step (a loaded save already holds it). Returns statements planted."""
    path = session.loaded.history_csv
    if not path.is_file():
        return 0
    entries = load_history(path, known_names=set(session.sim.order))
    total = 0
    for agent, statements in statements_by_name(entries).items():
        session.sim.ask(agent, [(MessageKind.WHISPER, s) for s in statements])
        total += len(statements)
    return total


def _free_name(store: SaveStore, base: str) -> str:
    stem = base.removeprefix("base_")
    existing = set(store.save_names())
    index = 1
    while f"{stem}-{index}" in existing:
        index += 1
    return f"{stem}-{index}"
