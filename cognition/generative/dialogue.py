"""Conversations as exchanges: one choice per turn, and one call to sum a finished
conversation up.

Each line is built by `talk`: a part that takes up the partner's last line (a greeting, an
answer to a question from the speaker's own action, plan or "currently", a reaction to news),
then one act the model chooses among offered options (`dialogue.act.v1`: invite the partner to
a dated event, tell news heard from someone with its source, ask what the partner is doing or
planning, say goodbye; to an invitation, accept or decline). Templates write the words. The
choice is recorded as the model's (`model_choice`); a line with one option left, or the wrap-up
at the line limit, is the rule's. Accepting or declining an invitation is kept as a decision on
the commitment (`commitments.decide`). When the conversation ends the transcript becomes a chat
memory, a summary thought (citing it) is stored, the relationship summary is updated, the
events it told of become commitments, the pair cools down, and the rest of the current block is
re-planned.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial

from cognition.generative import commitments, made, planning, talk, wording
from cognition.generative.common import (
    clock_text,
    first_name,
    game_time,
    memory_lines,
    minute_of_day,
)
from cognition.generative.context import MindContext
from cognition.generative.prompts import social as prompts
from cognition.generative.schedule import is_sleep_activity, routine_block_at
from cognition.generative.talk import Option
from cognition.memory.node import NodeKind
from engine.agent_api import Action, ConversationView, Percept, Utterance
from engine.provenance import Provenance, model_choice, rule

SHOWN_LINES = 6
CHAT_DESCRIPTION_CHARS = 320


def partner_of(ctx: MindContext, conversation: ConversationView) -> str:
    return next((p for p in conversation.participants if p != ctx.name), ctx.name)


def lines_text(lines: tuple[Utterance, ...] | list[Utterance], empty: str) -> str:
    shown = list(lines)[-SHOWN_LINES:]
    if not shown:
        return empty
    return "\n".join(f"{u.speaker}: {' '.join(u.text.split())[:200]}" for u in shown)


def place_text(address: str) -> str:
    parts = address.split(":")
    return f"the {parts[2]} in {parts[1]}" if len(parts) >= 3 else (parts[-1] or "here")


def doing_now(ctx: MindContext, now: datetime, paused: str = "") -> str:
    """What the speaker was busy with before the conversation (not "chatting with ..."): the
    action the engine paused for it, else the mind's own latest action (which may be older:
    an action started while the mind was still thinking is the engine's), else the plan."""
    action = ctx.state.action
    text = paused or (action.description if action else "")
    if not text or re.match(r"^(chatting|talking|conversing|waiting)\b", text):
        plan, minute = ctx.state.plan, minute_of_day(now)
        text = (plan.block_at(minute).activity if plan
                else routine_block_at(ctx.persona, minute)["activity"])
    return "" if is_sleep_activity(text) else text


def turn(
    ctx: MindContext, percept: Percept, conversation: ConversationView
) -> tuple[str | None, bool]:
    """(line to say or None, end the conversation); see the module docstring. The line's
    provenance is left in `ctx.state.line_by`."""
    settings, state = ctx.settings, ctx.state
    partner = partner_of(ctx, conversation)
    now = game_time(percept.time_iso)
    known = dict(state.conversation or {})
    if known.get("id") != conversation.conversation_id:
        commitments.learn(ctx, now)  # what the speaker knows of before it talks
        known = {"events": [c.key for c in state.commitments]}
    state.conversation = {"id": conversation.conversation_id, "partner": partner,
                          "events": list(known.get("events", []))}
    lines = [(u.speaker, " ".join(u.text.split())) for u in conversation.lines]
    if len(lines) >= settings.max_conversation_lines:
        return None, True
    last = lines[-1][1] if lines and lines[-1][0] == partner else ""
    invited = talk.invitation_in(last, now, partner) if last else None
    decided = next((c for c in state.commitments if c.key == invited.key
                    and c.going in ("yes", "no")), None) if invited is not None else None
    if decided is not None:  # asked again: the answer given before stands, it is not re-decided
        invited = None
        hi = f"Hi {first_name(partner)}! " if len(lines) == 1 else ""
        prefix = hi + ("Thanks, I'm already going!" if decided.going == "yes"
                       else "Thanks, but I already said I can't make it.")
    elif invited is not None:
        commitments.add(ctx, invited, now)
        prefix = f"Hi {first_name(partner)}!" if len(lines) == 1 else ""
    else:
        prefix = talk.take_up(ctx, partner, now, lines, doing_now(ctx, now, percept.talk_paused),
                              set(state.conversation["events"]))
    offered = talk.options(ctx, partner, now, lines, invited)
    closing = len(lines) + 1 >= settings.max_conversation_lines
    choice, by = choose(ctx, percept, conversation, offered, now, closing)
    if choice is not None and choice.kind in ("accept", "decline"):
        commitments.decide(ctx, choice.key, "yes" if choice.kind == "accept" else "no",
                           prompts.ACT.prompt_id)
        if not by.by_model:
            commitments.decide_rule(ctx, choice.key, by.via)
    text = " ".join(p for p in (prefix, choice.text if choice else "") if p)
    end = choice is not None and choice.kind == "bye"
    if closing and not end:
        text += f" Anyway, I have to go. See you, {first_name(partner)}!"
        end = True
    label = choice.label if choice else "answer"
    text, by = wording.reword(ctx, percept.step, text, label, partner,
                              lines_text(conversation.lines, "(nobody has spoken yet)"),
                              clock_text(now), by, tuple(t for _, t in lines))  # fmt: skip
    state.line_by = by
    return (text or None), end


def choose(
    ctx: MindContext, percept: Percept, conversation: ConversationView, offered: list[Option],
    now: datetime, closing: bool,
) -> tuple[Option | None, Provenance]:
    """The model's choice among `offered` (one call); no call with one option or none."""
    if closing:
        pick = next((o for o in offered if o.kind in ("accept", "decline", "bye")), None)
        return pick, rule("dialogue.wrap_up")
    if len(offered) <= 1:
        return (offered[0] if offered else None), rule("dialogue.only_option")
    partner = partner_of(ctx, conversation)
    state, settings = ctx.state, ctx.settings
    began, shown = state.conversation.get("began"), state.conversation.get("memories")
    if not isinstance(began, str) or not isinstance(shown, str):
        relation = state.relationships.get(partner, "")
        found = ctx.memory.retrieve([partner, relation or f"{ctx.name} and {partner}"], now,
                                    settings.retrieval_k)
        began = clock_text(now)
        shown = memory_lines([n for n in found if "plan" not in n.keywords
                              and not _private(n.description)],
                             settings.memory_chars, settings.retrieval_k)  # fmt: skip
    state.conversation.update(began=began, memories=shown)
    relation = state.relationships.get(partner, "")
    labels = [o.label for o in offered]
    fallback = next((o for o in offered if o.kind in ("decline", "bye")), offered[0])
    label, ok = ctx.caller.ask(
        prompts.ACT, percept.step, lambda: fallback.label, schema=prompts.act_schema(labels),
        parse=partial(prompts.parse_act, labels=tuple(labels)),
        identity=ctx.identity(), time=began, first=first_name(ctx.name), other=partner,
        other_first=first_name(partner), place=place_text(conversation.place),
        relationship=f"Relationship with {partner}: {relation}\n" if relation else "",
        memories=shown, lines=lines_text(conversation.lines, "(nobody has spoken yet)"),
        options="; ".join(f'"{label}"' for label in labels),
    )  # fmt: skip
    pick = next(o for o in offered if o.label == label)
    return pick, (model_choice(prompts.ACT.prompt_id) if ok else rule("fallback.dialogue"))


def _private(text: str) -> bool:
    """A secret ("secretly", "never told") is not brought into a conversation's prompt."""
    return bool(re.search(r"\bsecret(ly)?\b|\bnever told\b|\bnot told\b", text, re.I))


def finish(
    ctx: MindContext,
    percept: Percept,
    conversation: ConversationView,
    extra: Utterance | None = None,
) -> Action | None:
    """Remember a finished conversation once and re-plan; the new action (None if seen before)."""
    if conversation.conversation_id in ctx.state.handled_conversations:
        return None
    ctx.state.mark_handled(conversation.conversation_id)
    partner = partner_of(ctx, conversation)
    lines = list(conversation.lines) + ([extra] if extra else [])
    now, step = game_time(percept.time_iso), percept.step
    previous = ctx.state.relationships.get(partner, "")
    first = first_name(ctx.name)
    summary, relationship, importance = ctx.caller.ask(
        prompts.SUMMARY,
        step,
        lambda: prompts.fallback_summary(first, partner, previous),
        identity=ctx.identity(),
        first=first,
        other=partner,
        other_first=first_name(partner),
        lines=lines_text(lines, "(nothing was said)"),
        previous=f"Before, {first} saw the relationship as: {previous}\n" if previous else "",
    )[0]
    summed, rated = made.summary(ctx, prompts.SUMMARY)
    transcript = " ".join(f"{first_name(u.speaker)}: {' '.join(u.text.split())}" for u in lines)
    description = f"conversation with {partner}: {transcript}"[:CHAT_DESCRIPTION_CHARS]
    chat = ctx.memory.add(
        NodeKind.CHAT, description, now, importance,
        triple=(ctx.name, "chat with", partner), keywords=(partner, "conversation"),
        filling=[(u.speaker, u.text) for u in lines], by=made.TRANSCRIPT, importance_by=rated,
    )  # fmt: skip
    ctx.memory.add(
        NodeKind.THOUGHT, summary, now, importance,
        triple=(ctx.name, "talked with", partner), keywords=(partner, "summary"),
        evidence=(chat.node_id,), by=summed, importance_by=rated,
    )  # fmt: skip
    if relationship:
        ctx.state.relationships[partner] = relationship
    ctx.state.chat_cooldown[partner] = step + ctx.settings.chat_cooldown_steps
    ctx.state.last_talk_step = step
    ctx.state.conversation, ctx.state.topic = None, ""
    commitments.learn(ctx, now)  # an event told of becomes a commitment (today's is planned)
    commitments.plan_today(ctx, now, step)
    context = f"{first} just talked with {partner}: {summary}"
    return planning.next_action(ctx, now, step, context=context)
