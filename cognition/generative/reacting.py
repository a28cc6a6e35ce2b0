"""Reacting to someone nearby: talk or carry on, decided in one yes/no call (as the original's
decide-to-talk).

Cheap rules first (as in the original): nobody asleep or already talking, not at 23:00, not while
the agent sleeps, a per-pair cooldown after a conversation (800 steps) or after any reaction
decision (so the same person in view is not re-asked every step), and a social cooldown: nobody
who has just finished a conversation (this agent or the other, `social_cooldown_steps`) starts
or is asked into a new one. Only the nearest eligible person is considered per percept.
"""

from __future__ import annotations


from cognition.generative.common import clock_text, first_name, game_time, memory_lines
from cognition.generative.context import MindContext
from cognition.generative.prompts import social as prompts
from engine.agent_api import Action, AgentView, Percept

LAST_TALK_HOUR = 23


def candidate(ctx: MindContext, percept: Percept) -> AgentView | None:
    """The nearest person worth reacting to, or None."""
    state, step = ctx.state, percept.step
    current = percept.current_action or state.action
    if current is not None and current.sleeping:
        return None
    if game_time(percept.time_iso).hour >= LAST_TALK_HOUR:
        return None
    rest = ctx.settings.social_cooldown_steps
    if _talked_within(state.last_talk_step, step, rest):
        return None
    for view in sorted(percept.nearby_agents, key=lambda v: (v.distance, v.name)):
        if view.name == ctx.name or view.sleeping or view.in_conversation:
            continue
        if state.chat_cooldown.get(view.name, -1) > step:
            continue
        if state.react_cooldown.get(view.name, -1) > step:
            continue
        if _talked_within(view.last_talk_step, step, rest):
            continue
        return view
    return None


def _talked_within(last_talk_step: int | None, step: int, steps: int) -> bool:
    return last_talk_step is not None and step - last_talk_step < steps


def react(ctx: MindContext, percept: Percept) -> tuple[str | None, Action | None]:
    """(talk_to, action): whom to start talking to, or a waiting action, or neither."""
    view = candidate(ctx, percept)
    if view is None:
        return None, None
    now = game_time(percept.time_iso)
    other = view.name
    ctx.state.react_cooldown[other] = percept.step + ctx.settings.react_cooldown_steps
    memories = ctx.memory.retrieve(
        [other, f"{other} is {view.action}"], now, ctx.settings.retrieval_k
    )
    relation = ctx.state.relationships.get(other, "")
    current = percept.current_action or ctx.state.action
    decision, _ = ctx.caller.ask(
        prompts.REACT,
        percept.step,
        prompts.fallback_react,
        identity=ctx.identity(),
        time=clock_text(now),
        first=first_name(ctx.name),
        activity=current.description if current else "going about the day",
        other=other,
        other_first=first_name(other),
        other_activity=view.action or "here",
        relationship=f"Relationship: {relation}\n" if relation else "",
        memories=memory_lines(memories, ctx.settings.memory_chars, ctx.settings.retrieval_k),
    )
    if decision == "talk":
        return other, None
    return None, None
