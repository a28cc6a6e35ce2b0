"""The engine's knobs: one frozen value each, passed through constructors."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from engine.agent_api import MAX_CONVERSATION_LINES, Reason


@dataclass(frozen=True, slots=True)
class DecisionLatency:
    """Game steps from asking a decision to applying it, by reason.

    A percept with several reasons is due after the largest of their latencies: the slowest
    thinking it asks for (a first plan seen together with a passer-by is still a plan). One
    step is 10 game seconds by default: a day plan (START) may take 15 game minutes while the
    agent follows its routine; a conversation line is due three steps (30 game seconds, the time
    to say a line of a hundred characters or so) after it is asked. The original gave a
    conversation ceil(characters / 240) game minutes, about 25 s a line; at one step a line, five
    conversations at lunch made every step of the town wait for five model calls.
    """

    start: int = 90
    action_done: int = 12
    perceived: int = 3
    conversation_turn: int = 3
    conversation_ended: int = 6

    def steps_for(self, reasons: tuple[Reason, ...]) -> int:
        table = {
            Reason.START: self.start, Reason.ACTION_DONE: self.action_done,
            Reason.PERCEIVED: self.perceived, Reason.CONVERSATION_TURN: self.conversation_turn,
            Reason.CONVERSATION_ENDED: self.conversation_ended, Reason.USER: 0,
        }  # fmt: skip
        return max((table[r] for r in reasons), default=0)

    @classmethod
    def none(cls) -> DecisionLatency:
        """Every decision applied at the step it was asked (the clock waits for each)."""
        return cls(0, 0, 0, 0, 0)


class ClockMode(enum.StrEnum):
    """How the clock treats a decision that is due but not in yet (engine/README.md).

    LOCKSTEP: the step waits for it (a run depends only on seed, minds and inputs).
    LIVE: the step goes on; the agent carries on (shown thinking) and the decision is applied
    at the first step it is in, recorded as landed there (`StepRecord.landed`).
    """

    LOCKSTEP = "lockstep"
    LIVE = "live"


@dataclass(frozen=True, slots=True)
class SimSettings:
    """Engine knobs. `autosave_every_min` 0 disables autosave."""

    max_conversation_lines: int = MAX_CONVERSATION_LINES
    autosave_every_min: int = 0
    talk_radius: int = 8
    look_around_min: int = 30  # a free agent with someone in view looks around this often (0: never)
    routes_per_step: int = 2
    decision_latency_steps: DecisionLatency = DecisionLatency()
    clock: ClockMode = ClockMode.LOCKSTEP
