"""Planning: the day in one call, the current hour-block into subtasks in one call, and actions.

`ensure_day_plan` makes today's plan when there is none (wake-up, broad strokes and an hourly
schedule conditioned on identity, routine and retrieved memories) and stores it as a plan thought.
`next_action` turns the plan into the action for now: a running subtask continues, a sleeping
block becomes one long action in bed, anything else is decomposed (at most a window of minutes
per call) with a location chosen from the places the agent knows. When no plan can be produced
the persona's routine answers.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from cognition.generative import commitments, dated, made, places
from cognition.generative.actions import emoji_for, valid_activity
from cognition.generative.common import (
    first_name,
    memory_lines,
    minute_of_day,
)
from cognition.generative.context import MindContext
from cognition.generative.fit import fits
from cognition.generative.perceive import flush
from cognition.generative.prompts import planning as prompts
from cognition.generative.prompts.planning import ACTIVITY_CHARS
from cognition.generative.schedule import (
    Block,
    Subtask,
    hhmm,
    parse_hhmm,
    routine_block_at,
    routine_hourly,
    routine_wake_up,
)
from cognition.memory.node import NodeKind
from cognition.routine.schedule import object_state, routine_action
from engine.agent_api import Action

PLAN_IMPORTANCE = 5  # the original stores the day plan thought with importance 5
SLEEP_EMOJI = "😴"


def routine_text(ctx: MindContext) -> str:
    """The routine as "07:00 morning routine; 08:00 ..." (the original's daily requirement)."""
    return "; ".join(f"{b['start']} {b['activity']}" for b in ctx.persona.routine)


def ensure_day_plan(ctx: MindContext, now: datetime, step: int) -> bool:
    """Make today's plan if there is none; True when a new plan was made."""
    date = now.date().isoformat()
    if ctx.state.plan is not None and ctx.state.plan.date == date:
        return False
    flush(ctx, step)  # yesterday's last sightings belong in the memories the plan recalls
    if ctx.state.plan is not None:  # a new day after one lived: revise "currently" first
        revise_identity(ctx, now, step)
    persona, name = ctx.persona, ctx.name
    queries = [f"{name}'s plan for today", f"important recent events for {name}"]
    memories = ctx.memory.retrieve(queries, now, ctx.settings.plan_retrieval_k)
    routine = routine_hourly(persona)
    wake = routine_wake_up(persona)
    context = {"date": date, "routine": routine, "routine_wake_min": wake}
    currently = ctx.state.currently or persona.currently
    own = [currently] + [n.description for n in memories if n.kind is NodeKind.THOUGHT
                         and "plan" not in n.keywords and n.subject == name]  # fmt: skip
    commitments.learn(ctx, now)
    own = [t for t in own if dated.parse(t, now) is None]  # a dated event keeps its own day
    plans = [p for p in prompts.intentions(own, known_names(ctx), name) if p not in routine]
    plan, _ = ctx.caller.ask(
        prompts.PLAN_DAY,
        step,
        partial(prompts.fallback_day, **context),
        schema=prompts.day_schema(routine, wake // 60, plans),
        parse=partial(prompts.parse_day, **context, plans=plans),
        identity=ctx.identity(),
        occupation=persona.occupation,
        routine=routine_text(ctx),
        date=now.strftime("%A %B %d"),
        first=persona.first_name,
        memories=memory_lines(memories, ctx.settings.memory_chars, 6),
        plans=prompts.plans_text(plans, persona.first_name),
        plan_keys=prompts.plan_keys_text(plans),
    )
    ctx.state.plan = made.day_plan(ctx, plan, routine, plans, prompts.PLAN_DAY)
    commitments.plan_today(ctx, now, step)
    plan = ctx.state.plan
    ctx.state.new_day_decompositions(
        ctx.settings.decompose_probe, ctx.settings.decompose_min_useful
    )
    ctx.state.subtasks = []
    ctx.state.chunk_activity = ctx.state.chunk_place = ""
    text = f"This is {name}'s plan for {now.strftime('%A %B %d')}: " + ", ".join(plan.day_plan)
    ctx.memory.add(
        NodeKind.THOUGHT, text, now, PLAN_IMPORTANCE,
        triple=(name, "plan", date), keywords=("plan",), by=made.PLAN_THOUGHT,
        importance_by=made.PLAN_IMPORTANCE,
    )  # fmt: skip
    return True


def revise_identity(ctx: MindContext, now: datetime, step: int) -> str:
    """The original's daily identity revision: "currently" rewritten from yesterday's plan and
    important events (one call); unchanged when the model gives no usable statement."""
    name, first = ctx.name, ctx.persona.first_name
    yesterday = ctx.state.plan.date if ctx.state.plan else ""
    queries = [f"{name}'s plan for {yesterday}", f"important recent events for {name}'s life"]
    memories = ctx.memory.retrieve(queries, now, ctx.settings.plan_retrieval_k)
    previous = ctx.state.currently or ctx.persona.currently
    currently, ok = ctx.caller.ask(
        prompts.REVISE,
        step,
        lambda: previous,
        parse=partial(prompts.parse_revise, first=first),
        identity=ctx.identity(),
        date=now.strftime("%A %B %d"),
        first=first,
        memories=memory_lines(memories, ctx.settings.memory_chars, 8),
    )
    ctx.state.currently = currently
    return currently


def next_action(ctx: MindContext, now: datetime, step: int, context: str = "") -> Action:
    """The action for now: continue a subtask, sleep, or decompose the current block."""
    ensure_day_plan(ctx, now, step)
    state = ctx.state
    minute = minute_of_day(now)
    index = state.current_subtask_index(minute)
    if index >= 0 and not context:
        return subtask_action(ctx, state.subtasks[index], minute)
    block = routine_detail(ctx, state.plan.block_at(minute), minute)  # type: ignore[union-attr]
    state.subtasks, state.chunk_activity, state.chunk_place = [], "", ""
    if block.sleeping:
        return sleep_action(ctx, block, minute)
    kept = commitments.action_now(ctx, block, now)
    return kept if kept is not None else decompose(ctx, block, now, step, context)


def committed_now(ctx: MindContext, now: datetime) -> Action | None:
    """The action of a commitment in today's plan at `now` (no model call), or None."""
    plan = ctx.state.plan
    if plan is None or plan.date != now.date().isoformat():
        return None
    return commitments.action_now(ctx, plan.block_at(minute_of_day(now)), now)


def routine_detail(ctx: MindContext, block: Block, minute: int) -> Block:
    """Where the plan follows the routine, the routine's finer blocks inside the hour.

    The day plan has one activity per hour; a routine block of half an hour (breakfast at the
    cafe from 07:30) would vanish inside "taking a shower" from 07:00. When the plan's block has
    the routine's activity at its start, the routine block covering `minute` (clipped to the
    plan's block) is used instead, so agents still go where their day takes them.
    """
    persona = ctx.persona
    if routine_block_at(persona, block.start_min)["activity"] != block.activity:
        return block
    starts = sorted(parse_hhmm(b["start"]) for b in persona.routine)
    start = max([block.start_min] + [m for m in starts if m <= minute])
    end = min([block.end_min] + [m for m in starts if m > minute])
    activity = routine_block_at(persona, minute)["activity"]
    return Block(start, end, activity) if start < end else block


def sleep_action(ctx: MindContext, block: Block, minute: int) -> Action:
    """One long action in bed until the sleeping block ends."""
    name, bed = ctx.name, ctx.persona.bed
    return Action(
        description="sleeping",
        emoji=SLEEP_EMOJI,
        address=bed,
        duration_min=max(1, block.end_min - minute),
        event=(name, "is", "sleeping"),
        object_state=object_state(bed) or "being slept in",
        sleeping=True,
        by=made.SLEEP,
    )


def subtask_action(ctx: MindContext, sub: Subtask, minute: int) -> Action:
    """The action for a subtask at its place (or the chunk's), lasting until its planned end."""
    place = sub.place or ctx.state.chunk_place
    return Action(
        description=sub.task,
        emoji=emoji_for(sub.task, sub.emoji),
        address=place,
        duration_min=max(1, sub.end_min - minute),
        event=(ctx.name, "is", sub.task),
        object_state=object_state(place),
        by=sub.by,
    )


def decompose(
    ctx: MindContext, block: Block, now: datetime, step: int, context: str = ""
) -> Action:
    """Decompose the rest of `block` (at most a window) into subtasks; the first one's action.

    Subtask texts are checked (`actions.valid_activity`); one that fails becomes the block's
    activity. The place is chosen in stages (`places.choose`) for the block's activity, and a
    subtask that does not fit it (a shower at the toaster) gets the best-ranked place for itself.
    A model whose decompositions today were mostly unusable is not asked again until tomorrow
    (`MindState.worth_decomposing`): the block's activity is then the one subtask, to its end.
    """
    settings, state = ctx.settings, ctx.state
    minute = minute_of_day(now)
    asking = state.worth_decomposing(settings.decompose_probe, settings.decompose_min_useful)
    end = min(block.end_min, minute + settings.decompose_window_min) if asking else block.end_min
    if block.end_min - end < settings.min_subtask_min:
        end = block.end_min
    total = end - minute
    activity = block_activity(ctx, block, minute)
    place = places.choose(ctx, activity, now, step)
    if total <= 0 or place is None:
        return fallback_action(ctx, now, step)
    if asking:
        subtasks = ask_subtasks(ctx, activity, minute, total, step, context)
        state.decompositions = [
            state.decompositions[0] + 1,
            state.decompositions[1] + useful(subtasks, activity),
        ]
    else:
        subtasks = made.stamped(prompts.fallback_decompose(activity, minute, total),
                                made.SKIPPED_DECOMPOSE)
    subtasks = [fitted(ctx, sub, place, now, step) for sub in subtasks]
    state.subtasks, state.chunk_activity, state.chunk_place = list(subtasks), activity, place
    return subtask_action(ctx, state.subtasks[0], minute)


def ask_subtasks(
    ctx: MindContext, activity: str, minute: int, total: int, step: int, context: str
) -> tuple[Subtask, ...]:
    """The model's subtasks for `activity` over `total` minutes from `minute` (one call)."""
    settings = ctx.settings
    parse = partial(
        prompts.parse_decompose, start_min=minute, total_min=total,
        low=settings.min_subtask_min, high=settings.max_subtask_min,
        names=known_names(ctx), fallback_task=activity,
    )  # fmt: skip
    subtasks, _ = ctx.caller.ask(
        prompts.PLAN_DECOMPOSE,
        step,
        partial(prompts.fallback_decompose, activity, minute, total),
        schema=prompts.decompose_schema(settings.max_subtasks),
        parse=parse,
        identity=ctx.identity(),
        first=first_name(ctx.name),
        start=hhmm(minute),
        end=hhmm(minute + total),
        minutes=total,
        activity=activity,
        most=settings.max_subtasks,
        context=f"\n{context}" if context else "",
    )
    return made.subtasks(ctx, subtasks, activity, prompts.PLAN_DECOMPOSE)


def useful(subtasks: tuple[Subtask, ...], activity: str) -> bool:
    """A decomposition is useful when the model wrote at least two distinct valid steps (a
    failed step is replaced by the block's activity, so those do not count)."""
    return len({s.task for s in subtasks if s.task != activity}) >= 2


def block_activity(ctx: MindContext, block: Block, minute: int) -> str:
    """The block's activity if it is a real activity, else the routine's for this time."""
    checked = valid_activity(block.activity, max_chars=ACTIVITY_CHARS, names=known_names(ctx))
    return checked or routine_block_at(ctx.persona, minute)["activity"]


def known_names(ctx: MindContext) -> set[str]:
    """Sector, arena and object names the agent knows (an activity must not be just one)."""
    out: set[str] = set()
    for sectors in ctx.spatial.tree.values():
        for sector, arenas in sectors.items():
            out.add(sector)
            for arena, objects in arenas.items():
                out.add(arena)
                out.update(objects)
    return out


def fitted(ctx: MindContext, sub: Subtask, place: str, now: datetime, step: int) -> Subtask:
    """`sub` with its own place when the chunk's place does not fit it (no model call)."""
    if fits(sub.task, place):
        return sub
    ranked = places.rank(ctx, sub.task, minute_of_day(now))
    usual = places.routine_place_for(ctx.persona, sub.task, minute_of_day(now))
    fallback = usual if fits(sub.task, usual) else place
    better = next((r.address for r in ranked if fits(sub.task, r.address)), fallback)
    return made.moved(ctx, sub, better)


def fallback_action(ctx: MindContext, now: datetime, step: int) -> Action:
    """The persona's routine action for now (used whenever no plan could be produced)."""
    ctx.state.subtasks, ctx.state.chunk_activity, ctx.state.chunk_place = [], "", ""
    return routine_action(ctx.persona, now.isoformat(), step)


def schedule_view(ctx: MindContext, now: datetime | None) -> list[dict[str, object]]:
    """Today's blocks for the inspector, with the chosen (or routine) place, current marked."""
    plan = ctx.state.plan
    if plan is None:
        return []
    minute = minute_of_day(now) if now else -1
    out = []
    for block in plan.blocks():
        current = block.start_min <= minute < block.end_min
        if block.sleeping:
            place = ctx.persona.bed
        elif current and ctx.state.chunk_place:
            place = ctx.state.chunk_place
        else:
            place = routine_block_at(ctx.persona, block.start_min)["place"]
        out.append(
            {"start": hhmm(block.start_min), "activity": block.activity, "place": place,
             "current": current}
        )  # fmt: skip
    return out
