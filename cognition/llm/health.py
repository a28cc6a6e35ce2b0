"""How a model server is doing, for the progress bar, the HUD and the end-of-run summary.

`ServerHealth` is updated by the HTTP backends (thread-safe) and read by anyone: `status()`
returns a frozen `ServerStatus` whose `message` is empty while all is well and one short line
when the server is slow ("model server slow: no answer for 12 s, 3 calls waiting") or gone
("model server unreachable (connection refused) for 40 s: run paused, retrying every 8 s").
While it is gone, calls are retried rather than failed, so the lockstep clock simply waits for
the decisions that are due and the run pauses; it resumes by itself when the server is back.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

OK, SLOW, DOWN = "ok", "slow", "down"


@dataclass(frozen=True, slots=True)
class ServerStatus:
    """A snapshot of a server's health. `message` is "" when there is nothing to say."""

    state: str  # "ok" | "slow" | "down"
    message: str
    short: str  # for a narrow HUD field: "server down 40 s · paused", "server slow 12 s"
    in_flight: int
    oldest_wait_s: float
    failed_calls: int
    retries: int
    last_error: str


class BusyStretches:
    """Seconds during which at least one call was in flight, from the moments the in-flight
    set becomes non-empty (`opened`) and empty again (`closed`). Not locked: its owner's lock
    covers it."""

    def __init__(self) -> None:
        self._since: float | None = None
        self._total_s = 0.0

    def opened(self, now: float) -> None:
        self._since = now

    def closed(self, now: float) -> None:
        if self._since is not None:
            self._total_s += max(0.0, now - self._since)
            self._since = None

    def seconds(self, now: float | None = None) -> float:
        """Finished stretches, plus the running one up to `now` when given."""
        if self._since is None or now is None:
            return self._total_s
        return self._total_s + max(0.0, now - self._since)


class ServerHealth:
    """Counts in-flight calls, outages, retries and failures of one server.

    `slow_after_s`: a call unanswered for this long makes the state "slow". `clock` is
    injectable for tests (monotonic seconds).
    """

    def __init__(
        self,
        label: str,
        *,
        slow_after_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.slow_after_s = slow_after_s
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens = itertools.count()
        self._in_flight: dict[int, float] = {}
        self._down_since: float | None = None
        self._down_reason = ""
        self._retry_in_s = 0.0
        self._busy = BusyStretches()
        self.failed_calls = 0
        self.retries = 0
        self.outages = 0
        self.last_error = ""

    def started(self) -> int:
        """A call went out; returns a token for `finished`."""
        with self._lock:
            token = next(self._tokens)
            now = self._clock()
            if not self._in_flight:
                self._busy.opened(now)
            self._in_flight[token] = now
            return token

    def finished(self, token: int) -> None:
        """The call with this token came back (answered or not)."""
        with self._lock:
            self._in_flight.pop(token, None)
            if not self._in_flight:
                self._busy.closed(self._clock())

    def busy_seconds(self) -> float:
        """Seconds during which at least one call was on the wire (the server was busy)."""
        with self._lock:
            return self._busy.seconds(self._clock())

    def answered(self) -> None:
        """The server answered a call: any outage is over."""
        with self._lock:
            self._down_since = None
            self._down_reason = ""

    def unreachable(self, reason: str, retry_in_s: float) -> float:
        """The server could not be reached; returns seconds since the outage began."""
        with self._lock:
            now = self._clock()
            if self._down_since is None:
                self._down_since = now
                self.outages += 1
            self._down_reason = reason
            self._retry_in_s = retry_in_s
            self.retries += 1
            self.last_error = reason
            return now - self._down_since

    def failed(self, reason: str) -> None:
        """A call failed for good (the mind falls back); counted and shown."""
        with self._lock:
            self.failed_calls += 1
            self.last_error = reason

    def status(self) -> ServerStatus:
        """The current state and a one-line message ("" when all is well)."""
        with self._lock:
            now = self._clock()
            oldest = max((now - t for t in self._in_flight.values()), default=0.0)
            waiting = len(self._in_flight)
            if self._down_since is not None:
                state = DOWN
                message = (
                    f"model server {self.label} unreachable ({self._down_reason}) for "
                    f"{now - self._down_since:.0f} s: run paused, retrying every "
                    f"{self._retry_in_s:g} s"
                )
            elif waiting and oldest >= self.slow_after_s:
                state = SLOW
                message = (
                    f"model server {self.label} slow: no answer for {oldest:.0f} s, "
                    f"{waiting} call{'s' if waiting != 1 else ''} waiting"
                )
            else:
                state, message = OK, ""
            if state == DOWN:
                short = f"server down {now - (self._down_since or now):.0f} s · paused"
            else:
                short = f"server slow {oldest:.0f} s" if state == SLOW else ""
            return ServerStatus(
                state=state,
                message=message,
                short=short,
                in_flight=waiting,
                oldest_wait_s=oldest,
                failed_calls=self.failed_calls,
                retries=self.retries,
                last_error=self.last_error,
            )


class StatusTicker:
    """Calls `show(message)` about every `interval_s` from a daemon thread until stopped.

    The headless run uses it to put a server's status into the progress bar while the run is
    paused waiting for decisions (the main thread is blocked then, so it cannot do it itself).
    """

    def __init__(
        self, read: Callable[[], str], show: Callable[[str], None], interval_s: float = 1.0
    ) -> None:
        self._read = read
        self._show = show
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="status", daemon=True)
        self._last = ""

    def __enter__(self) -> StatusTicker:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=2)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval_s):
            message = self._read()
            if message or self._last:
                self._show(message)
            self._last = message
