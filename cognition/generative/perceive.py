"""Perception: percept events become event memories; importance is scored in batched calls.

Descriptions containing "is idle" are worth 1 without asking. Every other description is scored
once: unscored descriptions go into a single call, and the answers are cached by description in
the ctx's state, so an unchanged scene is never scored twice. A decision that only saw someone
leaves its events pending until they fill a batch or a later decision needs them (`perceive`).
"""

from __future__ import annotations

from functools import partial

from cognition.generative.common import first_name, game_time, last_segment
from cognition.generative.context import MindContext
from cognition.generative.prompts import memory as prompts
from cognition.generative.prompts.base import numbered_list
from cognition.memory.node import IDLE_MARKER, NodeKind
from engine.agent_api import Percept

MAX_BATCH = 12  # longer batches are split so the prompt stays small


def score_importance(ctx: MindContext, descriptions: list[str], step: int) -> list[int]:
    """Importance 1-10 for each description: idle -> 1, cached, else batched model calls."""
    state = ctx.state
    todo = [
        d
        for d in dict.fromkeys(descriptions)
        if IDLE_MARKER not in d.lower() and d not in state.importance_cache
    ]
    for start in range(0, len(todo), MAX_BATCH):
        batch = todo[start : start + MAX_BATCH]
        scores, _ = ctx.caller.ask(
            prompts.IMPORTANCE,
            step,
            partial(prompts.fallback_importance, len(batch)),
            schema=prompts.importance_schema(len(batch)),
            parse=partial(prompts.parse_importance, count=len(batch)),
            identity=ctx.identity(),
            first=first_name(ctx.name),
            items=numbered_list(batch),
            count=len(batch),
        )
        for description, score in zip(batch, scores):
            state.remember_cached(description, score, ctx.settings.importance_cache_size)
    return [
        1
        if IDLE_MARKER in d.lower()
        else state.importance_cache.get(d, prompts.IMPORTANCE_FALLBACK)
        for d in descriptions
    ]


def perceive(ctx: MindContext, percept: Percept, defer: bool = False) -> int:
    """Learn the seen places and take in every percept event; returns how many were seen.

    Events wait in `MindState.pending_events` and enter the memory stream (with their times of
    perception) when scored: at once, unless `defer` (a decision that only saw someone), in
    which case they wait until enough unscored ones make a batch worth a call or a decision
    that plans, talks or answers the user `flush`es them.
    """
    for address in percept.seen_places:
        ctx.spatial.add(address)
    state = ctx.state
    for event in percept.events:
        keywords = [last_segment(event.subject)]
        if event.object:
            keywords.append(last_segment(event.object))
        state.pending_events.append(
            {"description": event.description, "time": percept.time_iso,
             "triple": list(event.triple), "keywords": keywords}
        )  # fmt: skip
    batch = ctx.settings.importance_batch
    if not defer or len(unscored(ctx)) >= batch or len(state.pending_events) >= 4 * batch:
        flush(ctx, percept.step)
    return len(percept.events)


def pending_descriptions(ctx: MindContext) -> list[str]:
    """Descriptions of the events perceived but not yet in the memory stream."""
    return [p["description"] for p in ctx.state.pending_events]


def unscored(ctx: MindContext) -> list[str]:
    """Pending descriptions that would need a model call to score."""
    cache = ctx.state.importance_cache
    return [
        d
        for d in dict.fromkeys(pending_descriptions(ctx))
        if IDLE_MARKER not in d.lower() and d not in cache
    ]


def flush(ctx: MindContext, step: int) -> int:
    """Score the pending events (one batched call at most) and store them; how many."""
    pending = ctx.state.pending_events
    if not pending:
        return 0
    scores = score_importance(ctx, pending_descriptions(ctx), step)
    for item, importance in zip(pending, scores):
        ctx.memory.add(
            NodeKind.EVENT,
            item["description"],
            game_time(item["time"]),
            importance,
            triple=tuple(item["triple"]),
            keywords=item["keywords"],
        )
    ctx.state.pending_events = []
    return len(scores)
