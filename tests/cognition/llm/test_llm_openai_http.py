"""The OpenAI-compatible backend against a tiny fake server on 127.0.0.1."""

from __future__ import annotations

import json
import socket
import threading
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
    assert [b["response_format"]["type"] for b in server.bodies] == ["json_schema", "json_object"]
    model.complete(req)  # remembered: no second json_schema attempt
    assert server.bodies[-1]["response_format"]["type"] == "json_object"
    assert not model.json_schema_supported


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
    model = OpenAICompatibleModel(url, timeout_s=2)
    with pytest.raises(ModelError, match="connection refused"):
        model.complete(Request(prompt="x", purpose="p", prompt_id="p"))
    with pytest.raises(ModelError):
        OpenAICompatibleEmbedder(url, dimension=3, timeout_s=2).embed(["x"])
    with pytest.raises(UserError, match=r"model server .*: unreachable \(connection refused\)"):
        model.check()


def test_timeout_is_model_error():
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        model = OpenAICompatibleModel(f"http://127.0.0.1:{sock.getsockname()[1]}", timeout_s=0.3)
        with pytest.raises(ModelError, match="timed out"):
            model.complete(Request(prompt="x", purpose="p", prompt_id="p"))


@pytest.mark.parametrize("url", ["localhost:8080", "ftp://host/v1", "http://", "http://h:99999"])
def test_bad_url_is_user_error(url: str):
    with pytest.raises(UserError, match="model server"):
        OpenAICompatibleModel(url)
