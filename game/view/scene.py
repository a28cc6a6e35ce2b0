"""What the window draws: a frozen picture of the town at one step.

The drawing code (`world_view`, `hud`, `side_panels`) reads only `Scene` values, never the live
simulation, so the same code draws a live town, a replayed run log or a headless render.
`scene_from_record` builds one from the engine's `StepRecord` (or any record-like object, such as
a run-log line read back by the replay code); `scene_from_sim` builds the record of the current
moment with the engine's own `step_record` (used before the first step and after a load).

An agent's shown action names a place only where the agent is (`shown_doing`): walking there
it is "going to <place>", and the room shown is the one it stands in. The action as planned is
kept beside it (`planned`, `planned_address`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from engine.provenance import UNKNOWN, Provenance
from engine.records import step_record
from game.view.marks import provenance


@dataclass(frozen=True, slots=True)
class Line:
    """One spoken line of a conversation."""

    speaker: str
    text: str
    by: Provenance = UNKNOWN  # who made it


@dataclass(frozen=True, slots=True)
class SceneConversation:
    """A conversation under way at this step (its transcript so far)."""

    conversation_id: int
    participants: tuple[str, ...]
    lines: tuple[Line, ...] = ()
    place: str = ""


@dataclass(frozen=True, slots=True)
class SceneAgent:
    """One agent as drawn: where it stands and what it is doing."""

    name: str
    tile_xy: tuple[int, int]
    facing: str = "down"
    action: str = ""
    emoji: str = ""
    address: str = ""
    sleeping: bool = False
    said: str | None = None  # the line spoken at this step
    talking_to: str | None = None
    walking: bool = False
    planned: str = ""  # the action as decided (`action` is what the window shows)
    planned_address: str = ""
    arrival: str = ""  # engine.records.ARRIVALS, "" when there is no place to reach
    action_by: Provenance = UNKNOWN  # who made the action (model, rule, ...)
    said_by: Provenance = UNKNOWN  # who made the line


HERE = "<here>"


def _where_name(address: str, standing_in: str) -> str:
    """The name to go by: the building, or the spot inside it when already in that building."""
    parts, here = address.split(":"), standing_in.split(":")
    if len(parts) > 2 and parts[:2] == here[:2]:
        return parts[-1]
    return parts[1] if len(parts) > 1 else parts[0]


def shown_doing(action: str, address: str, place: str, arrival: str) -> tuple[str, str]:
    """(what an agent is shown doing, the address shown as where): the planned action and its
    place only once the agent is on it; otherwise what is true of where it stands."""
    if arrival == "going":
        return f"going to {_where_name(address, place)}", place
    if arrival == "near":
        return f"waiting for a free spot at {address.split(':')[-1]}", place
    if arrival == "away":
        return f"cannot get to {_where_name(address, place)}", place
    if address == HERE and place:
        return action, place
    return action, address


@dataclass(frozen=True, slots=True)
class SceneReply:
    agent: str
    message_id: int
    text: str
    step: int
    by: Provenance = UNKNOWN  # who made the answer


@dataclass(frozen=True)
class Scene:
    """The town at one step, ready to draw."""

    step: int
    time_iso: str
    agents: tuple[SceneAgent, ...]
    thinking: frozenset[str] = frozenset()
    conversations: tuple[SceneConversation, ...] = ()
    replies: tuple[SceneReply, ...] = ()
    errors: int = 0
    events: tuple[tuple[str, tuple[str, ...], str], ...] = ()  # (kind, agents, text)
    error_list: tuple[tuple[str, str, str], ...] = ()  # this step's (agent, kind, cause)
    by_name: dict[str, SceneAgent] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name.update({a.name: a for a in self.agents})

    def agent(self, name: str) -> SceneAgent | None:
        return self.by_name.get(name)


@dataclass(frozen=True, slots=True)
class CastMember:
    """What the drawing needs to know about a persona (static for a run)."""

    name: str
    first_name: str
    sprite: str


def cast_of(personas: dict[str, Any], player: Any = None) -> dict[str, CastMember]:
    """Who is drawn with which sprite: the personas, and the player (engine.player.Player)."""
    cast = {n: CastMember(n, p.first_name, p.sprite) for n, p in personas.items()}
    if player is not None:
        cast[player.name] = CastMember(player.name, player.first_name, player.sprite)
    return cast


def scene_from_sim(sim) -> Scene:
    """The scene of a live simulation at its current step (before its first record, and
    after a load), built through the engine's own record builder."""
    record = step_record(sim.step, sim.clock.iso_at(sim.step), sim.bodies, sim.order,
                         sim.thinking(), (), sim.errors, sim.last_error,
                         sim.conversations.records(), (), _whereabouts(sim))
    scene = scene_from_record(record)
    return replace(scene, step=sim.step, thinking=frozenset(sim.thinking()), by_name={})


def _whereabouts(sim) -> dict[str, tuple[str, str]]:
    world = getattr(sim, "world", None)
    if world is None or not hasattr(world, "whereabouts"):
        return {}
    return {name: world.whereabouts(body) for name, body in sim.bodies.items()}


def scene_from_record(record) -> Scene:
    """A scene from a record-like object: `.step`, `.time_iso`, `.agents` (each with `name`,
    `tile_xy`/`tile`, `facing`, `action`, `emoji`, `address`, `sleeping`, `said`/`speech`),
    optional `.conversations`, `.replies`, `.thinking`, `.errors`."""
    partners: dict[str, str] = {}
    for item in getattr(record, "conversations", ()) or ():
        people = tuple(_get(item, "participants", ()))
        if len(people) == 2:
            partners[people[0]], partners[people[1]] = people[1], people[0]
    agents = []
    for item in _values(getattr(record, "agents", ())):
        tile = _get(item, "tile_xy", None) or _get(item, "tile", None) or _get(item, "xy", (0, 0))
        said = _get(item, "said", None) or _get(item, "speech", None) or _get(item, "say", None)
        planned, planned_at = _get(item, "action", "") or "", _get(item, "address", "") or ""
        arrival = _get(item, "arrival", "") or ""
        doing, where = shown_doing(planned, planned_at, _get(item, "place", "") or "", arrival)
        agents.append(SceneAgent(
            name=_get(item, "name", ""), tile_xy=(int(tile[0]), int(tile[1])),
            facing=_get(item, "facing", "down") or "down",
            action=doing, emoji=_get(item, "emoji", "") or "", address=where,
            sleeping=bool(_get(item, "sleeping", False)), said=said or None,
            talking_to=partners.get(_get(item, "name", "")),
            walking=bool(_get(item, "walking", False)) or arrival == "going",
            planned=planned, planned_address=planned_at, arrival=arrival,
            action_by=provenance(_get(item, "action_by", None) or _get(item, "by", None)),
            said_by=provenance(_get(item, "said_by", None) or _get(item, "say_by", None))))
    conversations = []
    for item in getattr(record, "conversations", ()) or ():
        lines = tuple(Line(_get(u, "speaker", ""), _get(u, "text", ""),
                           provenance(_get(u, "by", None)))
                      for u in _get(item, "lines", ()) or ())
        conversations.append(SceneConversation(
            int(_get(item, "conversation_id", 0) or 0), tuple(_get(item, "participants", ())),
            lines, _get(item, "place", "") or ""))
    replies = tuple(SceneReply(_get(r, "agent", ""), int(_get(r, "message_id", 0) or 0),
                               _get(r, "text", ""), int(_get(r, "step", 0) or 0),
                               provenance(_get(r, "by", None)))
                    for r in getattr(record, "replies", ()) or ())
    thinking = frozenset(a.name for a in _values(getattr(record, "agents", ()))
                         if _get(a, "thinking", False))
    events = tuple((str(_get(e, "kind", "")), tuple(_get(e, "agents", ()) or ()),
                    str(_get(e, "text", "") or "")) for e in getattr(record, "events", ()) or ())
    errors = tuple((str(_get(e, "agent", "")), str(_get(e, "kind", "")),
                    str(_get(e, "cause", ""))) for e in getattr(record, "error_list", ()) or ())
    return Scene(int(getattr(record, "step", 0)), str(getattr(record, "time_iso", "") or ""),
                 tuple(agents), thinking, tuple(conversations), replies,
                 int(getattr(record, "errors", 0) or 0), events, errors)


def _values(agents):
    return agents.values() if isinstance(agents, dict) else agents


def _get(item, name: str, default):
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)
