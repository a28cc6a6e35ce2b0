"""What an interviewed agent may say: answer options built from what it knows, ranked for a
question, and the words that frame the one the model chooses.

"Let the small model decide, let structure write": the options are first-person sentences made
by templates from the agent's persona facts, its plan (what it does now and at the time asked
about), the people it has summed up and the memories retrieval found; a few everyday reactions
and "I don't know" are always offered. `rank` orders them for the question the way retrieval
orders memories (words shared with the question, then their own order), and the model picks one.
What the agent may use is a `Recall`: the paper's ablations withhold memory kinds and plans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from cognition.generative.common import first_name, first_person
from cognition.generative.context import MindContext
from cognition.memory.node import MemoryNode, NodeKind
from cognition.memory.stream import RETRIEVAL_KINDS, content_words

MAX_OPTION_CHARS = 160
DONT_KNOW = "I don't know anything about that, I'm afraid."
# An agent's everyday repertoire: what anyone might do in a situation the memories do not cover.
MOVES = (
    "I would stop what I am doing, turn it off and clean up the mess.",
    "I would wait a little and come back later.",
    "I would call for help and make sure everyone is safe.",
    "I would ask someone nearby for help.",
)
# Words that say what kind of answer a question wants ("what would you do", "who is", "what will
# you be doing"): stopwords to retrieval, but options carry them in their keys to be found by.
CUES = frozenset(("would", "who", "will", "yourself"))
_TIME = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?!\w)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Recall:
    """What an answer may draw on: memory kinds retrieved, memories withheld by keyword
    ("plan", "reflection"), and whether the day's plan is known. The default is everything."""

    kinds: tuple[NodeKind, ...] = RETRIEVAL_KINDS
    without: tuple[str, ...] = ()
    plans: bool = True


FULL = Recall()


@dataclass(frozen=True, slots=True)
class Option:
    """One thing the agent could answer: the sentence, the words it is found by, its source."""

    text: str
    key: str
    source: str  # persona, plan, memory, people, move, unknown


def asked_minute(question: str) -> int | None:
    """Minute of day a question names ("at 6 pm", "at 13:00", "at 10 am"), or None."""
    for match in _TIME.finditer(question):
        hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
        if not half and match.group(2) is None:
            continue  # a bare number ("3 friends") is not a time
        if half and half.lower().startswith("p") and hour < 12:
            hour += 12
        if half and half.lower().startswith("a") and hour == 12:
            hour = 0
        if 0 <= hour < 24 and 0 <= minute < 60:
            return hour * 60 + minute
    return None


def _clock(minute: int) -> str:
    hour, rest = divmod(minute, 60)
    half = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}:{rest:02d} {half}" if rest else f"{shown} {half}"


def persona_options(ctx: MindContext) -> list[Option]:
    """The persona's facts in the first person, each found by the words a question about it uses."""
    p, name = ctx.persona, ctx.name
    home_sector, _, home = p.living_area.split(":", 1)[-1].partition(":")
    home = first_person(home, name).replace("My ", "my ") or home
    work = first_person(p.workplace.split(":")[2 if p.workplace.count(":") > 1 else -1], name)
    work = work.replace("My ", "my ")
    currently = ctx.state.currently or p.currently
    facts = [
        (f"I'm {name}, I'm {p.age}, and I'm a {p.occupation}.",
         "introduce introduction yourself name age about"),
        (f"I work as a {p.occupation}, mostly at {'' if work.startswith('my ') else 'the '}{work}.", "occupation job work do living"),
        (first_person(p.learned, name), "interest like love enjoy passion"),
        (first_person(currently, name), "currently working project now inspire busy"),
        (f"I'm {p.innate}.", "personality describe kind person"),
        (f"I live at the {home_sector}, in {home}.", "live home house room with"),
        (first_person(p.lifestyle, name), "typical weekday schedule routine day broad"),
    ]
    return [Option(_cut(text), f"{text} {key}", "persona") for text, key in facts if text]


def plan_options(ctx: MindContext, now: datetime, question: str) -> list[Option]:
    """What the agent does now, the plan at the time asked about (and just before), the day."""
    out: list[Option] = []
    action = ctx.state.action
    if action is not None and action.description:
        text = f"Right now I'm {_activity(action.description, ctx.name)}."
        out.append(Option(_cut(text), f"{text} now right currently working", "plan"))
    plan = ctx.state.plan
    if plan is None:
        return out
    now_option = out[:1]
    out = []
    blocks = plan.blocks()
    minute = asked_minute(question)
    if minute is not None:
        for i, block in enumerate(blocks):
            if block.start_min <= minute < block.end_min:
                at = _clock(minute)
                text = f"At {at} I'll be {_activity(block.activity, ctx.name)}."
                # the hour asked about is what the question is about: its words are the key
                out.append(Option(_cut(text), f"{text} doing will today {question}", "plan"))
                if i > 0 and "finish" in question.lower():  # another question's answer else
                    before = _activity(blocks[i - 1].activity, ctx.name)
                    text = f"By {at} I'll have just finished {before}."
                    out.append(Option(_cut(text), f"{text} finished done {question}", "plan"))
    if plan.day_plan:
        text = "My plan for today: " + "; then ".join(plan.day_plan[:3]) + "."
        out.append(Option(_cut(first_person(text, ctx.name)), f"{text} plan schedule today day",
                          "plan"))
    return out + now_option


def memory_options(nodes: list[MemoryNode], name: str) -> list[Option]:
    """Retrieved memories as the agent would recount them."""
    out: list[Option] = []
    for node in nodes:
        if node.is_idle:
            continue
        said = first_person(node.description, name)
        prefix = "I've been thinking that " if node.kind is NodeKind.THOUGHT else "I remember: "
        text = said if node.kind is NodeKind.THOUGHT and said.startswith("I ") else prefix + said
        out.append(Option(_cut(text), f"{node.embedding_key} {node.description}", "memory"))
    return out


def people_options(ctx: MindContext) -> list[Option]:
    """What the agent has concluded about the people it talked with."""
    return [
        Option(_cut(f"{other}? {first_person(summary, ctx.name)}"),
               f"{other} {summary} friend person talked spend time",
               "people")
        for other, summary in sorted(ctx.state.relationships.items()) if summary
    ]


def fixed_options() -> list[Option]:
    """The everyday reactions and "I don't know", offered whatever the agent remembers."""
    return [Option(m, m + " would", "move") for m in MOVES] + [
        Option(DONT_KNOW, "who know heard", "unknown")
    ]


def rank(options: list[Option], question: str, limit: int) -> list[Option]:
    """The `limit` options sharing most words with the question, ties in their own order;
    "I don't know" is always kept. Duplicated sentences are offered once."""
    wanted = content_words(question) | (CUES & set(re.findall(r"[a-z]+", question.lower())))
    seen: set[str] = set()
    unique = [o for o in options if not (o.text.lower() in seen or seen.add(o.text.lower()))]
    scored = sorted(enumerate(unique), key=lambda io: (-len(wanted & _keys(io[1].key)), io[0]))
    best = [o for _, o in scored[:limit]]
    if not any(o.source == "unknown" for o in best):
        best = best[: limit - 1] + [o for o in unique if o.source == "unknown"]
    return best


def frame(option: Option, question: str) -> str:
    """The chosen option as the reply; the question itself is never said back."""
    text = option.text.strip()
    return text if text.lower() not in question.lower() else DONT_KNOW


def _keys(text: str) -> frozenset[str]:
    return content_words(text) | (CUES & set(re.findall(r"[a-z]+", text.lower())))


def bullet_lines(texts: list[str]) -> str:
    return "\n".join(f"- {t}" for t in texts)


def _activity(description: str, name: str) -> str:
    """"Klaus Mueller is reading at the library" -> "reading at the library"."""
    text = " ".join(description.split()).rstrip(".")
    for who in (f"{name} is ", f"{first_name(name)} is "):
        if text.startswith(who):
            return text[len(who):]
    said = first_person(text, name)
    return said[0].lower() + said[1:] if said[:2] != "I " else said


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_OPTION_CHARS else text[: MAX_OPTION_CHARS - 3] + "..."
