"""Limits on what a server may send back: a size cap and a deadline for the whole answer.

A timeout on each read (what httpx offers) does not bound a server that trickles one byte every
two seconds, nor one that streams forever. These transports wrap httpx's (the `openai` client's
copy, `httpx2`, and Chroma's `httpx`): the body of every answer is counted as it arrives and cut
off past `max_bytes` or past `deadline_s` from the request (`AnswerRefused`), and redirects are
not followed by the clients built on them. The whole-call deadline (headers included) is
enforced by the caller (`asyncio.wait_for` in `server_client`).
"""

from __future__ import annotations

import time
from typing import Any

MAX_ANSWER_BYTES = 32 * 1024 * 1024  # an embeddings batch of 1,000 texts is ~10 MB of JSON


class AnswerRefused(Exception):
    """The server's answer broke a limit (too large, or not finished in time)."""


def _check(total: int, max_bytes: int, started: float, deadline_s: float) -> None:
    if total > max_bytes:
        raise AnswerRefused(f"answer larger than {max_bytes // (1024 * 1024)} MiB")
    if time.monotonic() - started > deadline_s:
        raise AnswerRefused(f"answer not complete within {deadline_s:g} s")


def capped_async_transport(httpx_module: Any, max_bytes: int, deadline_s: float):
    """An `AsyncBaseTransport` of `httpx_module` (httpx or httpx2) with the limits above."""

    class CappedStream(httpx_module.AsyncByteStream):
        def __init__(self, inner: Any, started: float) -> None:
            self.inner, self.started = inner, started

        async def __aiter__(self):
            total = 0
            async for chunk in self.inner:
                total += len(chunk)
                _check(total, max_bytes, self.started, deadline_s)
                yield chunk

        async def aclose(self) -> None:
            await self.inner.aclose()

    class CappedTransport(httpx_module.AsyncBaseTransport):
        def __init__(self) -> None:
            self.inner = httpx_module.AsyncHTTPTransport()

        async def handle_async_request(self, request: Any) -> Any:
            started = time.monotonic()
            response = await self.inner.handle_async_request(request)
            return httpx_module.Response(
                status_code=response.status_code, headers=response.headers,
                stream=CappedStream(response.stream, started), extensions=response.extensions,
                request=request)

        async def aclose(self) -> None:
            await self.inner.aclose()

    return CappedTransport()


def capped_sync_transport(httpx_module: Any, max_bytes: int, deadline_s: float):
    """A `BaseTransport` of `httpx_module` with the limits above (Chroma's client)."""

    class CappedStream(httpx_module.SyncByteStream):
        def __init__(self, inner: Any, started: float) -> None:
            self.inner, self.started = inner, started

        def __iter__(self):
            total = 0
            for chunk in self.inner:
                total += len(chunk)
                _check(total, max_bytes, self.started, deadline_s)
                yield chunk

        def close(self) -> None:
            self.inner.close()

    class CappedTransport(httpx_module.BaseTransport):
        def __init__(self) -> None:
            self.inner = httpx_module.HTTPTransport()

        def handle_request(self, request: Any) -> Any:
            started = time.monotonic()
            response = self.inner.handle_request(request)
            return httpx_module.Response(
                status_code=response.status_code, headers=response.headers,
                stream=CappedStream(response.stream, started), extensions=response.extensions,
                request=request)

        def close(self) -> None:
            self.inner.close()

    return CappedTransport()


def refused_reason(exc: BaseException) -> str | None:
    """The `AnswerRefused` reason somewhere in `exc`'s chain of causes, else None."""
    cause: BaseException | None = exc
    for _ in range(10):
        if cause is None:
            return None
        if isinstance(cause, AnswerRefused):
            return str(cause)
        cause = cause.__cause__ or cause.__context__
    return None
