"""The town's story so far, built from successive scenes: an event feed and transcripts.

`TownFeed.observe(scene)` is called once per new step (live or replayed). It notices
conversations starting and ending (by their ids), keeps every line spoken in them (a full
transcript per conversation, not the passing bubble), and takes user messages and replies and
reflections that the caller reports. Nothing here touches pygame or the engine.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

from game.scene import Line, Scene

MAX_EVENTS = 400
MAX_TRANSCRIPTS = 200


@dataclass(frozen=True, slots=True)
class FeedEvent:
    step: int
    time_iso: str
    kind: str  # "talk-start", "talk-end", "reflection", "user", "reply"
    text: str
    agents: tuple[str, ...] = ()

    @property
    def clock_text(self) -> str:
        try:
            return datetime.fromisoformat(self.time_iso).strftime("%H:%M")
        except ValueError:
            return self.time_iso[-8:-3]


@dataclass
class Transcript:
    conversation_id: int
    participants: tuple[str, ...]
    place: str
    started_iso: str
    lines: list[Line] = field(default_factory=list)
    ended_iso: str = ""

    def involves(self, names) -> bool:
        return all(n in self.participants for n in names if n)


EXPECTED_ERROR = "fallback"  # engine.records.ErrorKind.FALLBACK: amber, not red


class TownFeed:
    """Events with game times and conversation transcripts, oldest first."""

    def __init__(self) -> None:
        self.events: deque[FeedEvent] = deque(maxlen=MAX_EVENTS)
        self.transcripts: dict[int, Transcript] = {}
        self._open: set[int] = set()
        self._last_step = -1
        self._seen_replies: set[tuple[str, int]] = set()
        self.version = 0  # bumped on every change (drawing caches key on it)
        self.errors: deque[FeedEvent] = deque(maxlen=MAX_EVENTS)  # kind: fallback/mind/engine
        self.serious = 0  # errors that are faults, not the expected model fallbacks
        self.on_error = None  # called with each error line (the window logs them to a file)

    def observe(self, scene: Scene, first: dict[str, str] | None = None) -> None:
        """Take in one step's scene (a repeated step is ignored)."""
        if scene.step == self._last_step:
            return
        self._last_step = scene.step
        names = first or {}
        now = {c.conversation_id: c for c in scene.conversations}
        for cid, conversation in now.items():
            transcript = self.transcripts.get(cid)
            if transcript is None:
                transcript = Transcript(cid, conversation.participants, conversation.place,
                                        scene.time_iso)
                self.transcripts[cid] = transcript
                self._open.add(cid)
                who = " and ".join(names.get(p, p) for p in conversation.participants)
                self._add(scene, "talk-start", f"{who} start talking", conversation.participants)
            if len(conversation.lines) > len(transcript.lines):
                transcript.lines = list(conversation.lines)
                self.version += 1
        for cid in sorted(self._open - set(now)):
            self._open.discard(cid)
            transcript = self.transcripts[cid]
            transcript.ended_iso = scene.time_iso
            self.version += 1
            who = " and ".join(names.get(p, p) for p in transcript.participants)
            self._add(scene, "talk-end", f"{who} stop talking ({_lines(len(transcript.lines))})",
                      transcript.participants)
        for agent, kind, cause in scene.error_list:
            self._error(scene, agent, kind, cause)
        for reply in scene.replies:
            key = (reply.agent, reply.message_id)
            if key not in self._seen_replies:
                self._seen_replies.add(key)
                self._add(scene, "reply",
                          f"{names.get(reply.agent, reply.agent)}: {reply.text}", (reply.agent,))
        while len(self.transcripts) > MAX_TRANSCRIPTS:
            oldest = min(self.transcripts)
            self._open.discard(oldest)
            del self.transcripts[oldest]

    def _error(self, scene: Scene, agent: str, kind: str, cause: str) -> None:
        """One counted error with its cause; a fallback is expected, the rest are faults."""
        self.version += 1
        self.serious += kind != EXPECTED_ERROR
        event = FeedEvent(scene.step, scene.time_iso, kind, cause, (agent,) if agent else ())
        self.errors.append(event)
        if self.on_error is not None:
            self.on_error(f"{scene.time_iso} step {scene.step} {agent or '-'} {kind}: {cause}")

    def note(self, scene: Scene, kind: str, text: str, agents: tuple[str, ...] = ()) -> None:
        """An event the caller knows about (a user message, a reflection)."""
        self._add(scene, kind, text, agents)

    def _add(self, scene: Scene, kind: str, text: str, agents) -> None:
        self.version += 1
        self.events.append(FeedEvent(scene.step, scene.time_iso, kind, text, tuple(agents)))

    def transcripts_for(self, agent: str | None, partner: str | None = None) -> list[Transcript]:
        """Conversations of an agent (or of a pair), newest first."""
        if agent is None:
            return sorted(self.transcripts.values(), key=lambda t: -t.conversation_id)
        return sorted((t for t in self.transcripts.values() if t.involves((agent, partner))),
                      key=lambda t: -t.conversation_id)

    def reset(self) -> None:
        """After a load: the town's past is another one now."""
        version, on_error = self.version, self.on_error
        self.__init__()
        self.version, self.on_error = version + 1, on_error


def _lines(count: int) -> str:
    return "1 line" if count == 1 else f"{count} lines"
