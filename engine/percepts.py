"""What an agent is told when asked to decide: new events, why it is asked, and the percept.

`Perceiver` finds each agent's new events (skipping agents whose view did not change; a cache
that is derived, never saved), `reasons` says why an agent must decide now, and `build` makes
the frozen `Percept` from explicit values. Nothing here changes the world except the events
queued on the observing body.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping

from engine import perception
from engine.agent_api import Action, ConversationView, Percept, Persona, Reason, UserMessage
from engine.bodies import AgentBody
from engine.clock import GameClock
from engine.town_map import TownMap


class Perceiver:
    """Perception with a per-agent cache of the last view (tile and room signature)."""

    def __init__(self) -> None:
        self._seen_keys: dict[str, tuple] = {}

    def clear(self) -> None:
        self._seen_keys.clear()

    def perceive(self, town: TownMap, body: AgentBody, persona: Persona,
                 bodies: Mapping[str, AgentBody], states: Mapping[int, str],
                 signatures: Mapping[int, object]) -> list:
        """New events for one agent, queued on its body; none when nothing it sees changed."""
        key = (body.tile, signatures.get(town.area_index(body.tile)))
        if key == self._seen_keys.get(body.name):
            return []  # the same view again: every event is retained, nothing is new
        self._seen_keys[body.name] = key
        seen = perception.perceive(town, body, persona, bodies, states)
        fresh = perception.new_events(body, seen)
        if fresh:
            body.queue_events(fresh)
        return fresh


def action_done(action: Action | None, step: int, clock: GameClock) -> bool:
    """Whether an action's booked time is over at `step` (no action counts as done)."""
    if action is None:
        return True
    return step >= action.start_step + clock.steps_for_minutes(action.duration_min)


def saw_someone(body: AgentBody, fresh: list) -> bool:
    """A new event about another agent (the cue to consider talking)."""
    return any(e.is_agent and e.subject != body.name for e in fresh)


def looks_around(name: str, step: int, every_steps: int) -> bool:
    """Whether `step` is one of `name`'s times to look around again (every `every_steps`,
    staggered by a stable hash of the name so a crowd does not look up at the same step)."""
    return every_steps > 0 and (step + zlib.crc32(name.encode())) % every_steps == 0


def someone_awake(views: tuple) -> bool:
    """Someone in view who could be spoken to (awake, not in a conversation)."""
    return any(not v.sleeping and not v.in_conversation for v in views)


def reasons(body: AgentBody, fresh: list, conversation_turn: bool, done: bool,
            glance: bool = False) -> tuple[Reason, ...]:
    """Why an agent must decide at this step (empty: it carries on).

    `glance`: it is the agent's time to look around and someone is in view. Someone who stays
    in view never comes into view again; without a glance, two people sitting in one cafe for
    hours would be asked about each other once, when the second arrived (the original asked
    every step, and its 5-15 minute subtasks made everyone "new" again every few minutes).
    """
    found: list[Reason] = []
    free = body.conversation_id is None
    if body.action is None and free:
        found.append(Reason.START)
    elif free and done:
        found.append(Reason.ACTION_DONE)
    if body.finished_conversation is not None:
        found.append(Reason.CONVERSATION_ENDED)
    if conversation_turn:
        found.append(Reason.CONVERSATION_TURN)
    if free and (body.noticed or glance or saw_someone(body, fresh)):
        found.append(Reason.PERCEIVED)
    return tuple(found)


def build(body: AgentBody, persona: Persona, why: tuple[Reason, ...], *, step: int,
          clock: GameClock, town: TownMap, bodies: Mapping[str, AgentBody],
          conversation: ConversationView | None, done: bool,
          events: tuple = (), finished: ConversationView | None = None,
          user_messages: tuple[UserMessage, ...] = ()) -> Percept:
    """The percept for one agent at `step` from explicit parts."""
    return Percept(
        agent=body.name,
        step=step,
        time_iso=clock.iso_at(step),
        tile_xy=body.tile,
        arena=town.area_of(body.tile),
        reasons=why,
        current_action=body.action,
        action_done=done,
        events=events,
        nearby_agents=perception.nearby_agents(town, body, persona, bodies),
        seen_places=town.places_in_window(body.tile, persona.vision_radius),
        conversation=conversation,
        finished_conversation=finished,
        user_messages=user_messages,
        arrived=body.action is not None and body.arrived,
        talk_paused=body.suspended_action.description if body.suspended_action else "",
    )
