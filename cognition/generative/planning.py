"""Planning: the day in one call, the current hour-block into subtasks in one call, and actions.

`ensure_day_plan` makes today's plan when there is none (wake-up, broad strokes and an hourly
schedule conditioned on identity, routine and retrieved memories) and stores it as a plan thought.
`next_action` turns the plan into the action for now: a running subtask continues, a sleeping
block becomes one long action in bed, anything else is decomposed (at most a window of minutes
per call) with a location chosen from the places the agent knows. When no plan can be produced
the persona's routine answers.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from cognition.generative import locations
from cognition.generative.common import (
    clock_text,
    first_name,
    identity,
    memory_lines,
    minute_of_day,
)
from cognition.generative.prompts import planning as prompts
from cognition.generative.schedule import (
    Block,
    Subtask,
    hhmm,
    is_sleeping,
    routine_block_at,
    routine_hourly,
    routine_wake_up,
)
from cognition.memory.node import NodeKind
from cognition.routine.schedule import object_state, routine_action
from engine.agent_api import Action

if TYPE_CHECKING:
    from cognition.generative.mind import GenerativeMind

PLAN_IMPORTANCE = 5  # the original stores the day plan thought with importance 5
SLEEP_EMOJI = "😴"


def routine_text(mind: GenerativeMind) -> str:
    """The routine as "07:00 morning routine; 08:00 ..." (the original's daily requirement)."""
    return "; ".join(f"{b['start']} {b['activity']}" for b in mind.persona.routine)


def plan_example(mind: GenerativeMind, wake_min: int, routine: list[str]) -> dict[str, str]:
    """Example slots built from the persona's own routine: a tiny model that copies the example
    then copies a sensible day rather than placeholder text."""
    awake = [a for a in dict.fromkeys(routine) if not is_sleeping(a)][:5]
    wake_hour = min(23, wake_min // 60)
    return {
        "wake": hhmm(wake_min),
        "plan_example": json.dumps(awake, ensure_ascii=False),
        "wake_hour": str(wake_hour),
        "wake_activity": routine[wake_hour],
    }


def ensure_day_plan(mind: GenerativeMind, now: datetime, step: int) -> bool:
    """Make today's plan if there is none; True when a new plan was made."""
    date = now.date().isoformat()
    if mind.state.plan is not None and mind.state.plan.date == date:
        return False
    persona, name = mind.persona, mind.name
    queries = [f"{name}'s plan for today", f"important recent events for {name}"]
    memories = mind.memory.retrieve(queries, now, mind.settings.plan_retrieval_k)
    routine = routine_hourly(persona)
    wake = routine_wake_up(persona)
    context = {"date": date, "routine": routine, "routine_wake_min": wake}
    plan, _ = mind.caller.ask(
        prompts.PLAN_DAY,
        step,
        partial(prompts.fallback_day, **context),
        schema=prompts.DAY_SCHEMA,
        parse=partial(prompts.parse_day, **context),
        identity=identity(persona),
        occupation=persona.occupation,
        routine=routine_text(mind),
        date=now.strftime("%A %B %d"),
        first=persona.first_name,
        memories=memory_lines(memories, mind.settings.memory_chars, 6),
        **plan_example(mind, wake, routine),
    )
    mind.state.plan = plan
    mind.state.subtasks = []
    mind.state.chunk_activity = mind.state.chunk_place = ""
    text = f"This is {name}'s plan for {now.strftime('%A %B %d')}: " + ", ".join(plan.day_plan)
    mind.memory.add(
        NodeKind.THOUGHT, text, now, PLAN_IMPORTANCE,
        triple=(name, "plan", date), keywords=("plan",),
    )  # fmt: skip
    return True


def next_action(mind: GenerativeMind, now: datetime, step: int, context: str = "") -> Action:
    """The action for now: continue a subtask, sleep, or decompose the current block."""
    ensure_day_plan(mind, now, step)
    state = mind.state
    minute = minute_of_day(now)
    index = state.current_subtask_index(minute)
    if index >= 0 and not context:
        return subtask_action(mind, state.subtasks[index], state.chunk_place, minute)
    block = state.plan.block_at(minute)  # type: ignore[union-attr]
    state.subtasks, state.chunk_activity, state.chunk_place = [], "", ""
    if block.sleeping:
        return sleep_action(mind, block, minute)
    return decompose(mind, block, now, step, context)


def sleep_action(mind: GenerativeMind, block: Block, minute: int) -> Action:
    """One long action in bed until the sleeping block ends."""
    name, bed = mind.name, mind.persona.bed
    return Action(
        description="sleeping",
        emoji=SLEEP_EMOJI,
        address=bed,
        duration_min=max(1, block.end_min - minute),
        event=(name, "is", "sleeping"),
        object_state=object_state(bed) or "being slept in",
        sleeping=True,
    )


def subtask_action(mind: GenerativeMind, sub: Subtask, place: str, minute: int) -> Action:
    """The action for a subtask, lasting until its planned end."""
    return Action(
        description=sub.task,
        emoji=sub.emoji,
        address=place,
        duration_min=max(1, sub.end_min - minute),
        event=(mind.name, "is", sub.task),
        object_state=object_state(place),
    )


def place_choices(mind: GenerativeMind, minute: int) -> list[str]:
    """The location enum for decomposition at this minute of the day."""
    persona = mind.persona
    preferred = [routine_block_at(persona, minute)["place"], persona.workplace, persona.bed]
    return locations.choices(
        mind.spatial, mind.name, persona.living_area, preferred, mind.settings.max_places
    )


def decompose(
    mind: GenerativeMind, block: Block, now: datetime, step: int, context: str = ""
) -> Action:
    """Decompose the rest of `block` (at most a window) into subtasks; the first one's action."""
    settings, state = mind.settings, mind.state
    minute = minute_of_day(now)
    end = min(block.end_min, minute + settings.decompose_window_min)
    if block.end_min - end < settings.min_subtask_min:
        end = block.end_min
    total = end - minute
    places = place_choices(mind, minute)
    if total <= 0 or not places:
        return fallback_action(mind, now, step)
    parse = partial(
        prompts.parse_decompose, places=places, start_min=minute, total_min=total,
        low=settings.min_subtask_min, high=settings.max_subtask_min,
    )  # fmt: skip
    result, _ = mind.caller.ask(
        prompts.PLAN_DECOMPOSE,
        step,
        prompts.fallback_decompose,
        schema=prompts.decompose_schema(places, settings.max_subtasks),
        parse=parse,
        identity=identity(mind.persona),
        first=first_name(mind.name),
        start=hhmm(minute),
        end=hhmm(end),
        minutes=total,
        activity=block.activity,
        emoji=routine_block_at(mind.persona, minute).get("emoji", "🙂"),
        context=f"\n{context}" if context else "",
        places="\n".join(places),
        example_place=places[0],
    )
    if result is None:
        return fallback_action(mind, now, step)
    subtasks, place = result
    if place not in places or not mind.spatial.knows(place):
        return fallback_action(mind, now, step)
    state.subtasks, state.chunk_activity, state.chunk_place = list(subtasks), block.activity, place
    return subtask_action(mind, subtasks[0], place, minute)


def fallback_action(mind: GenerativeMind, now: datetime, step: int) -> Action:
    """The persona's routine action for now (used whenever no plan could be produced)."""
    mind.state.subtasks, mind.state.chunk_activity, mind.state.chunk_place = [], "", ""
    return routine_action(mind.persona, now.isoformat(), step)


def schedule_view(mind: GenerativeMind, now: datetime | None) -> list[dict[str, object]]:
    """Today's blocks for the inspector, with the chosen (or routine) place, current marked."""
    plan = mind.state.plan
    if plan is None:
        return []
    minute = minute_of_day(now) if now else -1
    out = []
    for block in plan.blocks():
        current = block.start_min <= minute < block.end_min
        if block.sleeping:
            place = mind.persona.bed
        elif current and mind.state.chunk_place:
            place = mind.state.chunk_place
        else:
            place = routine_block_at(mind.persona, block.start_min)["place"]
        out.append(
            {"start": hhmm(block.start_min), "activity": block.activity, "place": place,
             "current": current}
        )  # fmt: skip
    return out


def clock(now: datetime) -> str:
    return clock_text(now)
