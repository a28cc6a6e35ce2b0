"""Reacting to what is observed, as in the paper: talk to someone, wait for someone, or change
the current action for an event (a burning stove), each decided by the model in one yes/no
choice (`Caller.choose` / the original's decide-to-talk) and written by structure.

- **wait**: on its way to the object of its current action, the agent sees someone using it
  (standing there for an action at that very object); asked whether to wait, a yes makes the
  agent wait where it stands (`wait_minutes`). Whoever is already at the object does not wait
  for a newcomer, so two people never wait for each other;
- **talk**: the nearest eligible person (the rules below); a yes starts a conversation;
- **re-plan**: an object's event that was rated important (`react_event_importance`, by whatever
  rated it: the model or the marked keyword scorer) and is not the agent's own; asked whether to
  stop what it is doing, a yes makes the agent go and see to it (`replan_minutes`), after which
  its plan goes on.

Each observation is asked about once per `react_cooldown_steps`.

Cheap rules first (as in the original): nobody asleep or already talking, not at 23:00, not while
the agent sleeps, a per-pair cooldown after a conversation (800 steps) or after any reaction
decision (so the same person in view is not re-asked every step), and a social cooldown: nobody
who has just finished a conversation (this agent or the other, `social_cooldown_steps`) starts
or is asked into a new one. Only the nearest eligible person is considered per percept.
"""

from __future__ import annotations


from cognition.generative import perceive
from cognition.generative.common import clock_text, first_name, game_time, last_segment, memory_lines
from cognition.generative.context import MindContext
from cognition.generative.prompts import reacting as reactions
from cognition.generative.prompts import social as prompts
from cognition.memory.node import IDLE_MARKER
from engine.agent_api import HERE, Action, AgentView, PerceivedEvent, Percept
from engine.provenance import Provenance

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
    """(talk_to, action): whom to start talking to, or an action (waiting, seeing to an
    event), or neither."""
    current = percept.current_action or ctx.state.action
    if current is not None and current.sleeping:
        return None, None
    waiting = wait_for(ctx, percept, current)
    if waiting is not None:
        return None, waiting
    talk_to = talk(ctx, percept)
    if talk_to is not None:
        return talk_to, None
    return None, see_to_event(ctx, percept, current)


def _asked(ctx: MindContext, key: str, step: int) -> bool:
    """Whether `key` was asked about within the cooldown; marks it asked now if not."""
    if ctx.state.react_cooldown.get(key, -1) > step:
        return True
    ctx.state.react_cooldown[key] = step + ctx.settings.react_cooldown_steps
    return False


def wait_for(ctx: MindContext, percept: Percept, current: Action | None) -> Action | None:
    """On the way to its object, someone is using it: wait for them (the model's yes)."""
    if (current is None or percept.arrived or current.address == HERE
            or current.address.count(":") < 3):
        return None
    for view in sorted(percept.nearby_agents, key=lambda v: (v.distance, v.name)):
        if (view.name == ctx.name or view.sleeping or not view.using
                or view.address != current.address):
            continue
        if _asked(ctx, f"wait:{view.name}", percept.step):
            continue
        other_first = first_name(view.name)
        answer, by = ctx.caller.choose(
            reactions.WAIT, percept.step, reactions.YES_NO, "no",
            identity=ctx.identity(), time=clock_text(game_time(percept.time_iso)),
            first=first_name(ctx.name), activity=current.description,
            thing=last_segment(current.address), other=view.name, other_first=other_first,
            other_activity=view.action or "busy",
        )  # fmt: skip
        if answer != "yes":
            return None
        return Action(
            description=f"waiting for {other_first} to finish {view.action or 'up'}",
            emoji="⏳", address=HERE, duration_min=ctx.settings.wait_minutes,
            event=(ctx.name, "waiting for", view.name), by=by,
        )  # fmt: skip
    return None


def event_candidates(ctx: MindContext, percept: Percept) -> list[PerceivedEvent]:
    """Objects' events worth asking about: not idle, not at the agent's own action's object,
    nearest first."""
    own = (percept.current_action or ctx.state.action)
    return sorted(
        (e for e in percept.events
         if not e.is_agent and IDLE_MARKER not in e.description.lower()
         and not (own is not None and e.subject == own.address)),
        key=lambda e: (e.distance, e.description),
    )  # fmt: skip


def see_to_event(ctx: MindContext, percept: Percept, current: Action | None) -> Action | None:
    """An important observed event may make the agent stop and see to it (the model's yes)."""
    events = [e for e in event_candidates(ctx, percept)
              if ctx.state.react_cooldown.get(f"event:{e.description}", -1) <= percept.step]
    if not events:
        return None
    scores = perceive.rated(ctx, [e.description for e in events], percept.step)
    for event, (score, _) in zip(events, scores):
        if score < ctx.settings.react_event_importance:
            continue
        if _asked(ctx, f"event:{event.description}", percept.step):
            continue
        now = game_time(percept.time_iso)
        activity = current.description if current else "going about the day"
        memories = ctx.memory.retrieve([event.description], now, ctx.settings.retrieval_k)
        answer, by = ctx.caller.choose(
            reactions.EVENT, percept.step, reactions.YES_NO, "no",
            identity=ctx.identity(), time=clock_text(now), first=first_name(ctx.name),
            activity=activity, observation=event.description,
            memories=memory_lines(memories, ctx.settings.memory_chars, ctx.settings.retrieval_k),
        )  # fmt: skip
        return replanned(ctx, event, by) if answer == "yes" else None
    return None


def replanned(ctx: MindContext, event: PerceivedEvent, by: Provenance) -> Action:
    """The action of going to see to an observed event (the words are a template's)."""
    thing = last_segment(event.subject)
    state = event.description.split(" is ", 1)[-1] if " is " in event.description else ""
    text = f"seeing to the {thing}, which is {state}" if state else f"seeing to the {thing}"
    return Action(
        description=text[:100], emoji="❗", address=event.subject,
        duration_min=ctx.settings.replan_minutes,
        event=(ctx.name, "is seeing to", thing), object_state="", by=by,
    )  # fmt: skip


def talk(ctx: MindContext, percept: Percept) -> str | None:
    """Whom to start talking to (the model's yes to the nearest eligible person), or None."""
    view = candidate(ctx, percept)
    if view is None:
        return None
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
    return other if decision == "talk" else None
