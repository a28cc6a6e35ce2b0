"""Conversations: one call per turn, and one call to sum a finished conversation up.

The first turn picks a topic from the speaker's memories (the most important thought or chat
retrieved for the partner and for news worth sharing). Every turn retrieves memories about the
partner, the topic and what was just said (the topic memory listed first), adds the relationship
summary if the pair met before (the memories shown in the prompt are those of the speaker's first
turn, so that part of the prompt stays evaluated between turns), picks what the speaker wants to say (the first memory not yet
said, in the first person: a small model writes a line around it instead of copying an example),
and asks for the next line with an end flag; a line repeating an earlier one (or too short, or
copying the instructions) is retried once, then the statement itself is said; with nothing new
to say the conversation closes; it is forced to end at the line limit. When it ends the transcript becomes a chat memory, a summary
thought (citing it) is stored, the relationship summary is updated, the pair cools down, and the
rest of the current block is re-planned.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial

from cognition.generative import made, planning
from cognition.generative.actions import similar_lines
from cognition.generative.common import (
    clock_text,
    first_name,
    first_person,
    game_time,
    memory_lines,
    retold,
)
from cognition.generative.context import MindContext
from cognition.generative.prompts import social as prompts
from cognition.memory.node import MemoryNode, NodeKind
from engine.agent_api import Action, ConversationView, Percept, Utterance

SHOWN_LINES = 6
TOPIC_CHARS = 160
STATEMENT_CHARS = 200
TOLD_BEFORE = 24  # the newest chats (and lines in them) searched for what was told before
SAID_OVERLAP = 0.5  # word overlap with a line of the conversation that makes a statement said
AVOID_NOTE = "\nSay something new: do not repeat any line above."
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


def pick_topic(ctx: MindContext, partner: str, now: datetime) -> MemoryNode | None:
    """What to talk about: the best-scored thought or conversation (recency, importance and
    relevance, as retrieval ranks them) for what the speaker is busy with and for the partner;
    plans and plain observations are not topics. None when nothing qualifies."""
    currently = ctx.state.currently or ctx.persona.currently
    found = ctx.memory.retrieve([currently, partner], now, ctx.settings.retrieval_k)
    return next(
        (n for n in found if n.kind != NodeKind.EVENT and "plan" not in n.keywords), None
    )


def to_partner(text: str, partner: str) -> str:
    """The partner named inside a statement becomes "you" ("I have known Klaus Mueller for a
    while" said to Klaus: "I have known you for a while"); a sentence opening with the name
    keeps it (its verb would need changing too) unless it is "<partner> and I"."""
    if text.startswith(f"{partner} and I "):
        return "You and I " + text[len(partner) + 7 :]
    head, _, rest = text.partition(" ")
    rest = rest.replace(f"{partner}'s", "your")
    rest = re.sub(rf"\b{re.escape(partner)}\b", "you", rest)
    return f"{head} {rest}".strip() if rest else head


_TOLD = re.compile(r"^([A-Z][\w'-]*) told me: ")  # how saves before retold() kept news


def statements_of(ctx: MindContext, node: MemoryNode, partner: str = "") -> list[str]:
    """What the speaker could say about a memory, in the first person; none when it is not
    worth saying (plans, conversation summaries, idle or chatting observations, other people's
    plain observations).

    A thought or the speaker's own observation is put in the first person ("I am throwing a
    Valentine's Day party ..."); a conversation gives what the other person said in it, in
    order, as news about them ("Isabella is throwing a Valentine's Day party ..."), so news can
    travel on without the next teller saying it as their own; the speaker's own lines in a chat
    with someone else can be said again to this partner. Lines the partner said, lines
    addressed to someone ("you") and news about the speaker or the partner are left out.
    """
    if "plan" in node.keywords or "summary" in node.keywords or node.is_idle:
        return []  # a conversation's own lines say more than its summary
    if node.kind == NodeKind.CHAT:
        out = []
        for speaker, line in node.filling:
            line = " ".join(line.split())
            if speaker == partner or re.search(r"\byou(r)?\b", line, re.I):
                continue
            if speaker == ctx.name:  # what the speaker told someone else is news to this partner
                if partner and node.object != partner and not _TOLD.match(line):
                    out.append(line[:STATEMENT_CHARS])
                continue
            told = _TOLD.match(line)  # "Isabella told me: I am ...", from an older save
            news = retold(line[told.end():], told.group(1)) if told else retold(line, speaker)
            about = [first_name(ctx.name)] + ([first_name(partner)] if partner else [])
            if any(re.search(rf"\b{re.escape(who)}\b", news) for who in about):
                continue  # news about the speaker or the partner is no news to them
            out.append(news[:STATEMENT_CHARS])
        return out
    if node.kind == NodeKind.EVENT and (node.subject != ctx.name or node.predicate != "is"
                                        or node.object.startswith(("chatting", "sleeping"))):
        return []
    text = first_person(node.description, ctx.name)
    return [(to_partner(text, partner) if partner else text)[:STATEMENT_CHARS]]


def _private(text: str) -> bool:
    return bool(re.search(r"\bsecret(ly)?\b|\bnever told\b|\bnot told\b", text, re.I))


def pick_statement(
    ctx: MindContext, memories: list[MemoryNode], topic: MemoryNode | None, said: list[str],
    partner: str = "",
) -> str:
    """The first memory (topic first) whose statement was not said yet in this conversation
    and is no secret ("secretly", "never told")."""
    for node in ([topic] if topic is not None else []) + memories:
        for text in statements_of(ctx, node, partner):
            if _private(text):
                continue  # a secret is not told
            if not any(similar_lines(text, old, SAID_OVERLAP) for old in said):
                return text
    return ""


def turn(
    ctx: MindContext, percept: Percept, conversation: ConversationView
) -> tuple[str | None, bool]:
    """(line to say or None, end the conversation).

    Each turn the speaker has something to say: the first not yet said of its topic memory and
    the memories retrieved for the partner, the topic and the last lines, in the first person.
    The model writes the line around it; a line that is too short, repeats an earlier line or
    copies the instructions is asked for again once (another seed), then the statement itself is
    said; with nothing left to say the conversation closes, so a repeated line never reaches the
    world or a memory. The model's "end" counts from the second line on (a greeting is answered).
    """
    settings, state = ctx.settings, ctx.state
    partner = partner_of(ctx, conversation)
    now = game_time(percept.time_iso)
    topic_node = None
    known = dict(state.conversation or {})
    if known.get("id") != conversation.conversation_id:
        topic_node = pick_topic(ctx, partner, now)
        state.topic = topic_node.description[:TOPIC_CHARS] if topic_node else ""
        known = {}
    state.conversation = {"id": conversation.conversation_id, "partner": partner}
    lines = conversation.lines
    if len(lines) >= settings.max_conversation_lines:
        return None, True
    relation = state.relationships.get(partner, "")
    queries = [partner, state.topic or relation or f"{ctx.name} and {partner}"]
    if lines:
        queries.append(" ".join(u.text for u in lines[-2:]))
    memories = ctx.memory.retrieve(queries, now, settings.retrieval_k)
    memories = [n for n in memories if "plan" not in n.keywords]  # plans get read out verbatim
    ordered = [n for n in memories if n.description[:TOPIC_CHARS] == state.topic] + [
        n for n in memories if n.description[:TOPIC_CHARS] != state.topic
    ]
    earlier = [u.text for u in lines]
    told_before = [
        text for n in ctx.memory.recent(TOLD_BEFORE, kinds=(NodeKind.CHAT,))
        if n.object == partner for speaker, text in n.filling if speaker == ctx.name
    ][:TOLD_BEFORE]  # what the speaker already told this partner: not news any more
    statement = pick_statement(ctx, ordered, topic_node, earlier + told_before, partner)
    # The time the conversation began and the memories brought into it stay the same for its
    # whole length (the prompt's head, kept evaluated between turns); what to say is per turn.
    began, shown = known.get("began"), known.get("memories")
    if not isinstance(began, str) or not isinstance(shown, str):
        began = clock_text(now)
        # a secret in the prompt is said aloud by a small model, whatever the statement is
        shown = memory_lines([n for n in ordered if not _private(n.description)],
                             settings.memory_chars, settings.retrieval_k)
    state.conversation.update(began=began, memories=shown)
    fields = dict(
        identity=ctx.identity(), time=began, first=first_name(ctx.name),
        other=partner, other_first=first_name(partner), place=place_text(conversation.place),
        relationship=f"Relationship with {partner}: {relation}\n" if relation else "",
        memories=shown,
        wants=(f'{first_name(ctx.name)} wants to say to {first_name(partner)}: '
               f'"{statement.replace(chr(34), chr(39))}"\n' if statement else ""),
        lines=lines_text(lines, "(nobody has spoken yet; start the conversation)"),
    )  # fmt: skip
    # A tiny model may answer with the instructions themselves ("What does Isabella say next?")
    prompt = prompts.TURN.render(avoid="", **fields)
    instructions = tuple(line for line in prompt.splitlines()[-2:] if line) + (
        AVOID_NOTE.strip(), f"{first_name(ctx.name)} wants to say to {first_name(partner)}")
    parse = partial(prompts.parse_turn, name=ctx.name, earlier=tuple(earlier),
                    instructions=instructions)  # fmt: skip
    fallback = (lambda: (statement, False)) if statement else prompts.fallback_turn
    (text, end), ok = ctx.caller.ask(
        prompts.TURN, percept.step, fallback, parse=parse, avoid=AVOID_NOTE if lines else "",
        **fields,
    )  # fmt: skip
    if not ok and not statement:
        return None, True
    end = (end and len(lines) >= 1) or len(lines) + 1 >= settings.max_conversation_lines
    made.line(ctx, text, statement, prompts.TURN)
    return text, end


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
    context = f"{first} just talked with {partner}: {summary}"
    return planning.next_action(ctx, now, step, context=context)
