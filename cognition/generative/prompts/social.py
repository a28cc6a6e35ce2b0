"""Social templates: react to someone, say the next line, sum a conversation up, answer the user."""

from __future__ import annotations

from typing import Any

from cognition.generative.prompts.base import Template, as_int, clamp, clean
from cognition.llm.schema import integer_range, object_schema, string, string_enum

REACT_TEXT = """{identity}
It is {time}. {first} is busy with: {activity}.
{other} is nearby and is {other_activity}.
{relationship}What {first} remembers about {other_first}:
{memories}
Would {first} start a conversation with {other_first} now?
Answer JSON like {{"talk": "<yes or no>"}}"""

REACT_SCHEMA = object_schema({"talk": string_enum(("yes", "no"))})


def parse_react(value: Any) -> str:
    """ "talk" or "continue" (the original's decide-to-talk: a yes or a no)."""
    answer = value.get("talk") if isinstance(value, dict) else value
    if not isinstance(answer, str) or answer.strip().lower() not in ("yes", "no"):
        raise ValueError(f"bad answer {answer!r}")
    return "talk" if answer.strip().lower() == "yes" else "continue"


def fallback_react() -> str:
    return "continue"


# v3 offered talk / wait / continue: the 135M model named the last option every time (measured:
# 5 of 5 "continue" at a shared lunch table), so nobody ever talked. The original asked yes/no.
REACT = Template(
    "react.decide.v4", "react", REACT_TEXT, REACT_SCHEMA, parse_react,
    example={"talk": "<yes or no>"},
)


TURN_TEXT = """{identity}
It is {time}. {first} is talking with {other} at {place}.
{relationship}What {first} remembers:
{memories}
{first} wants to talk about: {topic}
Conversation so far:
{lines}
Write {first}'s next line: short, natural, in character, about the topic or what {other_first} just said, using what {first} remembers. Set "end" to true if the conversation should end now.{avoid}
Answer JSON like {{"utterance": "<what {first} says>", "end": false}}"""

TURN_SCHEMA = object_schema({"utterance": string(200), "end": {"type": "boolean"}})


def parse_turn(value: Any) -> tuple[str, bool]:
    """(utterance, end)."""
    if not isinstance(value, dict):
        raise ValueError("turn must be an object")  # noqa: TRY004 (parser contract)
    text = clean(value.get("utterance"), 200)
    if not text or ("<" in text and ">" in text):
        raise ValueError("empty utterance or a copied placeholder")
    end = value.get("end", False)
    return text, end if isinstance(end, bool) else str(end).lower().startswith("t")


def fallback_turn() -> tuple[str, bool]:
    """A neutral line that closes the conversation."""
    return "...", True


TURN = Template(
    "dialogue.turn.v2", "dialogue.turn", TURN_TEXT, TURN_SCHEMA, parse_turn,
    example={"utterance": "<what {first} says>", "end": False},
)


SUMMARY_TEXT = """{identity}
{first} just talked with {other}:
{lines}
{previous}From {first}'s point of view: summarise the conversation in one sentence, describe {first}'s relationship with {other} in one sentence, and rate its importance to {first} from 1 to 10.
Answer JSON like {{"summary": "<one sentence>", "relationship": "<one sentence>", "importance": <1 to 10>}}"""

SUMMARY_SCHEMA = object_schema(
    {"summary": string(240), "relationship": string(200), "importance": integer_range(1, 10)}
)


def parse_summary(value: Any) -> tuple[str, str, int]:
    """(summary, relationship, importance 1..10)."""
    if not isinstance(value, dict):
        raise ValueError("summary must be an object")  # noqa: TRY004 (parser contract)
    summary = clean(value.get("summary"), 240)
    relationship = clean(value.get("relationship", ""), 200)
    if not summary or "<" in summary:
        raise ValueError("empty summary or a copied placeholder")
    if "<" in relationship:
        relationship = ""
    return summary, relationship, clamp(as_int(value.get("importance", 4)), 1, 10)


def fallback_summary(first: str, other: str, previous: str) -> tuple[str, str, int]:
    return f"{first} had a conversation with {other}", previous, 4


SUMMARY = Template(
    "dialogue.summary.v2", "dialogue.summary", SUMMARY_TEXT, SUMMARY_SCHEMA, parse_summary,
    example={"summary": "<one sentence>", "relationship": "<one sentence>"},
)


INTERVIEW_TEXT = """{identity}
It is {time}. {first} is busy with: {activity}.
What {first} remembers:
{memories}
Someone asks {first}: "{question}"
Answer as {first}, in the first person, in one to three sentences, using only what {first} remembers.
Answer JSON like {{"reply": "<what {first} says>"}}"""

INTERVIEW_SCHEMA = object_schema({"reply": string(400)})


def parse_interview(value: Any) -> str:
    text = value.get("reply") if isinstance(value, dict) else value
    out = clean(text, 400)
    if not out or ("<" in out and ">" in out):
        raise ValueError("empty reply or a copied placeholder")
    return out


def fallback_interview() -> str:
    return "Sorry, I'm a bit lost in thought right now."


INTERVIEW = Template(
    "interview.reply.v2", "interview", INTERVIEW_TEXT, INTERVIEW_SCHEMA, parse_interview,
    example={"reply": "<what {first} says>"},
)


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


