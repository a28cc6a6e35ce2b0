"""Where an activity happens: candidates ranked first, then the original's sector -> arena ->
object stages, each a schema enum of the few best-ranked names.

Ranking (`rank`) scores every address the agent may use (its own home and rooms, public places;
other people's homes hidden, as the original did):

- fit: +3 where a rule of `fit.py` asks for the place (sleeping -> bed, washing -> a bathroom,
  eating -> where food is), -3 where the place breaks one (a bed or shower used for work);
- routine: +2 for the persona's routine place for this activity (the block with the same text,
  else the block of this time), +1.5 for its arena, +1 for its sector;
- similarity: + cosine of the activity to "arena object" names (the agent's embedder), and +1
  when the activity shares a word with them ("taking a shower" -> shower).

A stage offers only the names within `SENSIBLE_MARGIN` of the best (at most `STAGE_CHOICES`), and
asks the model only when more than one is left and none wins clearly (by `CLEAR_MARGIN`);
otherwise, and whenever the model fails, the top-ranked name is taken. The
model can only answer a name in the enum, so no unknown place ever reaches the engine. Who chose
(the ranker's clear winner, or the model among near-ties) is tallied (`made.place`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import numpy as np

from cognition.generative import locations, made
from cognition.generative.common import first_name
from cognition.generative.context import MindContext
from cognition.generative.fit import fit_score
from cognition.generative.prompts import places as prompts
from cognition.generative.schedule import routine_block_at
from cognition.memory.stream import content_words
from engine.agent_api import Persona
from engine.provenance import Provenance

FIT_WEIGHT = 3.0
ROUTINE_OBJECT, ROUTINE_ARENA, ROUTINE_SECTOR = 2.0, 1.5, 1.0
CLEAR_MARGIN = 2.0
NAME_WORD = 1.0  # the activity names the place ("taking a shower" -> shower)
SENSIBLE_MARGIN = 1.5  # a stage offers only names scoring within this of the best one
STAGE_CHOICES = 4  # names shown per stage


@dataclass(frozen=True, slots=True)
class Ranked:
    address: str
    score: float

    @property
    def parts(self) -> list[str]:
        return self.address.split(":")


def _routine_bonus(address: str, routine_place: str) -> float:
    a, r = address.split(":"), routine_place.split(":")
    if len(r) >= 4 and a[:4] == r[:4]:
        return ROUTINE_OBJECT
    if len(r) >= 3 and a[:3] == r[:3]:
        return ROUTINE_ARENA
    if len(r) >= 2 and a[:2] == r[:2]:
        return ROUTINE_SECTOR
    return 0.0


def routine_place_for(persona: Persona, activity: str, minute: int) -> str:
    """The routine's place for this activity (a block with the same text), else for this time."""
    same = next((b for b in persona.routine if b["activity"] == activity), None)
    return (same or routine_block_at(persona, minute))["place"]


def _label(address: str) -> str:
    parts = address.split(":")
    return " ".join(parts[2:]) if len(parts) > 2 else parts[-1]


def rank(ctx: MindContext, activity: str, minute: int) -> list[Ranked]:
    """Every usable address, best first (ties keep the spatial memory's order)."""
    persona = ctx.persona
    known = [
        a for a in ctx.spatial.addresses()
        if not locations.is_private_to_other(a, ctx.name, persona.living_area)
    ]  # fmt: skip
    if not known:
        return []
    routine_place = routine_place_for(persona, activity, minute)
    vectors = ctx.memory.embed([activity, *(_label(a) for a in known)])
    similarity = vectors[1:] @ vectors[0]
    words = content_words(activity)
    scored = [
        Ranked(a, FIT_WEIGHT * fit_score(activity, a) + _routine_bonus(a, routine_place)
               + float(np.clip(sim, 0.0, 1.0))
               + (NAME_WORD if words & content_words(_label(a)) else 0.0))
        for a, sim in zip(known, similarity, strict=True)
    ]  # fmt: skip
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].score, i))
    return [scored[i] for i in order]


def _groups(ranked: list[Ranked], level: int) -> list[tuple[str, float]]:
    """Distinct names at `level` (1 sector, 2 arena, 3 object) with their best score, best first."""
    best: dict[str, float] = {}
    for item in ranked:
        parts = item.parts
        if len(parts) > level:
            best.setdefault(parts[level], item.score)
    return list(best.items())


def choose(ctx: MindContext, activity: str, now: datetime, step: int) -> str | None:
    """The address for `activity` at `now`, chosen in stages; None when nothing is known."""
    minute = now.hour * 60 + now.minute
    ranked = rank(ctx, activity, minute)
    if not ranked:
        return None
    picks: list[Provenance] = []  # who chose at each stage
    for level, stage in ((1, prompts.SECTOR), (2, prompts.ARENA), (3, prompts.OBJECT)):
        groups = _groups(ranked, level)
        if not groups:
            break
        name = _pick(ctx, stage, groups, activity, ranked[0].parts[:level], now, step, picks)
        ranked = [r for r in ranked if len(r.parts) > level and r.parts[level] == name]
    made.place(ctx, picks)
    return ranked[0].address


def _pick(
    ctx: MindContext,
    stage: prompts.Stage,
    groups: list[tuple[str, float]],
    activity: str,
    where: list[str],
    now: datetime,
    step: int,
    picks: list[Provenance],
) -> str:
    best = groups[0][1]
    sensible = [(n, s) for n, s in groups if s >= best - SENSIBLE_MARGIN][:STAGE_CHOICES]
    shown = [name for name, _ in sensible]
    top: Callable[[], str] = lambda: shown[0]  # noqa: E731
    clear = len(sensible) == 1 or best - sensible[1][1] >= CLEAR_MARGIN
    if clear:
        picks.append(made.PLACE_RANK)
        return shown[0]
    name, _ = ctx.caller.ask(
        stage.template,
        step,
        top,
        schema=prompts.stage_schema(stage, shown),
        parse=partial(prompts.parse_stage, stage=stage, names=shown),
        identity=ctx.persona.identity_text(),
        first=first_name(ctx.name),
        time=now.strftime("%H:%M"),
        activity=activity,
        inside=prompts.inside_text(where),
        options="\n".join(f"- {n}" for n in shown),
    )
    picks.append(ctx.caller.made(stage.template, choice=True))
    return name
