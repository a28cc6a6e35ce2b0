"""Backends for OpenAI-compatible servers: llama-server, vLLM, Ollama, LM Studio.

This is how a user scales past one machine: run a bigger model on a server and point Simulacra at
its base URL (`http://host:8080` or `http://host:8080/v1`). A schema becomes
`response_format: {"type": "json_schema", ...}`; a server that rejects that (HTTP 400/422) is
asked again with `{"type": "json_object"}`, and remembered as such. Connection, timeout and HTTP
failures become `ModelError`; a malformed URL is a `UserError` at construction.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np

from cognition.llm.base import Completion, ModelError, Request, approx_tokens
from cognition.llm.embed_cache import EmbeddingCache, normalise_rows
from engine.errors import UserError


def normalise_base_url(base_url: str) -> str:
    """`scheme://host[:port][/prefix]` without a trailing slash or `/v1`; `UserError` if bad."""
    url = base_url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UserError(f"model server {base_url!r}: URL must start with http:// or https://")
    if not parts.hostname:
        raise UserError(f"model server {base_url!r}: URL has no host")
    try:
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise UserError(f"model server {base_url!r}: bad port") from None
    path = re.sub(r"/+$", "", parts.path)
    path = re.sub(r"/v1$", "", path)
    return f"{parts.scheme}://{parts.netloc}{path}"


def _schema_name(request: Request) -> str:
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", request.prompt_id or request.purpose or "answer")
    return name[:64] or "answer"


class _Client:
    """The shared HTTP plumbing: one `httpx.Client` (thread-safe), errors mapped to ModelError."""

    def __init__(self, base_url: str, timeout_s: float, api_key: str | None) -> None:
        self.base_url = normalise_base_url(base_url)
        self.timeout_s = timeout_s
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(timeout=timeout_s, headers=headers)

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def _send(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        url = f"{self.base_url}/v1/{path}"
        try:
            return self._http.request(method, url, json=body)
        except httpx.TimeoutException:
            raise ModelError(
                f"model server {self.base_url}: timed out after {self.timeout_s}s"
            ) from None
        except httpx.ConnectError:
            raise ModelError(f"model server {self.base_url}: connection refused") from None
        except httpx.HTTPError as exc:
            raise ModelError(f"model server {self.base_url}: {type(exc).__name__}: {exc}") from None

    def post(self, path: str, body: dict[str, Any], *, allow: tuple[int, ...] = ()) -> Any:
        """POST JSON and return the decoded answer; statuses in `allow` return None."""
        response = self._send("POST", path, body)
        if response.status_code in allow:
            return None
        return self._decode(response)

    def get(self, path: str) -> Any:
        """GET and return the decoded answer."""
        return self._decode(self._send("GET", path))

    def _decode(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            detail = " ".join(response.text.split())[:200]
            raise ModelError(f"model server {self.base_url}: HTTP {response.status_code} {detail}")
        try:
            return response.json()
        except ValueError:
            raise ModelError(f"model server {self.base_url}: answer is not JSON") from None

    def check(self) -> list[str]:
        """Model ids the server lists; `UserError` when it cannot be reached (CLI pre-flight)."""
        try:
            answer = self.get("models")
        except ModelError as exc:
            reason = str(exc).split(": ", 1)[-1]
            raise UserError(f"model server {self.base_url}: unreachable ({reason})") from None
        data = answer.get("data", []) if isinstance(answer, dict) else []
        return [str(m.get("id")) for m in data if isinstance(m, dict)]


class OpenAICompatibleModel:
    """A `LanguageModel` behind `/v1/chat/completions`."""

    def __init__(
        self,
        base_url: str,
        model: str = "default",
        *,
        timeout_s: float = 60,
        api_key: str | None = None,
    ) -> None:
        self._client = _Client(base_url, timeout_s, api_key)
        self.base_url = self._client.base_url
        self.model = model
        self.name = f"openai:{model}@{self.base_url}"
        self._lock = threading.Lock()
        self.json_schema_supported = True

    def check(self) -> list[str]:
        """GET `/v1/models`; `UserError("model server <url>: unreachable (...)")` on failure."""
        return self._client.check()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def _body(self, request: Request, strict_schema: bool) -> dict[str, Any]:
        messages = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        messages.append({"role": "user", "content": request.prompt})
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "seed": request.seed,
        }
        if request.stop:
            body["stop"] = list(request.stop)
        if request.schema is not None:
            if strict_schema:
                body["response_format"] = {
                    "type": "json_schema",
                    "json_schema": {
                        "name": _schema_name(request),
                        "schema": request.schema,
                        "strict": True,
                    },
                }
            else:
                body["response_format"] = {"type": "json_object"}
        return body

    def complete(self, request: Request) -> Completion:
        """Answer one request or raise `ModelError`."""
        started = time.perf_counter()
        strict = request.schema is not None and self.json_schema_supported
        answer = self._client.post(
            "chat/completions", self._body(request, strict), allow=(400, 422) if strict else ()
        )
        if answer is None:  # the server rejected json_schema: fall back to json_object
            answer = self._client.post("chat/completions", self._body(request, False))
            # Only now is it clear the 400 was about json_schema (not, say, a long prompt).
            with self._lock:
                self.json_schema_supported = False
        latency_s = time.perf_counter() - started
        try:
            text = answer["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise ModelError(f"model server {self.base_url}: answer has no choices") from None
        usage = answer.get("usage") or {}
        return Completion(
            text=text,
            prompt_tokens=int(
                usage.get("prompt_tokens") or approx_tokens(request.system + request.prompt)
            ),
            completion_tokens=int(usage.get("completion_tokens") or approx_tokens(text)),
            latency_s=latency_s,
        )


class OpenAICompatibleEmbedder:
    """An `Embedder` behind `/v1/embeddings`; rows L2-normalised, cached by text.

    `dimension` is probed with one request on first use when not given.
    """

    def __init__(
        self,
        base_url: str,
        model: str = "default",
        *,
        dimension: int | None = None,
        timeout_s: float = 60,
        api_key: str | None = None,
        cache_size: int = 8192,
    ) -> None:
        self._client = _Client(base_url, timeout_s, api_key)
        self.base_url = self._client.base_url
        self.model = model
        self.name = f"openai-embed:{model}@{self.base_url}"
        self._dimension = dimension
        self.cache = EmbeddingCache(cache_size)

    @property
    def dimension(self) -> int:
        """Vector width (asks the server once if unknown)."""
        if self._dimension is None:
            self._dimension = int(self._fetch(["dimension probe"]).shape[1])
        return self._dimension

    def check(self) -> list[str]:
        """GET `/v1/models` and learn the dimension; `UserError` when the server cannot be
        reached or does not serve embeddings (CLI pre-flight)."""
        models = self._client.check()
        try:
            _ = self.dimension
        except ModelError as exc:
            reason = str(exc).split(": ", 1)[-1]
            raise UserError(f"model server {self.base_url}: no embeddings ({reason})") from None
        return models

    def _fetch(self, texts: list[str]) -> np.ndarray:
        answer = self._client.post("embeddings", {"model": self.model, "input": texts})
        try:
            data = sorted(answer["data"], key=lambda item: item.get("index", 0))
            rows = np.asarray([item["embedding"] for item in data], dtype=np.float32)
        except (KeyError, TypeError, ValueError):
            raise ModelError(f"model server {self.base_url}: malformed embeddings") from None
        if rows.ndim != 2 or rows.shape[0] != len(texts):
            raise ModelError(f"model server {self.base_url}: wrong number of embeddings")
        if self._dimension is not None and rows.shape[1] != self._dimension:
            raise ModelError(
                f"model server {self.base_url}: embedding width {rows.shape[1]}, "
                f"expected {self._dimension}"
            )
        return normalise_rows(rows)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Shape (len(texts), dimension), float32, unit rows; `ModelError` on failure."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.cache.embed_through(list(texts), self.dimension, self._fetch)
