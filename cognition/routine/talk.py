"""Canned small talk for the routine mind: conversation lines and in-character chat replies.

Every function takes an explicit `random.Random` (or derives one from explicit inputs), so the
same seed, agent and step always give the same words.
"""

from __future__ import annotations

import random

from engine.agent_api import Persona

MIN_LINES = 2
MAX_LINES = 4

_OPENERS = (
    "Hi {partner}! I'm {mine} right now.",
    "Hey {partner}, how is {theirs} going?",
    "Oh, hello {partner}. What are you up to?",
    "Good to see you, {partner}! I've been {mine}.",
)
_MIDDLES = (
    "Nice. I've been {mine} for a while now.",
    "Sounds good. Is {theirs} keeping you busy?",
    "Same here, busy day. How have you been lately?",
    "Ha, I know the feeling. {mine_cap} takes most of my time today.",
)
_CLOSERS = (
    "Well, I should get back to {mine}. See you around, {partner}!",
    "Good talking to you, {partner}. Take care!",
    "Let's catch up properly soon. Back to {mine} for me!",
    "Alright, enjoy your day, {partner}.",
)
_CHAT_REPLIES = (
    "Right now I'm {mine} {where}. {currently}",
    "Oh, hi! I'm {mine} {where} at the moment. {currently}",
    "I'm {first}, the {occupation}. At the moment I'm {mine} {where}.",
    "Good question. I'm busy {mine} {where}, but happy to talk. {currently}",
)
_SLEEPY_REPLY = "Mmm... I'm {mine} {where}. Ask me again in the morning?"


def conversation_length(seed: int, conversation_id: int, participants: tuple[str, str]) -> int:
    """How many lines a conversation lasts (2–4); both partners compute the same number."""
    rng = random.Random(f"{seed}:conversation:{conversation_id}:{':'.join(participants)}")
    return rng.randint(MIN_LINES, MAX_LINES)


def first_sentence(text: str) -> str:
    """The first sentence of a persona text, with its final period."""
    sentence = text.strip().split(". ")[0].strip()
    return sentence if not sentence or sentence.endswith(".") else sentence + "."


def place_phrase(persona: Persona, address: str) -> str:
    """A short place phrase: "at home", "at Hobbs Cafe"."""
    parts = address.split(":")
    if len(parts) < 2:
        return "here"
    if persona.living_area.startswith(":".join(parts[:2])):
        return "at home"
    return f"at {parts[1]}"


def conversation_line(
    rng: random.Random,
    partner: str,
    mine: str,
    theirs: str | None,
    index: int,
    last: bool,
) -> str:
    """Line number `index` (0-based) of a conversation; `last` picks a goodbye."""
    first_name = partner.split()[0]
    if index == 0:
        templates = _OPENERS if theirs else (_OPENERS[0], _OPENERS[2], _OPENERS[3])
    elif last:
        templates = _CLOSERS
    else:
        templates = _MIDDLES if theirs else (_MIDDLES[0], _MIDDLES[2], _MIDDLES[3])
    template = rng.choice(templates)
    return template.format(partner=first_name, mine=mine, theirs=theirs or "", mine_cap=_cap(mine))


def chat_reply(rng: random.Random, persona: Persona, activity: str, address: str) -> str:
    """An in-character answer to the user that mentions the current activity."""
    where = place_phrase(persona, address)
    if "sleep" in activity:
        return _SLEEPY_REPLY.format(mine=activity, where=where)
    template = rng.choice(_CHAT_REPLIES)
    return template.format(
        mine=activity,
        where=where,
        first=persona.first_name,
        occupation=persona.occupation.strip() or "resident",
        currently=first_sentence(persona.currently),
    ).strip()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
