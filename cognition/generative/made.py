"""Who made the generative mind's outputs (`engine.provenance`), kept where a viewer or
`simulacra analyze` can read it.

Actions carry theirs (`Action.by`, from `Subtask.by`); dialogue lines and chat answers get
theirs through `ctx.made` (`context.Made`: `line`, `reply`), which the mind hands to the engine with its decision;
memories keep `by` and `importance_by`. Decisions that no record shows (which place an activity
happens at, the day plan's items) are tallied per kind in `MindState.made`, saved with the
mind, so a run's shares can be counted after it ended.

Kinds tallied: `place` (one per place chosen: the ranker's clear winner `rule:place.rank`, the
model's pick among the offered near-ties `choice:place.*`, a subtask moved by rule to a place
that fits it `rule:place.fit`); `plan_text` (one per block of a day's plan: the routine's own
text `rule:routine` or an intention cut from the agent's thoughts `rule:plan.intentions`, for
the model writes no plan text) and `plan_hours` (the wake-up hour and each intention's hours:
the model's choice, or the fallback).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from cognition.generative.context import MindContext
from cognition.generative.schedule import DayPlan, Subtask
from engine.provenance import Provenance, model_text, repaired, rule

if TYPE_CHECKING:
    from cognition.generative.prompts.base import Template

PLACE, PLAN_TEXT, PLAN_HOURS = "place", "plan_text", "plan_hours"
KINDS = (PLACE, PLAN_TEXT, PLAN_HOURS)
ROUTINE, INTERIM, SLEEP = rule("routine"), rule("interim"), rule("sleep")
SKIPPED_DECOMPOSE = rule("skipped.decompose")  # the gate: no call, the block's activity
PERCEIVED = rule("perceive")  # an event's text: the engine's description of what was seen
PLACE_RANK, PLACE_FIT = rule("place.rank"), rule("place.fit")
TRANSCRIPT = rule("transcript")  # a chat memory: the lines as said (each line has its own)
USER_TEXT = rule("user")  # what the user whispered, stored as the agent's thought
FIXED_IMPORTANCE = rule("importance.fixed")  # a constant the code gives (an interview: 3)
PLAN_THOUGHT = rule("plan.day")  # "This is X's plan for ...": the plan's items joined
PLAN_IMPORTANCE = rule("importance.plan")  # a plan thought is worth 5, as in the original


def summary(ctx: MindContext, template: Template) -> tuple[Provenance, Provenance]:
    """Who wrote the latest conversation summary and who rated its importance."""
    text = ctx.caller.made(template)
    return text, ctx.caller.made(template, choice=True) if text.by_model else text


def subtasks(ctx: MindContext, tasks: Iterable[Subtask], activity: str,
             template: Template) -> tuple[Subtask, ...]:
    """A decomposition stamped: each step the model wrote is its text; a step the parser
    replaced with the block's `activity` is the model's answer repaired; all are the fallback
    rule when the call failed."""
    made = ctx.caller.made(template)
    if not made.by_model:
        return tuple(replace(t, by=made) for t in tasks)
    text, fixed = model_text(template.prompt_id), repaired(template.prompt_id)
    return tuple(replace(t, by=fixed if t.task == activity else text) for t in tasks)


def moved(ctx: MindContext, task: Subtask, place: str) -> Subtask:
    """A subtask given its own place by rule (the chunk's did not fit it); tallied."""
    ctx.made.note(PLACE, PLACE_FIT)
    return replace(task, place=place)


def stamped(tasks: Iterable[Subtask], by: Provenance) -> tuple[Subtask, ...]:
    """Subtasks all made as `by` (the skipped decomposition's block activity)."""
    return tuple(replace(t, by=by) for t in tasks)


def day_plan(ctx: MindContext, plan: DayPlan, routine: list[str], plans: list[str],
             template: Template) -> DayPlan:
    """Tally a new day plan: its blocks' texts (rules) and its hours (the model's choice)."""
    hours = ctx.caller.made(template, choice=True)
    for block in plan.blocks():
        ctx.made.note(PLAN_TEXT, ROUTINE if block.activity in routine else rule("plan.intentions"))
    ctx.made.note(PLAN_HOURS, hours, 1 + len(plans))
    return plan


def place(ctx: MindContext, picks: list[Provenance]) -> Provenance:
    """Tally a place chosen in stages: the model's when it picked at any stage (its choice, or
    the fallback when that call failed), else the ranker's."""
    asked = [p for p in picks if p != PLACE_RANK]
    by = next((p for p in asked if p.by_model), asked[0] if asked else PLACE_RANK)
    return ctx.made.note(PLACE, by)
