"""Deterministic stand-ins for models and embedders, shipped for tests and demos.

Every fake is thread-safe and reports token counts as `approx_tokens` (len // 4 + 1), so the
accounting pipeline runs unchanged against them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from cognition.llm.base import Completion, ModelError, Request, approx_tokens
from cognition.llm.hashed import HashEmbedder  # noqa: F401 (tests import it from here)

Reply = Callable[[Request], str] | str



def _answer(request: Request, text: str) -> Completion:
    return Completion(
        text=text,
        prompt_tokens=approx_tokens(request.system + request.prompt),
        completion_tokens=approx_tokens(text),
        latency_s=0.0,
    )


class RoutedModel:
    """Answers by `request.prompt_id` (exact match) or else by the longest route that prefixes
    `request.purpose`; a route is a fixed string or a function of the request.

    With no matching route the `default` answers; with no default it raises `ModelError`.
    Every request is appended to `calls`.
    """

    name = "routed-fake"

    def __init__(self, routes: dict[str, Reply], default: Reply | None = None) -> None:
        self.routes = dict(routes)
        self.default = default
        self.calls: list[Request] = []
        self._lock = threading.Lock()

    def route_for(self, request: Request) -> Reply | None:
        """The reply that would answer `request`, or None."""
        if request.prompt_id in self.routes:
            return self.routes[request.prompt_id]
        prefixes = [k for k in self.routes if request.purpose.startswith(k)]
        if prefixes:
            return self.routes[max(prefixes, key=len)]
        return self.default

    def complete(self, request: Request) -> Completion:
        """Answer from the matching route or raise `ModelError`."""
        with self._lock:
            self.calls.append(request)
        reply = self.route_for(request)
        if reply is None:
            raise ModelError(f"no route for {request.prompt_id!r} ({request.purpose!r})")
        text = reply(request) if callable(reply) else reply
        return _answer(request, text)


class ScriptedModel:
    """Returns `replies` in order, recording each request in `calls`; raises `ModelError` once
    the script is used up."""

    name = "scripted-fake"

    def __init__(self, replies: list[str]) -> None:
        self._replies = list(replies)
        self.calls: list[Request] = []
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int:
        """Replies not yet given."""
        with self._lock:
            return len(self._replies)

    def complete(self, request: Request) -> Completion:
        """Pop the next reply."""
        with self._lock:
            self.calls.append(request)
            if not self._replies:
                raise ModelError("scripted model: script used up")
            text = self._replies.pop(0)
        return _answer(request, text)


class SlowModel:
    """Sleeps `delay_s` before delegating, to exercise frame loops against a busy model.

    `sleep` is injectable (tests pass a fake); the reported latency includes the delay.
    """

    def __init__(self, inner, delay_s: float, sleep: Callable[[float], None] = time.sleep) -> None:
        self.inner = inner
        self.delay_s = delay_s
        self.name = f"slow({inner.name})"
        self._sleep = sleep

    def complete(self, request: Request) -> Completion:
        """Sleep, then answer with the inner model."""
        self._sleep(self.delay_s)
        done = self.inner.complete(request)
        return Completion(
            text=done.text,
            prompt_tokens=done.prompt_tokens,
            completion_tokens=done.completion_tokens,
            latency_s=done.latency_s + self.delay_s,
        )


class FailingModel:
    """Always raises `ModelError` (a crashed or unreachable model); counts attempts in `calls`."""

    name = "failing-fake"

    def __init__(self, message: str = "model unavailable") -> None:
        self.message = message
        self.calls = 0
        self._lock = threading.Lock()

    def complete(self, request: Request) -> Completion:
        """Raise."""
        with self._lock:
            self.calls += 1
        raise ModelError(self.message)




FAULTS = ("timeout", "raise", "empty", "invalid_json", "unknown_names", "huge")
UNKNOWN_PLACE = "Atlantis"
UNKNOWN_PERSON = "Nobody Atall"
HUGE_TEXT = ("the quick brown fox jumps over the lazy dog " * 240)[:10240]


def _unknown_value(schema: dict) -> object:
    """A value of the schema's shape that names a place and a person that do not exist."""
    if "enum" in schema:
        return UNKNOWN_PLACE
    kind = schema.get("type")
    if kind == "object":
        return {key: _unknown_value(sub) for key, sub in schema.get("properties", {}).items()}
    if kind == "array":
        count = max(1, int(schema.get("minItems", 1)))
        return [_unknown_value(schema.get("items", {})) for _ in range(count)]
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1.0))
    if kind == "boolean":
        return False
    return f"{UNKNOWN_PERSON} at {UNKNOWN_PLACE}"


class FaultyModel:
    """Misbehaves in one way on every call, for fault tests (`FAULTS` lists the kinds):
    `timeout` waits `timeout_s` then raises `ModelError` as a backend's timeout does, `raise`
    raises `ModelError` at once, `empty` answers "", `invalid_json` answers broken JSON,
    `unknown_names` answers JSON of the right shape naming a place and a person that do not
    exist (`UNKNOWN_PLACE`, `UNKNOWN_PERSON`), `huge` answers 10 kB of text. Counts calls."""

    def __init__(self, kind: str, timeout_s: float = 0.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if kind not in FAULTS:
            raise ValueError(f"unknown fault {kind!r} (one of {', '.join(FAULTS)})")
        self.kind, self.timeout_s, self._sleep = kind, timeout_s, sleep
        self.name = f"faulty-{kind}"
        self.calls = 0
        self._lock = threading.Lock()

    def complete(self, request: Request) -> Completion:
        with self._lock:
            self.calls += 1
        if self.kind == "timeout":
            self._sleep(self.timeout_s)
            raise ModelError(f"timed out after {self.timeout_s} s")
        if self.kind == "raise":
            raise ModelError("model crashed")
        texts = {
            "empty": "",
            "invalid_json": '{"decision": talk,, "reason": [unclosed',
            "huge": HUGE_TEXT,
        }
        if self.kind == "unknown_names":
            import json

            text = json.dumps(_unknown_value(request.schema or {"type": "string"}))
        else:
            text = texts[self.kind]
        return _answer(request, text)
