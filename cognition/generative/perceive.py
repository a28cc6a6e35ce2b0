"""Perception: percept events become event memories with an importance (`importance.py`).

Descriptions containing "is idle" are worth 1 without asking. Every other description is rated
once, the way the loaded model's check chose, and the ratings (with who made them) are cached by
description in the ctx's state, so an unchanged scene is never scored twice. A decision that only saw someone
leaves its events pending until they fill a batch or a later decision needs them (`perceive`).

Only new events are stored, by the original's retention rule: an event whose (subject, predicate,
object) is among the agent's `retention` latest stored events is not new (`fresh_events`). The
engine already drops what the agent perceived in its last steps; this rule, applied against the
memory stream as the original does, keeps an agent walking past the same room from storing the
same scene again and again.
"""

from __future__ import annotations

from collections import deque

from cognition.generative import importance, made
from cognition.generative.common import game_time, last_segment
from cognition.generative.context import MindContext
from cognition.generative.prompts import memory as prompts
from cognition.memory.node import IDLE_MARKER, NodeKind
from engine.agent_api import PerceivedEvent, Percept
from engine.provenance import Provenance, rule

IDLE = rule("importance.idle")

MAX_BATCH = 12  # longer batches are split so the prompt stays small


def needs_scoring(ctx: MindContext, descriptions: list[str]) -> list[str]:
    """The distinct descriptions a model call would have to score (not idle, not cached)."""
    cache = ctx.state.importance_cache
    return [d for d in dict.fromkeys(descriptions) if IDLE_MARKER not in d.lower() and d not in cache]


def score_importance(ctx: MindContext, descriptions: list[str], step: int) -> list[int]:
    """Importance 1-10 for each description (see `rated`)."""
    return [score for score, _ in rated(ctx, descriptions, step)]


def rated(ctx: MindContext, descriptions: list[str], step: int) -> list[tuple[int, Provenance]]:
    """(importance 1-10, who rated it) for each description: idle -> 1 (a rule), cached, else
    rated the way the loaded model's check chose (`importance.rate`), in batches."""
    state = ctx.state
    todo = needs_scoring(ctx, descriptions)
    for start in range(0, len(todo), MAX_BATCH):
        batch = todo[start : start + MAX_BATCH]
        for description, (score, by) in zip(batch, importance.rate(ctx, batch, step)):
            state.remember_cached(
                description, score, ctx.settings.importance_cache_size, by.to_state()
            )
    out = []
    for d in descriptions:
        if IDLE_MARKER in d.lower():
            out.append((1, IDLE))
        elif d in state.importance_cache:
            by = state.importance_by.get(d)
            out.append((state.importance_cache[d], Provenance.read(by or None)))
        else:
            out.append((prompts.IMPORTANCE_FALLBACK, importance.FAILSAFE))
    return out


def fresh_events(ctx: MindContext, events: tuple[PerceivedEvent, ...]) -> list[PerceivedEvent]:
    """The events not among the `retention` latest events' triples, stored or pending (the
    original's `get_summarized_latest_events` check, re-made after each event taken in)."""
    retention = max(1, ctx.persona.retention)
    latest = deque(
        (node.triple for node in reversed(ctx.memory.recent(retention, (NodeKind.EVENT,)))),
        maxlen=retention,
    )
    latest.extend(tuple(p["triple"]) for p in ctx.state.pending_events)
    fresh = []
    for event in events:
        if event.triple in latest:
            continue
        fresh.append(event)
        latest.append(event.triple)
    return fresh


def perceive(ctx: MindContext, percept: Percept, defer: bool = False) -> int:
    """Learn the seen places and take in the new percept events (`fresh_events`); returns how
    many were new.

    Events wait in `MindState.pending_events` and enter the memory stream (with their times of
    perception) when scored: at once unless `defer`; then, while some would need a model
    call, they wait until enough unscored ones make a batch worth the call or a decision that
    recalls them (a conversation, the user, a new day's plan) `flush`es them.
    """
    for address in percept.seen_places:
        ctx.spatial.add(address)
    state = ctx.state
    events = fresh_events(ctx, percept.events)
    for event in events:
        keywords = [last_segment(event.subject)]
        if event.object:
            keywords.append(last_segment(event.object))
        state.pending_events.append(
            {"description": event.description, "time": percept.time_iso,
             "triple": list(event.triple), "keywords": keywords}
        )  # fmt: skip
    batch = ctx.settings.importance_batch
    waiting = len(needs_scoring(ctx, pending_descriptions(ctx)))
    if not defer or waiting == 0 or waiting >= batch or len(state.pending_events) >= 4 * batch:
        flush(ctx, percept.step)  # (storing what needs no call costs nothing: at once)
    return len(events)


def pending_descriptions(ctx: MindContext) -> list[str]:
    """Descriptions of the events perceived but not yet in the memory stream."""
    return [p["description"] for p in ctx.state.pending_events]


def flush(ctx: MindContext, step: int) -> int:
    """Score the pending events (one batched call at most) and store them; how many."""
    pending = ctx.state.pending_events
    if not pending:
        return 0
    scores = rated(ctx, pending_descriptions(ctx), step)
    for item, (score, by) in zip(pending, scores):
        ctx.memory.add(
            NodeKind.EVENT,
            item["description"],
            game_time(item["time"]),
            score,
            triple=tuple(item["triple"]),
            keywords=item["keywords"],
            by=made.PERCEIVED, importance_by=by,
        )
    ctx.state.pending_events = []
    return len(scores)
