"""The town's state between steps — bodies, conversations, counters, errors — and the rules
that change it when a decision is applied.

`World` is owned by the simulation; nothing else writes it. Applying a decision takes the step
and the `Asked` record explicitly and returns the town events it caused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from engine import perception, percepts, routing
from engine.agent_api import HERE, Action, Decision, Percept, Persona, Reason, UserMessage
from engine.bodies import AgentBody
from engine.clock import GameClock
from engine.conversations import Conversation, ConversationBook
from engine.errors import UserError
from engine.inflight import Asked
from engine.pathfinding import PathFinder
from engine.player import (
    PLAYER_TURN_STEPS, Player, PlayerDesk, give_up_line, player_action, spawn_tile, step_to,
)  # fmt: skip
from engine.provenance import rule
from engine.records import ErrorEntry, ErrorKind, Reply, StepRecord, TownEvent, step_record
from engine.town_map import TownMap


class World:
    """Bodies, conversations and counters of one town; see the module docstring."""

    def __init__(self, town: TownMap, personas: Mapping[str, Persona], order: Sequence[str],
                 clock: GameClock, paths: PathFinder, *, max_lines: int, talk_radius: int,
                 state: dict[str, Any] | None = None, player: Player | None = None,
                 look_around_min: int = 0):
        state = state or {"next_ids": {"conversation": 1, "message": 1}}
        self.town, self.personas, self.order, self.clock, self.paths = (
            town, personas, order, clock, paths)
        saved = state.get("bodies")
        self.bodies = {n: AgentBody.from_state(saved[n]) if saved else self._spawn(personas[n])
                       for n in order}
        self.conversations = ConversationBook(
            [Conversation.from_state(c) for c in state.get("conversations", [])],
            int(state["next_ids"]["conversation"]), max_lines, talk_radius)
        self.errors = int(state.get("errors", 0))
        self.last_error = ""
        self.step_errors: list[ErrorEntry] = []  # counted since the last record, with causes
        self.repaired_places = 0  # unknown places replaced by "here" this run (a diagnostic)
        self.replies: list[Reply] = []  # every answer to the user since the run started
        self._place_tiles: dict[str, frozenset] = {}  # address -> tiles that are "at" it
        self.look_every = clock.steps_for_minutes(look_around_min) if look_around_min > 0 else 0
        self._load_player(state.get("player"), player)

    def _load_player(self, saved: Any, new: Player | None) -> None:
        """The saved player (ValueError on a bad entry), else `new` beside the first agent."""
        self.player, self.player_waiting = None, None  # waiting: (conversation, lines, since)
        if saved is not None:
            self.player = Player.from_state(saved)
            if not isinstance(saved.get("body"), dict):
                raise ValueError("the player entry has no 'body' object")
            body = AgentBody.from_state(saved["body"])
            waiting = saved.get("waiting")
            if waiting is not None:
                cid, lines, since = (int(v) for v in waiting)
                self.player_waiting = (cid, lines, since)
        elif new is not None:
            self.player = new
            near = self.bodies[self.order[0]].tile if self.order else (0, 0)
            body = AgentBody(name=new.name, tile=spawn_tile(self.town, self.bodies, near))
        else:
            return
        if self.player.name in self.personas or body.name != self.player.name:
            raise ValueError(f"the player's name '{self.player.name}' is an agent's name or "
                             "not its body's")
        self.bodies[self.player.name] = body

    def _spawn(self, persona: Persona) -> AgentBody:
        tile = self.town.spawns.get(persona.spawn)
        if tile is None:
            raise UserError(f"map '{self.town.name}': no spawn point named '{persona.spawn}' "
                            f"for {persona.name}")
        return AgentBody(name=persona.name, tile=tile, retention=persona.retention)

    def to_state(self, next_message: int) -> dict[str, Any]:
        return {
            "bodies": {n: self.bodies[n].to_state() for n in self.order},
            "conversations": self.conversations.to_state(),
            "next_ids": {"conversation": self.conversations.next_id, "message": next_message},
            "errors": self.errors,
            **({"player": self._player_state()} if self.player else {}),
        }  # fmt: skip

    def _player_state(self) -> dict[str, Any]:
        assert self.player is not None
        waiting = {"waiting": list(self.player_waiting)} if self.player_waiting else {}
        return {**self.player.to_state(), "body": self.bodies[self.player.name].to_state(),
                **waiting}

    @property
    def shown(self) -> list[str]:
        """Who appears in the step records: the agents, then the player."""
        return [*self.order, self.player.name] if self.player else list(self.order)

    def player_step(self, desk: PlayerDesk, step: int) -> list[TownEvent]:
        """The player's half of a step (after the agents moved): one queued move, one typed
        line (to its partner, or to open a talk with an agent nearby), or the partner giving
        up politely when the player's turn has waited `PLAYER_TURN_STEPS` steps."""
        if self.player is None:
            return []
        body, events = self.bodies[self.player.name], []
        if body.action is None or (body.conversation_id is None and body.action.description
                                   != "visiting the town"):
            body.set_action(player_action(body.name, step))
        body.path, body.route_pending, body.finished_conversation = [], False, None
        body.pending_events.clear()
        if (move := desk.take_move()) is not None:
            step_to(self.town, body, self.bodies, *move)
        line = desk.take_line()
        conversation = self.conversations.get(body.conversation_id)
        still = lambda a: not self.done(a, step)  # noqa: E731
        if conversation is None and line is not None and line[1] in self.personas:
            taken = {b.destination for n, b in self.bodies.items() if n not in (body.name, line[1])}
            started = self.conversations.start(body, self.bodies[line[1]], self.town, self.paths,
                                               step, taken)
            body.path = []
            if started is None:
                self.error(f"{line[1]} cannot talk with {body.name} now (asleep, busy or too "
                           "far)", body.name)
                return events
            events.append(started)
            conversation = self.conversations.get(body.conversation_id)
        if conversation is None or conversation.ended or conversation.next_speaker != body.name:
            if line is not None and conversation is not None:
                desk.put_back(line)  # typed during the partner's turn: said at the player's
            self.player_waiting = None
            return events
        if line is not None and line[0].strip():
            self.player_waiting = None
            ended = self.conversations.speak(conversation, body, line[0], False, self.bodies,
                                             still, step, rule("player"))
            return events + ([ended] if ended else [])
        key = (conversation.conversation_id, len(conversation.lines))
        if self.player_waiting is None or self.player_waiting[:2] != key:
            self.player_waiting = (*key, step)
        elif step - self.player_waiting[2] >= PLAYER_TURN_STEPS:
            partner = self.bodies[conversation.partner_of(body.name)]
            said = give_up_line(partner.name)
            conversation.lines.append(said)
            partner.said, partner.said_by = said.text, said.by
            self.player_waiting = None
            events.append(self.conversations.end(conversation, self.bodies, still, step))
        return events

    def check_agent(self, agent: str) -> None:
        if agent not in self.bodies:
            raise UserError(f"no agent named '{agent}' (agents: {', '.join(self.order)})")

    def plant(self, agent: str, statements: list[str]) -> None:
        """Queue history for an agent; it is whispered with the agent's next decision."""
        self.check_agent(agent)
        self.bodies[agent].history.extend(statements)

    def error(self, text: str, agent: str = "", kind: ErrorKind = ErrorKind.ENGINE) -> None:
        self.errors += 1
        self.last_error = text
        self.step_errors.append(ErrorEntry(agent, kind, text))

    def done(self, action: Action | None, step: int) -> bool:
        return percepts.action_done(action, step, self.clock)

    def walk(self, routes_per_step: int) -> None:
        """The physical half of a step: last step's lines fade, agents move, routes are found."""
        for body in self.bodies.values():
            body.said = None
        routing.move(self.bodies, self.order, self.paths)
        for error in routing.plan_routes(self.bodies, self.order, self.town, self.paths,
                                         routes_per_step):
            self.error(error)

    def percept_for(self, name: str, fresh: list, step: int) -> Percept | None:
        """The percept of a free agent that must decide now (None: it carries on).

        Hands over the body's untold events and ended conversation.
        """
        body = self.bodies[name]
        conversation = self.conversations.get(body.conversation_id)
        turn = bool(conversation and not conversation.ended
                    and conversation.next_speaker == name)
        done = self.done(body.action, step)
        why = percepts.reasons(body, fresh, turn, done, self._glances(body, step))
        if not why:
            return None
        events, finished = body.take_news()
        body.noticed = False
        return percepts.build(
            body, self.personas[name], why, step=step, clock=self.clock, town=self.town,
            bodies=self.bodies, conversation=conversation.view() if conversation else None,
            done=done, events=events, finished=finished)  # fmt: skip

    def _glances(self, body: AgentBody, step: int) -> bool:
        """Its time to look around, free and awake, with someone in view to look at."""
        if (body.conversation_id is not None or body.is_sleeping()
                or not percepts.looks_around(body.name, step, self.look_every)):
            return False
        return percepts.someone_awake(perception.nearby_agents(
            self.town, body, self.personas[body.name], self.bodies))

    def record(self, step: int, thinking: list[str], events: list[TownEvent]) -> StepRecord:
        """The frozen record of the step just finished."""
        errors, self.step_errors = tuple(self.step_errors), []
        return step_record(step, self.clock.iso_at(step), self.bodies, self.shown, thinking,
                           self.replies, self.errors, self.last_error,
                           self.conversations.records(), events,
                           {n: self.whereabouts(b) for n, b in self.bodies.items()}, errors)

    def whereabouts(self, body: AgentBody) -> tuple[str, str]:
        """(the room it stands in, where it is for its action: `records.ARRIVALS` or "")."""
        place = self.town.area_of(body.tile)
        action = body.action
        if action is None or action.address == HERE or not self.town.has_address(action.address):
            return place, ""
        if body.path or body.route_pending:
            return place, "going"
        tiles = self._place_tiles.get(action.address)
        if tiles is None:
            tiles = self._place_tiles[action.address] = frozenset(
                self.town.target_tiles(action.address))
        if body.tile in tiles:
            return place, "there"
        room = ":".join(action.address.split(":")[:3])
        return place, "near" if place == room else "away"

    def user_percept(self, agent: str, messages: tuple[UserMessage, ...], step: int) -> Percept:
        """What an agent is told when the user talks to it at a step boundary."""
        body = self.bodies[agent]
        conversation = self.conversations.get(body.conversation_id)
        return percepts.build(
            body, self.personas[agent], (Reason.USER,), step=step, clock=self.clock,
            town=self.town, bodies=self.bodies, done=self.done(body.action, step),
            conversation=conversation.view() if conversation else None, user_messages=messages)

    def start_action(self, body: AgentBody, action: Action | None, step: int) -> Action | None:
        """Start an action at `step` (an unknown place becomes "here", counted as an error)."""
        if action is None:
            return None
        action = replace(action, start_step=step)
        if action.address != HERE and not self.town.has_address(action.address):
            self.error(f"{body.name}: unknown place '{action.address}'")
            self.repaired_places += 1
            action = replace(action, address=HERE)
        body.set_action(action)
        return action

    def apply(self, name: str, asked: Asked, decision: Decision, error: str, step: int
              ) -> list[TownEvent]:
        """Apply one agent's decision at `step`; the town events it caused."""
        body, events = self.bodies[name], []
        if error:
            self.error(error, name, ErrorKind.MIND)
            body.fallbacks += 1
        body.fallbacks += decision.fallbacks
        if decision.fallbacks:  # model failures the mind covered for: shown with the errors
            self.errors, self.last_error = (
                self.errors + decision.fallbacks, f"{name}: model failed, fell back")
            cause = (f"the model's answer could not be used {decision.fallbacks} time(s); "
                     "a rule-made stand-in was used")
            self.step_errors.append(ErrorEntry(name, ErrorKind.FALLBACK, cause))
        self.replies += [Reply(name, i, text, step, decision.reply_provenance(n))
                         for n, (i, text) in enumerate(decision.replies)]
        conversation = self.conversations.get(body.conversation_id)
        if conversation is not None and not conversation.ended:
            if (conversation.next_speaker == name and asked.conversation_id == body.conversation_id
                    and Reason.CONVERSATION_TURN in asked.reasons):
                ended = self.conversations.speak(conversation, body, decision.say,
                                                 decision.end_conversation, self.bodies,
                                                 lambda a: not self.done(a, step), step,
                                                 decision.say_by)
                if ended is not None:
                    events.append(ended)
                    if decision.action is not None:
                        self.start_action(body, decision.action, step)  # re-plan after closing
            return events
        if decision.action is not None:
            if not _same_plan(body.action, asked.interim, decision.action):
                self.start_action(body, decision.action, step)
        elif body.action is None:
            self.start_action(body, idle_action(name), step)
        if decision.talk_to:
            taken = {b.destination for n, b in self.bodies.items()
                     if n not in (name, decision.talk_to)}  # walk up beside, not onto, others
            started = self.conversations.start(body, self.bodies.get(decision.talk_to),
                                               self.town, self.paths, step, taken)
            events += [started] if started is not None else []
        return events


def _same_plan(current: Action | None, interim: Action | None, decided: Action) -> bool:
    """The decision confirms the interim action the agent is still doing: keep it going."""
    return (current is not None and current == interim
            and replace(decided, start_step=current.start_step) == current)


def idle_action(name: str) -> Action:
    return Action(description="idle", emoji="🙂", address=HERE, duration_min=10,
                  event=(name, "is", "idle"), by=rule("engine.idle"))
