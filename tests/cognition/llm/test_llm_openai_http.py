"""The OpenAI-compatible backend against a tiny fake server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np
import pytest

from cognition.llm import (
    Embedder,
    LanguageModel,
    ModelError,
    OpenAICompatibleEmbedder,
    OpenAICompatibleModel,
    Request,
)
from cognition.llm.fake_server import FakeOpenAIServer, SchemaModel
from cognition.llm.openai_http import pooled_rows
from cognition.llm.server_client import ServerClient
from engine.errors import UserError


class FakeServer(ThreadingHTTPServer):
    """Answers chat, embeddings and models like llama-server would; records bodies."""

    daemon_threads = True

    def __init__(self, reject_json_schema: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.reject_json_schema = reject_json_schema
        self.serve_embeddings = True
        self.bodies: list[dict[str, Any]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: FakeServer

    def log_message(self, *args: Any) -> None:  # keep test output quiet
        pass

    def _reply(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        if self.path == "/v1/models":
            self._reply(200, {"object": "list", "data": [{"id": "smol"}]})
        else:
            self._reply(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        self.server.bodies.append(body)
        if self.path == "/v1/chat/completions":
            self._chat(body)
        elif self.path == "/v1/embeddings" and self.server.serve_embeddings:
            data = [
                {"index": i, "embedding": [float(len(text)), 1.0, 0.0]}
                for i, text in enumerate(body["input"])
            ]
            self._reply(200, {"data": list(reversed(data))})
        else:
            self._reply(404, {"error": "not found"})

    def _chat(self, body: dict[str, Any]) -> None:
        fmt = body.get("response_format") or {}
        if fmt.get("type") == "json_schema" and self.server.reject_json_schema:
            self._reply(400, {"error": "response_format json_schema not supported"})
            return
        prompt = body["messages"][-1]["content"]
        if prompt == "boom":
            self._reply(500, {"error": "kaboom"})
            return
        text = '{"mood": "happy"}' if fmt else f"echo: {prompt}"
        self._reply(
            200,
            {
                "choices": [{"message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": 12, "completion_tokens": 5},
            },
        )


@pytest.fixture
def server() -> Iterator[FakeServer]:
    srv = FakeServer()
    thread = threading.Thread(target=srv.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SCHEMA = {"type": "object", "properties": {"mood": {"type": "string"}}, "required": ["mood"]}


def test_chat_completion(server: FakeServer):
    model = OpenAICompatibleModel(server.url + "/v1/", "smol", timeout_s=5, api_key="k")
    assert isinstance(model, LanguageModel)
    req = Request(
        prompt="hi",
        purpose="dialogue.turn",
        prompt_id="d.v1",
        system="be nice",
        max_tokens=9,
        seed=3,
        stop=("\n",),
    )
    done = model.complete(req)
    assert (done.text, done.prompt_tokens, done.completion_tokens) == ("echo: hi", 12, 5)
    body = server.bodies[-1]
    assert body["messages"][0] == {"role": "system", "content": "be nice"}
    assert (body["model"], body["max_tokens"], body["seed"], body["stop"]) == ("smol", 9, 3, ["\n"])
    assert "response_format" not in body
    assert model.check() == ["smol"]


def test_schema_goes_out_as_json_schema(server: FakeServer):
    model = OpenAICompatibleModel(server.url, timeout_s=5)
    done = model.complete(Request(prompt="x", purpose="p", prompt_id="mood.v1", schema=SCHEMA))
    assert json.loads(done.text) == {"mood": "happy"}
    fmt = server.bodies[-1]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"] == {"name": "mood_v1", "schema": SCHEMA, "strict": True}


def test_falls_back_to_json_object_when_json_schema_is_rejected(server: FakeServer):
    server.reject_json_schema = True
    model = OpenAICompatibleModel(server.url, timeout_s=5)
    req = Request(prompt="x", purpose="p", prompt_id="m", schema=SCHEMA)
    assert json.loads(model.complete(req).text) == {"mood": "happy"}
    kinds = [b["response_format"]["type"] for b in server.bodies]
    assert kinds == ["json_schema", "json_object"]  # json_object + schema: llama_cpp.server's
    assert server.bodies[-1]["response_format"]["schema"] == SCHEMA
    model.complete(req)  # remembered: no second json_schema attempt
    assert server.bodies[-1]["response_format"]["type"] == "json_object"
    assert model.structured_mode == "json_object_schema"
    assert model.health.status().failed_calls == 0


def test_http_error_is_model_error(server: FakeServer):
    model = OpenAICompatibleModel(server.url, timeout_s=5)
    with pytest.raises(ModelError, match="HTTP 500"):
        model.complete(Request(prompt="boom", purpose="p", prompt_id="p"))


def test_embeddings_are_ordered_unit_rows_and_cached(server: FakeServer):
    emb = OpenAICompatibleEmbedder(server.url, "smol", timeout_s=5)
    assert isinstance(emb, Embedder)
    rows = emb.embed(["a", "abc", "a"])
    assert emb.dimension == 3 and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0)
    assert rows[1, 0] > rows[0, 0]  # order restored from "index"
    calls = len(server.bodies)
    emb.embed(["abc"])
    assert len(server.bodies) == calls  # cached: never embedded twice


def test_embedder_check_probes_the_dimension(server: FakeServer):
    emb = OpenAICompatibleEmbedder(server.url, timeout_s=5)
    assert emb.check() == ["smol"] and emb.dimension == 3
    server.serve_embeddings = False
    with pytest.raises(UserError, match=r"no embeddings \(HTTP 404"):
        OpenAICompatibleEmbedder(server.url, timeout_s=5).check()


def test_server_down_is_model_error_and_check_is_user_error():
    url = f"http://127.0.0.1:{free_port()}"
    model = OpenAICompatibleModel(url, timeout_s=2, give_up_s=0)
    with pytest.raises(ModelError, match="connection refused"):
        model.complete(Request(prompt="x", purpose="p", prompt_id="p"))
    assert model.health.status().failed_calls == 1
    with pytest.raises(ModelError):
        OpenAICompatibleEmbedder(url, dimension=3, timeout_s=2, give_up_s=0).embed(["x"])
    with pytest.raises(UserError, match=r"model server .*: unreachable \(connection refused\)"):
        model.check()


def test_timeout_is_model_error():
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        model = OpenAICompatibleModel(url, timeout_s=0.3, give_up_s=0)
        with pytest.raises(ModelError, match="timed out"):
            model.complete(Request(prompt="x", purpose="p", prompt_id="p"))
        # The pre-flight names the problem after its own short wait, not the call timeout.
        with pytest.raises(UserError, match=r"unreachable \(no answer within 0.5 s\)"):
            OpenAICompatibleModel(url, timeout_s=60).check(timeout_s=0.5)


@pytest.mark.parametrize(
    "url",
    ["localhost:8080", "ftp://host/v1", "http://", "http://h:99999", "", "  ", "http://[::1",
     "http://[zz]:80/v1", "http://exa mple.org", "http://host\x00/v1", "http://h%41st:80",
     "http://host:80/v1?x=1", "http://user:secret@host:80"],
)  # fmt: skip
def test_bad_url_is_user_error(url: str):
    with pytest.raises(UserError, match="model server"):
        OpenAICompatibleModel(url)


def test_credentials_in_the_url_are_refused_without_echoing_them():
    with pytest.raises(UserError) as info:
        OpenAICompatibleModel("http://user:secret@host:80")
    assert "secret" not in str(info.value)


# --------------------------------------------------------------------- the deterministic server


@pytest.fixture
def fake() -> Iterator[FakeOpenAIServer]:
    srv = FakeOpenAIServer().start()
    yield srv
    srv.stop()


IMPORTANCE = {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 10},
              "minItems": 3, "maxItems": 3}  # fmt: skip


def test_llama_cpp_python_dialect_is_detected_and_ranges_are_spelled_out():
    srv = FakeOpenAIServer(dialect="json_object_schema").start()
    try:
        model = OpenAICompatibleModel(srv.url, timeout_s=5)
        req = Request(prompt="rate", purpose="p", prompt_id="p", schema=IMPORTANCE, seed=4)
        values = json.loads(model.complete(req).text)
        assert len(values) == 3 and all(1 <= v <= 10 for v in values)
        assert model.structured_mode == "json_object_schema"
        assert model.complete(req).text == json.dumps(values)  # same request, same answer
        assert srv.requests == 3  # one refused json_schema, then two answered
    finally:
        srv.stop()


def test_a_format_no_dialect_accepts_is_a_counted_model_error(server: FakeServer):
    model = OpenAICompatibleModel(server.url, timeout_s=5, structured_mode="json_schema")
    server.reject_json_schema = True
    with pytest.raises(ModelError, match="HTTP 400"):
        model.complete(Request(prompt="x", purpose="p", prompt_id="p", schema=SCHEMA))
    assert model.health.status().failed_calls == 1


def test_api_key_goes_in_the_header_only(fake: FakeOpenAIServer):
    model = OpenAICompatibleModel(fake.url, "fake", api_key="sk-test-123", timeout_s=5)
    model.complete(Request(prompt="x", purpose="p", prompt_id="p"))
    assert fake.api_keys == {"sk-test-123"}
    assert "sk-test" not in model.name and "sk-test" not in model.base_url


def test_per_token_embeddings_are_mean_pooled():
    rows = pooled_rows(
        [{"index": 1, "embedding": [1.0, 0.0]},
         {"index": 0, "embedding": [[1.0, 2.0], [3.0, 4.0]]}], 2,
    )  # fmt: skip
    assert rows.tolist() == [[2.0, 3.0], [1.0, 0.0]]
    with pytest.raises(ValueError):
        pooled_rows([{"index": 0, "embedding": [1.0]}], 2)


def test_embeddings_through_the_fake_server_match_the_hash_embedder(fake: FakeOpenAIServer):
    from cognition.llm import HashEmbedder

    emb = OpenAICompatibleEmbedder(fake.url, timeout_s=5)
    assert emb.dimension == 64
    assert np.allclose(emb.embed(["the party"]), HashEmbedder(64).embed(["the party"]), atol=1e-6)


def test_concurrency_caps_requests_on_the_wire():
    srv = FakeOpenAIServer(delay_s=0.2).start()
    try:
        for cap in (1, 4):
            srv.max_in_flight = 0
            model = OpenAICompatibleModel(srv.url, timeout_s=5, concurrency=cap)
            threads = [
                threading.Thread(target=model.complete,
                                 args=(Request(prompt=str(i), purpose="p", prompt_id="p"),))
                for i in range(6)
            ]  # fmt: skip
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert srv.max_in_flight == cap
            model.close()
    finally:
        srv.stop()


def test_outage_pauses_the_call_with_a_status_and_it_resumes_when_the_server_is_back():
    port = free_port()
    model = OpenAICompatibleModel(f"http://127.0.0.1:{port}", timeout_s=5)
    result: list[str] = []
    caller = threading.Thread(
        target=lambda: result.append(
            model.complete(Request(prompt="hi", purpose="p", prompt_id="p", seed=1)).text
        )
    )
    caller.start()
    deadline = time.monotonic() + 5
    while model.health.status().state != "down" and time.monotonic() < deadline:
        time.sleep(0.02)
    status = model.health.status()
    assert status.state == "down" and "connection refused" in status.message
    assert "run paused" in status.message and not result
    srv = FakeOpenAIServer(port).start()
    try:
        caller.join(timeout=15)
        assert result == [SchemaModel().complete(Request("hi", "p", "p", seed=1)).text]
        assert model.health.status().state == "ok" and model.health.status().failed_calls == 0
    finally:
        srv.stop()


def test_slow_server_is_reported_within_seconds_and_close_cancels_waiting_calls():
    with socket.socket() as sock:  # accepts, never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        client = ServerClient(f"http://127.0.0.1:{sock.getsockname()[1]}", timeout_s=60,
                              slow_after_s=0.2)  # fmt: skip
        model = OpenAICompatibleModel("unused", client=client)
        errors: list[str] = []

        def call() -> None:
            try:
                model.complete(Request(prompt="x", purpose="p", prompt_id="p"))
            except ModelError as exc:
                errors.append(str(exc))

        caller = threading.Thread(target=call)
        caller.start()
        deadline = time.monotonic() + 5
        while model.health.status().state != "slow" and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "slow: no answer for" in model.health.status().message
        model.close()
        caller.join(timeout=3)
        assert not caller.is_alive() and errors and "cancelled" in errors[0]
