"""A deterministic OpenAI-compatible server, for tests and demos of `--server`.

`SchemaModel` answers any request without a language model: a structured request gets a JSON
value built from its schema (enums, ranges, array sizes respected) and free text gets a short
sentence, both chosen by a random generator seeded from the request's seed and prompt, so the
same request always gets the same answer, in any process. `FakeOpenAIServer` serves it (and the
`HashEmbedder`) over `/v1/models`, `/v1/chat/completions` and `/v1/embeddings`, speaking either
JSON-schema dialect (see `openai_http`), so a test can kill it, start it again on the same port,
and expect the run to end in exactly the same world.

Run it alone: `python -m cognition.llm.fake_server --port 8080 [--dialect json_object_schema]`.
"""

from __future__ import annotations

import argparse
import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cognition.llm.base import Completion, Request, approx_tokens
from cognition.llm.fakes import HashEmbedder

_WORDS = (
    "morning", "coffee", "reading", "the cafe", "a walk", "friends", "work", "the park",
    "music", "lunch", "a nap", "the library", "painting", "the garden", "dinner",
)  # fmt: skip


def schema_instance(schema: dict[str, Any], rng: random.Random) -> Any:
    """A value matching the subset of JSON schema `cognition.llm.schema` builds."""
    if "enum" in schema:
        return rng.choice(list(schema["enum"]))
    kind = schema.get("type")
    if kind == "object":
        return {k: schema_instance(v, rng) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        lo = int(schema.get("minItems", 1))
        hi = int(schema.get("maxItems", lo + 2))
        return [schema_instance(schema.get("items", {}), rng) for _ in range(rng.randint(lo, hi))]
    if kind == "integer":
        return rng.randint(int(schema.get("minimum", 0)), int(schema.get("maximum", 10)))
    if kind == "number":
        return round(rng.uniform(0, 1), 3)
    if kind == "boolean":
        return rng.random() < 0.3
    limit = int(schema.get("maxLength", 60))
    if limit <= 5:  # the only short strings we ask for are times of day
        return f"{rng.randint(6, 8):02d}:00"
    text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 6)))
    return text[:limit]


class SchemaModel:
    """A `LanguageModel` answering from the request's schema, deterministically."""

    name = "schema-fake"

    def complete(self, request: Request) -> Completion:
        """Answer `request`; same request, same answer."""
        rng = random.Random(f"{request.seed}|{request.system}|{request.prompt}")
        if request.schema is not None:
            text = json.dumps(schema_instance(request.schema, rng), ensure_ascii=False)
        else:
            text = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(3, 8))).capitalize()
        return Completion(text, approx_tokens(request.system + request.prompt),
                          approx_tokens(text), 0.0)  # fmt: skip


def request_from_body(body: dict[str, Any], dialect: str) -> Request | None:
    """The `Request` an OpenAI chat body stands for; None when its response_format is not the
    dialect this server speaks."""
    messages = body.get("messages") or []
    system = "".join(m.get("content", "") for m in messages if m.get("role") == "system")
    prompt = "".join(m.get("content", "") for m in messages if m.get("role") != "system")
    fmt = body.get("response_format") or {}
    schema = None
    if fmt:
        kind = "json_object_schema" if fmt.get("type") == "json_object" else fmt.get("type")
        if kind == "json_object_schema" and "schema" not in fmt:
            kind = "json_object"
        if kind != dialect and kind != "json_object":
            return None
        schema = (fmt.get("json_schema") or {}).get("schema") or fmt.get("schema") or {}
    return Request(
        prompt=prompt, purpose="server", prompt_id="server", system=system, schema=schema,
        max_tokens=int(body.get("max_tokens") or 256), seed=int(body.get("seed") or 0),
        temperature=float(body.get("temperature") or 0.0),
    )  # fmt: skip


class FakeOpenAIServer(ThreadingHTTPServer):
    """Serves `SchemaModel` and `HashEmbedder(dimension)` on 127.0.0.1:`port` (0 = any)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, port: int = 0, *, dialect: str = "json_schema", delay_s: float = 0.0,
        dimension: int = 64,
    ) -> None:  # fmt: skip
        super().__init__(("127.0.0.1", port), _Handler)
        self.dialect = dialect
        self.delay_s = delay_s
        self.model = SchemaModel()
        self.embedder = HashEmbedder(dimension)
        self.requests = 0
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests it was answering at once
        self.api_keys: set[str] = set()
        self._count_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def enter(self) -> None:
        with self._count_lock:
            self.requests += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self._count_lock:
            self.in_flight -= 1

    @property
    def url(self) -> str:
        """The base URL (`http://127.0.0.1:<port>`)."""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def start(self) -> FakeOpenAIServer:
        """Serve on a daemon thread."""
        self._thread = threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: FakeOpenAIServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _reply(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path.rstrip("/") == "/v1/models":
            self._reply(200, {"object": "list", "data": [{"id": "fake", "object": "model"}]})
        else:
            self._reply(404, {"error": "not found"})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length).decode("utf-8"))
        except ValueError:
            self._reply(400, {"error": "body is not JSON"})
            return
        auth = self.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            self.server.api_keys.add(auth.removeprefix("Bearer "))
        self.server.enter()
        try:
            if self.server.delay_s and self.path == "/v1/chat/completions":
                time.sleep(self.server.delay_s)
            self._answer(body)
        finally:
            self.server.leave()

    def _answer(self, body: dict[str, Any]) -> None:
        if self.path == "/v1/chat/completions":
            self._chat(body)
        elif self.path == "/v1/embeddings":
            texts = body.get("input") or []
            texts = [texts] if isinstance(texts, str) else list(texts)
            rows = self.server.embedder.embed(texts)
            data = [{"object": "embedding", "index": i, "embedding": row.tolist()}
                    for i, row in enumerate(rows)]  # fmt: skip
            self._reply(200, {"object": "list", "data": data, "model": "fake",
                              "usage": {"prompt_tokens": 1, "total_tokens": 1}})  # fmt: skip
        else:
            self._reply(404, {"error": "not found"})

    def _chat(self, body: dict[str, Any]) -> None:
        request = request_from_body(body, self.server.dialect)
        if request is None:
            self._reply(500, {"error": "response_format not supported"})
            return
        answer = self.server.model.complete(request)
        self._reply(200, {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake",
            "choices": [{"index": 0, "finish_reason": "stop",
                         "message": {"role": "assistant", "content": answer.text}}],
            "usage": {"prompt_tokens": answer.prompt_tokens,
                      "completion_tokens": answer.completion_tokens,
                      "total_tokens": answer.prompt_tokens + answer.completion_tokens},
        })  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--dialect", default="json_schema",
                        choices=("json_schema", "json_object_schema"))
    parser.add_argument("--delay-s", type=float, default=0.0,
                        help="wait this long before each chat answer (a slow or stalled server)")
    args = parser.parse_args(argv)
    server = FakeOpenAIServer(args.port, dialect=args.dialect, delay_s=args.delay_s)
    print(f"fake OpenAI-compatible server on {server.url}", flush=True)
    try:
        server.serve_forever(0.05)
    except KeyboardInterrupt:
        pass
    server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
