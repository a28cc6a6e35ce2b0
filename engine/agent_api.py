"""The contract between the world and an agent's mind: percepts in, decisions out.

The engine builds a `Percept` for every agent that needs to decide at a step, hands it to that
agent's `Mind` on the dispatcher, and applies the returned `Decision` when every decision of the
step is in. Minds never touch the world directly; everything they know arrives in percepts and
everything they do leaves as decisions. All values here are frozen and JSON-friendly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from engine.provenance import UNKNOWN, Provenance

Triple = tuple[str, str, str]

MAX_CONVERSATION_LINES = 8  # the engine closes a conversation at this many lines; minds wrap up


class Reason(enum.StrEnum):
    """Why the engine asks a mind to decide at this step."""

    START = "start"  # first step of a run for this agent (nothing planned yet)
    ACTION_DONE = "action_done"  # the current action's time is up
    PERCEIVED = "perceived"  # something new came into view
    CONVERSATION_TURN = "conversation_turn"  # it is this agent's turn to speak
    CONVERSATION_ENDED = "conversation_ended"  # a conversation this agent was in has ended
    USER = "user"  # the user chatted with or whispered to this agent


class MessageKind(enum.StrEnum):
    """What a user message is: a question to answer in character, or a planted thought."""

    CHAT = "chat"
    WHISPER = "whisper"


@dataclass(frozen=True, slots=True)
class Persona:
    """Who an agent is: the identity facts from its persona file.

    `routine` is a list of daily blocks `{"start": "HH:MM", "activity", "place", "emoji"}`, each
    lasting until the next block starts; the list covers the whole day starting from the block
    that begins at or after midnight. `place` is a full address (`world:sector:arena[:object]`).
    """

    name: str
    first_name: str
    last_name: str
    age: int
    innate: str
    learned: str
    currently: str
    lifestyle: str
    occupation: str
    living_area: str  # world:sector:arena where they sleep
    bed: str  # full address of the bed they sleep in
    workplace: str  # world:sector:arena[:object] where they usually work or study
    spawn: str  # name of the spawn point in the map's Spawns layer
    sprite: str  # sprite sheet stem under assets/characters/
    routine: tuple[dict[str, str], ...]
    known_places: tuple[str, ...]  # world:sector:arena addresses the agent knows at the start
    vision_radius: int = 8
    attention_bandwidth: int = 8
    retention: int = 8
    reflection_threshold: int = 150
    recency_decay: float = 0.995

    def identity_text(self) -> str:
        """The short identity summary used in prompts and the inspector."""
        return (
            f"Name: {self.name}\nAge: {self.age}\nInnate traits: {self.innate}\n"
            f"Learned traits: {self.learned}\nCurrently: {self.currently}\n"
            f"Lifestyle: {self.lifestyle}"
        )


@dataclass(frozen=True, slots=True)
class PerceivedEvent:
    """One event an agent noticed: an agent doing something, or an object's state."""

    subject: str  # persona name, or full object address
    predicate: str
    object: str
    description: str  # "bed is idle", "Klaus Mueller is sleeping"
    distance: float  # tiles from the observer
    is_agent: bool

    @property
    def triple(self) -> Triple:
        return (self.subject, self.predicate, self.object)


@dataclass(frozen=True, slots=True)
class AgentView:
    """What an observer can see of another agent nearby."""

    name: str
    action: str  # current action description
    address: str  # where that action is meant to happen
    in_conversation: bool
    sleeping: bool
    distance: float
    last_talk_step: int | None = None  # the step its last conversation ended (None: not yet)
    using: bool = False  # standing at its action's place (not walking there)


@dataclass(frozen=True, slots=True)
class Utterance:
    """One line of a conversation, and who made it (the model's words, a template, ...)."""

    speaker: str
    text: str
    by: Provenance = UNKNOWN

    def to_state(self) -> list:
        """`[speaker, text, [source, via]]` (run logs and saves)."""
        return [self.speaker, self.text, self.by.to_state()]

    @classmethod
    def from_state(cls, state: Any) -> Utterance:
        """From `[speaker, text]` (written before provenance was kept: UNKNOWN) or
        `[speaker, text, by]`; anything else is a ValueError."""
        if not isinstance(state, list | tuple) or len(state) not in (2, 3):
            raise ValueError("a conversation line must be [speaker, text] or [speaker, text, by]")
        by = Provenance.read(state[2] if len(state) == 3 else None)
        return cls(state[0], state[1], by)  # engine.state_check checks the types


@dataclass(frozen=True, slots=True)
class ConversationView:
    """A conversation the agent is part of, as seen at this step."""

    conversation_id: int
    participants: tuple[str, str]  # (initiator, partner)
    lines: tuple[Utterance, ...]
    place: str  # world:sector:arena where it happens
    ended: bool = False


@dataclass(frozen=True, slots=True)
class UserMessage:
    """A line typed by the user to this agent: a chat question or a whisper."""

    kind: MessageKind
    text: str
    message_id: int


@dataclass(frozen=True, slots=True)
class Percept:
    """Everything an agent knows about the world when it is asked to decide."""

    agent: str
    step: int
    time_iso: str  # game time, "2023-02-13T07:00:00"
    tile_xy: tuple[int, int]
    arena: str  # world:sector:arena of the tile the agent stands on ("the Ville" outdoors)
    reasons: tuple[Reason, ...]
    current_action: Action | None
    action_done: bool
    events: tuple[PerceivedEvent, ...] = ()  # new (not retained) events, nearest first
    nearby_agents: tuple[AgentView, ...] = ()
    seen_places: tuple[str, ...] = ()  # world:sector:arena:object addresses in view
    conversation: ConversationView | None = None
    finished_conversation: ConversationView | None = None
    user_messages: tuple[UserMessage, ...] = ()
    arrived: bool = False  # standing at the current action's place (not on the way)
    talk_paused: str = ""  # in a conversation: the action it paused (resumed when it ends)


@dataclass(frozen=True, slots=True)
class Action:
    """Something an agent does for a while at a place.

    `address` is `world:sector:arena[:object]` known to the map; the engine walks the agent to
    a tile of it. The special address `"<here>"` means "stay where you are". `sleeping` marks
    sleep: nobody starts a conversation with a sleeper, and others see the agent asleep.
    """

    description: str  # "making coffee"
    emoji: str
    address: str
    duration_min: int
    event: Triple  # (agent name, predicate, object)
    object_state: str = ""  # description of the used object's state, "being used"
    start_step: int = -1  # filled in by the engine when the action starts
    sleeping: bool = False
    by: Provenance = UNKNOWN  # who chose the activity (its text) and its place

    def to_state(self) -> dict[str, Any]:
        return {
            "by": self.by.to_state(),
            "description": self.description,
            "emoji": self.emoji,
            "address": self.address,
            "duration_min": self.duration_min,
            "event": list(self.event),
            "object_state": self.object_state,
            "start_step": self.start_step,
            "sleeping": self.sleeping,
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Action:
        return cls(
            description=state["description"],
            emoji=state["emoji"],
            address=state["address"],
            duration_min=int(state["duration_min"]),
            event=tuple(state["event"]),  # type: ignore[arg-type]
            object_state=state.get("object_state", ""),
            start_step=int(state.get("start_step", -1)),
            sleeping=bool(state.get("sleeping", False)),
            by=Provenance.read(state.get("by")),
        )


HERE = "<here>"


@dataclass(frozen=True, slots=True)
class Decision:
    """What a mind wants, returned for one percept. Empty fields mean "no change".

    - `action`: start this action now (replaces the current one).
    - `talk_to`: start a conversation with this agent (the engine checks both are free).
    - `say`: the next line when it is this agent's turn; `end_conversation` closes it.
    - `replies`: answers to the percept's user chat messages, in order.
    - `say_by` / `reply_by`: who made the line and each reply (`reply_by` in `replies`' order;
      shorter than `replies` where unknown).
    - `fallbacks`: how many model failures the mind had to cover for while deciding.
    """

    action: Action | None = None
    talk_to: str | None = None
    say: str | None = None
    end_conversation: bool = False
    replies: tuple[tuple[int, str], ...] = ()  # (message_id, reply text)
    fallbacks: int = 0
    notes: tuple[str, ...] = field(default=())  # short debug notes for the run log
    say_by: Provenance = UNKNOWN
    reply_by: tuple[Provenance, ...] = ()

    def reply_provenance(self, index: int) -> Provenance:
        """Who made `replies[index]` (UNKNOWN when the mind did not say)."""
        return self.reply_by[index] if index < len(self.reply_by) else UNKNOWN

    def to_state(self) -> dict[str, Any]:
        return {
            "action": self.action.to_state() if self.action else None,
            "talk_to": self.talk_to, "say": self.say, "end_conversation": self.end_conversation,
            "replies": [[i, text] for i, text in self.replies], "fallbacks": self.fallbacks,
            "notes": list(self.notes), "say_by": self.say_by.to_state(),
            "reply_by": [by.to_state() for by in self.reply_by],
        }  # fmt: skip

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Decision:
        action = state.get("action")
        return cls(
            action=Action.from_state(action) if action else None,
            talk_to=state.get("talk_to"), say=state.get("say"),
            end_conversation=bool(state.get("end_conversation", False)),
            replies=tuple((int(i), text) for i, text in state.get("replies", [])),
            fallbacks=int(state.get("fallbacks", 0)), notes=tuple(state.get("notes", [])),
            say_by=Provenance.read(state.get("say_by")),
            reply_by=tuple(Provenance.from_state(b) for b in state.get("reply_by", [])),
        )  # fmt: skip


@runtime_checkable
class Mind(Protocol):
    """An agent's mind. `decide` runs on a dispatcher thread; one call per agent at a time.

    A decision asked for at step N takes effect at a later step fixed by game time (see
    engine/README.md). Until then the engine asks `interim` — on its own thread, never while
    `decide` runs — what the agent does meanwhile.
    """

    name: str

    def decide(self, percept: Percept) -> Decision:
        """Return what the agent does next given what it perceives now."""
        ...

    def interim(self, percept: Percept) -> Action | None:
        """A cheap action to carry on with while `decide(percept)` is thought out.

        Called only when the agent has nothing left to do (reasons START or ACTION_DONE);
        must not call a model or change the mind's state. None: keep the current action.
        """
        ...

    def to_state(self) -> dict[str, Any]:
        """JSON-able state that `MindFactory.restore` turns back into an equal mind."""
        ...

    def inspect(self) -> dict[str, Any]:
        """A read-only summary for the inspector: schedule, memories, reflections, relations.

        The engine calls it on the mind's own thread right after each `decide` (or a mind's
        optional `snapshot(step)`, see engine/mind_snapshot.py) and carries the frozen result
        to the window in the step records; nothing else reads a live mind."""
        ...


class MindFactory(Protocol):
    """Builds minds for personas: fresh ones for a new run, restored ones for a loaded save."""

    kind: str  # "routine", "generative"

    def create(self, persona: Persona) -> Mind:
        """A fresh mind for a persona with no history."""
        ...

    def restore(self, persona: Persona, state: dict[str, Any]) -> Mind:
        """A mind equal to the one whose `to_state()` produced `state`."""
        ...
