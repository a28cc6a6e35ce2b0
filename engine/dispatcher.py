"""Where minds think: inline on the calling thread, or concurrently on a thread pool.

The simulation submits one job per agent that must decide and only reads results once every
job of the step is done, so the outcome is the same with either dispatcher.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Protocol


class Dispatcher(Protocol):
    """Runs decision jobs and hands back futures."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        ...

    def shutdown(self) -> None:
        ...


class InlineDispatcher:
    """Runs each job immediately on the caller's thread (tests, benchmarks, cheap minds)."""

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args))
        except BaseException as exc:  # the simulation decides what a failed job means
            future.set_exception(exc)
        return future

    def shutdown(self) -> None:
        return None


class ThreadPoolDispatcher:
    """Runs jobs on a pool of worker threads so the caller never waits on a mind."""

    def __init__(self, workers: int = 4):
        self.workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mind")

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def make_dispatcher(workers: int) -> Dispatcher:
    """0 workers means inline."""
    return InlineDispatcher() if workers <= 0 else ThreadPoolDispatcher(workers)
