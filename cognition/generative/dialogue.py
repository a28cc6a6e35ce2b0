"""Conversations: one call per turn, and one call to sum a finished conversation up.

A turn retrieves memories about the partner and what was just said, adds the relationship
summary if the pair met before, and asks for the next line with an end flag; the conversation is
forced to end at the line limit. When it ends the transcript becomes a chat memory, a summary
thought (citing it) is stored, the relationship summary is updated, the pair cools down, and the
rest of the current block is re-planned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cognition.generative import planning
from cognition.generative.common import clock_text, first_name, identity, memory_lines
from cognition.generative.prompts import social as prompts
from cognition.memory.node import NodeKind
from engine.agent_api import Action, ConversationView, Percept, Utterance

if TYPE_CHECKING:
    from cognition.generative.mind import GenerativeMind

SHOWN_LINES = 6
CHAT_DESCRIPTION_CHARS = 320


def partner_of(mind: GenerativeMind, conversation: ConversationView) -> str:
    return next((p for p in conversation.participants if p != mind.name), mind.name)


def lines_text(lines: tuple[Utterance, ...] | list[Utterance], empty: str) -> str:
    shown = list(lines)[-SHOWN_LINES:]
    if not shown:
        return empty
    return "\n".join(f"{u.speaker}: {' '.join(u.text.split())[:200]}" for u in shown)


def place_text(address: str) -> str:
    parts = address.split(":")
    return f"the {parts[2]} in {parts[1]}" if len(parts) >= 3 else (parts[-1] or "here")


def turn(
    mind: GenerativeMind, percept: Percept, conversation: ConversationView
) -> tuple[str | None, bool]:
    """(line to say or None, end the conversation)."""
    settings = mind.settings
    partner = partner_of(mind, conversation)
    mind.state.conversation = {"id": conversation.conversation_id, "partner": partner}
    lines = conversation.lines
    if len(lines) >= settings.max_conversation_lines:
        return None, True
    now = mind.now(percept)
    relation = mind.state.relationships.get(partner, "")
    queries = [partner, relation or f"{mind.name} and {partner}"]
    if lines:
        queries.append(" ".join(u.text for u in lines[-2:]))
    memories = mind.memory.retrieve(queries, now, settings.retrieval_k)
    (text, end), _ = mind.caller.ask(
        prompts.TURN,
        percept.step,
        prompts.fallback_turn,
        identity=identity(mind.persona),
        time=clock_text(now),
        first=first_name(mind.name),
        other=partner,
        other_first=first_name(partner),
        place=place_text(conversation.place),
        relationship=f"Relationship with {partner}: {relation}\n" if relation else "",
        memories=memory_lines(memories, settings.memory_chars, settings.retrieval_k),
        lines=lines_text(lines, "(nobody has spoken yet; start the conversation)"),
    )
    # A small model easily loops ("Hi!" "Hi!" ...): a repeated line closes the conversation.
    repeated = text.lower() in {u.text.strip().lower() for u in lines}
    end = end or repeated or len(lines) + 1 >= settings.max_conversation_lines
    return text, end


def finish(
    mind: GenerativeMind,
    percept: Percept,
    conversation: ConversationView,
    extra: Utterance | None = None,
) -> Action | None:
    """Remember a finished conversation once and re-plan; the new action (None if seen before)."""
    if conversation.conversation_id in mind.state.handled_conversations:
        return None
    mind.state.mark_handled(conversation.conversation_id)
    partner = partner_of(mind, conversation)
    lines = list(conversation.lines) + ([extra] if extra else [])
    now, step = mind.now(percept), percept.step
    previous = mind.state.relationships.get(partner, "")
    first = first_name(mind.name)
    summary, relationship, importance = mind.caller.ask(
        prompts.SUMMARY,
        step,
        lambda: prompts.fallback_summary(first, partner, previous),
        identity=identity(mind.persona),
        first=first,
        other=partner,
        other_first=first_name(partner),
        lines=lines_text(lines, "(nothing was said)"),
        previous=f"Before, {first} saw the relationship as: {previous}\n" if previous else "",
    )[0]
    transcript = " ".join(f"{first_name(u.speaker)}: {' '.join(u.text.split())}" for u in lines)
    description = f"conversation with {partner}: {transcript}"[:CHAT_DESCRIPTION_CHARS]
    chat = mind.memory.add(
        NodeKind.CHAT, description, now, importance,
        triple=(mind.name, "chat with", partner), keywords=(partner, "conversation"),
        filling=[(u.speaker, u.text) for u in lines],
    )  # fmt: skip
    mind.memory.add(
        NodeKind.THOUGHT, summary, now, importance,
        triple=(mind.name, "talked with", partner), keywords=(partner, "summary"),
        evidence=(chat.node_id,),
    )  # fmt: skip
    if relationship:
        mind.state.relationships[partner] = relationship
    mind.state.chat_cooldown[partner] = step + mind.settings.chat_cooldown_steps
    mind.state.conversation = None
    context = f"{first} just talked with {partner}: {summary}"
    return planning.next_action(mind, now, step, context=context)
