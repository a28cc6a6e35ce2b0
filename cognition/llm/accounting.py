"""Who asked the model what, how much it cost, and how the structured calls turned out.

`AccountedModel` wraps any `LanguageModel` and appends one `CallRecord` per call (failures
included) to a `CallLog`; `CallLog.summary` turns the records into the numbers DESIGN §8 asks for
(calls and tokens per agent per game hour, by purpose; the fraction of wall time the model was
busy comes from `busy_seconds`). `CallStats` counts the outcomes of `structured.ask` and survives
saves through `to_state` / `from_state`.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cognition.llm.base import CapabilityMissing, Completion, LanguageModel, ModelError, Request
from cognition.llm.health import BusyStretches

OUTCOMES = ("ok", "repaired", "fallback", "model_error")


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One model call as accounting sees it."""

    agent: str
    purpose: str
    prompt_id: str
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    ok: bool
    step: int = 0
    cached_tokens: int = 0  # prompt tokens reused from an earlier call, not evaluated

    @property
    def tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True, slots=True)
class Usage:
    """Calls and tokens for one slice of the log (an agent, a purpose, or everything)."""

    calls: int = 0
    failed: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    cached_tokens: int = 0

    @property
    def evaluated_prompt_tokens(self) -> int:
        """Prompt tokens the model actually had to evaluate (not reused from a prefix)."""
        return self.prompt_tokens - self.cached_tokens

    @property
    def tokens(self) -> int:
        """Prompt plus completion tokens."""
        return self.prompt_tokens + self.completion_tokens

    def add(self, record: CallRecord) -> Usage:
        """This usage with one more record counted."""
        return Usage(
            calls=self.calls + 1,
            failed=self.failed + (0 if record.ok else 1),
            prompt_tokens=self.prompt_tokens + record.prompt_tokens,
            completion_tokens=self.completion_tokens + record.completion_tokens,
            latency_s=self.latency_s + record.latency_s,
            cached_tokens=self.cached_tokens + record.cached_tokens,
        )


@dataclass(frozen=True, slots=True)
class CallSummary:
    """Model use over a run, normalised per agent per game hour.

    `calls_per_agent_hour` and `tokens_per_agent_hour` divide the totals by
    `len(agents) * game_hours`; `per_agent` and `by_purpose` hold raw totals.
    """

    game_hours: float
    agents: tuple[str, ...]
    total: Usage
    per_agent: dict[str, Usage] = field(default_factory=dict)
    by_purpose: dict[str, Usage] = field(default_factory=dict)

    @property
    def agent_hours(self) -> float:
        """Agents times game hours (0 when either is 0)."""
        return len(self.agents) * self.game_hours

    @property
    def calls_per_agent_hour(self) -> float:
        """Mean model calls per agent per game hour."""
        return self.total.calls / self.agent_hours if self.agent_hours else 0.0

    @property
    def tokens_per_agent_hour(self) -> float:
        """Mean prompt+completion tokens per agent per game hour."""
        return self.total.tokens / self.agent_hours if self.agent_hours else 0.0


@dataclass(frozen=True, slots=True)
class InFlight:
    """A call asked for and not yet answered (queued on the model or running)."""

    agent: str
    purpose: str
    started_s: float  # on the AccountedModel's clock (perf_counter by default)


class CallLog:
    """A thread-safe, append-only list of `CallRecord`s, plus the calls still in flight."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[CallRecord] = []
        self._calls = 0
        self._tokens = 0
        self._in_flight: dict[int, InFlight] = {}
        self._next_ticket = 0
        self._progress: list[Callable[[], int]] = []
        self._busy = BusyStretches()

    def begin(self, request: Request, started_s: float) -> int:
        """Note a call that has started; returns the ticket `end` takes."""
        with self._lock:
            self._next_ticket += 1
            if not self._in_flight:
                self._busy.opened(started_s)
            self._in_flight[self._next_ticket] = InFlight(request.agent, request.purpose,
                                                          started_s)
            return self._next_ticket

    def end(self, ticket: int, ended_s: float) -> None:
        """The call with this ticket came back at `ended_s` (the clock `begin` was given)."""
        with self._lock:
            self._in_flight.pop(ticket, None)
            if not self._in_flight:
                self._busy.closed(ended_s)

    def any_busy_seconds(self, now_s: float | None = None) -> float:
        """Seconds during which at least one call was in flight (on any context of a pool:
        a call waits in a pool's queue only while every context is busy). `now_s` counts a
        stretch still running; without it only finished stretches count."""
        with self._lock:
            return self._busy.seconds(now_s)

    def in_flight(self) -> tuple[InFlight, ...]:
        """Calls asked for and not yet answered, oldest first: for live displays."""
        with self._lock:
            return tuple(sorted(self._in_flight.values(), key=lambda c: c.started_s))

    def add_progress(self, tokens_now: Callable[[], int]) -> None:
        """A backend's count of tokens generated by its call in progress (llama.cpp)."""
        self._progress.append(tokens_now)

    def live_totals(self) -> tuple[int, int]:
        """`totals()` with the tokens generated so far by calls still running added, where
        the backend can tell: a tokens/s that does not read 0 through a long call."""
        calls, tokens = self.totals()
        return calls, tokens + sum(tokens_now() for tokens_now in self._progress)

    def record(self, record: CallRecord) -> None:
        """Append one record."""
        with self._lock:
            self._records.append(record)
            self._calls += 1
            self._tokens += record.tokens

    def totals(self) -> tuple[int, int]:
        """(calls, tokens) so far, in O(1): for live displays."""
        with self._lock:
            return self._calls, self._tokens

    def records(self) -> list[CallRecord]:
        """A copy of every record so far, in call order."""
        with self._lock:
            return list(self._records)

    def busy_seconds(self) -> float:
        """Wall seconds the model spent answering (sum of latencies)."""
        return sum(r.latency_s for r in self.records())

    def summary(self, game_hours: float, agents: list[str]) -> CallSummary:
        """Totals per agent and per purpose; calls not made for an agent count under ""."""
        total = Usage()
        per_agent: dict[str, Usage] = {name: Usage() for name in agents}
        by_purpose: dict[str, Usage] = {}
        for rec in self.records():
            total = total.add(rec)
            per_agent[rec.agent] = per_agent.get(rec.agent, Usage()).add(rec)
            by_purpose[rec.purpose] = by_purpose.get(rec.purpose, Usage()).add(rec)
        return CallSummary(
            game_hours=game_hours,
            agents=tuple(agents),
            total=total,
            per_agent=per_agent,
            by_purpose=dict(sorted(by_purpose.items())),
        )


class AccountedModel:
    """A `LanguageModel` that records every call of the model it wraps, failures included.

    `clock` measures latency (wall seconds); it is injectable so tests can fake it.
    """

    def __init__(
        self,
        inner: LanguageModel,
        log: CallLog,
        *,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.inner = inner
        self.log = log
        self.name = inner.name
        self._clock = clock
        tokens_now = getattr(inner, "tokens_in_progress", None)
        if callable(tokens_now):
            log.add_progress(tokens_now)

    def complete(self, request: Request) -> Completion:
        """Delegate, then record the call; a `ModelError` is recorded and re-raised."""
        started = self._clock()
        ticket = self.log.begin(request, started)
        try:
            completion = self.inner.complete(request)
        except ModelError:
            self.log.record(_record(request, 0, 0, self._clock() - started, ok=False))
            raise
        finally:
            self.log.end(ticket, self._clock())
        self.log.record(
            _record(
                request,
                completion.prompt_tokens,
                completion.completion_tokens,
                completion.latency_s,
                ok=True,
                cached=completion.cached_tokens,
            )
        )
        return completion

    @property
    def scores_options(self) -> bool:
        """Whether the wrapped model scores options (`cognition.llm.options`)."""
        from cognition.llm.options import option_scorer

        return option_scorer(self.inner) is not None

    def option_probs(self, request: Request, options: Any) -> Any:
        """Delegate an option-scoring pass and record it as a call with no completion tokens."""
        started = self._clock()
        ticket = self.log.begin(request, started)
        try:
            answer = self.inner.option_probs(request, options)  # type: ignore[attr-defined]
        except CapabilityMissing:
            raise  # not a failed call: the capability is simply not there
        except ModelError:
            self.log.record(_record(request, 0, 0, self._clock() - started, ok=False))
            raise
        finally:
            self.log.end(ticket, self._clock())
        self.log.record(_record(request, answer.prompt_tokens, 0, answer.latency_s, ok=True,
                                cached=answer.cached_tokens))
        return answer


def _record(
    request: Request, prompt: int, completion: int, latency_s: float, ok: bool, cached: int = 0
) -> CallRecord:
    return CallRecord(
        agent=request.agent,
        purpose=request.purpose,
        prompt_id=request.prompt_id,
        prompt_tokens=prompt,
        completion_tokens=completion,
        latency_s=latency_s,
        ok=ok,
        step=request.step,
        cached_tokens=cached,
    )


class CallStats:
    """Thread-safe counts of structured-call outcomes, overall and per purpose.

    Outcomes: "ok" (valid first time), "repaired" (needed cleanup, a parser repair or the retry),
    "fallback" (invalid output, the fallback was used), "model_error" (the model failed, the
    fallback was used).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._by_purpose: dict[str, Counter[str]] = {}

    def count(self, outcome: str, purpose: str = "") -> None:
        """Count one outcome (one of `OUTCOMES`)."""
        if outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {outcome!r}")
        with self._lock:
            self._counts[outcome] += 1
            self._by_purpose.setdefault(purpose, Counter())[outcome] += 1

    def counts(self) -> dict[str, int]:
        """Overall counts, every outcome present."""
        with self._lock:
            return {o: self._counts[o] for o in OUTCOMES}

    def by_purpose(self) -> dict[str, dict[str, int]]:
        """Counts per purpose (only outcomes that happened)."""
        with self._lock:
            return {p: dict(c) for p, c in sorted(self._by_purpose.items())}

    @property
    def failures(self) -> int:
        """Calls that ended in a fallback, for whatever reason."""
        c = self.counts()
        return c["fallback"] + c["model_error"]

    def to_state(self) -> dict[str, Any]:
        """JSON-friendly state."""
        return {"counts": self.counts(), "by_purpose": self.by_purpose()}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> CallStats:
        """Rebuild from `to_state` output."""
        stats = cls()
        stats._counts.update({o: int(n) for o, n in state.get("counts", {}).items()})
        for purpose, counts in state.get("by_purpose", {}).items():
            stats._by_purpose[purpose] = Counter({o: int(n) for o, n in counts.items()})
        return stats
