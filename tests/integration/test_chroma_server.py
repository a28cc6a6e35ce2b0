"""`--chroma-url`: the memory index in a real `chroma run` server, same results and the same
save/load behaviour as the embedded index (the save is the truth; the index is rebuilt)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from server_procs import fake_model_server, free_port, running, start
from test_server_fake import DIALECT, N3, town

from engine.persistence import SaveStore
from engine.session import open_session
from game.wiring import MindOptions, build_dispatcher, build_minds

# The `chroma` script of the Python running the tests (its venv's bin need not be on PATH).
CHROMA = str(Path(sys.executable).with_name("chroma"))
if not Path(CHROMA).exists():
    CHROMA = shutil.which("chroma") or CHROMA


def chroma_server(port: int, path: Path):
    argv = [CHROMA, "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(path)]
    return start(argv, f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout_s=60)


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    if not Path(CHROMA).exists():
        pytest.skip("the chroma command is not installed")
    model_port, chroma_port = free_port(), free_port()
    data = tmp_path_factory.mktemp("chroma-data")
    with running(fake_model_server(model_port, *DIALECT)), \
            running(chroma_server(chroma_port, data)):  # fmt: skip
        yield f"http://127.0.0.1:{model_port}", f"http://127.0.0.1:{chroma_port}"


def test_memory_index_in_a_chroma_server_gives_the_same_world(servers, tmp_path: Path):
    model_url, chroma_url = servers
    embedded, _ = town(tmp_path / "a", model_url, "embedded")
    embedded.sim.run(60)
    remote, minds = town(tmp_path / "b", model_url, "remote", chroma_url=chroma_url)
    remote.sim.run(30)
    client = minds.factory.chroma_client
    names = client.list_collections()
    assert len(names) == 3 and all(n.startswith("mem-") for n in names)
    remote.save()
    remote.close()

    store = SaveStore(saves_root=tmp_path / "b" / "saves")
    options = MindOptions(server=model_url, chroma_url=chroma_url)
    again_minds = build_minds(options, store.read_base(N3).meta.seed)
    again = open_session(store, fork=None, load="remote", name=None,
                         factory=again_minds.factory, dispatcher=build_dispatcher(options))  # fmt: skip
    assert again.sim.step == 30
    client = again_minds.factory.chroma_client
    stored = sum(client.client.get_collection(client.prefix + n).count()
                 for n in client.list_collections())  # fmt: skip
    retrievable = [n for m in again.sim.minds.values() for n in m.memory.nodes if not n.is_idle]
    assert stored == len(retrievable) > 0  # rebuilt from the save
    again.sim.run(30)
    assert again.sim.world_hash() == embedded.sim.world_hash()
    again_minds.factory.chroma_client.drop_all()
    assert again_minds.factory.chroma_client.list_collections() == []
    again.close()
    embedded.close()


def test_unreachable_chroma_server_is_one_line(servers, capsys):
    from game.cli import main

    model_url, _ = servers
    code = main(["run", "--steps", "1", "--quiet", "--server", model_url,
                 "--chroma-url", f"http://127.0.0.1:{free_port()}"])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.startswith("simulacra: error: chroma server http://127.0.0.1:")
    assert "unreachable" in err and len(err.strip().splitlines()) == 1
