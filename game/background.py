"""Work the frame loop hands off: disk writes and reads.

Everything here runs on a worker thread and reports back through `poll()` on the main thread,
so the frame loop never waits on a disk. (Minds are never read by the window: what it shows of
them comes from the snapshots in the step records, `game.mind_book`.)
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

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
