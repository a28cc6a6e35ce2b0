"""Small helpers every behaviour module shares: game time, prompt snippets, memory lists."""

from __future__ import annotations

import re
from datetime import datetime

from cognition.generative.prompts.base import bullet_list
from cognition.memory.node import MemoryNode

_TOKEN = re.compile(r"[A-Za-z']+|[^A-Za-z']+")
_MODALS = frozenset(
    "can cannot can't could couldn't will won't would wouldn't should shouldn't may might "
    "must".split()
)
_ADVERBS = frozenset(
    "also always often sometimes usually never rarely still just really secretly already "
    "even only once recently mostly finally actually".split()
)
_IRREGULAR = {"are": "is", "were": "was", "have": "has", "do": "does", "go": "goes", "am": "is",
              "aren't": "isn't", "don't": "doesn't", "haven't": "hasn't", "weren't": "wasn't"}
# Verbs that, right after "and", continue a clause whose subject was "you".
_COORDINATED = frozenset(
    "are were have do like know share love want go live work enjoy study run see think feel "
    "make hope plan try need spend teach write read help play wish keep take".split()
)
_PAST = frozenset(
    "had heard went met saw knew thought told made got found came left took said felt became "
    "began brought bought taught wrote ran gave kept lost moved sent spent stood won did".split()
)


def _third_person_verb(word: str) -> str:
    low = word.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if low in _MODALS or low in _PAST or low.endswith("ed") or low.endswith("s"):
        return word
    if low.endswith(("sh", "ch", "x", "z", "o")):
        return word + "es"
    if len(low) > 2 and low.endswith("y") and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def game_time(time_iso: str) -> datetime:
    """The percept's game time (never the wall clock)."""
    return datetime.fromisoformat(time_iso)


def minute_of_day(now: datetime) -> int:
    return now.hour * 60 + now.minute


def clock_text(now: datetime) -> str:
    """ "Monday February 13, 07:30"."""
    return now.strftime("%A %B %d, %H:%M")


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
    """A second-person whisper as a grammatical statement about `name`.

    "You want to invite your neighbours" -> "Isabella Rodriguez wants to invite Isabella
    Rodriguez's neighbours"; "You and Klaus are friends" keeps the plural verb. The verb after a
    subject "you" (past any adverbs such as "often") is put in the third person.
    """
    tokens = _TOKEN.findall(" ".join(statement.split()))
    out: list[str] = []
    conjugate = subject_you = False
    for i, token in enumerate(tokens):
        low = token.lower()
        if not token[:1].isalpha():
            out.append(token)
            continue
        if low in ("you", "you're"):
            following = next((t.lower() for t in tokens[i + 1 :] if t[:1].isalpha()), "")
            out.append(name if low == "you" else f"{name} is")
            conjugate = low == "you" and following != "and" and _is_subject(tokens, i)
            continue
        if low in ("your", "yours"):
            out.append(f"{name}'s")
            continue
        if low == "yourself":
            out.append(name)
            continue
        if conjugate and low not in _ADVERBS:
            out.append(_third_person_verb(token))
            conjugate, subject_you = False, True
            continue
        after_and = tokens[i - 1] == " " and _previous_word(tokens, i) == "and"
        if subject_you and low in _COORDINATED and after_and:
            out.append(_third_person_verb(token))  # "... has a crush and has never told anyone"
            continue
        if ";" in token or "." in token:
            subject_you = False
        out.append(token)
    return "".join(out)


_OBJECT_BEFORE = frozenset(
    "let lets letting tell tells told give gives gave ask asks asked help helps helped invite "
    "invites invited know knows knew like likes liked call calls called thank thanks to with for "
    "about at from of by than on in into near behind beside meet meets met see sees saw show "
    "shows showed teach teaches taught make makes made want wants wanted need needs miss "
    "misses love loves hate hates trust trusts".split()
)


def _previous_word(tokens: list[str], index: int) -> str:
    return next((t.lower() for t in reversed(tokens[:index]) if t[:1].isalpha()), "")


def _is_subject(tokens: list[str], index: int) -> bool:
    """Whether "you" at `index` is a subject (so the next verb agrees with it), not an object."""
    before = [t for t in tokens[:index] if t.strip()]
    if not before:
        return True
    prev = before[-1].strip().lower()
    return prev not in _OBJECT_BEFORE and not prev.endswith("ing")


def last_segment(text: str) -> str:
    """The last `:`-separated part of an address (or the text itself)."""
    return text.rsplit(":", 1)[-1].strip()


_FIRST_IRREGULAR = {"is": "am", "was": "was", "has": "have", "does": "do", "goes": "go",
                    "isn't": "am not", "doesn't": "don't", "hasn't": "haven't", "wasn't": "wasn't"}
_PREPOSITIONS = frozenset(
    "to with for about at from of by than on in into near behind beside like and".split()
)


_VERB_FOLLOWERS = r"(?:a|an|the|his|her|their|my|with|to|in|at|on|for|about)\b"
_NOT_OBJECT_ING = frozenset(
    ("during", "morning", "evening", "nothing", "something", "anything", "everything")
)


def _is_object_position(prev: str, rest: str) -> bool:
    """Whether the name just after `prev` is an object ("me"), not a subject ("I").

    After "and" it is the object only when no verb follows ("with Maria and Klaus." -> "me";
    "Maria and Klaus live nearby" -> "I"); after a verb in -ing it is the object ("helping Klaus
    settle in" -> "helping me").
    """
    if prev == "and":
        following = re.match(r"\s*([A-Za-z']+)", rest)
        word = following.group(1).lower() if following else ""
        return not (word in _FIRST_IRREGULAR or word in ("are", "were", "have", "live")
                    or (word.endswith("s") and word not in _PREPOSITIONS)
                    or word.endswith("ed"))
    if prev.endswith("ing") and len(prev) > 4 and prev not in _NOT_OBJECT_ING:
        return True
    return prev in _PREPOSITIONS or prev in _OBJECT_BEFORE


def _first_person_verb(word: str) -> str:
    """ "wants" -> "want", "studies" -> "study", "is" -> "am"; other words unchanged."""
    low = word.lower()
    if low in _FIRST_IRREGULAR:
        return _FIRST_IRREGULAR[low]
    if low in _MODALS or low in _PAST or low.endswith("ed") or not low.endswith("s"):
        return word
    if low.endswith("ies") and len(low) > 4:
        return word[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return word[:-2]
    if low.endswith("ss") or low.endswith("us"):
        return word
    return word[:-1]


def first_person(statement: str, name: str) -> str:
    """A statement about `name` as `name` would say it: "Isabella Rodriguez is throwing a party
    for Isabella Rodriguez's customers" -> "I am throwing a party for my customers".

    The full name (or, failing that, the first name) becomes "I" as a subject (its verb agrees,
    past adverbs such as "secretly"), "me" after a preposition or object verb, "my" with "'s".
    """
    text = " ".join(statement.split())
    first = first_name(name)
    pair = re.match(rf"^(?:{re.escape(name)}|{re.escape(first)}) and ((?:[A-Z][\w'-]*\s?){{1,2}})\b",
                    text)  # fmt: skip
    if pair:  # "Klaus Mueller and Maria Lopez have been friends" -> "Maria Lopez and I have ..."
        text = f"{pair.group(1).strip()} and I {text[pair.end():].lstrip()}"
    pattern = re.compile(
        rf"\b(?:{re.escape(name)}|{re.escape(first)})\b('s)?" if first != name
        else rf"\b{re.escape(name)}\b('s)?"
    )
    out: list[str] = []
    cursor = 0
    for match in pattern.finditer(text):
        before = text[cursor : match.start()]
        out.append(before)
        prev = before.split()[-1].lower().strip(",;") if before.split() else ""
        cursor = match.end()
        if match.group(1):
            out.append("my" if out and "".join(out).strip() else "My")
            continue
        if _is_object_position(prev, text[cursor:]):
            out.append("me")
            continue
        out.append("I")
        rest = text[cursor:]
        words = re.match(r"(\s+)((?:(?:" + "|".join(_ADVERBS) + r")\s+)*)([A-Za-z']+)", rest)
        if words:
            space, adverbs, verb = words.groups()
            out.append(space + adverbs + _first_person_verb(verb))
            cursor += words.end()
    out.append(text[cursor:])
    result = "".join(out)
    if re.match(r"^I\b", result):  # "I have a crush on him and has never told anyone"
        result = re.sub(r"\band (has|is|was|does)\b",
                        lambda m: f"and {_FIRST_IRREGULAR[m.group(1)]}", result)
        # "I live nearby and shares a house with ...": a verb is one followed by its object
        result = re.sub(rf"\band ([a-z]+s) (?={_VERB_FOLLOWERS})",
                        lambda m: f"and {_first_person_verb(m.group(1))} ", result)
    return result[:1].upper() + result[1:] if result else result
