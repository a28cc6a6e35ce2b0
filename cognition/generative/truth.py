"""Whether an insight is true of what the agent knows: its claims checked against the persona and
the memory stream (issue 21: "Maria is the host of the party" when Isabella hosts it).

An insight is read as claims "<person> <the words that follow, up to the next person named>"
("Isabella Rodriguez is hosting a party and Maria Lopez studies physics" makes two claims). What
the agent knows is read the same way: each persona sentence and each memory is a statement whose
subject is the person it starts with (a persona sentence naming nobody is about the agent). A
claim is:

- **supported** when a statement about the same person holds at least half of the claim's
  content words (stemmed: "host" and "hosting" match);
- **misattributed** when no statement about that person does, but one about someone else does
  (the party's host given as the wrong person);
- **unsupported** otherwise.

An insight is true when it makes at least one claim and every claim is supported, and it is a
**restated action** when a claim only repeats an observed event of that person ("Isabella is
taking a shower"): what someone is doing at a moment is not an insight. Attitude words ("cares",
"matters", "important") carry no fact and are not counted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from cognition.memory.node import MemoryNode, NodeKind
from cognition.memory.stream import content_words

ATTITUDE = frozenset({
    "care", "cares", "caring", "matter", "matters", "important", "value", "values", "person",
    "lot", "really", "deeply", "seem", "seems", "appear", "appears", "think", "thinks", "keep",
    "keeps", "thinking", "enjoy", "enjoys", "someone", "life", "passionate", "dedicated",
})  # fmt: skip
_SUFFIXES = ("ing", "ed", "er", "es", "s")
_SENTENCE = re.compile(r"(?<=[.!?;])\s+|\n+")
_CLAUSE = re.compile(r"[.;!?]+\s*|,\s+|\s+(?:and|but|while|because|so)\s+", re.IGNORECASE)


def stem(word: str) -> str:
    """A crude stem: a common suffix off, a doubled last consonant undone ("hosting" -> "host",
    "planned" -> "plan"); short words are kept."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiousl":
                word = word[:-1]
            break
    return word


def words(text: str) -> frozenset[str]:
    """Stemmed content words of `text`, attitude words left out."""
    return frozenset(stem(w) for w in content_words(text) if w not in ATTITUDE)


@dataclass(frozen=True, slots=True)
class Statement:
    subject: str  # the person it is about ("" when nobody)
    words: frozenset[str]
    observed: bool = False  # an event the agent saw (what someone was doing then)


class People:
    """Names of people the agent knows, found in text: full names and first names."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names = sorted({n for n in names if n and ":" not in n and " " in n.strip()})
        forms = {}
        for name in self.names:
            forms[name.lower()] = name
            forms.setdefault(name.split()[0].lower(), name)
        ordered = sorted(forms, key=len, reverse=True)
        self._forms = forms
        self._pattern = re.compile(
            r"\b(" + "|".join(re.escape(f) for f in ordered) + r")(?:'s)?\b", re.IGNORECASE
        ) if ordered else None  # fmt: skip

    def leading(self, text: str) -> tuple[str, str]:
        """(the person `text` starts with, the rest), or ("", text)."""
        match = self._pattern.match(text.strip()) if self._pattern else None
        if match is None:
            return "", text
        return self._forms[match.group(1).lower()], text.strip()[match.end() :]

    def named(self, text: str) -> set[str]:
        """Everyone named anywhere in `text`."""
        if self._pattern is None:
            return set()
        return {self._forms[m.group(1).lower()] for m in self._pattern.finditer(text)}

    def subject(self, text: str) -> str:
        """The person a sentence starts with ("" when it starts with no name)."""
        return self.leading(text)[0]

    def claims(self, text: str) -> list[tuple[str, str]]:
        """(person, what is said of them) per clause that starts with a name; a clause starting
        otherwise ("and a crush on him") goes on with the clause before it."""
        out: list[list[str]] = []
        for clause in _CLAUSE.split(text):
            if not clause.strip():
                continue
            person, rest = self.leading(clause)
            if person:
                out.append([person, rest])
            elif out:
                out[-1][1] += " " + clause
        return [(p, r) for p, r in out]


def known_people(agent: str, nodes: Iterable[MemoryNode], extra: Iterable[str] = ()) -> People:
    names = {agent, *extra}
    for node in nodes:
        for part in (node.subject, node.object):
            if part and ":" not in part and len(part.split()) == 2 and part[0].isupper():
                names.add(part)
    return People(names)


def statements(agent: str, persona_text: str, nodes: Iterable[MemoryNode], people: People
               ) -> list[Statement]:  # fmt: skip
    """The persona's sentences (about the agent unless they name someone first) and the
    memories, each with its subject; observed events marked."""
    out = []
    for sentence in _SENTENCE.split(persona_text):
        if sentence.strip():
            out.append(Statement(people.subject(sentence) or agent, words(sentence)))
    for node in nodes:
        if node.is_idle:
            continue
        for sentence in _SENTENCE.split(node.description):
            subject = people.subject(sentence) or (node.subject if ":" not in node.subject else "")
            observed = node.kind is NodeKind.EVENT and node.predicate != "reflects"
            out.append(Statement(subject, words(sentence), observed))
    return out


@dataclass(frozen=True, slots=True)
class Claim:
    person: str
    words: frozenset[str]
    status: str  # "supported", "misattributed", "unsupported", "restated action"


def check(text: str, known: list[Statement], people: People) -> list[Claim]:
    """Each claim of `text` with its status (see the module doc)."""
    claims = []
    for person, rest in people.claims(text):
        claim = words(rest) - words(person)
        if not claim:
            continue
        need = max(1, math.ceil(len(claim) / 2))
        attitude = bool(content_words(rest) & ATTITUDE)
        # "Isabella keeps thinking about how Klaus is reading": an attitude toward a fact about
        # someone named in the claim rests on what is known of them
        about = {person, *(people.named(rest) if attitude else ())}
        own = [s for s in known if s.subject in about and len(claim & s.words) >= need]
        if not attitude and any(s.observed and claim <= s.words for s in own):
            status = "restated action"
        elif own:
            status = "supported"
        elif any(s.subject and s.subject != person and len(claim & s.words) >= need
                 for s in known):  # fmt: skip
            status = "misattributed"
        else:
            status = "unsupported"
        claims.append(Claim(person, claim, status))
    return claims


def is_true(claims: list[Claim]) -> bool:
    """At least one claim, all supported."""
    return bool(claims) and all(c.status == "supported" for c in claims)
