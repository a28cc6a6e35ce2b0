"""Dated events read from text: "a Valentine's Day party at Hobbs Cafe on February 14th, 5pm to
7pm" -> `Commitment(date, start, end, place, what, host)`.

A small month-day-time reader written here rather than `dateparser`: that library finds dates in
free text, but not time ranges ("from 5 to 7 pm"), event names, places or hosts, and its search
mode reads stray words ("may", "sat") as dates. This one knows a fixed grammar: a date (a month
and a day in either order, "today", "tonight", "tomorrow", or a weekday), a time or a range
("5pm", "at 17:00", "from 5 pm to 7 pm", "5-7pm", "between 5 and 7 pm", "starting at 5pm"), an
event noun from a list (party, dinner, meeting ...), a capitalised place after "at" and the host
(the subject of "is throwing / hosting / planning ..."). A text with no date is no commitment,
nor one with a relative date ("today") and no time, nor one with no time and no part of the day
("in the evening": 17:00).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from engine.provenance import UNKNOWN, Provenance

DEFAULT_MINUTES = 120  # an event with a start and no end lasts this long
PART_OF_DAY = {"morning": 9 * 60, "afternoon": 14 * 60, "evening": 17 * 60, "tonight": 19 * 60}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")  # fmt: skip
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVENTS = ("party", "dinner", "lunch", "brunch", "breakfast", "meeting", "gathering", "celebration",
          "concert", "event", "get-together", "reception", "festival", "show", "picnic",
          "fundraiser", "debate", "rally", "wedding", "game night", "open mic", "reading",
          "exhibition", "tournament", "ceremony", "lecture", "class", "game")  # fmt: skip
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_MONTH_DAY = re.compile(rf"\b{_MONTH}\s+{_DAY}\b(?:,?\s+(\d{{4}}))?", re.I)
_DAY_MONTH = re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\b(?:,?\s+(\d{{4}}))?", re.I)
_RELATIVE = re.compile(r"\b(today|tonight|this evening|this afternoon|tomorrow)\b", re.I)
_WEEKDAY = re.compile(r"\b(?:on|this|next)\s+(" + "|".join(WEEKDAYS) + r")\b", re.I)
_CLOCK = r"(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)?"
_RANGE = re.compile(
    rf"(?:\bfrom\s+|\bbetween\s+)?\b{_CLOCK}\s*(?:-|–|to|until|till|and)\s*{_CLOCK}(?![\w:])",
    re.I,
)
_SINGLE = re.compile(rf"(?:\bat|\bstarting(?:\s+at)?|\bfrom|\bby)\s+{_CLOCK}(?![\w:])", re.I)
_BARE = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?!\w)|\b(\d{1,2}):(\d{2})\b",
                   re.I)  # fmt: skip
_EVENT = re.compile(
    r"\b(?:[Aa]n?|[Tt]he|[Hh]er|[Hh]is|[Tt]heir|[Mm]y|[Oo]ur|[Yy]our)\s+"
    r"((?:[A-Z][\w']*\s+|[a-z][\w'-]*\s+){0,3}?(?:"
    + "|".join(re.escape(e) for e in EVENTS) + r"))\b"
)
_PLACE = re.compile(
    r"\b(?:at|in)\s+(?:the\s+)?([A-Z][\w'&-]*(?:\s+(?:and\s+|of\s+|the\s+)?[A-Z][\w'&-]*){0,4})"
)
_HOST = re.compile(
    r"\b((?:[A-Z][a-z'-]+\s?){1,2}|I|I'm|he|she|He|She|You|you|we)"
    r"\s*(?:is|are|am|'s|'m|will be|was)?"
    r"\s*(?:planning|throwing|hosting|having|organi[sz]ing|holding|giving|running|putting on)\b"
)

_SENTENCES = re.compile(r"[^.!?]+(?:[.!?]+|$)")
_NAMED = re.compile(r"\b[A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?")
_TOLD_BY = re.compile(r"\b([A-Z][a-z'-]+(?: [A-Z][a-z'-]+)?) (?:told|invited|asked)\b")


@dataclass(frozen=True, slots=True)
class Commitment:
    """An event on a date: what, where, who hosts, who told the agent, and whether it goes
    (`going`: "" not decided, "yes" or "no"; `by` says who decided)."""

    date: str  # YYYY-MM-DD
    start_min: int
    end_min: int
    what: str  # "the Valentine's Day party"
    place: str = ""  # "Hobbs Cafe"
    host: str = ""  # a person's name as the text gave it ("Isabella Rodriguez", "Isabella")
    source: str = ""  # who told the agent ("" for its own)
    going: str = ""
    by: Provenance = UNKNOWN

    @property
    def key(self) -> str:
        """The same event told twice (by different people) has the same key."""
        head = self.what.lower().split()[-1] if self.what else ""
        return f"{self.date}|{head}|{self.place.lower()}"

    def hosted_by(self, name: str) -> bool:
        first = name.split()[0] if name.split() else name
        return bool(self.host) and self.host in (name, first)

    def activity(self, name: str) -> str:
        """The action text while at it: "hosting the ... party at Hobbs Cafe"."""
        verb = "hosting" if self.hosted_by(name) else "at"
        place = f" at {self.place}" if self.place else ""
        return f"{verb} {self.what}{place}"

    def when_text(self) -> str:
        day = datetime.fromisoformat(self.date)
        return f"on {day.strftime('%B')} {ordinal(day.day)}, from {clock(self.start_min)} to " \
               f"{clock(self.end_min)}"

    def with_decision(self, going: str, by: Provenance) -> Commitment:
        return replace(self, going=going, by=by)

    def to_state(self) -> dict[str, Any]:
        return {"date": self.date, "start_min": self.start_min, "end_min": self.end_min,
                "what": self.what, "place": self.place, "host": self.host,
                "source": self.source, "going": self.going, "by": self.by.to_state()}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Commitment:
        date.fromisoformat(str(state["date"]))  # a ValueError for a bad date
        going = str(state.get("going", ""))
        if going not in ("", "yes", "no"):
            raise ValueError(f"a commitment's 'going' must be yes, no or empty: {going[:20]!r}")
        by = Provenance.read(state.get("by"))
        return cls(str(state["date"]), int(state["start_min"]), int(state["end_min"]),
                   str(state["what"]), str(state.get("place", "")), str(state.get("host", "")),
                   str(state.get("source", "")), going, by)  # fmt: skip


def ordinal(day: int) -> str:
    suffix = "th" if 10 <= day % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def clock(minute: int) -> str:
    """1020 -> "5 pm", 1050 -> "5:30 pm"."""
    hours, mins = divmod(minute % (24 * 60), 60)
    half = "am" if hours < 12 else "pm"
    twelve = hours % 12 or 12
    return f"{twelve}:{mins:02d} {half}" if mins else f"{twelve} {half}"


def _minute(hours: str, mins: str | None, half: str | None, default_half: str | None) -> int | None:
    h, m = int(hours), int(mins or 0)
    half = (half or default_half or "").lower().replace(".", "")
    if half == "pm" and h < 12:
        h += 12
    elif half == "am" and h == 12:
        h = 0
    elif not half and not mins and h < 8:
        h += 12  # "from 5 to 7" without am/pm: an evening, not 5 in the morning
    return h * 60 + m if 0 <= h < 24 and 0 <= m < 60 else None


def find_date(text: str, reference: datetime) -> date | None:
    """The first date in `text`, relative ones counted from `reference` (when it was said)."""
    for pattern, month_group, day_group in ((_MONTH_DAY, 1, 2), (_DAY_MONTH, 2, 1)):
        match = pattern.search(text)
        if match:
            month = next(i for i, m in enumerate(MONTHS, 1)
                         if m.startswith(match.group(month_group).lower().rstrip(".")[:3]))
            year = int(match.group(3)) if match.group(3) else reference.year
            try:
                return date(year, month, int(match.group(day_group)))
            except ValueError:
                return None
    relative = _RELATIVE.search(text)
    if relative:
        word = relative.group(1).lower()
        return reference.date() + timedelta(days=1 if word == "tomorrow" else 0)
    weekday = _WEEKDAY.search(text)
    if weekday:
        ahead = (WEEKDAYS.index(weekday.group(1).lower()) - reference.weekday()) % 7
        return reference.date() + timedelta(days=ahead)
    return None


def find_times(text: str) -> tuple[int, int] | None:
    """(start, end) minutes of day; the end DEFAULT_MINUTES after a lone start."""
    span = _RANGE.search(text)
    if span:
        h1, m1, a1, h2, m2, a2 = span.groups()
        if a1 or a2 or m1 or m2 or "from" in span.group(0).lower() or "between" in span.group(0):
            start, end = _minute(h1, m1, a1, a2), _minute(h2, m2, a2, a1)
            if start is not None and end is not None and end > start:
                return start, end
    single = _SINGLE.search(text)
    if single and (single.group(2) or single.group(3)):
        start = _minute(*single.groups(), None)
    else:
        bare = _BARE.search(text)
        if not bare:
            return None
        start = (_minute(bare.group(1), bare.group(2), bare.group(3), None) if bare.group(1)
                 else _minute(bare.group(4), bare.group(5), None, None))  # fmt: skip
    if start is None:
        return None
    return start, min(24 * 60, start + DEFAULT_MINUTES)


def parse(text: str, reference: datetime, *, speaker: str = "", about: str = "",
          source: str = "") -> Commitment | None:
    """The dated event in `text`, or None. `speaker` is who said it ("I'm hosting" -> the
    speaker hosts), `about` whom a statement is about ("You are throwing" in a whisper, "he"),
    `source` who told the agent."""
    text = " ".join(text.split())
    day = find_date(text, reference)
    if day is None:
        return None
    # the event, time and place are read in the sentence that names the date ("At 13:00 I'm in
    # class. And on February 14th, from 5 pm to 7 pm, I'm going to the party.": the party)
    text = next((s for s in _SENTENCES.findall(text) if find_date(s, reference) == day), text)
    times = find_times(text)
    event = _EVENT.search(text)
    named = bool(_MONTH_DAY.search(text) or _DAY_MONTH.search(text))
    if times is None and (event is None or not named):
        return None  # "the party ... today": a day and an event, but no time: no commitment
    if times is None:  # a part of the day stands for a time; with none, no commitment
        part = re.search(r"\b(morning|afternoon|evening|tonight)\b", text, re.I)
        if part is None:
            return None
        start = PART_OF_DAY[part.group(1).lower()]
        times = (start, start + DEFAULT_MINUTES)
    what = f"the {event.group(1)}" if event else "the event"
    place = ""
    for match in _PLACE.finditer(text):
        words = match.group(1).split()
        if words and words[0].lower() not in MONTHS and not words[0][:1].isdigit():
            place = " ".join(w for w in words if w.lower() not in WEEKDAYS).strip(" ,.")
            break
    host = ""
    hosting = _HOST.search(text)
    if hosting:
        who = hosting.group(1).strip()
        if who in ("I", "I'm", "We", "we"):
            host = speaker
        elif who.lower() == "you":
            host = about
        elif who.lower() in ("he", "she"):  # the last person named before it, not the listener
            named = [n for n in _NAMED.findall(text[: hosting.start()]) if n not in (about, "I")]
            host = named[-1] if named else ""
        elif who.split()[0] not in ("The", "A", "An", "This"):
            host = who
    told = _TOLD_BY.search(text)
    if not source and told and told.group(1) not in (about, speaker):
        source = told.group(1)  # "Isabella told Klaus that ...": heard from Isabella
    return Commitment(day.isoformat(), times[0], times[1], what, place, host, source)
