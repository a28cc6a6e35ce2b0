"""Interview questions: a `--questions` file, or the default bank that follows the paper's 25.

The default bank fills the paper's questions in from each agent's persona and the people it knows
(named in its persona or its memories), and derives each question's keywords from ground truth:
persona facts, what its memories say of a person, its own day plan (or routine) at the hour asked
about, and a name nobody in town has, which must not be described as known.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cognition.evaluation.scoring import CATEGORIES, Question
from cognition.generative.reflection import REFLECTION_KEYWORD
from cognition.generative.schedule import routine_block_at
from cognition.memory.stream import content_words

STRANGER = "Wolfgang Schulz"  # nobody in either shipped town has this name
NOT_KNOWING = ("don't know", "do not know", "not sure", "never heard", "no idea", "haven't met")
CLAIMS_KNOWING = ("my friend", "my neighbour", "my neighbor", "known him", "known her")
MAX_WORDS = 12
_PLAN_TIMES = (("What will you be doing at 6 am today?", 6 * 60, False),
               ("What will you be doing at 6 pm today?", 18 * 60, False),
               ("What will you have just finished doing at 1 pm today?", 13 * 60, True),
               ("What will you be doing at 12 pm today?", 12 * 60, False),
               ("What will you be doing at 10 pm today?", 22 * 60, False))
MAX_QUESTIONS_FILE = 1 << 20


def load_questions(path: Path, agents: list[str]) -> list[Question]:
    """The questions of a `--questions` JSON file; ValueError (one line) naming what is wrong."""
    try:
        if path.stat().st_size > MAX_QUESTIONS_FILE:
            raise ValueError(f"{path}: larger than {MAX_QUESTIONS_FILE} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {path} ({exc.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is not UTF-8 JSON ({exc})") from None
    rows = data.get("questions") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise ValueError(f'{path}: expected {{"questions": [...]}} with at least one question')
    return [_question(row, i, path, agents) for i, row in enumerate(rows, 1)]


def _question(row: Any, i: int, path: Path, agents: list[str]) -> Question:
    where = f"{path}: question {i}"
    if not isinstance(row, dict):
        raise ValueError(f"{where} is not an object")
    unknown = set(row) - {"agent", "category", "question", "expect_any", "expect_none"}
    if unknown:
        raise ValueError(f"{where}: unknown field '{sorted(unknown)[0]}'")
    for key in ("agent", "category", "question"):
        if not isinstance(row.get(key), str) or not row[key].strip():
            raise ValueError(f"{where}: '{key}' must be a non-empty string")
    if row["agent"] not in agents:
        raise ValueError(f"{where}: no agent named '{row['agent']}' (agents: {', '.join(agents)})")
    if row["category"] not in CATEGORIES:
        raise ValueError(f"{where}: category '{row['category']}' is not one of "
                         f"{', '.join(CATEGORIES)}")
    lists = {}
    for key in ("expect_any", "expect_none"):
        value = row.get(key, [])
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise ValueError(f"{where}: '{key}' must be a list of non-empty strings")
        lists[key] = tuple(value)
    return Question(row["agent"], row["category"], " ".join(row["question"].split())[:300],
                    lists["expect_any"], lists["expect_none"])


def _words(*texts: str, drop: str = "") -> tuple[str, ...]:
    """Distinctive content words of `texts` (longest first), without those of `drop`."""
    dropped = content_words(drop)
    words = sorted({w for t in texts for w in content_words(t)} - dropped,
                   key=lambda w: (-len(w), w))
    return tuple(words[:MAX_WORDS])


def known_people(mind: Any, names: list[str]) -> list[str]:
    """Other agents this one knows: named in its persona, its memories or its relationships,
    the most mentioned first."""
    persona = mind.persona
    text = " ".join([persona.learned, persona.currently, persona.lifestyle,
                     *(n.description for n in mind.memory.nodes)])
    counts = {n: text.count(n) + 3 * (n in mind.state.relationships)
              for n in names if n != persona.name}
    return [n for n, c in sorted(counts.items(), key=lambda nc: -nc[1]) if c > 0]


def about(mind: Any, other: str) -> str:
    """Everything this agent knows of `other`: its persona's mentions, memories, relationship."""
    persona = mind.persona
    texts = [t for t in (persona.learned, persona.currently, persona.lifestyle) if other in t]
    texts += [n.description for n in mind.memory.nodes if other in n.description]
    texts.append(mind.state.relationships.get(other, ""))
    return " ".join(texts)


def _plan_at(mind: Any, minute: int, before: bool) -> str:
    """The agent's own plan (its day plan, else its routine) at `minute`, or just before it."""
    plan = mind.state.plan
    if plan is not None:
        blocks = plan.blocks()
        for i, block in enumerate(blocks):
            if block.start_min <= minute < block.end_min:
                return blocks[i - 1].activity if before and i > 0 else block.activity
    return routine_block_at(mind.persona, max(0, minute - 60) if before else minute)["activity"]


_PHRASE = re.compile(r"\b((?:[A-Z][\w']+ )*[A-Z][\w']+)(?: ([a-z]+))?")


def _event(mind: Any, names: list[str]) -> tuple[str, tuple[str, ...]]:
    """An event the agent's most important memories name ("a Valentine's Day party") and the
    other words those memories say of it; ("", words of today's observations) without one."""
    people = {w for n in names for w in n.split()}
    nodes = sorted((n for n in mind.memory.nodes if not n.is_idle and "plan" not in n.keywords
                    and REFLECTION_KEYWORD not in n.keywords), key=lambda n: -n.importance)
    for node in nodes:
        for match in _PHRASE.finditer(node.description):
            phrase, noun = match.group(1), match.group(2) or ""
            if set(phrase.split()) & people or phrase.split()[0] in ("I", "The", "You", "A"):
                continue
            said = " ".join(n.description for n in nodes if phrase in n.description)
            named = f"a {phrase} {noun}" if noun and content_words(noun) else phrase
            return named, _words(said, drop=f"{named} {' '.join(names)}")
    events = " ".join(n.description for n in nodes if n.kind.value == "event")
    return "", _words(events, drop=" ".join(names))


def default_bank(minds: dict[str, Any], personas: dict[str, Any]) -> list[Question]:
    """The paper's 25 questions for each agent in `minds`, with ground-truth keywords;
    `personas`: every agent of the town by name (the people an agent may know)."""
    out: list[Question] = []
    for agent, mind in minds.items():
        out += _agent_bank(agent, mind, personas)
    return out


def _agent_bank(agent: str, mind: Any, personas: dict[str, Any]) -> list[Question]:
    names = list(personas)
    p = mind.persona
    first = p.first_name
    people = known_people(mind, names) or [n for n in names if n != agent][:1] or [STRANGER]
    friend, other = people[0], people[1 % len(people)]
    friend_first = friend.split()[0]
    own = f"{p.name} {first}"
    q: list[Question] = []

    def add(category: str, text: str, any_: tuple[str, ...], none: tuple[str, ...] = ()) -> None:
        q.append(Question(agent, category, text, tuple(dict.fromkeys(any_)), none))

    routine = " ".join(b["activity"] for b in p.routine)
    add("self-knowledge", "Give an introduction of yourself.",
        (first, *_words(p.occupation, drop=own)))
    add("self-knowledge", "What's your occupation?", _words(p.occupation, p.workplace, drop=own))
    add("self-knowledge", "What is your interest?",
        _words(p.learned, p.currently, p.innate, drop=own))
    home = p.living_area.split(":")
    mates = [n.split()[0] for n in names if n != agent and n in " ".join(home)]
    add("self-knowledge", "Who do you live with?",
        (*mates, "alone", "myself", "my own", *_words(*home[1:], drop=own + " room the ville")))
    add("self-knowledge", "Describe your typical weekday schedule in broad strokes.",
        _words(routine, p.lifestyle, drop=own))
    for i, who in enumerate((friend, other)):
        add("memory", f"Who is {who}?", _words(about(mind, who), drop=f"{who} {own}"),
            NOT_KNOWING)
        if i == 0:
            add("memory", f"Who is {STRANGER}?", NOT_KNOWING, CLAIMS_KNOWING)
            role = personas[other].occupation if other in personas else ""
            known = set(content_words(role)) & set(content_words(about(mind, other)))
            add("memory", f"Who is the {role}?" if role else f"Who is {other}?",
                (other.split()[0],) if known else (other.split()[0], *NOT_KNOWING))
            event, words = _event(mind, names)
            add("memory", f"Was there {event}?" if event else "What did you see today?", words)
    for text, minute, before in _PLAN_TIMES:
        add("plans", text, _words(_plan_at(mind, minute, before), drop=own))
    add("reactions", "Your breakfast is burning! What would you do?",
        ("stove", "turn it off", "turn off", "pan", "smoke", "put it out", "clean", "water", "fire"))
    add("reactions", "The bathroom is occupied. What would you do?",
        ("wait", "later", "knock", "another", "come back"))
    add("reactions", "You need to cook dinner but your refrigerator is empty. What would you do?",
        ("store", "shop", "market", "grocer", "buy", "cafe", "restaurant", "order", "eat out"))
    add("reactions", f"You see your friend {friend} walking by the street. What would you do or "
        "say?", (friend_first, "hello", "hey", "wave", "greet", "how are you"))
    add("reactions", "You see a fire on the street. What would you do?",
        ("911", "fire department", "firefighter", "call", "help", "safe", "away", "extinguish"))
    reflections = " ".join(n.description for n in mind.memory.nodes
                           if REFLECTION_KEYWORD in n.keywords)
    add("reflections", "What inspires you in life the most right now, and why?",
        _words(p.currently, p.learned, reflections, drop=own))
    friend_words = _words(about(mind, friend), drop=f"{friend} {own}")
    add("reflections", f"Given what you know about {friend}, what book do you think "
        f"{friend_first} will like and why?", (friend_first, *friend_words))
    add("reflections", f"What would you get {friend} for their birthday?",
        (friend_first, *friend_words))
    add("reflections", f"What would you say to {friend} to compliment them?",
        (friend_first, *friend_words))
    talked = [n for n in names if n != agent and any(
        n in node.description for node in mind.memory.nodes if node.kind.value == "chat")]
    add("reflections", "If you could spend time with one person you talked to recently, who "
        "would it be and why?", tuple(n.split()[0] for n in (talked or people)),
        (STRANGER.split()[0],))
    return q
