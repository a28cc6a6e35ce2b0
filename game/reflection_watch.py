"""Notices new reflections for the event feed: every agent's `mind.inspect()` is read in turn
on a worker thread (one agent every `EVERY_S`), and reflections not seen before are reported.

Reflections are cognition's, not the engine's, so they are not in the step records; this is how
the live window learns about them without ever waiting on a mind (a mind thinking holds its
lock; the worker waits, the frame does not). The first read of each agent only learns what is
there already.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

EVERY_S = 0.7


class ReflectionWatch:
    def __init__(self, minds: dict, order: list[str]):
        self.minds = minds
        self.order = list(order)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reflections")
        self._future: Future | None = None
        self._agent = ""
        self._index = 0
        self._last_s = -1e9
        self._known: dict[str, set[str]] = {}

    def poll(self, now_s: float) -> list[tuple[str, str]]:
        """(agent, reflection) pairs found since the last call (main thread, never blocks)."""
        found: list[tuple[str, str]] = []
        if self._future is not None and self._future.done():
            try:
                data = self._future.result() or {}
            except Exception:  # a broken inspect only costs the feed a line
                data = {}
            texts = {str(r) for r in data.get("reflections") or ()}
            known = self._known.get(self._agent)
            if known is not None:
                found = [(self._agent, t) for t in sorted(texts - known)]
            self._known[self._agent] = (known or set()) | texts
            self._future = None
        if self._future is None and self.order and now_s - self._last_s >= EVERY_S:
            self._last_s = now_s
            self._agent = self.order[self._index % len(self.order)]
            self._index += 1
            mind = self.minds.get(self._agent)
            if mind is not None:
                self._future = self._pool.submit(mind.inspect)
        return found

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
