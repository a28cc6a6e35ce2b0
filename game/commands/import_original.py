"""`simulacra import-original`: a simulation folder of the original project becomes a save.

The original's personas keep their scratch settings (identity, perception limits, reflection
threshold, recency decay) over our persona of the same name, their memories are stored again in
the original's order and embedded with our embedder, and the places they knew are mapped onto our
Ville by address. Whatever cannot be mapped is printed and written to `import_report.txt` in the
save, never dropped silently.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from cognition.importer.convert import ImportPlan, PersonaPlan, plan_import
from cognition.importer.original import OriginalSim, read_original
from engine import paths
from engine.agent_api import Persona
from engine.errors import UserError
from engine.persistence import SaveMeta, SaveStore, validate_name
from engine.personas import load_personas, persona_slug, save_persona
from engine.session import DEFAULT_BASE, Session
from engine.safe_write import private_dir, replace_text
from engine.save_lock import SaveLock
from engine.tmx_loader import load_town_map

REPORT = "import_report.txt"
MAZE = "the_ville"


def register(sub) -> None:
    from game.commands.options import add_mind_options

    parser = sub.add_parser(
        "import-original", help="turn a simulation folder of the original project into a save",
        description="Read a simulation folder of the original Generative Agents project "
        "(reverie/meta.json and personas/<Name>/bootstrap_memory/) and write a save on our "
        "Ville: personas with their scratch settings, memories embedded again with our "
        "embedder, known places mapped by address. What cannot be mapped is listed and "
        f"written to {REPORT} in the save. With --mind routine no model is loaded and no "
        "memories are imported (routine minds keep none).",
    )
    parser.add_argument("folder", type=Path, help="the original's storage/<simulation> folder")
    parser.add_argument("--name", metavar="NAME", help="name of the new save (default: the "
                        "folder's name)")
    add_mind_options(parser)
    parser.set_defaults(handler=handle)


def _templates(store: SaveStore, fork_code: str) -> dict[str, Persona]:
    """Our personas by name; the base the original was forked from wins for shared names."""
    names = store.base_names()
    preferred = [n for n in names if n.removeprefix("base_") in fork_code]
    templates: dict[str, Persona] = {}
    for base in [n for n in names if n not in preferred] + preferred:
        loaded = store.read_base(base)
        for persona in load_personas(loaded.personas_dir, list(loaded.meta.personas)):
            templates[persona.name] = persona
    return templates


def plan(folder: Path, store: SaveStore) -> tuple[OriginalSim, ImportPlan]:
    """Read and map the folder; refuses anything malformed before a save is touched."""
    original = read_original(folder)
    if original.maze_name != MAZE:
        raise UserError(f"{folder}: maze '{original.maze_name}' is not the Ville ('{MAZE}'); "
                        "only simulations on the Ville can be imported")
    town = load_town_map(paths.map_path(MAZE), name=MAZE)
    result = plan_import(original, _templates(store, original.fork_sim_code),
                         set(town.addresses()))
    if not result.personas:
        raise UserError(f"{folder}: none of its personas lives in our Ville "
                        f"({', '.join(p.name for p in original.personas)})")
    return original, result


def write_base(store: SaveStore, name: str, result: ImportPlan, seed: int,
               source: str) -> Path:
    """Write the save's meta, persona files and report (no world yet), atomically."""
    target = store.save_path(name)
    if os.path.lexists(target):
        raise UserError(f"save '{name}' already exists (choose another --name)")
    # A folder of our own with an unguessable name (exclusive, never a link), so nothing
    # planted in saves/ is written through; removed whatever happens unless renamed into place.
    tmp = private_dir(store.saves_root, f".tmp-import-{name}-{os.getpid()}.")
    try:
        os.chmod(tmp, 0o755)
        (tmp / "personas").mkdir()
        for item in result.personas:
            save_persona(item.persona,
                         tmp / "personas" / f"{persona_slug(item.persona.name)}.json")
        meta = SaveMeta(name=name, map=MAZE, start_time=result.start_time.isoformat(),
                        step_s=result.step_s, seed=seed,
                        personas=tuple(p.persona.name for p in result.personas),
                        fork_source=f"original:{source}")
        replace_text(tmp / "meta.json", json.dumps(meta.to_json(), ensure_ascii=False, indent=1))
        replace_text(tmp / REPORT, "\n".join(result.report) + "\n")
        if os.path.lexists(target):
            raise UserError(f"save '{name}' already exists (choose another --name)")
        os.rename(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def fill_minds(sim, result: ImportPlan) -> list[str]:
    """Store each persona's memories and places in its mind; returns extra report lines."""
    notes = []
    for item in result.personas:
        mind = sim.minds[item.persona.name]
        memory = getattr(mind, "memory", None)
        if memory is None:
            if item.memories:
                notes.append(f"{item.persona.name}: {len(item.memories)} memories not imported: "
                             f"{sim.factory.kind} minds keep no memory stream")
            continue
        _add_memories(memory, item)
        notes.append(f"{item.persona.name}: {len(item.memories)} memories stored, embedded with "
                     f"{type(memory.embedder).__name__}; {len(item.places)} known places")
        for address in item.places:
            mind.spatial.add(address)
    return notes


def _add_memories(memory, item: PersonaPlan) -> None:
    offset = len(memory)
    for record in item.memories:
        memory.add(record.kind, record.description, record.created, record.importance,
                   triple=record.triple, keywords=record.keywords,
                   evidence=[offset + e for e in record.evidence], filling=record.filling,
                   embedding_key=record.embedding_key)
    memory.importance_since_reflection = item.importance_since_reflection


def import_folder(folder: Path, name: str | None, store: SaveStore,
                  open_save: Callable[[str], Session]) -> tuple[Path, ImportPlan, list[str]]:
    """Import `folder` as save `name`; `open_save(name)` opens the written save with minds.

    Returns the save's path, the plan and the report lines. A failure after the save folder was
    made removes it again: the import leaves a whole save or none.
    """
    original, result = plan(folder, store)
    name = validate_name(name or folder.resolve().name)
    with SaveLock(store.saves_root, name):  # no other writer of this name meanwhile
        return _import(store, original, result, name, folder, open_save)


def _import(store: SaveStore, original: OriginalSim, result: ImportPlan, name: str,
            folder: Path, open_save: Callable[[str], Session]):
    seed = store.read_base(DEFAULT_BASE).meta.seed
    path = write_base(store, name, result, seed, folder.resolve().name)
    try:
        session = open_save(name)
        try:
            notes = fill_minds(session.sim, result)
            session.save()
        finally:
            session.close()
        report = [*result.report, *notes,
                  f"imported {len(result.personas)} of {len(original.personas)} personas"]
        replace_text(path / REPORT, "\n".join(report) + "\n")
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)  # a save we made ourselves, left half-done
        raise
    return path, result, report


def handle(args: argparse.Namespace) -> int:
    from game.wiring import start_session

    def open_save(name: str) -> Session:
        args.fork, args.load = None, name
        return start_session(args)

    path, _, report = import_folder(args.folder, args.name, SaveStore(), open_save)
    for line in report:
        print(f"simulacra: {line}")
    print(f"simulacra: saved to {path} (report: {path / REPORT})")
    return 0
