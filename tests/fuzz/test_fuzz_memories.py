"""Fuzzing a generative save's memories: the memory part of a mind's JSON (segment references,
counts, last-access times), a segment's JSON lines, and a segment's vectors (.npy). Each load gives
one named error line or a session that runs and saves: never a traceback, a changed refused save,
or a file written outside the save."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mutations import (
    FUZZ,
    dumps,
    expect_user_error_or_success,
    mutated_bytes,
    mutated_json,
    snapshot,
)

from engine.errors import UserError

N3 = "base_the_ville_isabella_maria_klaus"
KLAUS = "klaus_mueller"
MEMORY_FUZZ = settings(FUZZ, max_examples=300)  # a generative session per example


def _factory():
    from cognition.generative import GenerativeMindFactory
    from cognition.llm.fakes import HashEmbedder, RoutedModel

    # every prompt gets "{}": the minds live on their fallbacks, which is all loading needs
    return GenerativeMindFactory(RoutedModel({}, default="{}"), HashEmbedder(64), seed=7)


@pytest.fixture(scope="module")
def memory_home(tmp_path_factory) -> Path:
    """A 3-agent generative save whose minds hold two memory segments each."""
    from engine.dispatcher import InlineDispatcher
    from engine.persistence import SaveStore
    from engine.session import open_session

    home = tmp_path_factory.mktemp("fuzz-memories") / "home"
    store = SaveStore(saves_root=home / "saves", user_bases_root=home / "bases")
    session = open_session(store, fork=N3, load=None, name="keep", factory=_factory(),
                           dispatcher=InlineDispatcher())
    session.sim.run(3)
    for mind in session.sim.minds.values():
        mind.load_history([f"Note {i}: {i} people came by" for i in range(70)],
                          session.sim.time_iso())
    session.save()
    session.close()
    return home


@pytest.fixture(scope="module")
def area(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-memories-area")
    (root / "inside").mkdir()
    (root / "outside").mkdir()
    (root / "outside" / "secret.txt").write_text("do not touch\n", encoding="utf-8")
    return root


def _load_step_save(saves_root: Path, ville) -> None:
    from engine.dispatcher import InlineDispatcher
    from engine.persistence import SaveStore, read_save
    from engine.session import Session

    store = SaveStore(saves_root=saves_root, user_bases_root=saves_root.parent / "bases")
    loaded = read_save(saves_root / "keep", "save 'keep'")
    session = Session(store, loaded, _factory(), InlineDispatcher(), town=ville)
    try:
        session.sim.run(2)
        session.save()
    finally:
        session.close()


def _segment_file(save: Path, kind: str) -> Path:
    return sorted((save / "minds").glob(f"{KLAUS}.{kind}-1-*"))[0]


@MEMORY_FUZZ
@given(target=st.sampled_from(["json", "mem", "vec"]), edit=st.data())
def test_fuzzed_memory_files(memory_home, area, cached_maps, target, edit):
    save = area / "inside" / "saves" / "keep"
    if save.exists():
        shutil.rmtree(save)
    shutil.copytree(memory_home / "saves" / "keep", save)
    if target == "json":
        path = save / "minds" / f"{KLAUS}.json"
        document = json.loads(path.read_text("utf-8"))
        document["memory"] = edit.draw(mutated_json(document["memory"], edits=3))
        data = dumps(document)
    else:
        path = _segment_file(save, target)
        data = edit.draw(mutated_bytes(path.read_bytes(), edits=4))
    path.write_bytes(data)
    before_outside, before_save = snapshot(area / "outside"), snapshot(save)
    outcome = expect_user_error_or_success(
        lambda: _load_step_save(area / "inside" / "saves", cached_maps.town))
    if isinstance(outcome, UserError):
        assert snapshot(save) == before_save, f"a refused save was changed: {outcome}"
    assert snapshot(area / "outside") == before_outside
