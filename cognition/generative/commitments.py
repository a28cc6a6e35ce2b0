"""Dated commitments: events an agent knows of (its own, or told in a conversation), kept in the
mind state; on their day the plan offers them and the agent's model decides whether to go.

- `learn`: new memories (thoughts, conversation lines; not model-written summaries or
  reflections) and the agent's "currently" are read with `dated.parse`; an event found becomes a
  commitment (one per event: the same party told by two people is one).
- `plan_today`: on the event's day, the host hosts it (a rule: its own plan, at its hour) and
  anyone else is asked once whether to go (`plan.commit.v1`, a yes/no the model chooses,
  recorded with `model_choice`; its earlier answer to the invitation is shown). An event it goes
  to replaces those hours of the day plan, meals included.
- `action_now`: during such hours the action is the event itself at its place ("at the
  Valentine's Day party at Hobbs Cafe"), not a decomposition that would lose its name.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from cognition.generative import dated
from cognition.generative.actions import emoji_for
from cognition.generative.common import first_name, minute_of_day
from cognition.generative.context import MindContext
from cognition.generative.dated import Commitment
from cognition.generative.prompts import planning as prompts
from cognition.generative.schedule import Block, DayPlan, hhmm, routine_block_at
from cognition.memory.node import NodeKind
from cognition.routine.schedule import object_state
from engine.agent_api import Action
from engine.provenance import model_choice, rule

MAX_COMMITMENTS = 24
NOT_SOURCES = frozenset({"summary", "reflection", "plan"})  # model-written or derived memories


def learn(ctx: MindContext, now: datetime) -> list[Commitment]:
    """Read memories stored since the last call (and "currently") for dated events; the new
    commitments (also kept in `ctx.state.commitments`)."""
    state, name = ctx.state, ctx.name
    found: list[Commitment] = []
    currently = state.currently or ctx.persona.currently
    own = dated.parse(currently, now, speaker=name, about=name)
    if own is not None:
        found.append(own)
    for node in ctx.memory.nodes[state.commitments_seen:]:
        if NOT_SOURCES & set(node.keywords):
            continue
        if node.kind is NodeKind.THOUGHT:
            item = dated.parse(node.description, node.created, speaker=name, about=name)
            found += [item] if item else []
        elif node.kind is NodeKind.CHAT:
            for speaker, line in node.filling:
                told = "" if speaker == name else speaker
                item = dated.parse(line, node.created, speaker=speaker, source=told)
                found += [item] if item else []
    state.commitments_seen = len(ctx.memory.nodes)
    return [c for c in found if add(ctx, c, now)]


def add(ctx: MindContext, item: Commitment, now: datetime) -> bool:
    """Keep `item` unless it is past or already known; True when it was new."""
    if item.date < now.date().isoformat() or item.place and _is_home(item.place):
        return False
    if any(c.key == item.key for c in ctx.state.commitments):
        return False
    ctx.state.commitments = (ctx.state.commitments + [item])[-MAX_COMMITMENTS:]
    return True


def _is_home(place: str) -> bool:
    return place.lower() in ("home", "my place")


def decide(ctx: MindContext, key: str, going: str, via: str) -> None:
    """Record a decision about the commitment with `key` (the model's choice through `via`)."""
    ctx.state.commitments = [c.with_decision(going, model_choice(via)) if c.key == key else c
                             for c in ctx.state.commitments]  # fmt: skip


def today(ctx: MindContext, now: datetime) -> list[Commitment]:
    day = now.date().isoformat()
    return [c for c in ctx.state.commitments if c.date == day]


def plan_today(ctx: MindContext, now: datetime, step: int) -> None:
    """Put today's commitments into today's plan: the host's always, another's when the model
    says the agent goes (asked once per commitment per day)."""
    plan = ctx.state.plan
    if plan is None or plan.date != now.date().isoformat():
        return  # a new day's plan is made first (and calls this)
    minute = minute_of_day(now)
    for item in today(ctx, now):
        if item.end_min <= minute:
            continue
        if item.hosted_by(ctx.name):
            if item.going != "yes":
                decide_rule(ctx, item.key, "commitment.host")
        elif item.by.via != prompts.COMMIT.prompt_id:
            ask_go(ctx, item, now, step)
    plan = overlay(ctx.state.plan, today(ctx, now), ctx.name)  # type: ignore[arg-type]
    ctx.state.plan = plan


def decide_rule(ctx: MindContext, key: str, via: str) -> None:
    ctx.state.commitments = [c.with_decision("yes", rule(via)) if c.key == key else c
                             for c in ctx.state.commitments]  # fmt: skip


def ask_go(ctx: MindContext, item: Commitment, now: datetime, step: int) -> None:
    """One yes/no call: does the agent go to `item` today? Its answer is recorded as the
    model's choice; a failed call keeps the earlier decision (the invitation's, else no), marked
    as a rule's, and is asked again at the next re-plan."""
    first = first_name(ctx.name)
    usual = routine_block_at(ctx.persona, item.start_min)["activity"]
    told = f"{first_name(item.source)} told {first} about it. " if item.source else ""
    earlier = {"yes": f"{first} said they would come. ", "no": f"{first} said they could not "
               "come. "}.get(item.going, "")  # fmt: skip
    host = f", hosted by {item.host}" if item.host else ""
    answer, ok = ctx.caller.ask(
        prompts.COMMIT, step, lambda: item.going or "no",
        identity=ctx.identity(), date=now.strftime("%A %B %d"), first=first,
        event=f"{item.what}{' at ' + item.place if item.place else ''}{host}",
        start=hhmm(item.start_min), end=hhmm(item.end_min), told=told, earlier=earlier,
        usual=usual,
    )  # fmt: skip
    by = model_choice(prompts.COMMIT.prompt_id) if ok else rule("fallback.commit")
    ctx.state.commitments = [c.with_decision(answer, by) if c.key == item.key else c
                             for c in ctx.state.commitments]  # fmt: skip


def overlay(plan: DayPlan, items: list[Commitment], name: str) -> DayPlan:
    """`plan` with the hours of the commitments the agent goes to replaced by them."""
    hourly = list(plan.hourly)
    broad = list(plan.day_plan)
    for item in items:
        if item.going != "yes":
            continue
        text = item.activity(name)
        for hour in range(item.start_min // 60, min(24, -(-item.end_min // 60))):
            hourly[hour] = text
        if text not in broad:
            broad.append(text)
    return replace(plan, hourly=tuple(hourly), day_plan=tuple(broad))


def action_now(ctx: MindContext, block: Block, now: datetime) -> Action | None:
    """The commitment's action when `block` is one of today's commitments, else None."""
    minute = minute_of_day(now)
    item = next((c for c in today(ctx, now)
                 if c.going == "yes" and c.activity(ctx.name) == block.activity), None)
    if item is None:
        return None
    address = place_address(ctx, item.place)
    if not address:
        return None
    text = block.activity
    return Action(
        description=text, emoji=emoji_for(text, ""), address=address,
        duration_min=max(1, block.end_min - minute), event=(ctx.name, "is", text),
        object_state=object_state(address), by=item.by,
    )  # fmt: skip


def place_address(ctx: MindContext, place: str) -> str:
    """An address for a place name: the agent's routine place in it, else the first known
    arena (and object) of a sector or arena of that name; "" when the agent knows none."""
    wanted = place.lower().strip()
    if not wanted:
        return ""
    for block in ctx.persona.routine:
        parts = block["place"].split(":")
        if any(p.lower() == wanted for p in parts[1:3]):
            return block["place"]
    for world, sectors in ctx.spatial.tree.items():
        for sector, arenas in sectors.items():
            for arena, objects in arenas.items():
                if wanted in (sector.lower(), arena.lower()):
                    tail = f":{objects[0]}" if objects else ""
                    return f"{world}:{sector}:{arena}{tail}"
    return ""
