"""Checking the text a model wrote before it becomes an action, an event or a memory.

A small model often answers an activity slot with a place ("the Willows Market and Pharmacy"),
an address ("the Ville:Hobbs Cafe:cafe"), an object ("bed") or text cut at the length limit
("affects low-w"). `valid_activity` accepts only a verb phrase (a leading gerund such as
"making coffee") that is not a place or object name, carries no address and ends on a whole
word; anything else returns None and the caller uses the hourly plan's activity (then the
routine's). The emoji and the event triple are derived from whichever text was accepted.
"""

from __future__ import annotations

import re
from collections.abc import Collection

_NAME_IS = re.compile(r"^(?:[A-Z][\w'-]*\s+){1,2}(?:is|was|will be|will)\s+")
_WORD = re.compile(r"[a-z][a-z'-]*")
_ADDRESS = re.compile(r"[:<>{}\[\]|/\\]")
# Words ending in "ing" that are not verbs, so cannot open an activity.
NOT_VERBS = frozenset(
    "morning evening something nothing anything everything building ceiling thing king ring "
    "spring string wedding pudding during clothing ping sibling darling".split()
)
# Words an activity cannot end on: a phrase ending in one of them was cut.
DANGLING = frozenset(
    "a an the at to in on of for with and or by from about into his her their my our your "
    "its some this that".split()
)
MIN_CHARS = 4


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def is_gerund(word: str) -> bool:
    """Whether a word is a verb's -ing form ("making"), not a noun such as "morning"."""
    return len(word) >= 5 and word.endswith("ing") and word not in NOT_VERBS


def valid_activity(
    text: object,
    *,
    max_chars: int,
    names: Collection[str] = (),
) -> str | None:
    """The activity as a clean verb phrase, or None when the text is not an activity.

    `max_chars` is the length limit the answer had (text that reached it was cut: its last word
    is dropped); `names` are place and object names the text must not merely repeat.
    """
    if not isinstance(text, str):
        return None
    raw = " ".join(text.split()).strip(" .,;!\"'")
    cut = len(raw) >= max_chars - 1
    if not raw or _ADDRESS.search(raw):
        return None
    raw = _NAME_IS.sub("", raw)
    words = raw.split(" ")
    if cut and len(words) > 1:
        words = words[:-1]  # the limit cut this word
    while words and words[-1].lower().strip(",.;") in DANGLING:
        words = words[:-1]
    phrase = " ".join(words).strip(" ,.;")
    if len(phrase) < MIN_CHARS:
        return None
    phrase = phrase[:1].lower() + phrase[1:]
    low_words = _words(phrase)
    if not low_words or not is_gerund(low_words[0]):
        return None
    low = phrase.lower()
    if low in {n.lower() for n in names}:
        return None
    return phrase


# Emoji for an accepted activity, by the first keyword it contains (a model's emoji is kept
# only together with the model's own text).
_EMOJI_RULES = (
    (("sleep", "nap", "bed"), "😴"),
    (("shower", "bath", "wash", "brush"), "🚿"),
    (("breakfast", "lunch", "dinner", "eat", "meal", "snack"), "🍽️"),
    (("cook",), "🍳"),
    (("coffee", "cafe", "serv"), "☕"),
    (("read", "book", "library"), "📖"),
    (("writ", "paper", "essay", "poem", "novel"), "✍️"),
    (("study", "studying", "homework", "class", "lecture", "research"), "📚"),
    (("paint", "sketch", "draw"), "🎨"),
    (("music", "piano", "guitar", "compos", "sing"), "🎵"),
    (("walk", "run", "jog", "exercis", "workout"), "🚶"),
    (("talk", "chat", "convers", "meet", "discuss"), "💬"),
    (("shop", "buy", "grocer", "store"), "🛒"),
    (("plan", "party", "invit", "decorat"), "🎉"),
    (("work", "computer", "code", "program", "email"), "💻"),
    (("garden", "plant", "tend"), "🌱"),
    (("clean", "tidy"), "🧹"),
    (("relax", "rest", "tv", "watch"), "🛋️"),
)
DEFAULT_EMOJI = "🙂"


def emoji_for(activity: str, proposed: str | None = None) -> str:
    """The model's emoji when it gave one (non-ASCII), else one picked from the activity."""
    if proposed and not proposed.isascii() and len(proposed) <= 4:
        return proposed
    low = activity.lower()
    for words, emoji in _EMOJI_RULES:
        if any(word in low for word in words):
            return emoji
    return DEFAULT_EMOJI


SIMILAR = 0.7  # word-set overlap (Jaccard) at which two lines count as the same line


def similar_lines(a: str, b: str, threshold: float = SIMILAR) -> bool:
    """Whether two lines say the same thing (equal, or sharing most of their words)."""
    wa, wb = set(_words(a)), set(_words(b))
    if not wa or not wb:
        return a.strip().lower() == b.strip().lower()
    return len(wa & wb) / len(wa | wb) >= threshold


def contained(line: str, text: str, share: float = 0.8) -> bool:
    """Whether most of a line's words come from `text` ("What does Klaus say next to Maria?"
    taken from the prompt's "What does Klaus say next to Maria? One or two sentences ...")."""
    words = set(_words(line))
    return bool(words) and len(words & set(_words(text))) / len(words) >= share
