"""Reflection: when recent importance passes the persona's threshold, ask focal questions, then
one insight per question about the memories retrieved for it, and store the insights as thoughts
with the statements they rest on as evidence (depth = 1 + deepest evidence). When the questions
are unusable (a small model echoes the instruction) the focal points are the most important
recent statements themselves. A reflection whose every insight was refused reflected on nothing:
it keeps half the importance that triggered it (`reflection_keep_unreflected`), so it tries again
sooner instead of spending a whole threshold (SmolLM2-135M's insights copy a statement or are
cut off in about half the calls).

The paper asks its questions about the 100 most recent records; a tiny local model cannot read
100 statements, so we take the most important of those 100 (ties: newest) that fit the prompt.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from cognition.generative import made
from cognition.generative.actions import similar_lines
from cognition.generative.common import first_name
from cognition.generative.context import MindContext
from cognition.generative.perceive import score_importance
from cognition.generative.prompts import memory as prompts
from cognition.generative.prompts.base import numbered_list
from cognition.memory.node import MemoryNode, NodeKind

REFLECTION_KEYWORD = "reflection"
MAX_EVIDENCE_STATEMENTS = 15


def _statements(nodes: list[MemoryNode], limit: int) -> list[MemoryNode]:
    """The `limit` most important distinct non-idle nodes, oldest first."""
    seen: dict[str, MemoryNode] = {}
    for node in nodes:  # newest first
        if not node.is_idle and node.description not in seen:
            seen[node.description] = node
    ranked = sorted(seen.values(), key=lambda n: (-n.importance, -n.node_id))[:limit]
    return sorted(ranked, key=lambda n: n.node_id)


def _text(node: MemoryNode, max_chars: int) -> str:
    text = " ".join(node.description.split())
    return text if len(text) <= max_chars else text[: max_chars - 3] + "..."


def maybe_reflect(ctx: MindContext, now: datetime, step: int) -> int:
    """Reflect if the accumulator passed the threshold; returns the number of insights stored."""
    if not ctx.memory.should_reflect(ctx.persona.reflection_threshold):
        return 0
    return reflect(ctx, now, step)


def reflect(ctx: MindContext, now: datetime, step: int) -> int:
    """One reflection: focal questions -> retrieval -> one insight per question, with the
    statements it rests on as evidence -> thoughts (depth = 1 + deepest evidence). One that
    stores nothing keeps `reflection_keep_unreflected` of the accumulated importance."""
    settings = ctx.settings
    recent = _statements(
        ctx.memory.recent(settings.reflection_recent), settings.reflection_statements
    )
    since = ctx.memory.importance_since_reflection
    ctx.memory.reset_reflection_counter()
    ctx.state.reflections += 1
    if not recent:
        return 0
    stored = _reflect_on(ctx, recent, now, step)
    if not stored:  # nothing reflected: the importance is not all spent
        ctx.memory.reset_reflection_counter(keep=since * settings.reflection_keep_unreflected)
    return stored


def _reflect_on(ctx: MindContext, recent: list[MemoryNode], now: datetime, step: int) -> int:
    """Questions about `recent`, one insight per question, stored as thoughts; how many."""
    settings, name = ctx.settings, ctx.name
    first = first_name(name)
    count = settings.reflection_questions
    focal = [_text(n, 140) for n in sorted(recent, key=lambda n: (-n.importance, -n.node_id))]
    questions, _ = ctx.caller.ask(
        prompts.QUESTIONS,
        step,
        partial(prompts.fallback_questions, first, focal[:count]),
        schema=prompts.questions_schema(count),
        parse=partial(prompts.parse_questions, count=count, first=first),
        name=name,
        first=first,
        count=count,
        statements=numbered_list([_text(n, 140) for n in recent]),
    )
    found: list[tuple[str, tuple[int, ...]]] = []
    for index, question in enumerate(questions[:count]):
        nodes = sorted(
            {n.node_id: n for n in ctx.memory.retrieve([question], now,
                                                        settings.reflection_retrieve_k)
             if not n.is_idle}.values(),
            key=lambda n: n.node_id,
        )[:MAX_EVIDENCE_STATEMENTS] or recent  # fmt: skip
        texts = [_text(n, 140) for n in nodes]
        insight, ok = ctx.caller.ask(
            prompts.INSIGHT,
            step + index,
            prompts.fallback_insight,
            parse=partial(prompts.parse_insight, first=first, statements=texts),
            name=name,
            first=first,
            statements=numbered_list(texts),
        )
        if not ok or insight is None:
            continue
        text, indexes = insight
        if any(similar_lines(text, old) for old, _ in found):
            continue  # the same insight from another question
        found.append((text, tuple(nodes[i].node_id for i in indexes)))
    if not found:
        return 0
    scores = score_importance(ctx, [text for text, _ in found], step)
    for (text, evidence), importance in zip(found, scores):
        ctx.memory.add(
            NodeKind.THOUGHT, text, now, importance,
            triple=(name, "reflects", "insight"), keywords=(REFLECTION_KEYWORD,),
            evidence=evidence, by=made.model_text(prompts.INSIGHT.prompt_id),
            importance_by=made.importance(text, importance),
        )  # fmt: skip
    return len(found)
