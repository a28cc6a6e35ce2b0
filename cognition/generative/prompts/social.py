"""Social templates: react to someone, say the next line, sum a conversation up, answer the user."""

from __future__ import annotations

import re
from typing import Any

from cognition.generative.actions import contained, similar_lines
from cognition.generative.common import first_person
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


# v4: what stays the same through a conversation (the time it began, the place, the memories
# brought into it) comes first and the lines so far next, so the model keeps that part
# evaluated from one turn of the agent's to its next; what the speaker wants to say (chosen
# afresh each turn) comes last. v3 put the time and per-turn memories first.
TURN_TEXT = """{identity}
It is {time}. {first} is talking with {other} at {place}.
{relationship}What {first} remembers:
{memories}
Conversation so far:
{lines}
{wants}What does {first} say next to {other_first}? One or two sentences, in the first person.{avoid}
Answer JSON with the keys "utterance" and "end" (true only if {first} wants to stop talking)."""

TURN_SCHEMA = object_schema({"utterance": string(200), "end": {"type": "boolean"}})

_SPEAKER_PREFIX = re.compile(r"^(?:[A-Z][\w'-]*\s*){1,2}:\s*")
# The cue read back in front of the line: "I say: ...", "I want to say to Ayesha: ...",
# "Klaus wants to say: ..." (measured on SmolLM2-135M's 25-agent morning); the line after it stays.
_NAME = r"[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?"
_SAY_PREFIX = re.compile(
    rf"^(?:I|{_NAME})\s+(?:would\s+)?(?:say|says|said|(?:want(?:s|ed)?|would\s+like)\s+to\s+say)"
    rf"(?:\s+to\s+(?:you|{_NAME}))?\s*[:,]\s*"
)
# A header of the prompt in front of a memory: "What I remember is ...", "Conversation so far:"
_HEADER_PREFIX = re.compile(
    r"^(?:what\s+(?:I|[A-Z][\w'-]*)\s+remembers?(?:\s+is)?|conversation\s+so\s+far)\s*[:,]?\s*",
    re.IGNORECASE,
)
# The cue or the summary prompt read back as a line: "What do you want to say to me?", "I will
# stop talking to Yuriko" (the end key's wording), "I have a relationship with John Lin", "I am
# talking to Isabella about the food" (the conversation narrated, not a line of it).
_CUE_WORDS = re.compile(
    r"\bwant(?:s|ed)? to say\b|\bsays? next\b|\bstop talking\b|\bha(?:ve|s) a relationship with\b"
    r"|\b(?:am|is) (?:talking|chatting) (?:to|with)\b",  # the sighting "X is chatting with Y"
    re.IGNORECASE,
)
# Another speaker's label inside a line ("..., Klaus: I like the food ... I: ..."): the model
# went on writing the transcript; the line is what comes before it.
_NEXT_SPEAKER = re.compile(r"(?<=[,.;!?])\s+(?:[A-Z][a-z]+|I):\s")
MIN_LINE_WORDS = 3
MAX_SENTENCES = 2
_SENTENCE = re.compile(r"[^.!?]+[.!?]+(?:\s+|$)")
COPY_OVERLAP = 0.5  # word overlap with the prompt's instructions that makes a line a copy


def parse_turn(
    value: Any, *, name: str = "", earlier: tuple[str, ...] = (),
    instructions: tuple[str, ...] = (),
) -> tuple[str, bool]:
    """(utterance, end). The line loses a "Name:" prefix and a cue read back in front of it
    ("I want to say to Ayesha: ...") and is put in the first person when the speaker talks about
    itself by name; a line of under three words, a copied placeholder, one repeating an earlier
    line of the conversation or copying the instructions (or the prompt's headers) is rejected."""
    if not isinstance(value, dict):
        raise ValueError("turn must be an object")  # noqa: TRY004 (parser contract)
    raw = value.get("utterance")
    text = _SPEAKER_PREFIX.sub("", clean(raw, 200)).strip()
    text = _SAY_PREFIX.sub("", _HEADER_PREFIX.sub("", text)).strip().strip('"').strip()
    text = _NEXT_SPEAKER.split(text, maxsplit=1)[0].rstrip(" ,;")  # the transcript goes on
    if _CUE_WORDS.search(text):  # "What do you want to say to me?": the cue, not a line
        raise ValueError("copies the instructions")
    sentences = _SENTENCE.findall(text)
    if sentences:  # one or two sentences, as asked: a small model loops on after that
        text = "".join(sentences[:MAX_SENTENCES]).strip()
    elif isinstance(raw, str) and len(raw.strip()) >= 190:
        raise ValueError("a line cut at the length limit")
    if any(similar_lines(text, line, COPY_OVERLAP) or contained(text, line)
           for line in instructions):
        raise ValueError("copies the instructions")  # checked before "Klaus" becomes "I"
    if name:
        text = first_person(text, name)
    if not text or ("<" in text and ">" in text):
        raise ValueError("empty utterance or a copied placeholder")
    if len(text.split()) < MIN_LINE_WORDS:
        raise ValueError(f"too short to be a line: {text!r}")
    if any(similar_lines(text, old) for old in earlier):
        raise ValueError("repeats an earlier line")
    if any(similar_lines(text, line, COPY_OVERLAP) or contained(text, line)
           for line in instructions):
        raise ValueError("copies the instructions")
    end = value.get("end", False)
    return text, end if isinstance(end, bool) else str(end).lower().startswith("t")


def fallback_turn() -> tuple[str, bool]:
    """A neutral line that closes the conversation."""
    return "...", True


# v2 ended on 'Write {first}'s next line' with {"utterance": "<what {first} says>"}: SmolLM2-135M
# answered "Isabella's next line" (and the partner repeated it) in every conversation. v3 shows
# what the speaker wants to say (a memory in the first person) and no answer to copy.
TURN = Template("dialogue.turn.v4", "dialogue.turn", TURN_TEXT, TURN_SCHEMA, parse_turn,
                keep_after="lines")


SUMMARY_TEXT = """{identity}
{first} just talked with {other}:
{lines}
{previous}From {first}'s point of view: summarise the conversation in one sentence, describe {first}'s relationship with {other} in one sentence, and rate its importance to {first} from 1 to 10.
Answer JSON like {{"summary": "<one sentence>", "relationship": "<one sentence>", "importance": <1 to 10>}}"""

SUMMARY_SCHEMA = object_schema(
    {"summary": string(240), "relationship": string(200), "importance": integer_range(1, 10)}
)


_POINT_OF_VIEW = re.compile(r"^From [\w' ]+ point of view[:,]\s*", re.IGNORECASE)


def parse_summary(value: Any) -> tuple[str, str, int]:
    """(summary, relationship, importance 1..10)."""
    if not isinstance(value, dict):
        raise ValueError("summary must be an object")  # noqa: TRY004 (parser contract)
    summary = _POINT_OF_VIEW.sub("", clean(value.get("summary"), 240))
    relationship = _POINT_OF_VIEW.sub("", clean(value.get("relationship", ""), 200))
    if not summary or "<" in summary or len(summary.split()) < MIN_LINE_WORDS + 1:
        raise ValueError("empty summary, too short, or a copied placeholder")
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


def parse_interview(value: Any, question: str = "") -> str:
    """A free reply; empty, a copied placeholder or the question said back is refused."""
    text = value.get("reply") if isinstance(value, dict) else value
    out = clean(text, 400)
    if not out or ("<" in out and ">" in out):
        raise ValueError("empty reply or a copied placeholder")
    said = " ".join(out.lower().split()).strip(" ?.!")
    if question and said and said in " ".join(question.lower().split()):
        raise ValueError("the reply says the question back")
    return out


def fallback_interview() -> str:
    return "Sorry, I'm a bit lost in thought right now."


INTERVIEW = Template(
    "interview.reply.v3", "interview", INTERVIEW_TEXT, INTERVIEW_SCHEMA, parse_interview,
    example={"reply": "<what {first} says>"},
)

# A small model chooses which of the sentences offered (persona facts, plan, memories, everyday
# reactions, "I don't know"; the best match with the question first) answers it; that sentence is
# the reply (cognition/generative/answering.py).
INTERVIEW_CHOICE_TEXT = """{identity}
It is {time}. {first} is busy with: {activity}.
Someone asks {first}: "{question}"
Possible answers, the best match with the question first:
{options}
Which number is {first}'s true answer?
Answer JSON like {{"answer": <number>}}"""


def choice_schema(count: int) -> dict[str, Any]:
    return object_schema({"answer": {"type": "integer", "enum": list(range(1, count + 1))}})


def parse_choice(value: Any, count: int) -> int:
    """0-based index of the chosen answer among `count` numbered ones."""
    number = as_int(value.get("answer") if isinstance(value, dict) else value)
    if not 1 <= number <= count:
        raise ValueError(f"answer {number} is not one of 1..{count}")
    return number - 1


INTERVIEW_CHOICE = Template(
    "interview.choice.v1", "interview", INTERVIEW_CHOICE_TEXT, None, parse_choice,
    example={"answer": "<number>"},
)


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


