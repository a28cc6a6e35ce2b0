"""Fuzzing the files people edit and share, 1,000 examples each, derived from valid files: map
files, persona files, history CSVs, save metadata, world and mind files, and run logs.

Each example must load, or fail with one `UserError` line naming the problem: never another
exception (a traceback), never a hang, never a changed save when it fails, and never a file
written outside the save folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from mutations import (
    FUZZ,
    dumps,
    expect_user_error_or_success,
    mutated_bytes,
    mutated_json,
    mutated_xml,
    snapshot,
)

from engine import paths
from engine.errors import UserError

FIXTURES = paths.repo_root() / "tests" / "fixtures"
BASE = paths.bases_dir() / "base_the_ville_isabella_maria_klaus"
TINY_TMX = (FIXTURES / "tiny_town.tmx").read_bytes()
PERSONA = json.loads((BASE / "personas" / "klaus_mueller.json").read_text(encoding="utf-8"))
HISTORY = (BASE / "history.csv").read_bytes()
NAMES = {"Isabella Rodriguez", "Maria Lopez", "Klaus Mueller"}


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    """A scratch folder: `inside/` is the file's own folder, `outside/` must never change."""
    root = tmp_path_factory.mktemp("fuzz-area")
    (root / "inside").mkdir()
    (root / "outside").mkdir()
    (root / "outside" / "secret.png").write_bytes(b"\x89PNG do not read")
    shutil.copy(FIXTURES / "tiny_town_tiles.png", root / "inside" / "tiny_town_tiles.png")
    return root


def _fresh_save(template_home: Path, scratch: Path) -> Path:
    target = scratch / "saves" / "keep"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(template_home / "saves" / "keep", target)
    return target


@FUZZ
@given(data=mutated_xml(TINY_TMX))
def test_fuzzed_map_files(area, data):
    from engine.tmx_loader import load_town_map

    path = area / "inside" / "town.tmx"
    path.write_bytes(data)
    before = snapshot(area)
    expect_user_error_or_success(lambda: load_town_map(path))
    assert snapshot(area) == before


@FUZZ
@given(document=mutated_json(PERSONA), raw=st.booleans(), edit=st.data())
def test_fuzzed_persona_files(area, document, raw, edit):
    from engine.personas import load_persona, persona_places

    data = dumps(document)
    if raw:
        data = edit.draw(mutated_bytes(data))
    path = area / "inside" / "person.json"
    path.write_bytes(data)
    before = snapshot(area)
    persona = expect_user_error_or_success(lambda: load_persona(path))
    if not isinstance(persona, UserError):
        assert persona_places(persona)  # a persona that loads can be checked against a map
    assert snapshot(area) == before


@FUZZ
@given(data=mutated_bytes(HISTORY, edits=6))
def test_fuzzed_history_csvs(area, data):
    from engine.history_csv import load_history

    path = area / "inside" / "history.csv"
    path.write_bytes(data)
    before = snapshot(area)
    entries = expect_user_error_or_success(lambda: load_history(path, known_names=NAMES))
    if not isinstance(entries, UserError):
        assert all(entry.name in NAMES for entry in entries)
    assert snapshot(area) == before


def _load_and_step(saves_root: Path, ville, steps: int = 2, save: bool = False):
    """Read save `keep`, build its session with routine minds, step, optionally save."""
    from engine.dispatcher import InlineDispatcher
    from engine.persistence import SaveStore, read_save
    from engine.session import Session
    from game.wiring import MindOptions, build_minds

    store = SaveStore(saves_root=saves_root, user_bases_root=saves_root.parent / "bases")
    loaded = read_save(saves_root / "keep", "save 'keep'")
    factory = build_minds(MindOptions(mind="routine", workers=0), loaded.meta.seed).factory
    town = ville if loaded.meta.map == "the_ville" else None
    session = Session(store, loaded, factory, InlineDispatcher(), town=town)
    try:
        session.sim.run(steps)
        if save:
            session.save()
    finally:
        session.close()
    return session


def _check_fuzzed_save(template_home, area, ville, write_change, save: bool) -> None:
    save_dir = _fresh_save(template_home, area / "inside")
    write_change(save_dir)
    before_outside, before_save = snapshot(area / "outside"), snapshot(save_dir)
    outcome = expect_user_error_or_success(
        lambda: _load_and_step(area / "inside" / "saves", ville, save=save))
    if isinstance(outcome, UserError):
        assert snapshot(save_dir) == before_save, f"a refused save was changed: {outcome}"
    assert snapshot(area / "outside") == before_outside


@FUZZ
@given(edit=st.data())
def test_fuzzed_save_metadata(template_home, area, cached_maps, edit):
    ville = cached_maps.town
    meta_path = template_home / "saves" / "keep" / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    document = edit.draw(mutated_json(meta))
    data = dumps(document)
    if edit.draw(st.integers(0, 4)) == 0:
        data = edit.draw(mutated_bytes(data))
    _check_fuzzed_save(template_home, area, ville,
                       lambda save: (save / "meta.json").write_bytes(data), save=False)


MIND_FILES = ["world.json", "minds/klaus_mueller.json", "minds/maria_lopez.json",
              "minds/isabella_rodriguez.json"]


@FUZZ
@given(which=st.sampled_from(MIND_FILES), edit=st.data())
def test_fuzzed_world_and_mind_files(template_home, area, cached_maps, which, edit):
    ville = cached_maps.town
    original = json.loads((template_home / "saves" / "keep" / which).read_text("utf-8"))
    data = dumps(edit.draw(mutated_json(original, edits=4)))
    if edit.draw(st.integers(0, 5)) == 0:
        data = edit.draw(mutated_bytes(data))
    _check_fuzzed_save(template_home, area, ville,
                       lambda save: (save / which).write_bytes(data), save=True)


@FUZZ
@given(edit=st.data())
def test_fuzzed_run_logs(template_home, area, cached_maps, edit):
    ville = cached_maps.town
    from engine.runlog import read_runlog

    original = (template_home / "saves" / "keep" / "runlog.jsonl").read_bytes()
    data = edit.draw(mutated_bytes(original, edits=5))

    def change(save):
        (save / "runlog.jsonl").write_bytes(data)

    _check_fuzzed_save(template_home, area, ville, change, save=True)
    path = area / "inside" / "runlog-copy.jsonl"
    path.write_bytes(data)
    expect_user_error_or_success(lambda: list(read_runlog(path)))
