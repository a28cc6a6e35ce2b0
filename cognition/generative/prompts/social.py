"""Social templates: react to someone, choose the next dialogue act (and say it in the model's
own words), sum a conversation up, answer the user."""

from __future__ import annotations

import re
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


# dialogue.turn.v4 showed a memory the speaker "wants to say" and let the model write the line
# around it: SmolLM2-135M copied it, so conversations were alternating persona recitations
# (issue 21). v1 of the act prompt asks for a choice only: what the speaker does next, among
# acts the mind offers (`talk.options`); the words come from templates. The part that stays the
# same through a conversation (time, place, memories) comes first, the lines so far next.
ACT_TEXT = """{identity}
It is {time}. {first} is talking with {other} at {place}.
{relationship}What {first} remembers:
{memories}
Conversation so far:
{lines}
What does {first} do next? Choose one: {options}.
Answer JSON like {{"act": "<one of the choices>"}}"""


def act_schema(labels: list[str]) -> dict[str, Any]:
    return object_schema({"act": string_enum(tuple(labels))})


def parse_act(value: Any, *, labels: tuple[str, ...] = ()) -> str:
    """The chosen act's label (one of `labels`)."""
    answer = value.get("act") if isinstance(value, dict) else value
    if not isinstance(answer, str) or answer.strip() not in labels:
        raise ValueError(f"not one of the choices: {str(answer)[:60]!r}")
    return answer.strip()


ACT = Template("dialogue.act.v1", "dialogue.turn", ACT_TEXT, None, parse_act,
               keep_after="lines")


SUMMARY_TEXT = """{identity}
{first} just talked with {other}:
{lines}
{previous}From {first}'s point of view: summarise the conversation in one sentence, describe {first}'s relationship with {other} in one sentence, and rate its importance to {first} from 1 to 10.
Answer JSON like {{"summary": "<one sentence>", "relationship": "<one sentence>", "importance": <1 to 10>}}"""

SUMMARY_SCHEMA = object_schema(
    {"summary": string(240), "relationship": string(200), "importance": integer_range(1, 10)}
)


MIN_SUMMARY_WORDS = 4
_POINT_OF_VIEW = re.compile(r"^From [\w' ]+ point of view[:,]\s*", re.IGNORECASE)


def parse_summary(value: Any) -> tuple[str, str, int]:
    """(summary, relationship, importance 1..10)."""
    if not isinstance(value, dict):
        raise ValueError("summary must be an object")  # noqa: TRY004 (parser contract)
    summary = _POINT_OF_VIEW.sub("", clean(value.get("summary"), 240))
    relationship = _POINT_OF_VIEW.sub("", clean(value.get("relationship", ""), 200))
    if not summary or "<" in summary or len(summary.split()) < MIN_SUMMARY_WORDS:
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




# A model that can write says the chosen act in its own words; the template's line is what it
# must keep (names, places, dates, a question stays a question). `wording.py` checks each answer
# and stops asking a model whose first answers fail the check.
WRITE_TEXT = """{identity}
It is {time}. {first} is talking with {other}.
Conversation so far:
{lines}
{first} wants to {label}, and would say: "{line}"
Say that in {first}'s own words to {other_first}: one or two sentences of speech, keeping every name, place, date and time, and any question.
Answer JSON like {{"line": "<what {first} says>"}}"""

WRITE_SCHEMA = object_schema({"line": string(240)})


def parse_write(value: Any) -> str:
    text = value.get("line") if isinstance(value, dict) else value
    out = clean(text, 240)
    if not out or ("<" in out and ">" in out):
        raise ValueError("empty line or a copied placeholder")
    return out


WRITE = Template("dialogue.write.v1", "dialogue.write", WRITE_TEXT, WRITE_SCHEMA, parse_write,
                 example={"line": "<what {first} says>"})
