"""Reflection: when recent importance passes the persona's threshold, ask focal questions, then
insights citing evidence, and store them as thoughts (depth = 1 + deepest evidence).

The paper asks its questions about the 100 most recent records; a tiny local model cannot read
100 statements, so we take the most important of those 100 (ties: newest) that fit the prompt.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

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
    """One reflection: questions -> retrieval -> insights with evidence -> thoughts."""
    settings, name = ctx.settings, ctx.name
    first = first_name(name)
    recent = _statements(
        ctx.memory.recent(settings.reflection_recent), settings.reflection_statements
    )
    ctx.memory.reset_reflection_counter()
    ctx.state.reflections += 1
    if not recent:
        return 0
    count = settings.reflection_questions
    questions, _ = ctx.caller.ask(
        prompts.QUESTIONS,
        step,
        partial(prompts.fallback_questions, first),
        schema=prompts.questions_schema(count),
        parse=partial(prompts.parse_questions, count=count),
        name=name,
        first=first,
        count=count,
        statements=numbered_list([_text(n, 140) for n in recent]),
    )
    found = ctx.memory.retrieve(questions, now, settings.reflection_retrieve_k)
    evidence_nodes = (
        sorted({n.node_id: n for n in found if not n.is_idle}.values(), key=lambda n: n.node_id)[
            :MAX_EVIDENCE_STATEMENTS
        ]
        or recent
    )
    n_insights, n_statements = settings.insights_per_reflection, len(evidence_nodes)
    insights, _ = ctx.caller.ask(
        prompts.INSIGHTS,
        step,
        prompts.fallback_insights,
        schema=prompts.insights_schema(n_insights, n_statements),
        parse=partial(prompts.parse_insights, count=n_insights, statements=n_statements),
        name=name,
        first=first,
        count=n_insights,
        statements=numbered_list([_text(n, 140) for n in evidence_nodes]),
    )
    if not insights:
        return 0
    scores = score_importance(ctx, [text for text, _ in insights], step)
    for (text, indexes), importance in zip(insights, scores):
        evidence = tuple(evidence_nodes[i].node_id for i in indexes)
        ctx.memory.add(
            NodeKind.THOUGHT, text, now, importance,
            triple=(name, "reflects", "insight"), keywords=(REFLECTION_KEYWORD,),
            evidence=evidence,
        )  # fmt: skip
    return len(insights)
