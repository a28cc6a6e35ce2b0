"""Servers that stall, trickle, stream forever, redirect to a dead port or answer NaN (issue 23):
every call ends within its deadline with one error naming the server and the fault.

The servers are tiny threads on 127.0.0.1 started here; every loop they run is bounded."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from cognition.llm import server_client
from cognition.llm.base import ModelError, Request
from cognition.llm.openai_http import OpenAICompatibleEmbedder, OpenAICompatibleModel
from engine.errors import UserError

REQUEST = Request(prompt="x", purpose="p", prompt_id="p")


def _dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def hostile(mode: str) -> Iterator[str]:
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:
            pass

        def _body(self) -> dict:
            length = int(self.headers.get("Content-Length") or 0)
            return json.loads(self.rfile.read(length) or b"{}")

        def _trickle(self) -> None:  # one byte at a time, forever (until the test ends)
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _ in range(600):
                if stop.wait(0.2):
                    return
                self.wfile.write(b"X")
                self.wfile.flush()

        def _endless(self) -> None:  # a valid chunked answer that never ends
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b" " * 65536
            for _ in range(100_000):
                if stop.is_set():
                    return
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))

        def _json(self, data: dict) -> None:
            raw = json.dumps(data).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def do_GET(self) -> None:
            if mode == "trickle":
                return self._trickle()
            self._json({"object": "list", "data": [{"id": "m", "object": "model"}]})

        def do_POST(self) -> None:
            body = self._body()
            try:
                if mode == "trickle":
                    self._trickle()
                elif mode == "endless":
                    self._endless()
                elif mode == "silent":  # takes the request and never answers
                    stop.wait(120)
                elif mode == "redirect":
                    self.send_response(307)
                    self.send_header("Location", f"http://127.0.0.1:{_dead_port()}/v1/x")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif mode in ("nan", "huge", "wide"):
                    value = {"nan": float("nan"), "huge": 1e300, "wide": 0.5}[mode]
                    width = 20000 if mode == "wide" else 4
                    rows = [{"index": i, "embedding": [value] * width}
                            for i in range(len(body.get("input", [])))]
                    raw = json.dumps({"data": rows}).encode()  # NaN as the bare word NaN
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def short_slack(monkeypatch):
    monkeypatch.setattr(server_client, "WHOLE_ANSWER_SLACK_S", 0.5)
    monkeypatch.setattr(server_client, "MAX_ANSWER_BYTES", 2 * 1024 * 1024)


def test_models_check_that_trickles_ends_within_its_stated_time():
    with hostile("trickle") as url:
        model = OpenAICompatibleModel(url, timeout_s=60)
        started = time.monotonic()
        with pytest.raises(UserError, match=r"model server .*: unreachable \(no answer"):
            model.check(timeout_s=1.0)
        assert time.monotonic() - started < 3.5  # the stated 1 s and a little (loaded machine)
        model.close()


@pytest.mark.parametrize("mode", ["trickle", "endless", "redirect"])
def test_a_chat_call_to_a_hostile_server_fails_in_time_naming_it(mode):
    with hostile(mode) as url:
        model = OpenAICompatibleModel(url, timeout_s=1.0, give_up_s=None)
        started = time.monotonic()
        with pytest.raises(ModelError, match=r"model server http://127\.0\.0\.1:\d+: ") as err:
            model.complete(REQUEST)
        took = time.monotonic() - started
        model.close()
    assert took < 8.0, (mode, took, str(err.value))
    assert model.health.status().failed_calls == 1  # a failed call (fallback), not an outage


@pytest.mark.parametrize("mode", ["nan", "huge", "wide"])
def test_bad_embeddings_are_refused_naming_the_server(mode):
    with hostile(mode) as url:
        embedder = OpenAICompatibleEmbedder(url, dimension=4, timeout_s=2.0, give_up_s=0)
        with pytest.raises(ModelError, match=r"model server .*: malformed embeddings"):
            embedder.embed(["a", "b"])
        embedder.close()


def test_a_chroma_server_that_never_answers_is_one_line_in_seconds():
    from cognition.memory.chroma_index import make_server_client

    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        started = time.monotonic()
        with pytest.raises(UserError, match=r"chroma server .*: unreachable"):
            make_server_client(f"http://127.0.0.1:{sock.getsockname()[1]}")
    assert time.monotonic() - started < 15.0


def test_interview_ask_against_a_silent_server_ends_with_a_fallback(tmp_path, monkeypatch,
                                                                   capsys):
    """`interview --ask` gives up on a server that takes the question and never answers:
    the agent answers with a fallback and the command ends, saying why (no hang)."""
    from game.cli import main
    from game.commands import interview

    monkeypatch.setenv("SIMULACRA_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(interview, "GIVE_UP_S", 1.0)
    assert main(["run", "--fork", "base_the_ville_isabella_maria_klaus", "--name", "t",
                 "--steps", "2", "--model", "random", "--quiet"]) == 0
    capsys.readouterr()
    with hostile("silent") as url:
        started = time.monotonic()
        code = main(["interview", "t", "Klaus Mueller", "--ask", "What do you study?",
                     "--server", url, "--embed-model", "hashed"])
        took = time.monotonic() - started
    out = capsys.readouterr()
    assert code == 0 and took < 60, (code, took, out.err)
    assert out.out.startswith("Klaus Mueller: ") and "model server" in out.err, out
