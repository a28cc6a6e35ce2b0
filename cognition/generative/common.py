"""Small helpers every behaviour module shares: game time, prompt snippets, memory lists."""

from __future__ import annotations

import re
from datetime import datetime

from cognition.generative.prompts.base import bullet_list
from cognition.memory.node import MemoryNode
from engine.agent_api import Persona

_YOU = (
    (re.compile(r"\bYou are\b"), "{name} is"),
    (re.compile(r"\byou are\b"), "{name} is"),
    (re.compile(r"\bYou're\b", re.IGNORECASE), "{name} is"),
    (re.compile(r"\bYou were\b", re.IGNORECASE), "{name} was"),
    (re.compile(r"\bYourself\b", re.IGNORECASE), "{name}"),
    (re.compile(r"\bYour\b", re.IGNORECASE), "{name}'s"),
    (re.compile(r"\bYou\b", re.IGNORECASE), "{name}"),
)


def game_time(time_iso: str) -> datetime:
    """The percept's game time (never the wall clock)."""
    return datetime.fromisoformat(time_iso)


def minute_of_day(now: datetime) -> int:
    return now.hour * 60 + now.minute


def clock_text(now: datetime) -> str:
    """ "Monday February 13, 07:30"."""
    return now.strftime("%A %B %d, %H:%M")


def identity(persona: Persona) -> str:
    """The persona's identity block for prompts (name, age, traits, currently, lifestyle)."""
    return persona.identity_text()


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def memory_lines(nodes: list[MemoryNode], max_chars: int, limit: int = 12) -> str:
    """Memories as a bullet list, each cut to `max_chars` characters."""
    lines: list[str] = []
    for node in nodes:
        text = " ".join(node.description.split())
        text = text if len(text) <= max_chars else text[: max_chars - 3] + "..."
        if text not in lines:  # repeated observations add nothing but tokens
            lines.append(text)
        if len(lines) >= limit:
            break
    return bullet_list(lines)


def third_person(statement: str, name: str) -> str:
    """A second-person whisper ("You are planning a party") as a statement about `name`."""
    out = " ".join(statement.split())
    for pattern, replacement in _YOU:
        out = pattern.sub(replacement.format(name=name), out)
    return out


def last_segment(text: str) -> str:
    """The last `:`-separated part of an address (or the text itself)."""
    return text.rsplit(":", 1)[-1].strip()
