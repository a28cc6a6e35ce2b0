"""Tunable numbers of the generative mind, in one frozen value passed through constructors.

Defaults follow the paper and the original code where those are sensible (k, cooldown 800 steps,
8 conversation lines, 3 focal questions, 5 insights) and are tightened where the original's call
pattern was wasteful (one batched importance call, a reaction cooldown, a decomposition window).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cognition.memory.retrieval import RetrievalWeights
from engine.agent_api import MAX_CONVERSATION_LINES


def _default_max_tokens() -> dict[str, int]:
    return {
        "importance": 96,  # 12 level names ("life-changing" is 5 tokens)
        "plan.day": 480,
        "plan.decompose": 160,
        "react": 64,
        "dialogue.turn": 96,
        "dialogue.summary": 160,
        "reflect.questions": 96,
        "reflect.insights": 320,
        "interview": 160,
    }


@dataclass(frozen=True, slots=True)
class GenerativeSettings:
    """Everything the generative mind lets you tune; see the module docstring."""

    retrieval_k: int = 8
    plan_retrieval_k: int = 6
    weights: RetrievalWeights = field(default_factory=RetrievalWeights)
    chat_cooldown_steps: int = 800  # original: the same pair waits 800 steps before chatting again
    react_cooldown_steps: int = 360  # after a "wait"/"continue", ask about that person again in 1 h
    # After any conversation an agent neither starts another nor is asked to join one for this
    # long (30 game minutes). Without it, a crowded cafe chained talks: in a 25-agent day the
    # median gap between one agent's conversations was 9 game minutes (16 talks each in 10
    # hours). A whole hour (the value before agents looked around every 30 minutes) left three
    # people who lunched together at one table with nothing to say to each other afterwards.
    social_cooldown_steps: int = 180
    max_conversation_lines: int = MAX_CONVERSATION_LINES  # the engine's cap, one constant
    reflection_questions: int = 3
    insights_per_reflection: int = 5
    reflection_recent: int = 100  # the paper asks questions about the 100 most recent records
    reflection_statements: int = 15  # of those, the most important fit into a tiny prompt
    reflection_retrieve_k: int = 5
    # A reflection that stored no insight (every answer refused) keeps this share of the
    # importance it was triggered by: it tries again sooner, at most twice as often as one
    # that reflected, instead of spending a whole threshold on nothing.
    reflection_keep_unreflected: float = 0.5
    # A day with no reflection by this hour gets one (`reflection.daily_due`); None: the
    # paper's importance threshold only.
    daily_reflection_hour: int | None = 20
    decompose_window_min: int = 60  # decompose at most this much of a block per call
    min_subtask_min: int = 5
    max_subtask_min: int = 60
    max_subtasks: int = 5  # steps per decomposition (the window is an hour at most)
    decompose_probe: int = 1  # decompositions asked before their usefulness decides
    decompose_min_useful: float = 0.5  # keep asking while this share of them was useful
    wait_minutes: int = 5
    replan_minutes: int = 15  # seeing to an observed event (reacting.py)
    react_event_importance: int = 7  # an object's event rated this high may be reacted to
    max_places: int = 24  # location enum size; keeps the grammar and the prompt short
    memory_chars: int = 200  # a memory is cut to this many characters inside a prompt
    importance_cache_size: int = 4000
    importance_batch: int = 8  # unscored sightings that make a deferred batch worth a call
    # A refused importance answer goes to the fail-safe at once: measured on SmolLM2-135M, the
    # retry walked the listing again in 14 of 17 calls (a third more importance calls for 3).
    importance_retries: int = 0
    # Check each loaded model's importance ratings on the built-in calibration set and use a
    # transparent keyword scorer where it fails (`importance.py`); a generating model refused
    # in more than `importance_max_failsafe` of its first ratings is switched to the keywords.
    importance_check: bool = True
    importance_max_failsafe: float = 0.1
    temperature: float = 0.2
    # Interview replies: a capable model writes them from its notes; a small one (the bundled
    # model) chooses which offered sentence answers (cognition/generative/answering.py).
    interview_free: bool = False
    max_tokens: dict[str, int] = field(default_factory=_default_max_tokens)

    def tokens_for(self, purpose: str) -> int:
        """Completion budget for a purpose (longest matching prefix; 128 when none matches)."""
        best = ""
        for key in self.max_tokens:
            if purpose.startswith(key) and len(key) > len(best):
                best = key
        return self.max_tokens.get(best, 128)
