"""The user's side: interviews answered in character from retrieved memories, and whispers
(single thoughts or a history file's statements) planted as thought memories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import partial

from cognition.generative import answering, made
from cognition.generative.answering import FULL, Recall
from cognition.generative.common import clock_text, first_name, third_person
from cognition.generative.context import MindContext
from cognition.generative.perceive import rated
from cognition.generative.prompts import social as prompts
from cognition.generative.prompts.base import numbered_list
from cognition.memory.node import NodeKind
from engine.provenance import Provenance, model_choice, model_text, rule

USER = "the user"
INTERVIEW_IMPORTANCE = 3
INTERVIEW_K = 10
MAX_OPTIONS = 5
PLAN_KEYWORD = "plan"


@dataclass(frozen=True, slots=True)
class Answer:
    """An interview reply and who made it (the model's choice, its text, or the fallback)."""

    text: str
    by: Provenance
    rank: int = 0  # 1-based place of the chosen sentence among those offered (0: written)


def interview(ctx: MindContext, question: str, now: datetime, step: int) -> str:
    """Answer `question` in character and remember the exchange (the chat and the window)."""
    return answer(ctx, question, now, step).text


def answer(
    ctx: MindContext, question: str, now: datetime, step: int, *, recall: Recall = FULL,
    remember: bool = True,
) -> Answer:  # fmt: skip
    """Answer `question` in character from what `recall` allows (persona, plan, memories).

    With `settings.interview_free` (a capable model) the model writes the reply from the
    options as notes; otherwise it chooses one of the offered sentences and that is the reply.
    `remember=False` stores nothing (`simulacra evaluate`)."""
    question = " ".join(question.split())[:300]
    options = gather(ctx, question, now, recall)
    action = ctx.state.action
    fields = dict(
        identity=ctx.identity(), time=clock_text(now), first=first_name(ctx.name),
        activity=action.description if action and recall.plans else "going about the day",
        question=question.replace('"', "'"),
    )  # fmt: skip
    if ctx.settings.interview_free:
        notes = answering.bullet_lines([o.text for o in options if o.source != "move"])
        reply, ok = ctx.caller.ask(
            prompts.INTERVIEW, step, prompts.fallback_interview,
            parse=partial(prompts.parse_interview, question=question), memories=notes,
            seed_key=question, **fields,
        )  # fmt: skip
        result = Answer(reply, model_text(prompts.INTERVIEW.prompt_id) if ok
                        else rule("fallback.interview"))
    else:
        texts = [o.text for o in options]
        index, ok = ctx.caller.ask(
            prompts.INTERVIEW_CHOICE, step, lambda: texts.index(answering.DONT_KNOW),
            schema=prompts.choice_schema(len(texts)),
            parse=partial(prompts.parse_choice, count=len(texts)),
            options=numbered_list(texts), seed_key=question, **fields,
        )  # fmt: skip
        result = Answer(answering.frame(options[index], question),
                        model_choice(prompts.INTERVIEW_CHOICE.prompt_id) if ok
                        else rule("fallback.interview"), index + 1)
    if remember:
        description = (f'{USER} asked {ctx.name} "{question}"; '
                       f'{first_name(ctx.name)} said "{result.text}"')
        ctx.memory.add(
            NodeKind.CHAT, description[:400], now, INTERVIEW_IMPORTANCE,
            triple=(ctx.name, "chat with", USER), keywords=(USER, "interview"),
            filling=[(USER, question), (ctx.name, result.text)], by=result.by,
            importance_by=made.FIXED_IMPORTANCE,
        )  # fmt: skip
    return result


def gather(ctx: MindContext, question: str, now: datetime, recall: Recall) -> list[answering.Option]:
    """The ranked options for `question`: persona facts always; plan, people and retrieved
    memories as `recall` allows; everyday reactions and "I don't know"."""
    options = answering.persona_options(ctx)
    if recall.plans:
        options += answering.plan_options(ctx, now, question)
    if recall.kinds:
        if NodeKind.CHAT in recall.kinds:
            options += answering.people_options(ctx)
        found = ctx.memory.retrieve([question], now, INTERVIEW_K, kinds=recall.kinds,
                                    without=recall.without)
        if recall.plans:  # the plan is offered as such: its memories would say it again
            found = [n for n in found if PLAN_KEYWORD not in n.keywords]
        options += answering.memory_options(found, ctx.name)
    options += answering.fixed_options()
    return answering.rank(options, question, MAX_OPTIONS)


def as_thoughts(ctx: MindContext, statements: list[str]) -> list[str]:
    """Whispered statements as the thoughts they are stored as (third person)."""
    return [third_person(s, ctx.name) for s in statements if s.strip()]


def whisper(ctx: MindContext, statements: list[str], now: datetime, step: int) -> list[str]:
    """Store each statement (second person allowed) as a thought; one batched importance call."""
    thoughts = as_thoughts(ctx, statements)
    if not thoughts:
        return []
    scores = rated(ctx, thoughts, step)
    for text, (importance, by) in zip(thoughts, scores):
        ctx.memory.add(
            NodeKind.THOUGHT, text, now, importance,
            triple=(ctx.name, "thinks", "whisper"), keywords=("whisper",), by=made.USER_TEXT,
            importance_by=by,
        )  # fmt: skip
    return thoughts
