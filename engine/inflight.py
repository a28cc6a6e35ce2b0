"""Decisions asked for and not yet applied: when each was asked, when it is due, its future.

A decision asked at step N is due at step N + d, d fixed by game time (`DecisionLatency` in
engine/settings.py, by the reasons it was asked for), never by when the mind answered. The
simulation applies the decisions due at a step, sorted by agent, once all of them are in;
decisions due later may still be thinking. `to_state` needs every future done (callers wait first): a decision
computed but not yet due is saved with its result, so a loaded run applies it at the same step.
"""

from __future__ import annotations

import time
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any

from engine.agent_api import Action, Decision, Reason


@dataclass(frozen=True, slots=True)
class Asked:
    """One decision asked for: by whom, when, when it is due, and why."""

    agent: str
    asked_step: int
    due_step: int
    reasons: tuple[Reason, ...]
    conversation_id: int | None = None  # the conversation the percept showed, if any
    interim: Action | None = None  # the interim action started when asking, if any

    def to_state(self) -> dict[str, Any]:
        return {
            "agent": self.agent, "asked_step": self.asked_step, "due_step": self.due_step,
            "reasons": [r.value for r in self.reasons], "conversation_id": self.conversation_id,
            "interim": self.interim.to_state() if self.interim else None,
        }  # fmt: skip

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Asked:
        interim, conversation = state.get("interim"), state.get("conversation_id")
        if not isinstance(state["agent"], str):
            raise ValueError("an in-flight decision's agent must be a name")
        if conversation is not None and (type(conversation) is not int):
            raise ValueError("an in-flight decision's conversation_id must be a whole number")
        return cls(
            state["agent"], int(state["asked_step"]), int(state["due_step"]),
            tuple(Reason(r) for r in state["reasons"]), conversation,
            Action.from_state(interim) if interim else None,
        )  # fmt: skip


def outcome(name: str, future: Future) -> tuple[Decision, str]:
    """The decision of a finished future, or an empty one and an error line if the mind failed."""
    try:
        return future.result(), ""
    except RestoredFailure as exc:
        return Decision(), str(exc)
    except Exception as exc:  # a mind bug must not stop the town
        return Decision(), f"{name}: {type(exc).__name__}: {exc}"


class InFlight:
    """The outstanding decisions, at most one per agent."""

    def __init__(self) -> None:
        self._jobs: dict[str, tuple[Asked, Future]] = {}

    def __contains__(self, name: str) -> bool:
        return name in self._jobs

    def add(self, asked: Asked, future: Future) -> None:
        assert asked.agent not in self._jobs, f"{asked.agent} is already deciding"
        self._jobs[asked.agent] = (asked, future)

    def future(self, name: str) -> Future | None:
        job = self._jobs.get(name)
        return job[1] if job else None

    def asked(self, name: str) -> Asked | None:
        job = self._jobs.get(name)
        return job[0] if job else None

    def due(self, step: int) -> list[str]:
        """Agents whose decision is due at (or before) `step`, sorted by name."""
        return sorted(n for n, (a, _) in self._jobs.items() if a.due_step <= step)

    def landed(self, step: int) -> list[str]:
        """Agents whose decision is due at (or before) `step` and computed, sorted by name."""
        return [n for n in self.due(step) if self._jobs[n][1].done()]

    def ready(self, step: int) -> bool:
        return all(self._jobs[n][1].done() for n in self.due(step))

    def blocking(self, step: int) -> list[Future]:
        """Futures due at `step` that are not in yet: what the clock waits for."""
        return [f for n in self.due(step) if not (f := self._jobs[n][1]).done()]

    def take(self, name: str) -> tuple[Asked, Decision, str]:
        asked, future = self._jobs.pop(name)
        decision, error = outcome(name, future)
        return asked, decision, error

    def outstanding(self) -> list[str]:
        return sorted(self._jobs)

    def not_done(self) -> list[str]:
        return sorted(n for n, (_, f) in self._jobs.items() if not f.done())

    def thinking_about(self, reason: Reason) -> set[str]:
        """Agents still computing a decision asked for this reason."""
        return {n for n, (a, f) in self._jobs.items() if reason in a.reasons and not f.done()}

    def pending_futures(self) -> list[Future]:
        return [f for _, f in self._jobs.values() if not f.done()]

    def all_done(self) -> bool:
        return all(f.done() for _, f in self._jobs.values())

    def wait_all(self, timeout_s: float | None = None) -> bool:
        """Wait until every outstanding decision is computed (not applied)."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while not self.all_done():
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                return False
            wait(self.pending_futures(), timeout=left, return_when=FIRST_COMPLETED)
        return True

    def to_state(self) -> list[dict[str, Any]]:
        if not self.all_done():
            raise RuntimeError("decisions are still being computed; wait_all() first")
        saved = []
        for name in sorted(self._jobs):
            asked, future = self._jobs[name]
            decision, error = outcome(name, future)
            saved.append({"asked": asked.to_state(), "decision": decision.to_state(),
                          "error": error})
        return saved

    @classmethod
    def from_state(cls, state: list[dict[str, Any]], agents: frozenset[str] | None = None
                   ) -> InFlight:  # fmt: skip
        """The saved decisions; `ValueError` for one of an agent not in `agents` or twice."""
        flight = cls()
        for item in state:
            asked = Asked.from_state(item["asked"])
            if agents is not None and asked.agent not in agents:
                raise ValueError(f"an in-flight decision names {asked.agent!r}, not in the town")
            if asked.agent in flight:
                raise ValueError(f"two in-flight decisions for {asked.agent!r}")
            future: Future = Future()
            if item.get("error"):
                future.set_exception(RestoredFailure(item["error"]))
            else:
                future.set_result(Decision.from_state(item["decision"]))
            flight.add(asked, future)
        return flight


class RestoredFailure(Exception):
    """A mind failure saved before a load; keeps the original error line."""

    def __str__(self) -> str:
        return str(self.args[0])
