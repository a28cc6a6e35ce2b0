"""Perception: percept events become event memories; importance is scored in one batched call.

Descriptions containing "is idle" are worth 1 without asking. Every other description is scored
once: all the unscored descriptions of a percept go into a single call, and the answers are
cached by description in the mind's state, so an unchanged scene is never scored twice.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from cognition.generative.common import first_name, identity, last_segment
from cognition.generative.prompts import memory as prompts
from cognition.generative.prompts.base import numbered_list
from cognition.memory.node import IDLE_MARKER, NodeKind
from engine.agent_api import Percept

if TYPE_CHECKING:
    from cognition.generative.mind import GenerativeMind

MAX_BATCH = 12  # longer batches are split so the prompt stays small


def score_importance(mind: GenerativeMind, descriptions: list[str], step: int) -> list[int]:
    """Importance 1-10 for each description: idle -> 1, cached, else batched model calls."""
    state = mind.state
    todo = [
        d
        for d in dict.fromkeys(descriptions)
        if IDLE_MARKER not in d.lower() and d not in state.importance_cache
    ]
    for start in range(0, len(todo), MAX_BATCH):
        batch = todo[start : start + MAX_BATCH]
        scores, _ = mind.caller.ask(
            prompts.IMPORTANCE,
            step,
            partial(prompts.fallback_importance, len(batch)),
            schema=prompts.importance_schema(len(batch)),
            parse=partial(prompts.parse_importance, count=len(batch)),
            identity=identity(mind.persona),
            first=first_name(mind.name),
            items=numbered_list(batch),
            count=len(batch),
        )
        for description, score in zip(batch, scores):
            state.remember_cached(description, score, mind.settings.importance_cache_size)
    return [
        1
        if IDLE_MARKER in d.lower()
        else state.importance_cache.get(d, prompts.IMPORTANCE_FALLBACK)
        for d in descriptions
    ]


def perceive(mind: GenerativeMind, percept: Percept) -> int:
    """Learn the seen places and store every percept event; returns how many were stored."""
    for address in percept.seen_places:
        mind.spatial.add(address)
    if not percept.events:
        return 0
    now = mind.now(percept)
    scores = score_importance(mind, [e.description for e in percept.events], percept.step)
    for event, importance in zip(percept.events, scores):
        keywords = [last_segment(event.subject)]
        if event.object:
            keywords.append(last_segment(event.object))
        mind.memory.add(
            NodeKind.EVENT,
            event.description,
            now,
            importance,
            triple=event.triple,
            keywords=keywords,
        )
    return len(percept.events)
