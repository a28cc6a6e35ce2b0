"""Work the frame loop hands off: disk writes and reads, and reading minds for the inspector.

Everything here runs on worker threads and reports back through `poll()` on the main thread,
so the frame loop never waits on a disk or on a mind's lock (a generative mind holds its lock
while it thinks, so `inspect()` can take seconds).
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

INSPECT_EVERY_S = 0.5


class Jobs:
    """A single disk worker (saves stay in order) with results collected on the main thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="disk")
        self._done: queue.Queue[tuple[Callable[[Any, BaseException | None], None], Future]] = \
            queue.Queue()
        self.in_flight = 0

    def submit(self, fn: Callable[..., Any], on_done: Callable[[Any, BaseException | None], None],
               *args: Any) -> None:
        self.in_flight += 1
        future = self._pool.submit(fn, *args)
        future.add_done_callback(lambda f: self._done.put((on_done, f)))

    def poll(self) -> None:
        """Run the callbacks of finished jobs (main thread)."""
        while True:
            try:
                on_done, future = self._done.get_nowait()
            except queue.Empty:
                return
            self.in_flight -= 1
            error = future.exception()
            on_done(None if error else future.result(), error)

    def wait(self, timeout_s: float = 30.0) -> None:
        """Block until every job is done (only at exit and in tests)."""
        deadline = time.monotonic() + timeout_s
        while self.in_flight and time.monotonic() < deadline:
            self.poll()
            time.sleep(0.01)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)


class InspectFetcher:
    """Keeps a recent `mind.inspect()` of the selected agent, fetched off the main thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="inspect")
        self._future: Future | None = None
        self._future_agent: str | None = None
        self.agent: str | None = None
        self.data: dict[str, Any] = {}
        self.version = 0
        self._last_s = -1e9

    def update(self, agent: str | None, minds: dict, now_s: float, force: bool = False) -> None:
        if self._future is not None and self._future.done():
            if self._future_agent == agent:
                try:
                    self.data = self._future.result() or {}
                except Exception as exc:  # a broken inspect must not break the panel
                    self.data = {"error": f"{type(exc).__name__}: {exc}"}
                self.agent = agent
                self.version += 1
            self._future = None
        if agent is None or agent not in minds:
            return
        if agent != self.agent and self._future_agent != agent:
            force = True
        due = force or now_s - self._last_s >= INSPECT_EVERY_S
        if due and self._future is None:
            self._last_s = now_s
            self._future_agent = agent
            self._future = self._pool.submit(minds[agent].inspect)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
