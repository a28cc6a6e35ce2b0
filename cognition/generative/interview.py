"""The user's side: interviews answered in character from retrieved memories, and whispers
(single thoughts or a history file's statements) planted as thought memories."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from cognition.generative.common import clock_text, first_name, identity, memory_lines, third_person
from cognition.generative.perceive import score_importance
from cognition.generative.prompts import social as prompts
from cognition.memory.node import NodeKind

if TYPE_CHECKING:
    from cognition.generative.mind import GenerativeMind

USER = "the user"
INTERVIEW_IMPORTANCE = 3
INTERVIEW_K = 10


def interview(mind: GenerativeMind, question: str, now: datetime, step: int) -> str:
    """Answer `question` in character, grounded in retrieved memories; remember the exchange."""
    question = " ".join(question.split())[:300]
    memories = mind.memory.retrieve([question], now, INTERVIEW_K)
    action = mind.state.action
    reply, _ = mind.caller.ask(
        prompts.INTERVIEW,
        step,
        prompts.fallback_interview,
        identity=identity(mind.persona),
        time=clock_text(now),
        first=first_name(mind.name),
        activity=action.description if action else "going about the day",
        memories=memory_lines(memories, mind.settings.memory_chars, INTERVIEW_K),
        question=question.replace('"', "'"),
    )
    description = f'{USER} asked {mind.name} "{question}"; {first_name(mind.name)} said "{reply}"'
    mind.memory.add(
        NodeKind.CHAT, description[:400], now, INTERVIEW_IMPORTANCE,
        triple=(mind.name, "chat with", USER), keywords=(USER, "interview"),
        filling=[(USER, question), (mind.name, reply)],
    )  # fmt: skip
    return reply


def whisper(mind: GenerativeMind, statements: list[str], now: datetime, step: int) -> list[str]:
    """Store each statement (second person allowed) as a thought; one batched importance call."""
    thoughts = [third_person(s, mind.name) for s in statements if s.strip()]
    if not thoughts:
        return []
    scores = score_importance(mind, thoughts, step)
    for text, importance in zip(thoughts, scores):
        mind.memory.add(
            NodeKind.THOUGHT, text, now, importance,
            triple=(mind.name, "thinks", "whisper"), keywords=("whisper",),
        )  # fmt: skip
    return thoughts
