"""Reacting to someone nearby: talk, wait or continue, decided in one call.

Cheap rules first (as in the original): nobody asleep or already talking, not at 23:00, not while
the agent sleeps, and a per-pair cooldown after a conversation (800 steps) or after any reaction
decision (so the same person in view is not re-asked every step). Only the nearest eligible
person is considered per percept.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from cognition.generative.common import clock_text, first_name, identity, memory_lines
from cognition.generative.prompts import social as prompts
from cognition.generative.schedule import is_sleeping
from engine.agent_api import HERE, Action, AgentView, Percept

if TYPE_CHECKING:
    from cognition.generative.mind import GenerativeMind

WAIT_EMOJI = "⌛"
LAST_TALK_HOUR = 23


def candidate(mind: GenerativeMind, percept: Percept) -> AgentView | None:
    """The nearest person worth reacting to, or None."""
    state, step = mind.state, percept.step
    current = percept.current_action or state.action
    if current is not None and is_sleeping(current.description):
        return None
    if mind.now(percept).hour >= LAST_TALK_HOUR:
        return None
    for view in sorted(percept.nearby_agents, key=lambda v: (v.distance, v.name)):
        if view.name == mind.name or view.sleeping or view.in_conversation:
            continue
        if is_sleeping(view.action):
            continue
        if state.chat_cooldown.get(view.name, -1) > step:
            continue
        if state.react_cooldown.get(view.name, -1) > step:
            continue
        return view
    return None


def react(mind: GenerativeMind, percept: Percept) -> tuple[str | None, Action | None]:
    """(talk_to, action): whom to start talking to, or a waiting action, or neither."""
    view = candidate(mind, percept)
    if view is None:
        return None, None
    now = mind.now(percept)
    other = view.name
    mind.state.react_cooldown[other] = percept.step + mind.settings.react_cooldown_steps
    memories = mind.memory.retrieve(
        [other, f"{other} is {view.action}"], now, mind.settings.retrieval_k
    )
    relation = mind.state.relationships.get(other, "")
    current = percept.current_action or mind.state.action
    decision, _ = mind.caller.ask(
        prompts.REACT,
        percept.step,
        prompts.fallback_react,
        identity=identity(mind.persona),
        time=clock_text(now),
        first=first_name(mind.name),
        activity=current.description if current else "going about the day",
        other=other,
        other_first=first_name(other),
        other_activity=view.action or "here",
        relationship=f"Relationship: {relation}\n" if relation else "",
        memories=memory_lines(memories, mind.settings.memory_chars, mind.settings.retrieval_k),
    )
    if decision == "talk":
        return other, None
    if decision == "wait":
        return None, wait_action(mind, other, now)
    return None, None


def wait_action(mind: GenerativeMind, other: str, now: datetime) -> Action:
    """A short wait where the agent stands."""
    del now
    return Action(
        description=f"waiting for {first_name(other)}",
        emoji=WAIT_EMOJI,
        address=HERE,
        duration_min=mind.settings.wait_minutes,
        event=(mind.name, "is", "waiting"),
    )
