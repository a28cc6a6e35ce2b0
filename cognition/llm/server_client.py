"""The plumbing under the OpenAI-compatible backends: URL checks, the `openai` client, retries.

All calls to one server go through one `openai.AsyncOpenAI` client running on a private event
loop in a daemon thread, so any number of mind threads can wait on it at once, at most
`concurrency` requests are on the wire together (the server batches them), and `close()` can
cancel calls that are stuck on a server that never answers (the waiting threads get a
`ModelError` at once instead of hanging the process at exit).

Failures split in two:

- the server is gone or overloaded (connection refused or lost, no answer within `timeout_s`,
  HTTP 429/502/503/504): the call is retried with exponential backoff and `health` says the run
  is paused. With `give_up_s=None` (the default) it waits as long as it takes, so a decision
  is never replaced by a fallback because a server restarted; a finite `give_up_s` turns a
  long outage into a `ModelError`.
- the server answered with an error about this request (other HTTP statuses, a malformed
  answer): `ModelError` at once, counted in `health.failed_calls`, and the mind falls back.

API keys are sent as a header only; the URL is refused if it carries credentials, so nothing
secret ends up in logs, progress bars or saves.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import ipaddress
import re
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from cognition.llm.base import ModelError
from cognition.llm.health import ServerHealth
from cognition.llm.http_limits import (
    MAX_ANSWER_BYTES,
    AnswerRefused,
    capped_async_transport,
    refused_reason,
)
from engine.errors import UserError

T = TypeVar("T")
RETRY_STATUSES = (429, 502, 503, 504)
WHOLE_ANSWER_SLACK_S = 10.0  # past the per-read timeout, for the body to arrive
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$")
_PATH = re.compile(r"^[A-Za-z0-9._~/-]*$")


def normalise_base_url(base_url: str, what: str = "model server") -> str:
    """`scheme://host[:port][/prefix]` without a trailing slash or `/v1`; `UserError` if bad."""
    url = base_url.strip()
    if not url:
        raise UserError(f"{what} URL is empty (e.g. http://127.0.0.1:8080)")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise UserError(f"{what} {url!r}: URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise UserError(f"{what} {url!r}: malformed URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise UserError(f"{what} {url!r}: URL must start with http:// or https://")
    if parts.username is not None or parts.password is not None:
        raise UserError(f"{what}: put no credentials in the URL; set SIMULACRA_API_KEY instead")
    if not host:
        raise UserError(f"{what} {url!r}: URL has no host")
    if "[" in parts.netloc:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise UserError(f"{what} {url!r}: bad IPv6 address {host!r}") from None
    elif not _HOST.match(host):
        raise UserError(f"{what} {url!r}: bad host name {host!r}")
    if port == 0:
        raise UserError(f"{what} {url!r}: bad port")
    if parts.query or parts.fragment or not _PATH.match(parts.path):
        raise UserError(f"{what} {url!r}: unexpected characters after the host")
    path = re.sub(r"/+$", "", parts.path)
    path = re.sub(r"/v1$", "", path)
    return f"{parts.scheme}://{parts.netloc}{path}"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff between retries while a server is unreachable; `give_up_s` None = never."""

    first_s: float = 0.5
    max_s: float = 8.0
    give_up_s: float | None = None


class ServerClient:
    """One server: the async `openai` client, its loop thread, health and retries."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout_s: float = 120.0,
        api_key: str | None = None,
        concurrency: int = 8,
        retry: RetryPolicy = RetryPolicy(),
        slow_after_s: float = 5.0,
    ) -> None:
        self.base_url = normalise_base_url(base_url)
        self.timeout_s = timeout_s
        self.retry = retry
        self.health = ServerHealth(self.base_url, slow_after_s=slow_after_s)
        self._lock = threading.Lock()
        self._futures: set[concurrent.futures.Future] = set()
        self._closed = False
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="model-server", daemon=True
        )
        self._thread.start()
        self._client, self._sem = self._submit(
            _make_client(self.base_url, timeout_s, api_key, concurrency)
        ).result()
        # Mind threads of a thread pool are joined at interpreter exit, before `atexit`
        # handlers run; cancel our waiting calls first so a dead server cannot hang the exit.
        register = getattr(threading, "_register_atexit", None)
        if register is not None:
            register(self.close)

    # ---------------------------------------------------------------------- lifecycle

    def close(self) -> None:
        """Cancel calls still waiting (they raise `ModelError`) and stop the loop thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            pending = list(self._futures)
        for future in pending:
            future.cancel()
        try:
            self._submit(self._client.close()).result(timeout=2)
        except (concurrent.futures.TimeoutError, concurrent.futures.CancelledError):
            pass
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=2)

    def _submit(self, coro: Awaitable[T]) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coro, self._loop)  # type: ignore[arg-type]

    # ---------------------------------------------------------------------- calls

    def call(
        self, make: Callable[[Any], Awaitable[T]], *, retry: bool = True,
        timeout_s: float | None = None,
    ) -> T:  # fmt: skip
        """Run `make(client)` with retries; block until it answers; `ModelError` on failure.

        `retry=False` (pre-flight probes) fails at the first outage instead of waiting it out;
        `timeout_s` is the per-request timeout `make` applies, when not the client's.
        A `KeyboardInterrupt` while waiting cancels the request on the wire.
        """
        with self._lock:
            if self._closed:
                raise ModelError(f"model server {self.base_url}: backend closed")
            future = self._submit(self._with_retries(make, retry, timeout_s or self.timeout_s))
            self._futures.add(future)
        try:
            return future.result()
        except concurrent.futures.CancelledError:
            raise ModelError(f"model server {self.base_url}: call cancelled") from None
        except BaseException:
            future.cancel()
            raise
        finally:
            with self._lock:
                self._futures.discard(future)

    async def _with_retries(
        self, make: Callable[[Any], Awaitable[T]], retry: bool, timeout_s: float
    ) -> T:
        import openai

        delay_s = self.retry.first_s
        while True:
            async with self._sem:
                token = self.health.started()
                try:  # a deadline for the whole answer: a trickle or an endless stream ends
                    result = await asyncio.wait_for(make(self._client),
                                                    timeout_s + WHOLE_ANSWER_SLACK_S)
                except (asyncio.TimeoutError, AnswerRefused):
                    raise self.failure(f"no whole answer within {timeout_s:g} s "
                                       "(the server trickles or never stops)") from None
                except openai.APITimeoutError:
                    reason = f"no answer within {timeout_s:g} s"
                except openai.APIConnectionError as exc:
                    refused = refused_reason(exc)
                    if refused is not None:  # too large or too slow: this call fails, no retry
                        raise self.failure(refused) from None
                    reason = _connection_reason(exc)
                except openai.APIStatusError as exc:
                    if exc.status_code not in RETRY_STATUSES:
                        raise self.failure(f"HTTP {exc.status_code} {_detail(exc)}") from None
                    reason = f"HTTP {exc.status_code}"
                except (openai.OpenAIError, ValueError, TypeError, KeyError) as exc:
                    raise self.failure(f"unexpected answer ({type(exc).__name__})") from None
                else:
                    self.health.answered()
                    return result
                finally:
                    self.health.finished(token)
            if not retry:
                raise ModelError(f"model server {self.base_url}: {_plain(reason)}")
            down_s = self.health.unreachable(reason, delay_s)
            give_up_s = self.retry.give_up_s
            if give_up_s is not None and down_s >= give_up_s:
                raise self.failure(_plain(reason))
            await asyncio.sleep(delay_s)
            delay_s = min(delay_s * 2, self.retry.max_s)

    def failure(self, reason: str) -> ModelError:
        """Count a failed call and return the `ModelError` to raise."""
        self.health.failed(reason)
        return ModelError(f"model server {self.base_url}: {reason}")

    def check(self, timeout_s: float = 5.0) -> list[str]:
        """Model ids the server lists; `UserError` when it cannot be reached within seconds.

        The CLI's pre-flight: a server that accepts connections but never answers is reported
        after `timeout_s`, not after the (long) per-call timeout.
        """
        import openai

        async def models(client: Any) -> list[str]:
            page = await asyncio.wait_for(client.with_options(timeout=timeout_s).models.list(),
                                          timeout_s)  # the whole answer, not each read
            return [str(m.id) for m in page.data][:1000]

        future = self._submit(models(self._client))
        try:
            return future.result(timeout=timeout_s + 2)
        except (asyncio.TimeoutError, concurrent.futures.TimeoutError, openai.APITimeoutError):
            future.cancel()
            reason = f"no answer within {timeout_s:g} s"
        except AnswerRefused as exc:
            reason = str(exc)
        except openai.APIConnectionError as exc:
            reason = refused_reason(exc) or _connection_reason(exc)
        except openai.APIStatusError as exc:
            reason = f"HTTP {exc.status_code} {_detail(exc)}"
        except (openai.OpenAIError, ValueError, TypeError) as exc:
            reason = f"unexpected answer ({type(exc).__name__})"
        raise UserError(f"model server {self.base_url}: unreachable ({reason})")


async def _make_client(base_url: str, timeout_s: float, api_key: str | None, n: int):
    import openai

    httpx_module = _openai_httpx()

    timeout = openai.Timeout(timeout_s, connect=min(5.0, timeout_s))
    http_client = httpx_module.AsyncClient(  # answers capped in size and time; no redirects
        transport=capped_async_transport(httpx_module, MAX_ANSWER_BYTES,
                                         timeout_s + WHOLE_ANSWER_SLACK_S),
        timeout=timeout, follow_redirects=False)
    client = openai.AsyncOpenAI(
        base_url=f"{base_url}/v1",
        api_key=api_key or "not-needed",
        timeout=timeout,
        max_retries=0,  # ours, with a health status, instead of the client's silent ones
        http_client=http_client,
    )
    return client, asyncio.Semaphore(max(1, n))


def _openai_httpx() -> Any:
    """The httpx module the `openai` client is built on (`httpx`, or its own copy `httpx2`)."""
    import openai

    base = next(c for c in openai.DefaultAsyncHttpxClient.__mro__ if c.__name__ == "AsyncClient")
    return sys.modules[base.__module__.split(".")[0]]


def _connection_reason(exc: BaseException) -> str:
    """"connection refused" / "timed out" / "connection lost", from the chain of causes.

    Matched by class name: the `openai` client may bring its own copy of httpx (`httpx2`).
    """
    cause: BaseException | None = exc
    seen = 0
    while cause is not None and seen < 8:
        name = type(cause).__name__
        if name in ("ConnectError", "ConnectionRefusedError"):
            return "connection refused"
        if "Timeout" in name:
            return "timed out"
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return "connection lost"


def _plain(reason: str) -> str:
    return f"timed out ({reason})" if reason.startswith("no answer") else reason


def _detail(exc: Any) -> str:
    try:
        text = exc.response.text
    except Exception:  # noqa: BLE001 - a detail is best effort
        text = str(exc)
    return " ".join(str(text).split())[:200]
