"""Memories are saved incrementally: each save writes only the memory segments that are new
(`cognition.memory.segments`), carries the rest by hard link, and still loads exactly; old saves
(every memory in the mind's JSON) load and are rewritten in the new form; hand edits are read,
bad references refused; and SIGKILLs mid-save leave the old or the new save, complete."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

import numpy as np
import pytest
from test_information_spread import town

from cognition.memory.state import node_dicts
from engine.dispatcher import InlineDispatcher
from engine.errors import UserError
from engine.mind_files import read_mind, write_mind
from engine.persistence import SaveStore, read_save
from engine.session import Session

KLAUS = "klaus_mueller"


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A 3-agent generative save with more than one 64-memory block per agent."""
    root = tmp_path_factory.mktemp("memories")
    session = town(root, "inc")
    session.sim.run(300)
    for mind in session.sim.minds.values():  # 100 more thoughts each, without 100 more steps
        mind.load_history([f"Note {i}: the town had {i} visitors" for i in range(100)],
                          session.sim.time_iso())
    session.save()
    session.close()
    return root


def _copy(saved: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(saved / "saves", tmp_path / "saves")
    return tmp_path


def _reopen(root: Path, name: str = "inc") -> Session:
    from test_information_spread import echo_model

    from cognition.generative import GenerativeMindFactory
    from cognition.llm.fakes import HashEmbedder

    store = SaveStore(saves_root=root / "saves")
    factory = GenerativeMindFactory(echo_model(), HashEmbedder(64), seed=7)
    return Session(store, store.read(name), factory, InlineDispatcher())


def _memory_files(root: Path, name: str = "inc") -> dict[str, int]:
    minds = root / "saves" / name / "minds"
    return {p.name: p.stat().st_ino for p in minds.iterdir() if ".mem-" in p.name
            or ".vec-" in p.name}


def test_a_save_writes_only_new_segments_and_loads_exactly(saved, tmp_path):
    root = _copy(saved, tmp_path)
    session = _reopen(root)
    before = _memory_files(root)
    counts = {n: len(m.memory) for n, m in session.sim.minds.items()}
    assert min(counts.values()) > 100, counts  # a full block to carry
    session.save()  # nothing new: every memory file is carried, none written
    assert _memory_files(root) == before
    session.sim.run(200)
    session.save()
    after = _memory_files(root)
    kept = {f for f in before if f in after}
    assert kept and all(after[f] == before[f] for f in kept)  # hard links, not rewrites
    full = [f for f in kept if f.split(".")[1].startswith("mem-")]
    assert full, "no full block was carried"
    live = session.sim.world_hash()
    session.close()
    again = _reopen(root)
    assert again.sim.world_hash() == live
    again.close()


def test_an_old_save_with_every_memory_in_its_json_loads_and_is_migrated(saved, tmp_path):
    root = _copy(saved, tmp_path)
    folder = root / "saves" / "inc"
    state = read_mind(folder, KLAUS, "test")
    memory = state["memory"]
    vectors = np.concatenate([np.load(_npy(s["vectors"].produce())) for s in memory["segments"]])
    old = {"version": 1, "agent": memory["agent"], "epoch": memory["epoch"],
           "embedder": memory["embedder"], "dimension": memory["dimension"],
           "nodes": node_dicts(memory), "last_accessed": memory["last_accessed"].tolist(),
           "importance_since_reflection": memory["importance_since_reflection"],
           "embeddings": vectors.astype(np.float32)}
    for path in (folder / "minds").glob(f"{KLAUS}.*"):
        path.unlink()
    staging = tmp_path / "staging"
    staging.mkdir()
    write_mind(staging, KLAUS, dict(state, memory=old))
    for path in (staging / "minds").iterdir():
        path.rename(folder / "minds" / path.name)
    assert "nodes" in json.loads((folder / "minds" / f"{KLAUS}.json").read_text("utf-8"))["memory"]
    session = _reopen(root)
    klaus = session.sim.minds["Klaus Mueller"].memory
    assert [n.to_dict() for n in klaus.nodes] == old["nodes"]
    session.save()
    session.close()
    memory = json.loads((folder / "minds" / f"{KLAUS}.json").read_text("utf-8"))["memory"]
    assert memory["version"] == 2 and "nodes" not in memory and memory["segments"]


def _npy(data: bytes):
    import io

    return io.BytesIO(data)


def test_a_hand_edited_memory_file_is_read_and_saved_under_its_new_digest(saved, tmp_path):
    root = _copy(saved, tmp_path)
    minds = root / "saves" / "inc" / "minds"
    first = sorted(p for p in minds.iterdir() if p.name.startswith(f"{KLAUS}.mem-1-"))[0]
    lines = first.read_text("utf-8").splitlines()
    node = json.loads(lines[0])
    node["description"] = "Klaus Mueller wrote this by hand"
    lines[0] = json.dumps(node)
    first.write_text("\n".join(lines) + "\n", encoding="utf-8")
    session = _reopen(root)
    assert session.sim.minds["Klaus Mueller"].memory.by_id(1).description == node["description"]
    session.save()
    session.close()
    assert not first.exists()  # renamed after its bytes: never mistaken for the original
    again = _reopen(root)
    assert again.sim.minds["Klaus Mueller"].memory.by_id(1).description == node["description"]
    again.close()


@pytest.mark.parametrize("name", ["../../outside.0123456789abcdef0123.jsonl",
                                  "maria_lopez.mem-1-64.0123456789abcdef0123.jsonl",
                                  "klaus_mueller.mem-1-64.jsonl", "klaus_mueller.mem/../x"])
def test_bad_memory_file_references_are_refused_with_one_line(saved, tmp_path, name):
    root = _copy(saved, tmp_path)
    path = root / "saves" / "inc" / "minds" / f"{KLAUS}.json"
    data = json.loads(path.read_text("utf-8"))
    data["memory"]["segments"][0]["nodes"] = {"__sealed__": name}
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(UserError, match="bad memory file"):
        read_save(root / "saves" / "inc", "save 'inc'")


def _keep_saving(root: Path, seed: int) -> None:
    rng = random.Random(seed)
    session = _reopen(root)
    while True:
        session.sim.run(rng.randint(1, 20))
        session.save()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_sigkill_during_incremental_saves_leaves_a_complete_save(saved, tmp_path):
    root = _copy(saved, tmp_path)
    rng = random.Random(20261201)
    last = read_save(root / "saves" / "inc", "inc").meta.step
    for _ in range(8):
        pid = os.fork()
        if pid == 0:
            try:
                _keep_saving(root, rng.randrange(2**32))
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.05, 0.8))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        SaveStore(saves_root=root / "saves")  # the next start: recovers, drops temps
        assert not [p for p in os.listdir(root / "saves") if p.startswith(".")]
        session = _reopen(root)  # complete: every memory file it names is there
        assert session.sim.step >= last
        last = session.sim.step
        session.sim.run(1)
        session.close()
