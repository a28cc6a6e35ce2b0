"""What each agent notices: events in its own room, within its vision square, nearest first.

Faithful to the original: only the observer's own area counts, events are sorted by distance,
the nearest `attention_bandwidth` are kept, and events whose (subject, predicate, object) is
among the agent's `retention` most recent ones are not new.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from engine.agent_api import HERE, AgentView, PerceivedEvent, Persona
from engine.bodies import AgentBody
from engine.town_map import TownMap


def agent_event(body: AgentBody) -> PerceivedEvent:
    """The event an agent shows to others (and to itself)."""
    action = body.action
    if action is None:
        return PerceivedEvent(body.name, "is", "idle", f"{body.name} is idle", 0.0, True)
    _, predicate, obj = action.event
    return PerceivedEvent(
        body.name, predicate, obj, f"{body.name} is {action.description}", 0.0, True
    )


def object_states(town: TownMap, bodies: Mapping[str, AgentBody]) -> dict[int, str]:
    """Object index -> state text for objects an arrived agent is using right now."""
    states: dict[int, str] = {}
    for body in bodies.values():
        action = body.action
        if action is None or not body.arrived or action.address == HERE or not action.object_state:
            continue
        x, y = body.tile
        index = int(town.tile_object[y, x])
        if index >= 0 and town.objects[index] == action.address:
            states[index] = action.object_state
    return states


def perceive(
    town: TownMap,
    observer: AgentBody,
    persona: Persona,
    bodies: Mapping[str, AgentBody],
    states: Mapping[int, str],
) -> list[PerceivedEvent]:
    """Events in view, nearest first, cut to the attention bandwidth (retention not applied)."""
    ox, oy = observer.tile
    radius = persona.vision_radius
    area = town.area_index(observer.tile)
    found: list[PerceivedEvent] = []
    for body in bodies.values():
        bx, by = body.tile
        if abs(bx - ox) > radius or abs(by - oy) > radius or town.area_index(body.tile) != area:
            continue
        event = agent_event(body)
        dist = math.hypot(bx - ox, by - oy)
        found.append(PerceivedEvent(event.subject, event.predicate, event.object,
                                    event.description, dist, True))
    for index in town.area_objects.get(area, ()):
        dist = _nearest_distance(town.object_tiles[index], ox, oy, radius)
        if dist is None:
            continue
        address = town.objects[index]
        kind = address.rsplit(":", 1)[-1]
        state = states.get(index)
        if state:
            found.append(PerceivedEvent(address, "is", state, f"{kind} is {state}", dist, False))
        else:
            found.append(PerceivedEvent(address, "is", "idle", f"{kind} is idle", dist, False))
    found.sort(key=lambda e: (e.distance, e.subject))
    return found[: persona.attention_bandwidth]


def _nearest_distance(tiles, ox: int, oy: int, radius: int) -> float | None:
    best = None
    for x, y in tiles:
        if abs(x - ox) <= radius and abs(y - oy) <= radius:
            d = (x - ox) ** 2 + (y - oy) ** 2
            if best is None or d < best:
                best = d
    return None if best is None else math.sqrt(best)


def new_events(observer: AgentBody, events: list[PerceivedEvent]) -> list[PerceivedEvent]:
    """Drop retained events; remember every perceived triple as the most recent.

    Re-perceived triples move to the recent end, so what is still in view stays retained (the
    original's retention let a room with more objects than `retention` re-announce old events
    forever). Perceiving the same list twice leaves the memory unchanged, which is what lets
    the simulation skip perception for agents whose surroundings did not change.
    """
    fresh = []
    recent = observer.recent_triples
    for event in events:
        triple = event.triple
        if triple in recent:
            recent.remove(triple)
            recent.append(triple)
            continue
        observer.remember_triple(triple)
        fresh.append(event)
    return fresh


def area_signatures(
    town: TownMap, bodies: Mapping[str, AgentBody], states: Mapping[int, str]
) -> dict[int, tuple]:
    """A fingerprint of everything perceivable in each occupied area this step."""
    content: dict[int, list] = {}
    for name in sorted(bodies):
        body = bodies[name]
        action = body.action
        view = (name, body.tile, action.event if action else None,
                action.description if action else None)
        content.setdefault(town.area_index(body.tile), []).append(view)
    for index, state in sorted(states.items()):
        x, y = town.object_tiles[index][0]
        content.setdefault(int(town.tile_area[y, x]), []).append((index, state))
    return {area: tuple(items) for area, items in content.items()}


def nearby_agents(
    town: TownMap, observer: AgentBody, persona: Persona, bodies: Mapping[str, AgentBody]
) -> tuple[AgentView, ...]:
    """Other agents in the same area within vision, nearest first."""
    ox, oy = observer.tile
    radius = persona.vision_radius
    area = town.area_index(observer.tile)
    views = []
    for body in bodies.values():
        if body.name == observer.name:
            continue
        bx, by = body.tile
        if abs(bx - ox) > radius or abs(by - oy) > radius or town.area_index(body.tile) != area:
            continue
        action = body.action
        views.append(
            AgentView(
                name=body.name,
                action=action.description if action else "idle",
                address=action.address if action else "",
                in_conversation=body.conversation_id is not None,
                sleeping=body.is_sleeping(),
                distance=math.hypot(bx - ox, by - oy),
                last_talk_step=body.last_talk_step,
                using=action is not None and body.arrived,
            )
        )
    views.sort(key=lambda v: (v.distance, v.name))
    return tuple(views)
