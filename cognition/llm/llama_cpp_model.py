"""In-process llama.cpp backends (llama-cpp-python), for any GGUF file.

`llama_cpp` is imported lazily, in the constructors, so importing this module costs nothing and
works where the library is missing. A llama.cpp context must never run two evaluations at once,
so each instance owns one `Llama` and a lock: a pool of worker threads overlaps prompt building,
retrieval and parsing, never generation.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from cognition.llm.base import Completion, ModelError, Request
from cognition.llm.embed_cache import EmbeddingCache, normalise_rows
from cognition.llm.options import OptionProbs, first_token_ids, probs_from_logits
from cognition.llm.prefix_cache import PrefixCache, common_prefix
from cognition.llm.sampling import Sampling, evaluate, generate
from engine.errors import UserError

GGUF_MAGIC = b"GGUF"


def check_gguf(path: str | os.PathLike[str]) -> Path:
    """The path, after checking it names a readable GGUF file; `UserError` otherwise."""
    model_path = Path(path).expanduser()
    if not model_path.is_file():
        raise UserError(f"model file {model_path}: not found")
    try:
        with model_path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise UserError(f"model file {model_path}: unreadable ({exc.strerror})") from None
    if magic != GGUF_MAGIC:
        raise UserError(f"model file {model_path}: not a GGUF file")
    return model_path


_OPTIONS: list[Any] = []  # the load options for this CPU, chosen once per process


def load_options() -> Any:
    """`cognition.llm.cpu.LoadOptions` for this CPU (chosen on first use, then kept)."""
    if not _OPTIONS:
        from cognition.llm.cpu import options_for_this_cpu

        _OPTIONS.append(options_for_this_cpu())
    return _OPTIONS[0]


def use_load_options(options: Any) -> None:
    """Load every later model of this process with `options` (what the self-test passed)."""
    _OPTIONS[:] = [options]


def _load(path: Path, **kwargs: Any) -> Any:
    """A `llama_cpp.Llama` for `path`, with llama.cpp's logging silenced and its options chosen
    for this CPU (`cognition.llm.cpu`: no AMX extra buffers)."""
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        raise UserError(
            "llama-cpp-python is not installed (pip install llama-cpp-python)"
        ) from None
    from cognition.llm.llama_compat import IncompatibleLlamaCpp, load_llama

    kwargs.setdefault("use_extra_bufts", load_options().use_extra_bufts)
    try:
        return load_llama(str(path), verbose=False, **kwargs)
    except IncompatibleLlamaCpp as exc:
        raise UserError(str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - llama_cpp raises assorted errors on bad files
        raise UserError(f"model file {path}: cannot be loaded ({exc})") from None


MAX_ENUM_RANGE = 64


def ranges_as_enums(schema: Any) -> Any:
    """The schema with small bounded integer ranges spelled out as enums.

    llama-cpp-python's schema-to-grammar converter ignores `minimum`/`maximum`; an enum of the
    allowed integers makes the grammar itself enforce the range (an importance of 1-10 cannot
    come out as 0 or 42).
    """
    if isinstance(schema, list):
        return [ranges_as_enums(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    lo, hi = schema.get("minimum"), schema.get("maximum")
    if (
        schema.get("type") == "integer"
        and isinstance(lo, int)
        and isinstance(hi, int)
        and 0 <= hi - lo < MAX_ENUM_RANGE
        and "enum" not in schema
    ):
        return {"enum": list(range(lo, hi + 1))}
    return {key: ranges_as_enums(value) for key, value in schema.items()}


# llama-cpp-python's converter lets raw control characters (newlines) into strings, which is
# not JSON; llama.cpp's own converter excludes them, and so do we.
_LOOSE_CHAR = 'char ::= [^"\\\\] |'
_STRICT_CHAR = 'char ::= [^"\\\\\\x7F\\x00-\\x1F] |'


def schema_grammar(schema: dict[str, Any]) -> str:
    """GBNF text constraining decoding to JSON that matches `schema` (see `ranges_as_enums`)."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    gbnf = json_schema_to_gbnf(json.dumps(ranges_as_enums(schema), ensure_ascii=False))
    return gbnf.replace(_LOOSE_CHAR, _STRICT_CHAR)


def default_threads() -> int:
    """Threads for llama.cpp when not given: every core but one, at most 8.

    The spare core keeps the frame loop and the engine responsive. llama.cpp's worker threads
    spin at barriers, so when they compete with other busy threads for too few cores, decoding
    slows down several times over (measured: 2 threads on a busy 2-core machine ran 4x slower
    than 1).
    """
    return max(1, min(8, (os.cpu_count() or 2) - 1))


class LlamaCppModel:
    """A `LanguageModel` running a GGUF chat model in this process.

    Requests go through the model's own chat template (system + user message). A request's
    `schema` becomes a GBNF grammar (cached by schema) that constrains decoding to JSON matching
    it. Any failure while answering becomes `ModelError`.

    With `prefix_cache_mb` > 0 (default 256), each agent's evaluated prompt head is kept and
    restored before its next call (`prefix_cache.PrefixCache`), so a call evaluates only the
    tokens it does not share; `Completion.cached_tokens` says how many it skipped.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        n_ctx: int = 2048,
        n_threads: int | None = None,
        seed: int = 0,
        prefix_cache_mb: int = 256,
    ) -> None:
        self.path = check_gguf(path)
        self.name = f"llama.cpp:{self.path.name}"
        self.n_ctx = n_ctx
        self._lock = threading.Lock()
        self._grammars: dict[str, Any] = {}
        self._gbnf: dict[str, str] = {}
        threads = n_threads or default_threads()
        self.n_threads = threads
        self._llm = _load(
            self.path, n_ctx=n_ctx, n_threads=threads, n_threads_batch=threads, seed=seed
        )
        self.prefix_cache = PrefixCache(prefix_cache_mb << 20) if prefix_cache_mb > 0 else None
        self._formatter = _chat_formatter(self._llm)
        self._generated_now = 0  # tokens sampled so far by the call in progress (for the HUD)

    def tokens_in_progress(self) -> int:
        """Completion tokens generated so far by the call running now (0 between calls)."""
        return self._generated_now

    def _tick(self) -> None:
        self._generated_now += 1  # once per sampled token

    def _count_token(self, input_ids: Any, scores: Any) -> Any:
        self._tick()  # as a logits processor (llama-cpp-python's own sampling)
        return scores

    def prompt_tokens(self, messages: list[dict[str, str]]) -> np.ndarray | None:
        """The tokens the chat template turns `messages` into (None without a template)."""
        if self._formatter is None:
            return None
        result = self._formatter(messages=messages)
        tokens = self._llm.tokenize(
            result.prompt.encode("utf-8"), add_bos=not result.added_special, special=True
        )
        return np.asarray(tokens, dtype=np.intc)

    def close(self) -> None:
        """Free the model and its context (waits for a call in progress)."""
        with self._lock:
            self._llm.close()

    def _kept_tokens(self, request: Request, tokens: np.ndarray) -> int:
        """Leading prompt tokens covering `request.keep` characters of the prompt (0: none)."""
        if request.keep <= 0:
            return 0
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages.append({"role": "user", "content": request.prompt[: request.keep]})
        part = self.prompt_tokens(messages)
        return 0 if part is None else common_prefix(part, tokens)

    def gbnf_for(self, schema: dict[str, Any]) -> str:
        """The (cached) GBNF text for a JSON schema. Call with the lock held."""
        key = json.dumps(schema, sort_keys=True, ensure_ascii=False)
        if key not in self._gbnf:
            self._gbnf[key] = schema_grammar(schema)
        return self._gbnf[key]

    def grammar_for(self, schema: dict[str, Any]) -> Any:
        """The (cached) `LlamaGrammar` for a JSON schema. Call with the lock held."""
        key = json.dumps(schema, sort_keys=True, ensure_ascii=False)
        grammar = self._grammars.get(key)
        if grammar is None:
            from llama_cpp import LlamaGrammar

            grammar = LlamaGrammar.from_string(self.gbnf_for(schema), verbose=False)
            self._grammars[key] = grammar
        return grammar

    def _generate(self, request: Request, tokens: np.ndarray) -> tuple[str, int, int]:
        """(text, completion tokens, prompt tokens reused): the answer to a tokenised prompt."""
        gbnf = self.gbnf_for(request.schema) if request.schema is not None else None
        params = Sampling(temperature=request.temperature, seed=request.seed)
        return generate(
            self._llm, tokens, params, request.max_tokens, gbnf=gbnf,
            stop=tuple(request.stop), on_token=self._tick,
        )  # fmt: skip

    def _chat_completion(
        self, request: Request, messages: list[dict[str, str]], kwargs: dict[str, Any]
    ) -> tuple[str, int, int]:
        """llama-cpp-python's own chat completion (a model without a chat template)."""
        if request.schema is not None:
            kwargs["grammar"] = self.grammar_for(request.schema)
        response = self._llm.create_chat_completion(
            messages=messages, temperature=request.temperature, max_tokens=request.max_tokens,
            stop=list(request.stop) or None, seed=request.seed, **kwargs,
        )  # fmt: skip
        usage = response.get("usage") or {}
        text = response["choices"][0]["message"]["content"] or ""
        return text, int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))

    def complete(self, request: Request) -> Completion:
        """Answer one request; `ModelError` on any failure."""
        messages = []
        if request.system:
            messages.append({"role": "system", "content": request.system})
        messages.append({"role": "user", "content": request.prompt})
        try:
            with self._lock:
                # Latency is model time only, not time spent queued on the lock, so summed
                # latencies measure how busy the model was.
                started = time.perf_counter()
                self._generated_now = 0
                kwargs: dict[str, Any] = {"logits_processor": [self._count_token]}
                tokens = self.prompt_tokens(messages)
                cached = 0
                if tokens is not None and self.prefix_cache is not None:
                    self.prefix_cache.prepare(self._llm, tokens)
                if tokens is not None:
                    text, completion_tokens, cached = self._generate(request, tokens)
                    prompt_tokens = len(tokens)
                else:  # no chat template of its own: llama-cpp-python formats and samples
                    text, prompt_tokens, completion_tokens = self._chat_completion(
                        request, messages, kwargs
                    )
                if tokens is not None and self.prefix_cache is not None:
                    keep = self._kept_tokens(request, tokens)
                    self.prefix_cache.remember(self._llm, request.agent, tokens, keep=keep)
                latency_s = time.perf_counter() - started
                self._generated_now = 0
            return Completion(
                text=text,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
                latency_s=latency_s,
                cached_tokens=cached,
            )
        except Exception as exc:
            raise ModelError(f"{self.name}: {type(exc).__name__}: {exc}") from exc


    @property
    def scores_options(self) -> bool:
        """Option scores need the GGUF's own chat template (to know the prompt's tokens)."""
        return self._formatter is not None

    def option_probs(self, request: Request, options: Any) -> OptionProbs:
        """The probability of each option as the answer's first token (`cognition.llm.options`):
        the prompt is evaluated (its head restored from, and kept in, the prefix cache as for
        `complete`) and the next token's logits are read; nothing is sampled."""
        messages = [{"role": "system", "content": request.system}] if request.system else []
        messages.append({"role": "user", "content": request.prompt})
        options = tuple(options)
        try:
            with self._lock:
                started = time.perf_counter()
                tokens = self.prompt_tokens(messages)
                if tokens is None:
                    raise ModelError(f"{self.name}: no chat template, no option scores")
                if self.prefix_cache is not None:
                    self.prefix_cache.prepare(self._llm, tokens)
                logits, cached = evaluate(self._llm, tokens)
                ids = first_token_ids(
                    options, lambda t: self._llm.tokenize(t.encode("utf-8"), add_bos=False)
                )
                if self.prefix_cache is not None:
                    keep = self._kept_tokens(request, tokens)
                    self.prefix_cache.remember(self._llm, request.agent, tokens, keep=keep)
                probs, mass = probs_from_logits(logits, ids)
                latency_s = time.perf_counter() - started
        except ModelError:
            raise
        except Exception as exc:
            raise ModelError(f"{self.name}: {type(exc).__name__}: {exc}") from exc
        return OptionProbs(options, tuple(probs), mass, len(tokens), cached, latency_s)


def _chat_formatter(llm: Any) -> Any:
    """The formatter llama-cpp-python uses for a GGUF's own chat template (None if it has none
    or another format was chosen), to know a prompt's tokens before the call."""
    template = llm.metadata.get("tokenizer.chat_template")
    if not template or llm.chat_format != "chat_template.default":
        return None
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    def text(token: int) -> str:
        return llm._model.token_get_text(token) if token != -1 else ""

    return Jinja2ChatFormatter(
        template=template, eos_token=text(llm.token_eos()), bos_token=text(llm.token_bos()),
        stop_token_ids=[llm.token_eos()],
    )  # fmt: skip


class LlamaCppEmbedder:
    """An `Embedder` from a GGUF model loaded in embedding mode (mean-pooled, unit rows).

    Vectors are cached by text (LRU, `cache_size` entries), so a text is embedded once.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        n_ctx: int = 512,
        n_threads: int | None = None,
        cache_size: int = 8192,
    ) -> None:
        self.path = check_gguf(path)
        self.name = f"llama.cpp-embed:{self.path.name}"
        self.n_ctx = n_ctx
        self._lock = threading.Lock()
        self.cache = EmbeddingCache(cache_size)
        # No pooling_type: asking for MEAN on a model whose default is "none" makes llama.cpp
        # print a warning that verbose=False does not catch; we mean-pool token vectors instead.
        kwargs: dict[str, Any] = {
            "embedding": True,
            "n_ctx": n_ctx,
            "n_threads": n_threads or default_threads(),
            "n_threads_batch": n_threads or default_threads(),
        }
        self._llm = _load(self.path, **kwargs)
        self.dimension = int(self._llm.n_embd())

    def close(self) -> None:
        """Free the model and its context (waits for a call in progress)."""
        with self._lock:
            self._llm.close()

    def _one(self, text: str) -> np.ndarray:
        """Embed one text (lock held), mean-pooling per-token vectors if that is what we get.

        `Llama.embed` truncates texts longer than the context itself.
        """
        raw = np.asarray(self._llm.embed(text if text.strip() else " "), dtype=np.float32)
        if raw.ndim == 2:
            raw = raw.mean(axis=0)
        return raw

    def _compute(self, texts: list[str]) -> np.ndarray:
        try:
            with self._lock:
                rows = [self._one(text) for text in texts]
        except Exception as exc:
            raise ModelError(f"{self.name}: {type(exc).__name__}: {exc}") from exc
        return normalise_rows(np.stack(rows))

    def embed(self, texts: list[str]) -> np.ndarray:
        """Shape (len(texts), dimension), float32, unit rows; cached texts are not recomputed."""
        return self.cache.embed_through(list(texts), self.dimension, self._compute)
