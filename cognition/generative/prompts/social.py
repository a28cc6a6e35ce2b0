"""Social templates: react to someone, say the next line, sum a conversation up, answer the user."""

from __future__ import annotations

from typing import Any

from cognition.generative.prompts.base import Template, as_int, clamp, clean
from cognition.llm.schema import integer_range, object_schema, string, string_enum

REACT_CHOICES = ("talk", "wait", "continue")

REACT_TEXT = """{identity}
It is {time}. {first} is busy with: {activity}.
{other} is nearby and is {other_activity}.
{relationship}What {first} remembers about {other_first}:
{memories}
Should {first} start a conversation with {other_first} now (talk), wait for them (wait), or carry on (continue)?
Answer JSON like {{"decision": "talk", "reason": "say hello to {other_first}"}}"""

REACT_SCHEMA = object_schema({"decision": string_enum(REACT_CHOICES), "reason": string(100)})


def parse_react(value: Any) -> str:
    """ "talk", "wait" or "continue"."""
    decision = value.get("decision") if isinstance(value, dict) else value
    if not isinstance(decision, str) or decision.strip().lower() not in REACT_CHOICES:
        raise ValueError(f"bad decision {decision!r}")
    return decision.strip().lower()


def fallback_react() -> str:
    return "continue"


REACT = Template("react.decide.v2", "react", REACT_TEXT, REACT_SCHEMA, parse_react)


TURN_TEXT = """{identity}
It is {time}. {first} is talking with {other} at {place}.
{relationship}What {first} remembers:
{memories}
Conversation so far:
{lines}
Write {first}'s next line: short, natural, in character, about things {first} knows. Set "end" to true if the conversation should end now.
Answer JSON like {{"utterance": "Hi {other_first}, how is your day going?", "end": false}}"""

TURN_SCHEMA = object_schema({"utterance": string(200), "end": {"type": "boolean"}})


def parse_turn(value: Any) -> tuple[str, bool]:
    """(utterance, end)."""
    if not isinstance(value, dict):
        raise ValueError("turn must be an object")  # noqa: TRY004 (parser contract)
    text = clean(value.get("utterance"), 200)
    if not text:
        raise ValueError("empty utterance")
    end = value.get("end", False)
    return text, end if isinstance(end, bool) else str(end).lower().startswith("t")


def fallback_turn() -> tuple[str, bool]:
    """A neutral line that closes the conversation."""
    return "...", True


TURN = Template("dialogue.turn.v1", "dialogue.turn", TURN_TEXT, TURN_SCHEMA, parse_turn)


SUMMARY_TEXT = """{identity}
{first} just talked with {other}:
{lines}
{previous}From {first}'s point of view: summarise the conversation in one sentence, describe {first}'s relationship with {other} in one sentence, and rate its importance to {first} from 1 to 10.
Answer JSON like {{"summary": "{first} chatted with {other_first}", "relationship": "{first} knows {other_first}", "importance": 3}}"""

SUMMARY_SCHEMA = object_schema(
    {"summary": string(240), "relationship": string(200), "importance": integer_range(1, 10)}
)


def parse_summary(value: Any) -> tuple[str, str, int]:
    """(summary, relationship, importance 1..10)."""
    if not isinstance(value, dict):
        raise ValueError("summary must be an object")  # noqa: TRY004 (parser contract)
    summary = clean(value.get("summary"), 240)
    relationship = clean(value.get("relationship", ""), 200)
    if not summary:
        raise ValueError("empty summary")
    return summary, relationship, clamp(as_int(value.get("importance", 4)), 1, 10)


def fallback_summary(first: str, other: str, previous: str) -> tuple[str, str, int]:
    return f"{first} had a conversation with {other}", previous, 4


SUMMARY = Template(
    "dialogue.summary.v1", "dialogue.summary", SUMMARY_TEXT, SUMMARY_SCHEMA, parse_summary
)


INTERVIEW_TEXT = """{identity}
It is {time}. {first} is busy with: {activity}.
What {first} remembers:
{memories}
Someone asks {first}: "{question}"
Answer as {first}, in the first person, in one to three sentences, using only what {first} remembers.
Answer JSON like {{"reply": "Well, ..."}}"""

INTERVIEW_SCHEMA = object_schema({"reply": string(400)})


def parse_interview(value: Any) -> str:
    text = value.get("reply") if isinstance(value, dict) else value
    out = clean(text, 400)
    if not out:
        raise ValueError("empty reply")
    return out


def fallback_interview() -> str:
    return "Sorry, I'm a bit lost in thought right now."


INTERVIEW = Template(
    "interview.reply.v1", "interview", INTERVIEW_TEXT, INTERVIEW_SCHEMA, parse_interview
)


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


def cap_int(value: Any, low: int, high: int) -> int:
    return clamp(as_int(value), low, high)
