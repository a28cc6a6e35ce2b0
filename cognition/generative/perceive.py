"""Perception: percept events become event memories; importance is scored in one batched call.

Descriptions containing "is idle" are worth 1 without asking. Every other description is scored
once: all the unscored descriptions of a percept go into a single call, and the answers are
cached by description in the ctx's state, so an unchanged scene is never scored twice.

Only new events are stored, by the original's retention rule: an event whose (subject, predicate,
object) is among the agent's `retention` latest stored events is not new (`fresh_events`). The
engine already drops what the agent perceived in its last steps; this rule, applied against the
memory stream as the original does, keeps an agent walking past the same room from storing the
same scene again and again.
"""

from __future__ import annotations

from collections import deque
from functools import partial

from cognition.generative.common import first_name, game_time, last_segment
from cognition.generative.context import MindContext
from cognition.generative.prompts import memory as prompts
from cognition.generative.prompts.base import numbered_list
from cognition.memory.node import IDLE_MARKER, NodeKind
from engine.agent_api import Percept, PerceivedEvent

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


def fresh_events(ctx: MindContext, events: tuple[PerceivedEvent, ...]) -> list[PerceivedEvent]:
    """The events not among the `retention` latest stored events' triples (the original's
    `get_summarized_latest_events` check, re-made after each event stored)."""
    retention = max(1, ctx.persona.retention)
    latest = deque(
        (node.triple for node in reversed(ctx.memory.recent(retention, (NodeKind.EVENT,)))),
        maxlen=retention,
    )
    fresh = []
    for event in events:
        if event.triple in latest:
            continue
        fresh.append(event)
        latest.append(event.triple)
    return fresh


def perceive(ctx: MindContext, percept: Percept) -> int:
    """Learn the seen places and store the new percept events; returns how many were stored."""
    for address in percept.seen_places:
        ctx.spatial.add(address)
    events = fresh_events(ctx, percept.events)
    if not events:
        return 0
    now = game_time(percept.time_iso)
    scores = score_importance(ctx, [e.description for e in events], percept.step)
    for event, importance in zip(events, scores):
        keywords = [last_segment(event.subject)]
        if event.object:
            keywords.append(last_segment(event.object))
        ctx.memory.add(
            NodeKind.EVENT,
            event.description,
            now,
            importance,
            triple=event.triple,
            keywords=keywords,
        )
    return len(events)
