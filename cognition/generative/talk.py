"""Dialogue acts: what a speaker can do with its next line, and the words for each.

A line is built from two parts. The first takes up the partner's last line, by structure: a
greeting answered, a question answered from the speaker's own action, plan or "currently", news
met with surprise (or "I heard", when the speaker knew it), an answer acknowledged. The second
is an act the model chooses among the options this module offers (`options`): invite the partner
to a dated event the speaker hosts or goes to, tell news heard from someone else (quoted with
its source: `Klaus told me: "I've been writing a paper."`), ask what the partner is doing,
planning or busy with, say goodbye. When the partner's line is an invitation the only options are to accept or decline it.
Templates write the words (`words`); nothing here restates the speaker's persona statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from cognition.generative.actions import similar_lines
from cognition.generative.common import first_name, first_person, minute_of_day
from cognition.generative.context import MindContext
from cognition.generative.dated import Commitment, parse
from cognition.generative.schedule import hhmm, is_sleep_activity
from cognition.memory.node import NodeKind

TOLD_BEFORE = 24  # the newest chats searched for news and for what was told to the partner
MAX_NEWS = 2
SAID_OVERLAP = 0.6
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")
_NOW_WORDS = re.compile(r"\b(right now|now|at the moment|today|currently)\b", re.I)
_PLANS_Q = re.compile(r"\b(plans?|planning|later|tonight|tomorrow|this evening|going to do)\b",
                      re.I)  # fmt: skip
_LATELY_Q = re.compile(r"\b(lately|these days|been up to|how have you been|busy with)\b", re.I)
_NEWS_START = re.compile(r"^(I'm|I am|I've been|I have been|I'll|I will|I'm going to)\s+\w+ing\b|"
                         r"^(I'll|I will)\s+\w+|"
                         r"^(I've|I have)\s+(?!been\b)\w+ed\b")  # doing, will do, has done
NEWS_WORDS = 5
LATELY_CHARS = 160
_LEAD = re.compile(r"^(?:lately|these days|and)\b,?\s*", re.I)
_INVITE = re.compile(r"\b(come|join|coming)\b", re.I)
_OWN = re.compile(r"\b(her|his|their)\b")
_QUOTED = re.compile(r'\b([A-Z][a-z]+) (?:told me|said): "([^"]+)"')


@dataclass(frozen=True, slots=True)
class Option:
    """One act the speaker may choose: `label` (shown to the model), `kind`, its words."""

    label: str
    kind: str  # invite, tell, ask_doing, ask_plans, ask_lately, bye, accept, decline
    text: str
    key: str = ""  # the commitment an invitation or an answer to one is about


def sentences(line: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(line) if s.strip()]


def own_words(activity: str) -> str:
    """ "studying physics at her desk" -> "studying physics at my desk"."""
    return _OWN.sub("my", activity)


def invitation_in(line: str, when: datetime, speaker: str) -> Commitment | None:
    """The dated event a line invites the listener to (a question to come), or None."""
    if "?" not in line or not _INVITE.search(line):
        return None
    return parse(line, when, speaker=speaker, source=speaker)


def news_in(line: str, when: datetime, speaker: str) -> bool:
    """Whether a line tells news: a dated event, or something someone told the speaker."""
    return " told me" in line or parse(line, when, speaker=speaker) is not None


def answer(ctx: MindContext, question: str, now: datetime, doing: str) -> str:
    """The speaker's answer to the partner's question, from its own action, plan or currently."""
    if _LATELY_Q.search(question):
        from cognition.generative.prompts.planning import intentions

        currently = ctx.state.currently or ctx.persona.currently
        found = intentions([currently], person=ctx.name)
        if found:
            return f"Lately I've been {own_words(found[0])}."
        said = lately(currently, ctx.name)
        if said:
            return said
    if _PLANS_Q.search(question):
        later = next_plans(ctx, now)
        if later:
            return later
    return f"Right now I'm {own_words(doing)}." if doing else "Not much, just taking it easy."


def lately(currently: str, name: str) -> str:
    """What the speaker has been up to, from its "currently" said in the first person, when no
    activity can be read from it ("Sam Moore has decided to run for mayor ..." -> "Lately I have
    decided to run for mayor ..."); "" when its first sentence is not about the speaker."""
    first = sentences(first_person(currently, name))[:1]
    if not first or not first[0].startswith("I ") or len(first[0]) > LATELY_CHARS:
        return ""
    return f"Lately {own_words(first[0]).rstrip('.!')}."


def next_plans(ctx: MindContext, now: datetime) -> str:
    """ "At 16:00 I'm doing homework in the college library." and an event the speaker goes to
    on a later day; "" when the plan has nothing more today."""
    parts = []
    plan, minute = ctx.state.plan, minute_of_day(now)
    if plan is not None and plan.date == now.date().isoformat():
        current = plan.block_at(minute).activity
        block = next((b for b in plan.blocks() if b.start_min > minute
                      and b.activity != current and not is_sleep_activity(b.activity)), None)
        if block is not None:
            parts.append(f"At {hhmm(block.start_min)} I'm {own_words(block.activity)}.")
    day = now.date().isoformat()
    going = next((c for c in ctx.state.commitments if c.date > day and c.going != "no"), None)
    if going is not None:
        verb = "hosting" if going.hosted_by(ctx.name) else "going to"
        parts.append(f"And {going.when_text()}, I'm {verb} "
                     f"{going.what}{' at ' + going.place if going.place else ''}.")
    return " ".join(parts)


def told_to(ctx: MindContext, partner: str) -> list[str]:
    """What the speaker said to `partner` in earlier conversations."""
    return [text for n in ctx.memory.recent(TOLD_BEFORE, kinds=(NodeKind.CHAT,))
            if n.object == partner for speaker, text in n.filling if speaker == ctx.name]


def invitation_text(ctx: MindContext, item: Commitment) -> str:
    place = f" at {item.place}" if item.place else ""
    if item.hosted_by(ctx.name):
        return f"I'm hosting {item.what}{place} {item.when_text()}. Would you like to come?"
    host = first_name(item.host) if item.host else "Someone"
    told = (f"{first_name(item.source)} told me that " if item.source and item.source != item.host
            else "")  # fmt: skip
    return (f"{told}{host} is hosting {item.what}{place} {item.when_text()}. "
            "Would you like to come too?")  # fmt: skip


def event_names(ctx: MindContext) -> list[str]:
    """The dated events the speaker knows of, without their article ("valentine's day party")."""
    return [re.sub(r"^(the|a|an)\s+", "", c.what.lower()) for c in ctx.state.commitments]


def heard(line: str, speaker: str, when: datetime) -> list[tuple[str, str]]:
    """(who said it of themselves, their words) for each piece of news in `speaker`'s line:
    sentences about what the speaker does or will do, and words the speaker quoted someone
    else saying (`Sam told me: "..."`). A dated event is not news: an invitation carries it."""
    out = [(first_name(origin), quote) for origin, quote in _QUOTED.findall(line)]
    for sentence in sentences(_QUOTED.sub("", line)):
        sentence = _LEAD.sub("", sentence)  # "Lately I've been ..." -> "I've been ..."
        if (not _NEWS_START.match(sentence) or len(sentence.split()) < NEWS_WORDS
                or "?" in sentence
                or re.search(r"\byou(r)?\b", sentence, re.I) or _NOW_WORDS.search(sentence)
                or parse(sentence, when) is not None):
            continue
        out.append((first_name(speaker), sentence.rstrip(" .!") + "."))
    return out


def news(ctx: MindContext, partner: str, said: list[str]) -> list[tuple[str, str]]:
    """(label, words) for things a third person said of themselves that the partner was not
    told, quoted with their source: `Klaus told me: "I've been writing a research paper."`,
    or, heard second-hand, `Maria told me that Klaus said: "..."` (quoting keeps every "I" and
    "my" the speaker's own, with no pronoun to guess). News about a dated event the speaker
    knows of is left to the invitation."""
    out: list[tuple[str, str]] = []
    about = {first_name(ctx.name), first_name(partner)}
    events = event_names(ctx)
    words_said = " ".join(said)
    chats = ctx.memory.recent(TOLD_BEFORE, kinds=(NodeKind.CHAT,))
    from_partner = [line for n in chats for speaker, line in n.filling if speaker == partner]
    for node in chats:
        for speaker, line in node.filling:
            if speaker in (ctx.name, partner):
                continue
            teller = first_name(speaker)
            for origin, quote in heard(line, speaker, node.created):
                if (origin in about or any(re.search(rf"\b{re.escape(w)}\b", quote)
                                           for w in about)
                        or any(e in quote.lower() for e in events)):
                    continue
                words = (f'{teller} told me: "{quote}"' if origin == teller
                         else f'{teller} told me that {origin} said: "{quote}"')
                if (any(similar_lines(quote, old, SAID_OVERLAP) for old in said)
                        or quote.rstrip(".") in words_said
                        or any(quote.rstrip(".") in old for old in from_partner)):
                    continue  # said here already (quoted too), or heard from the partner first
                if all(w != words for _, w in out):
                    out.append((f"tell {first_name(partner)} what {origin} said", words))
    return out[:MAX_NEWS]


def options(ctx: MindContext, partner: str, now: datetime, lines: list[tuple[str, str]],
            invited: Commitment | None) -> list[Option]:
    """The acts offered to the speaker now, in a fixed order."""
    other = first_name(partner)
    if invited is not None:
        what = f"{invited.what} {invited.when_text().split(',')[0]}"
        return [Option(f"accept the invitation to {what}", "accept",
                       f"I'd love to come to {invited.what}! See you there.", invited.key),
                Option(f"decline the invitation to {what}", "decline",
                       f"Thank you, but I can't make it to {invited.what}.", invited.key)]
    mine = [s for speaker, text in lines if speaker == ctx.name for s in sentences(text)]
    said = [s for _, text in lines for s in sentences(text)] + [
        s for text in told_to(ctx, partner) for s in sentences(text)]
    mentioned = [text for _, text in lines] + told_to(ctx, partner)
    out: list[Option] = []
    day = now.date().isoformat()
    for item in ctx.state.commitments:
        if (item.date < day or item.going == "no" or item.hosted_by(partner)
                or item.source == partner):
            continue
        words = invitation_text(ctx, item)
        if not any(item.what.lower() in old.lower() for old in mentioned):  # told, or heard
            out.append(Option(f"invite {other} to {item.what}", "invite", words, item.key))
    out += [Option(label, "tell", words) for label, words in news(ctx, partner, said)]
    asks = [("ask_doing", f"ask what {other} is doing", "What are you up to right now?"),
            ("ask_plans", f"ask about {other}'s plans", "What are your plans for later?"),
            ("ask_lately", f"ask how {other} has been", "How have you been lately?")]
    out += [Option(label, kind, words) for kind, label, words in asks
            if not any(similar_lines(words, old, SAID_OVERLAP) for old in mine)]
    if len(lines) >= 2:
        out.append(Option("say goodbye", "bye", f"It was nice talking to you, {other}. See you!"))
    return out


def take_up(ctx: MindContext, partner: str, now: datetime, lines: list[tuple[str, str]],
            doing: str, known: set[str]) -> str:
    """The part of the line that answers the partner's last line (rule-written)."""
    other = first_name(partner)
    if not lines:
        return f"{_greeting(now)}, {other}!"
    speaker, last = lines[-1]
    if speaker != partner:
        return ""
    parts = [f"Hi {other}!"] if len(lines) == 1 else []
    for sentence in sentences(last):
        if sentence.endswith("?"):
            parts.append(answer(ctx, sentence, now, doing))
            break
    else:
        told = parse(last, now, speaker=partner)
        mine = lines[-2][1] if len(lines) >= 2 and lines[-2][0] == ctx.name else ""
        if mine and invitation_in(mine, now, ctx.name) is not None:
            parts.append("Thanks for letting me know.")  # the answer to my invitation
        elif told is not None:
            parts.append("Yes, I heard about that too." if told.key in known
                         else "Oh, I didn't know that!")
        elif " told me" in last:
            parts.append("Yes, I heard about that too." if knew(ctx, partner, last, now)
                         else "Oh, really? I didn't know that.")
        elif len(lines) >= 2 and lines[-2][0] == ctx.name and lines[-2][1].endswith("?"):
            parts.append("That sounds good.")
    return " ".join(parts)


def knew(ctx: MindContext, partner: str, line: str, now: datetime) -> bool:
    """Whether the news in the partner's line is about an event the listener knows of, or was
    said in a conversation the listener remembers."""
    if any(e in line.lower() for e in event_names(ctx)):
        return True
    quotes = [q.rstrip(".") for _, q in heard(line, partner, now)]
    remembered = [text for n in ctx.memory.recent(TOLD_BEFORE, kinds=(NodeKind.CHAT,))
                  for _, text in n.filling]
    return any(q and q in text for q in quotes for text in remembered)


def _greeting(now: datetime) -> str:
    return ("Good morning" if now.hour < 12 else "Good afternoon" if now.hour < 18
            else "Good evening")
