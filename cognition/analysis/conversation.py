"""Conversation quality: do agents talk with each other, or recite themselves at each other?

Four numbers over the run's agent-agent conversations (`data.conversations`), judged on the
text alone, so they measure any mind the same way:

- `conversations`: how many there were;
- `restated`: the share of lines that restate one of the speaker's own persona statements
  (innate, learned, currently, lifestyle) or history statements (the save's history.csv, "you"
  read as the speaker), put in the first person: at least half their words shared with one
  (`similar_lines` at 0.5) or most of the line's words taken from one;
- `take_up`: the share of replies (every line after the first) that ask a question or share a
  content word (a word of four letters or more that is not a stop word or a name) with the
  partner's last line;
- `greeting`: the share of conversations whose first line greets the partner by first name
  ("Hi Klaus", "Good morning, Klaus", "Hello Klaus").
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cognition.analysis.data import RunData, conversations
from cognition.generative.actions import contained, similar_lines
from cognition.generative.common import first_person, third_person

RESTATE_OVERLAP = 0.5
_WORD = re.compile(r"[a-z']{4,}")
_GREETING = re.compile(r"\b(hi|hello|hey|good (morning|afternoon|evening)|greetings)\b", re.I)
STOP = frozenset(
    "that this with have from what your about there their they them then than were been will "
    "would could should just like really also very some into over more much when where which "
    "while here doing going today right thanks thank know think well good nice sure yeah okay "
    "it's i'm i've i'll you're don't can't".split()
)


@dataclass(frozen=True, slots=True)
class ConversationQuality:
    conversations: int
    lines: int
    restated: float
    take_up: float
    greeting: float
    transcripts: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"conversations": self.conversations, "lines": self.lines,
                "restated": round(self.restated, 3), "take_up": round(self.take_up, 3),
                "greeting": round(self.greeting, 3)}  # fmt: skip


def statements(save_dir: Path, agents: tuple[str, ...]) -> dict[str, list[str]]:
    """Each agent's persona and history statements, in its own first person."""
    out: dict[str, list[str]] = {a: [] for a in agents}
    for path in sorted((Path(save_dir) / "personas").glob("*.json")):
        persona = json.loads(path.read_text(encoding="utf-8"))
        name = persona.get("name", "")
        if name in out:
            out[name] += [persona.get(k, "") for k in ("innate", "learned", "currently",
                                                       "lifestyle") if persona.get(k)]
    history = Path(save_dir) / "history.csv"
    if history.is_file():
        with history.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                name = row.get("Name", "")
                if name in out:
                    out[name] += [third_person(s.strip(), name)
                                  for s in row.get("Whisper", "").split(";") if s.strip()]
    return {a: [first_person(s, a) for s in texts] for a, texts in out.items()}


def _content(text: str, names: set[str]) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in STOP and w not in names}


def restates(line: str, own: list[str]) -> bool:
    return any(similar_lines(line, s, RESTATE_OVERLAP) or contained(line, s) for s in own)


def takes_up(reply: str, previous: str, names: set[str]) -> bool:
    return "?" in reply or bool(_content(reply, names) & _content(previous, names))


def quality(data: RunData, save_dir: Path, shown: int = 2) -> ConversationQuality:
    """The four numbers, and the first `shown` transcripts with at least four lines."""
    talks = conversations(data)
    own = statements(save_dir, data.agents)
    names = {w.lower() for a in data.agents for w in a.split()}
    lines = restated = replies = taken = greeted = 0
    transcripts = []
    for when, pair, said in talks:
        lines += len(said)
        restated += sum(restates(text, own.get(speaker, [])) for speaker, text in said)
        for (_, before), (_, text) in zip(said, said[1:]):
            replies += 1
            taken += takes_up(text, before, names)
        if said:
            speaker, text = said[0]
            partner = next((p for p in pair if p != speaker), "")
            first = partner.split()[0] if partner else ""
            greeted += bool(_GREETING.search(text) and first and first in text)
        if len(said) >= 4 and len(transcripts) < shown:
            transcripts.append((when.isoformat(), tuple(said)))
    count = len(talks)
    return ConversationQuality(
        conversations=count, lines=lines,
        restated=restated / lines if lines else 0.0,
        take_up=taken / replies if replies else 0.0,
        greeting=greeted / count if count else 0.0,
        transcripts=tuple(transcripts),
    )  # fmt: skip


def markdown(q: ConversationQuality) -> list[str]:
    """The report's "Conversation quality" section."""
    out = ["", "## Conversation quality", "",
           f"{q.conversations} conversations, {q.lines} lines. Lines restating the speaker's own "
           f"persona or history: {q.restated:.0%}. Replies that ask or take up the partner's "
           f"last line: {q.take_up:.0%}. Conversations opening with a greeting by name: "
           f"{q.greeting:.0%}."]  # fmt: skip
    for when, said in q.transcripts:
        out += ["", f"{when}:", ""] + [f"> {speaker}: {text}  " for speaker, text in said]
    return out
