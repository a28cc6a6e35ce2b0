"""Backends for OpenAI-compatible servers (llama.cpp's servers, vLLM, Ollama, LM Studio),
through the `openai` client library.

This is how a user scales past one machine: run a model on a server and point Simulacra at its
base URL (`http://host:8080` or `http://host:8080/v1`). Retries, timeouts, concurrency and the
health status live in `server_client.ServerClient`.

Structured calls use the server's JSON-schema support. Servers spell it differently, so the
backend tries, in order, and remembers the first that works:

1. `json_schema` — `{"type": "json_schema", "json_schema": {"name", "schema", "strict"}}`
   (OpenAI, vLLM, llama.cpp's C++ `llama-server`, Ollama, LM Studio);
2. `json_object_schema` — `{"type": "json_object", "schema": ...}` (llama-cpp-python's
   `python -m llama_cpp.server`, which answers HTTP 500 to the first);
3. `json_object` — any JSON, validated and repaired on our side.

A server that rejects all three for a request raises `ModelError` (counted, shown, and the mind
falls back): never a silent fallback.
"""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import numpy as np

from cognition.llm.base import CapabilityMissing, Completion, ModelError, Request, approx_tokens
from cognition.llm.embed_cache import EmbeddingCache, normalise_rows
from cognition.llm.llama_cpp_model import ranges_as_enums
from cognition.llm.options import OptionProbs, probs_from_top_logprobs
from cognition.llm.server_client import RetryPolicy, ServerClient, normalise_base_url

STRUCTURED_MODES = ("json_schema", "json_object_schema", "json_object")
MAX_DIMENSION = 16384  # wider "embeddings" are refused as malformed
MAX_COMPONENT = 1e6  # so are components past this (unit rows are stored)
_FORMAT_REJECTED = (400, 422, 500)

__all__ = [
    "OpenAICompatibleEmbedder",
    "OpenAICompatibleModel",
    "STRUCTURED_MODES",
    "normalise_base_url",
    "response_format",
]


def _schema_name(request: Request) -> str:
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", request.prompt_id or request.purpose or "answer")
    return name[:64] or "answer"


def response_format(mode: str, request: Request) -> dict[str, Any]:
    """The `response_format` body field for a structured request in one of `STRUCTURED_MODES`."""
    if mode == "json_schema":
        return {
            "type": "json_schema",
            "json_schema": {
                "name": _schema_name(request),
                "schema": request.schema,
                "strict": True,
            },
        }
    if mode == "json_object_schema":
        # llama-cpp-python's converter ignores minimum/maximum; spell small ranges out.
        return {"type": "json_object", "schema": ranges_as_enums(request.schema)}
    if mode == "json_object":
        return {"type": "json_object"}
    raise ValueError(f"unknown structured mode {mode!r} (one of {', '.join(STRUCTURED_MODES)})")


class OpenAICompatibleModel:
    """A `LanguageModel` behind `/v1/chat/completions`.

    `structured_mode` None detects the server's JSON-schema dialect (see the module doc);
    `concurrency` caps requests on the wire; `give_up_s` None waits out outages (the run
    pauses). `health` and `structured_mode` are public for the HUD and tests.
    """

    def __init__(
        self,
        base_url: str,
        model: str = "default",
        *,
        timeout_s: float = 120,
        api_key: str | None = None,
        concurrency: int = 8,
        give_up_s: float | None = None,
        structured_mode: str | None = None,
        client: ServerClient | None = None,
    ) -> None:
        if structured_mode is not None and structured_mode not in STRUCTURED_MODES:
            raise ValueError(f"unknown structured mode {structured_mode!r}")
        self.client = client or _server_client(base_url, timeout_s, api_key, concurrency,
                                               give_up_s)
        self.base_url = self.client.base_url
        self.health = self.client.health
        self.model = model
        self.name = f"openai:{model}@{self.base_url}"
        self.structured_mode = structured_mode
        self._detected = structured_mode is not None
        self._lock = threading.Lock()

    def check(self, timeout_s: float = 5.0) -> list[str]:
        """GET `/v1/models`; `UserError("model server <url>: unreachable (...)")` on failure."""
        return self.client.check(timeout_s)

    def close(self) -> None:
        """Cancel waiting calls (they raise `ModelError`) and close the connection pool."""
        self.client.close()

    def _body(self, request: Request, mode: str | None) -> dict[str, Any]:
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
        if mode is not None:
            body["response_format"] = response_format(mode, request)
        return body

    def _modes(self) -> tuple[str, ...]:
        with self._lock:
            current = self.structured_mode or STRUCTURED_MODES[0]
            if self._detected:
                return (current,)
        return STRUCTURED_MODES[STRUCTURED_MODES.index(current):]

    def complete(self, request: Request) -> Completion:
        """Answer one request or raise `ModelError` (after waiting out any outage)."""
        import openai

        modes: tuple[str | None, ...] = self._modes() if request.schema is not None else (None,)

        async def attempt(client: Any) -> tuple[str | None, Any, float]:
            for i, mode in enumerate(modes):
                started = time.perf_counter()
                try:
                    answer = await client.chat.completions.create(**self._body(request, mode))
                except openai.APIStatusError as exc:
                    if exc.status_code in _FORMAT_REJECTED and i + 1 < len(modes):
                        continue  # this dialect was refused: try the next
                    raise
                return mode, answer, time.perf_counter() - started
            raise AssertionError("unreachable")

        mode, answer, latency_s = self.client.call(attempt)
        if mode is not None:
            with self._lock:
                self.structured_mode, self._detected = mode, True
        try:
            text = answer.choices[0].message.content or ""
        except (AttributeError, IndexError, TypeError):
            raise self.client.failure("answer has no choices") from None
        usage = getattr(answer, "usage", None)
        details = getattr(usage, "prompt_tokens_details", None)  # vLLM and others report it
        return Completion(
            text=text,
            prompt_tokens=int(
                getattr(usage, "prompt_tokens", 0) or approx_tokens(request.system + request.prompt)
            ),
            completion_tokens=int(getattr(usage, "completion_tokens", 0) or approx_tokens(text)),
            latency_s=latency_s,
            cached_tokens=int(getattr(details, "cached_tokens", 0) or 0),
        )

    # -- option scores (cognition.llm.options), where the server gives log-probabilities -------
    scores_options = True  # until a server answers without log-probabilities

    def option_probs(self, request: Request, options: Any) -> OptionProbs:
        """The options' probabilities from the first answer token's `top_logprobs` (one token
        generated). A server that gives none raises `ModelError` and is not asked again."""
        options = tuple(options)
        body = self._body(request, None)
        body.update(max_tokens=1, temperature=0.0, logprobs=True, top_logprobs=20)

        async def attempt(client: Any) -> tuple[Any, float]:
            started = time.perf_counter()
            return await client.chat.completions.create(**body), time.perf_counter() - started

        answer, latency_s = self.client.call(attempt)
        try:
            first = answer.choices[0].logprobs.content[0]
            top = [(t.token, float(t.logprob)) for t in first.top_logprobs or []]
            top = top or [(first.token, float(first.logprob))]
            probs, mass = probs_from_top_logprobs(top, options)
        except (AttributeError, IndexError, TypeError, ValueError):
            self.scores_options = False  # a missing capability, not a failed call: not counted
            raise CapabilityMissing(f"model server {self.client.base_url}: no "
                                    "log-probabilities for option scores") from None
        usage = getattr(answer, "usage", None)
        prompt_tokens = int(getattr(usage, "prompt_tokens", 0) or approx_tokens(request.prompt))
        return OptionProbs(options, tuple(probs), mass, prompt_tokens, 0, latency_s)


def pooled_rows(data: list[Any], count: int) -> np.ndarray:
    """Rows from an `/v1/embeddings` answer's `data`, in `index` order.

    A server running a chat model (llama-cpp-python's) answers with one vector per *token*;
    those are mean-pooled, as `LlamaCppEmbedder` does, so both give the same kind of vector.
    """
    ordered = sorted(data, key=lambda item: item.get("index", 0))
    rows = []
    for item in ordered:
        with np.errstate(over="ignore"):  # 1e300 becomes inf, refused below
            vector = np.asarray(item["embedding"], dtype=np.float32)
        if vector.ndim == 2:
            vector = vector.mean(axis=0)
        if vector.ndim != 1 or vector.size == 0 or vector.size > MAX_DIMENSION:
            raise ValueError("embedding is not a vector")
        if not np.isfinite(vector).all() or np.abs(vector).max() > MAX_COMPONENT:
            raise ValueError("embedding holds NaN, infinity or huge numbers")
        rows.append(vector)
    if len(rows) != count:
        raise ValueError(f"{len(rows)} embeddings for {count} texts")
    if len({row.shape[0] for row in rows}) > 1:
        raise ValueError("embeddings of different widths")
    return np.stack(rows)


class OpenAICompatibleEmbedder:
    """An `Embedder` behind `/v1/embeddings`; rows mean-pooled if per-token, L2-normalised,
    cached by text. `dimension` is probed with one request on first use when not given."""

    def __init__(
        self,
        base_url: str,
        model: str = "default",
        *,
        dimension: int | None = None,
        timeout_s: float = 120,
        api_key: str | None = None,
        cache_size: int = 8192,
        concurrency: int = 8,
        give_up_s: float | None = None,
        client: ServerClient | None = None,
    ) -> None:
        self.client = client or _server_client(base_url, timeout_s, api_key, concurrency,
                                               give_up_s)
        self.base_url = self.client.base_url
        self.health = self.client.health
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

    def check(self, timeout_s: float = 5.0) -> list[str]:
        """GET `/v1/models` and learn the dimension; `UserError` when the server cannot be
        reached or does not serve embeddings (CLI pre-flight)."""
        from engine.errors import UserError

        models = self.client.check(timeout_s)
        try:
            if self._dimension is None:
                # One embedding on a busy machine can take a while: a longer wait than /models.
                probe = self._fetch(["dimension probe"], timeout_s=max(timeout_s, 60.0))
                self._dimension = int(probe.shape[1])
        except ModelError as exc:
            reason = str(exc).split(": ", 1)[-1]
            raise UserError(f"model server {self.base_url}: no embeddings ({reason}); "
                            "--embed-model hashed embeds locally") from None
        return models

    def close(self) -> None:
        """Cancel waiting calls and close the connection pool."""
        self.client.close()

    def _fetch(self, texts: list[str], timeout_s: float | None = None) -> np.ndarray:
        """Embed on the server; with `timeout_s` (a probe) no retries and a short wait."""

        async def post(client: Any) -> Any:
            if timeout_s is not None:
                client = client.with_options(timeout=timeout_s)
            raw = await client.embeddings.with_raw_response.create(
                model=self.model, input=texts, encoding_format="float"
            )
            try:
                return raw.http_response.json()
            except ValueError:
                raise self.client.failure("embeddings answer is not JSON") from None

        answer = self.client.call(post, retry=timeout_s is None, timeout_s=timeout_s)
        try:
            rows = pooled_rows(answer["data"], len(texts))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self.client.failure(f"malformed embeddings ({exc})") from None
        if self._dimension is not None and rows.shape[1] != self._dimension:
            raise self.client.failure(
                f"embedding width {rows.shape[1]}, expected {self._dimension}"
            )
        return normalise_rows(rows)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Shape (len(texts), dimension), float32, unit rows; `ModelError` on failure."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self.cache.embed_through(list(texts), self.dimension, self._fetch)


def _server_client(base_url: str, timeout_s: float, api_key: str | None, concurrency: int,
                   give_up_s: float | None) -> ServerClient:
    """The shared transport of the chat and embedding backends."""
    return ServerClient(base_url, timeout_s=timeout_s, api_key=api_key, concurrency=concurrency,
                        retry=RetryPolicy(give_up_s=give_up_s))
