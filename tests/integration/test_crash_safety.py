"""SIGKILL at random moments of save, fork, autosave and quicksave (56 kills, seeded): afterwards
every save is the old one or the new one, complete and loadable, the temporary folders of the
killed process are gone after the next start, and autosave keeps the last N good saves.

The processes killed are forks of this test process (`os.fork`), so each starts in milliseconds
with the Ville map already loaded; they run the real save code until the kill lands."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import pytest

from engine import paths
from engine.dispatcher import InlineDispatcher
from engine.persistence import SaveStore, read_save
from engine.session import AUTOSAVE_SUFFIX, Session, open_session
from engine.simulation import SimSettings
from engine.tmx_loader import load_town_map

N3 = "base_the_ville_isabella_maria_klaus"
KILLS_PER_KIND = 14
SEED = 20261201
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture(scope="module")
def ville():
    return load_town_map(paths.maps_dir() / "the_ville" / "the_ville.tmx", name="the_ville")


def _factory(seed: int = 7):
    from game.wiring import MindOptions, build_minds

    return build_minds(MindOptions(mind="routine", workers=0), seed).factory


def _session(store: SaveStore, ville, name: str, **kwargs) -> Session:
    loaded = store.read(name)
    return Session(store, loaded, _factory(loaded.meta.seed), InlineDispatcher(), town=ville,
                   **kwargs)


def _store(root: Path) -> SaveStore:
    return SaveStore(saves_root=root / "saves", user_bases_root=root / "bases")


# ------------------------------------------------------------------ what the killed child does

def _keep_saving(store, ville, rng):
    session = _session(store, ville, "keep")
    while True:
        session.sim.run(rng.randint(1, 3))
        session.save()


def _keep_forking(store, ville, rng):
    index = 0
    while True:
        name = f"fork-{index % 3}"
        if store.exists(name):
            store.remove(name)
        else:
            store.fork(N3, name)
        index += 1


def _keep_autosaving(store, ville, rng):
    session = _session(store, ville, "keep", settings=SimSettings(autosave_every_min=1),
                       autosave_keep=2)
    session.sim.run(10**6)


def _keep_quicksaving(store, ville, rng):
    session = _session(store, ville, "keep")
    while True:
        session.sim.run(1)
        session.quicksave()
        if rng.random() < 0.3:
            session.quickload()


KINDS = {"save": _keep_saving, "fork": _keep_forking, "autosave": _keep_autosaving,
         "quicksave": _keep_quicksaving}


def _kill_during(kind: str, root: Path, ville, delay_s: float, seed: int) -> int:
    """Fork a child that runs `kind` on the saves under root; SIGKILL it after delay_s."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            KINDS[kind](_store(root), ville, random.Random(seed))
        finally:
            os._exit(0)
    time.sleep(delay_s)
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status), f"{kind}: the child ended on its own (status {status})"
    return pid


# ------------------------------------------------------------------ checks after each kill

MIDWAY: list[str] = []  # scratch folders found after a kill: proof kills land mid-write


def _check_every_save(root: Path, ville, killed_pid: int) -> dict[str, int]:
    MIDWAY.extend(p for p in os.listdir(root / "saves") if p.startswith("."))
    store = _store(root)  # a new start: recovers interrupted swaps, drops dead temps
    leftovers = [p for p in os.listdir(store.saves_root) if p.startswith(".")]
    assert not leftovers, f"left after the kill of {killed_pid}: {leftovers}"
    steps = {}
    for name in store.save_names():
        loaded = read_save(store.saves_root / name, name)
        if loaded.state is None:  # a fresh fork: complete when it can be built
            assert loaded.meta.step == 0 and loaded.meta.fork_source == N3, name
        else:
            assert loaded.state["engine"]["step"] == loaded.meta.step, f"{name}: meta != world"
            assert set(loaded.state["minds"]) == set(loaded.meta.personas), f"{name}: minds"
        runlog = store.saves_root / name / "runlog.jsonl"
        if loaded.meta.runlog_lines:
            with open(runlog, "rb") as handle:
                assert sum(1 for _ in handle) >= loaded.meta.runlog_lines, f"{name}: short log"
        session = Session(store, loaded, _factory(), InlineDispatcher(), town=ville,
                          log_run=False)
        session.sim.run(1)
        session.close()
        steps[name] = loaded.meta.step
    return steps


@pytest.fixture
def world_root(tmp_path, ville):
    store = _store(tmp_path)
    session = open_session(store, fork=N3, load=None, name="keep", factory=_factory(),
                           dispatcher=InlineDispatcher())
    session.sim.run(5)
    session.save()
    session.close()
    return tmp_path


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_sigkill_at_random_moments_leaves_old_or_new_saves(kind, world_root, ville):
    rng = random.Random(f"{SEED}-{kind}")
    last_step = _check_every_save(world_root, ville, 0)["keep"]
    for attempt in range(KILLS_PER_KIND):
        delay_s = rng.uniform(0.002, 0.25)
        pid = _kill_during(kind, world_root, ville, delay_s, rng.randrange(2**32))
        steps = _check_every_save(world_root, ville, pid)
        assert steps["keep"] >= last_step, f"{kind} kill {attempt}: keep went back in time"
        last_step = steps["keep"]
        slots = [n for n in steps if AUTOSAVE_SUFFIX in n]
        assert len(slots) <= 3, f"{kind}: autosave kept {slots}"  # N = 2, one more mid-prune
        forks = [n for n in steps if n.startswith("fork-")]
        for name in forks:
            meta = json.loads((world_root / "saves" / name / "meta.json").read_text("utf-8"))
            assert meta["fork_source"] == N3 and meta["name"] == name


def test_autosave_keeps_the_last_n_good_saves(world_root, ville):
    store = _store(world_root)
    session = _session(store, ville, "keep", settings=SimSettings(autosave_every_min=1),
                       autosave_keep=3)
    start = session.sim.step
    session.sim.run(60)
    slots = session.autosave_slots()
    session.close()
    due = [s for s in range(start + 1, start + 61) if (s * 10) % 60 == 0]
    assert [int(n.rsplit("-", 1)[1]) for n in slots] == due[-3:]
    for name in slots:
        loaded = store.read(name)
        assert loaded.meta.step == int(name.rsplit("-", 1)[1]) and loaded.state is not None
    assert store.read("keep").meta.step == due[-1]  # the last autosave wrote the save itself


def test_a_killed_save_leaves_a_temp_that_the_next_start_removes(world_root, ville):
    saves = world_root / "saves"
    stale = saves / ".tmp-keep-999999999"  # no such process
    stale.mkdir()
    (stale / "world.json").write_text("{", encoding="utf-8")
    _store(world_root)
    assert not stale.exists()
