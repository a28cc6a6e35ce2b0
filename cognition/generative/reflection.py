"""Reflection: when recent importance passes the persona's threshold, ask focal questions, then
one insight per question about the memories retrieved for it, citing the statements it rests on
by number, and store the insights as thoughts with those statements as evidence (depth = 1 +
deepest evidence). Each insight must be true of what the agent knows (`truth.py`: no host
swapped, no crush reversed) and not a restated action; where none holds up, the model chooses
which statement matters most and a template writes the insight ("What matters to Isabella
lately: ..."). How each insight came to be is kept in its keywords (`EVIDENCE_*`). When the
questions are unusable (a small model echoes the instruction) the focal points are the most
important recent statements themselves. A reflection whose every insight was refused reflected on nothing:
it keeps half the importance that triggered it (`reflection_keep_unreflected`), so it tries again
sooner instead of spending a whole threshold (SmolLM2-135M's insights copy a statement or are
cut off in about half the calls).

The paper asks its questions about the 100 most recent records; a tiny local model cannot read
100 statements, so we take the most important of those 100 (ties: newest) that fit the prompt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import partial

from cognition.generative.actions import similar_lines
from cognition.generative.common import first_name
from cognition.generative.context import MindContext
from cognition.generative import truth
from cognition.generative.perceive import rated
from cognition.generative.prompts import memory as prompts
from cognition.generative.prompts.base import numbered_list
from cognition.memory.node import MemoryNode, NodeKind
from engine.provenance import model_choice, model_text

REFLECTION_KEYWORD = "reflection"
MAX_EVIDENCE_STATEMENTS = 15
CHOSEN_OPTIONS = 5  # statements offered when the model chooses what matters most
CHOSEN_EVENT_IMPORTANCE = 5  # an observed event offered must have been rated this high
# How an insight came to be, kept in its keywords (with "reflection"): the model's sentence with
# the statements it cited, or with the statements sharing its words; or the model's choice of
# a statement, written by a template.
EVIDENCE_CITED = "insight:cited"
EVIDENCE_SHARED = "insight:shared-words"
EVIDENCE_CHOSEN = "insight:chosen"


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
    """Reflect if the accumulator passed the threshold, or once in the evening of a day with no
    reflection yet (`daily_reflection_hour`); returns the number of insights stored."""
    if ctx.memory.should_reflect(ctx.persona.reflection_threshold) or daily_due(ctx, now):
        return reflect(ctx, now, step)
    return 0


def daily_due(ctx: MindContext, now: datetime) -> bool:
    """Whether the day's evening reflection is due: none today yet, the hour has come, and
    something happened since the last one. Not in the paper, whose importance threshold alone
    decides: on a small town's sparse memory streams (the retention rule stores a scene once)
    the threshold can take more than a day to fill, so an agent would have no insight at all."""
    hour = ctx.settings.daily_reflection_hour
    return (
        hour is not None and now.hour >= hour
        and ctx.state.reflected_on != now.date().isoformat()
        and ctx.memory.importance_since_reflection > 0
    )  # fmt: skip


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
    ctx.state.reflected_on = now.date().isoformat()
    if not recent:
        return 0
    stored = _reflect_on(ctx, recent, now, step)
    if not stored:  # nothing reflected: the importance is not all spent
        ctx.memory.reset_reflection_counter(keep=since * settings.reflection_keep_unreflected)
    return stored


def _reflect_on(ctx: MindContext, recent: list[MemoryNode], now: datetime, step: int) -> int:
    """Questions about `recent`, one insight per question, each checked against the persona
    and memories (`truth.py`); where none holds up, one the model chooses and a template
    writes (`_chosen`). Stored as thoughts; how many."""
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
    judge = truth_judge(ctx)
    found: list[tuple[str, tuple[int, ...], str]] = []
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
            schema=prompts.insight_schema(len(texts)),
            parse=partial(prompts.parse_insight, first=first, statements=texts, judge=judge),
            name=name,
            first=first,
            statements=numbered_list(texts),
        )
        if not ok or insight is None:
            continue
        text, indexes, cited = insight
        if any(similar_lines(text, old) for old, _, _ in found):
            continue  # the same insight from another question
        found.append((text, tuple(nodes[i].node_id for i in indexes),
                      EVIDENCE_CITED if cited else EVIDENCE_SHARED))  # fmt: skip
    if not found:
        chosen = _chosen(ctx, recent, step)
        found = [chosen] if chosen else []
    if not found:
        return 0
    scores = rated(ctx, [text for text, _, _ in found], step)
    for (text, evidence, how), (importance, by) in zip(found, scores):
        ctx.memory.add(
            NodeKind.THOUGHT, text, now, importance,
            triple=(name, "reflects", "insight"), keywords=(REFLECTION_KEYWORD, how),
            evidence=evidence, importance_by=by,
            by=(model_choice(prompts.CHOOSE.prompt_id) if how == EVIDENCE_CHOSEN
                else model_text(prompts.INSIGHT.prompt_id)),
        )  # fmt: skip
    return len(found)


def truth_judge(ctx: MindContext) -> Callable[[str], str | None]:
    """What is wrong with an insight by the agent's persona and memories (None: nothing)."""
    nodes = [n for n in ctx.memory.nodes if REFLECTION_KEYWORD not in n.keywords]
    people = truth.known_people(ctx.name, nodes, ctx.state.relationships)
    known = truth.statements(ctx.name, ctx.identity(), nodes, people)

    def judge(text: str) -> str | None:
        claims = truth.check(text, known, people)
        if truth.is_true(claims):
            return None
        wrong = [c for c in claims if c.status != "supported"]
        return (f"{wrong[0].status} claim about {wrong[0].person}" if wrong
                else "makes no claim about anyone")

    return judge


def _chosen(ctx: MindContext, recent: list[MemoryNode], step: int
            ) -> tuple[str, tuple[int, ...], str] | None:  # fmt: skip
    """The statement the model says matters most (a choice among numbers), written into an
    insight by a template; observed routine actions are not offered. None when nothing fits."""
    people = truth.known_people(ctx.name, recent, ctx.state.relationships)
    offered: list[tuple[MemoryNode, str]] = []
    for node in sorted(recent, key=lambda n: (-n.importance, -n.node_id)):
        sentence = first_sentence(node.description)
        if node.kind is NodeKind.EVENT and (
            node.importance < CHOSEN_EVENT_IMPORTANCE or node.subject == ctx.name
        ):
            continue  # a routine sighting, or what the agent itself was doing
        if not people.subject(sentence) or len(sentence) > 160:
            continue  # a statement about no one (a chat's summary)
        offered.append((node, sentence))
        if len(offered) == CHOSEN_OPTIONS:
            break
    if not offered:
        return None
    options = tuple(str(i + 1) for i in range(len(offered)))
    answer, by = ctx.caller.choose(
        prompts.CHOOSE, step, options, "1", name=ctx.name, first=first_name(ctx.name),
        statements=numbered_list([sentence for _, sentence in offered]),
    )  # fmt: skip
    if not by.by_model:
        return None  # the choice failed: no insight is made up without the model
    node, sentence = offered[int(answer) - 1]
    text = f"What matters to {first_name(ctx.name)} lately: {sentence.rstrip('.')}."
    return text, (node.node_id,), EVIDENCE_CHOSEN


def first_sentence(text: str) -> str:
    """The text up to its first sentence end (all of it when it has none)."""
    text = " ".join(text.split())
    cut = re.search(r"[.!?](\s|$)", text)
    return text[: cut.start() + 1] if cut else text
