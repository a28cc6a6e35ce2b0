"""`--server` against llama-cpp-python's real server (`python -m llama_cpp.server`) running the
bundled model: the structured dialect is detected, per-token embeddings are pooled, and 30
steps of the 3-agent base run with every mind's calls answered by the server (none failed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from server_procs import PYTHON, free_port, running, start
from test_server_fake import town

pytestmark = pytest.mark.llm


@pytest.fixture(scope="module")
def llama_server():
    pytest.importorskip("llama_cpp.server", reason="llama-cpp-python's server extra")
    from cognition.llm import bundled_model_path

    port = free_port()
    argv = [PYTHON, "-m", "llama_cpp.server", "--model", str(bundled_model_path()),
            "--host", "127.0.0.1", "--port", str(port), "--embedding", "true",
            "--n_ctx", "2048"]  # fmt: skip
    with running(start(argv, f"http://127.0.0.1:{port}/v1/models", timeout_s=120)):
        yield f"http://127.0.0.1:{port}/v1"


def test_thirty_steps_of_the_three_agent_base_through_llama_cpp_server(llama_server, tmp_path):
    from engine.agent_api import MessageKind

    session, minds = town(tmp_path, llama_server, "llama-server")
    # The base starts at night (everyone asleep, few calls): a chat line makes sure a
    # structured call goes to the server within the 30 steps.
    session.sim.submit_message("Klaus Mueller", MessageKind.CHAT, "Hello Klaus, how are you?")
    session.sim.run(30)
    assert session.sim.step == 30
    assert session.sim.wait_idle(timeout_s=600)  # the chat answer may still be on its way
    session.save()  # saving waits for the decisions in flight (first plans, planted history)
    records = minds.call_log.records()
    assert records, "no model calls were made"
    assert minds.failed_calls() == 0, minds.last_failure()
    assert minds.model.structured_mode == "json_object_schema"  # what this server speaks
    stats = minds.factory.stats.counts()
    assert stats["model_error"] == 0 and stats["ok"] + stats["repaired"] > 0
    assert minds.factory.embedder.dimension == 576  # SmolLM2's width, per-token rows pooled
    session.close()
    assert (Path(tmp_path) / "saves" / "llama-server" / "meta.json").is_file()
