"""The user's side: interviews answered in character from retrieved memories, and whispers
(single thoughts or a history file's statements) planted as thought memories."""

from __future__ import annotations

from datetime import datetime

from cognition.generative.common import clock_text, first_name, memory_lines, third_person
from cognition.generative.context import MindContext
from cognition.generative.perceive import rated
from cognition.generative.prompts import social as prompts
from cognition.memory.node import NodeKind

USER = "the user"
INTERVIEW_IMPORTANCE = 3
INTERVIEW_K = 10


def interview(ctx: MindContext, question: str, now: datetime, step: int) -> str:
    """Answer `question` in character, grounded in retrieved memories; remember the exchange."""
    question = " ".join(question.split())[:300]
    memories = ctx.memory.retrieve([question], now, INTERVIEW_K)
    action = ctx.state.action
    reply, _ = ctx.caller.ask(
        prompts.INTERVIEW,
        step,
        prompts.fallback_interview,
        identity=ctx.identity(),
        time=clock_text(now),
        first=first_name(ctx.name),
        activity=action.description if action else "going about the day",
        memories=memory_lines(memories, ctx.settings.memory_chars, INTERVIEW_K),
        question=question.replace('"', "'"),
    )
    description = f'{USER} asked {ctx.name} "{question}"; {first_name(ctx.name)} said "{reply}"'
    ctx.memory.add(
        NodeKind.CHAT, description[:400], now, INTERVIEW_IMPORTANCE,
        triple=(ctx.name, "chat with", USER), keywords=(USER, "interview"),
        filling=[(USER, question), (ctx.name, reply)],
    )  # fmt: skip
    return reply


def as_thoughts(ctx: MindContext, statements: list[str]) -> list[str]:
    """Whispered statements as the thoughts they are stored as (third person)."""
    return [third_person(s, ctx.name) for s in statements if s.strip()]


def whisper(ctx: MindContext, statements: list[str], now: datetime, step: int) -> list[str]:
    """Store each statement (second person allowed) as a thought; one batched importance call."""
    thoughts = as_thoughts(ctx, statements)
    if not thoughts:
        return []
    scores = rated(ctx, thoughts, step)
    for text, (importance, by) in zip(thoughts, scores):
        ctx.memory.add(
            NodeKind.THOUGHT, text, now, importance,
            triple=(ctx.name, "thinks", "whisper"), keywords=("whisper",), importance_by=by,
        )  # fmt: skip
    return thoughts
