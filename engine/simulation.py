"""The simulation: a decision-gated lockstep clock driven as a non-blocking state machine.

One step = `clock.step_s` game seconds. A step runs in two halves:

1. `_begin_step`: apply user commands, move agents one tile, derive object states, perceive,
   and submit a decision job for every agent that needs one (on the dispatcher).
2. `_finish_step` (only once every job of the step is done): apply the decisions sorted by
   agent name, advance the clock, append the run log, autosave when due.

`poll()` runs as many steps as are ready and returns at once; `run()` waits. Because results
are only read when all are in and are applied in a fixed order, a run gives the same world on
a thread pool or inline.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, replace
from typing import Any

from engine import perception
from engine.agent_api import (
    HERE,
    Action,
    Decision,
    MessageKind,
    Mind,
    MindFactory,
    Percept,
    Persona,
    Reason,
    UserMessage,
    Utterance,
)
from engine.bodies import AgentBody
from engine.clock import GameClock
from engine.conversations import Conversation
from engine.dispatcher import Dispatcher, InlineDispatcher
from engine.pathfinding import PathFinder
from engine.runlog import RunLog
from engine.state_hash import state_hash
from engine.town_map import TownMap

CHAT_EMOJI = "💬"


@dataclass(frozen=True, slots=True)
class SimSettings:
    """Engine knobs. `autosave_every_min` 0 disables autosave."""

    max_conversation_lines: int = 16
    autosave_every_min: int = 0
    talk_radius: int = 8
    routes_per_step: int = 2


@dataclass(frozen=True, slots=True)
class Reply:
    """An agent's answer to a user chat message, for the window and the log."""

    agent: str
    message_id: int
    text: str
    step: int


@dataclass
class _StepJobs:
    step: int
    epoch: int
    futures: dict[str, Future]
    percepts: dict[str, Percept]

    def ready(self) -> bool:
        return all(f.done() for f in self.futures.values())


class Simulation:
    """The town over time. Owned by one thread; other threads only call `submit_*`."""

    def __init__(
        self,
        town: TownMap,
        personas: list[Persona],
        factory: MindFactory,
        clock: GameClock,
        *,
        dispatcher: Dispatcher | None = None,
        settings: SimSettings = SimSettings(),
        state: dict[str, Any] | None = None,
        runlog: RunLog | None = None,
        on_autosave: Callable[[Simulation], None] | None = None,
    ):
        self.town = town
        self.personas = {p.name: p for p in personas}
        self.order = sorted(self.personas)
        self.factory = factory
        self.clock = clock
        self.dispatcher = dispatcher or InlineDispatcher()
        self.settings = settings
        self.runlog = runlog
        self.on_autosave = on_autosave
        self.paths = PathFinder(town)
        self.epoch = 0
        self.replies: list[Reply] = []
        self.errors = 0
        self.last_error = ""
        self._commands: list[tuple[str, Any]] = []
        self._lock = threading.Lock()
        self._pending: _StepJobs | None = None
        self._seen_keys: dict[str, tuple] = {}  # perception cache; derived, never saved
        self._load(state)

    # ----------------------------------------------------------------------------- state

    def _load(self, state: dict[str, Any] | None) -> None:
        engine = (state or {}).get("engine")
        minds = (state or {}).get("minds", {})
        if engine:
            self.step = int(engine["step"])
            self.bodies = {
                n: AgentBody.from_state(engine["bodies"][n]) for n in self.order
            }
            self.conversations = {
                c["id"]: Conversation.from_state(c) for c in engine.get("conversations", [])
            }
            self._next_ids = dict(engine.get("next_ids", {"conversation": 1, "message": 1}))
            self.errors = int(engine.get("errors", 0))
        else:
            self.step = 0
            self.bodies = {n: self._spawn(self.personas[n]) for n in self.order}
            self.conversations = {}
            self._next_ids = {"conversation": 1, "message": 1}
        self.minds: dict[str, Mind] = {
            n: (
                self.factory.restore(self.personas[n], minds[n])
                if n in minds
                else self.factory.create(self.personas[n])
            )
            for n in self.order
        }

    def _spawn(self, persona: Persona) -> AgentBody:
        tile = self.town.spawns.get(persona.spawn)
        if tile is None:
            from engine.errors import UserError

            raise UserError(
                f"map '{self.town.name}': no spawn point named '{persona.spawn}' for "
                f"{persona.name}"
            )
        return AgentBody(name=persona.name, tile=tile, retention=persona.retention)

    def engine_state(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "clock": self.clock.to_state(),
            "bodies": {n: self.bodies[n].to_state() for n in self.order},
            "conversations": [c.to_state() for c in self.conversations.values()],
            "next_ids": dict(self._next_ids),
            "errors": self.errors,
        }

    def to_state(self) -> dict[str, Any]:
        """Everything needed to continue exactly from this step boundary."""
        if self._pending is not None:
            raise RuntimeError("state is only defined between steps; call when idle")
        return {
            "engine": self.engine_state(),
            "minds": {n: self.minds[n].to_state() for n in self.order},
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Replace the world with a saved one; results still in flight are dropped."""
        self.epoch += 1
        self._pending = None
        with self._lock:
            self._commands.clear()
        self.replies.clear()
        self._seen_keys.clear()
        self._load(state)

    def world_hash(self) -> str:
        return state_hash(self.to_state())

    @property
    def idle(self) -> bool:
        """True between steps (no decisions in flight)."""
        return self._pending is None

    def thinking(self) -> list[str]:
        """Agents whose decision for the current step is not in yet."""
        if self._pending is None:
            return []
        return [n for n, f in self._pending.futures.items() if not f.done()]

    def time_iso(self) -> str:
        return self.clock.iso_at(self.step)

    # ----------------------------------------------------------------------------- commands

    def submit_message(self, agent: str, kind: MessageKind, text: str) -> int:
        """Queue a user chat line or whisper for an agent; returns the message id."""
        with self._lock:
            message_id = self._next_ids["message"]
            self._next_ids["message"] = message_id + 1
            self._commands.append(("message", (agent, kind, text, message_id)))
        return message_id

    def _apply_commands(self) -> None:
        with self._lock:
            commands, self._commands = self._commands, []
        for kind, payload in commands:
            if kind == "message":
                agent, message_kind, text, message_id = payload
                if agent in self.bodies:
                    self.bodies[agent].inbox.append(UserMessage(message_kind, text, message_id))

    def ask(self, agent: str, messages: list[tuple[MessageKind, str]]) -> Decision:
        """Put user messages to one agent right now, outside the step loop, and wait.

        Used by `simulacra interview` and `load-history`: the mind answers chats and stores
        whispers exactly as it would in a running town, but no step advances.
        """
        if self._pending is not None:
            raise RuntimeError("ask() needs the simulation to be between steps")
        if agent not in self.bodies:
            from engine.errors import UserError

            raise UserError(f"no agent named '{agent}' (agents: {', '.join(self.order)})")
        body = self.bodies[agent]
        inbox = []
        for kind, text in messages:
            inbox.append(UserMessage(kind, text, self._next_ids["message"]))
            self._next_ids["message"] += 1
        saved_inbox, body.inbox = body.inbox, inbox
        percept = self._percept(body, self.personas[agent], (Reason.USER,))
        body.inbox = saved_inbox
        return self.minds[agent].decide(percept)

    # ----------------------------------------------------------------------------- stepping

    def poll(self, max_steps: int = 1) -> int:
        """Advance up to `max_steps` steps whose decisions are ready. Never blocks."""
        done = 0
        while done < max_steps:
            if self._pending is None:
                self._begin_step()
            if not self._pending.ready():
                break
            self._finish_step()
            done += 1
        return done

    def settle(self) -> bool:
        """Finish the step in flight if its decisions are in, without starting another.

        The window calls this instead of `poll` while it waits for a step boundary (to save).
        Returns True when the simulation is between steps.
        """
        if self._pending is not None and self._pending.ready():
            self._finish_step()
        return self._pending is None

    def run(self, steps: int, progress: Callable[[int], None] | None = None) -> None:
        """Advance exactly `steps` steps, waiting for decisions as needed."""
        remaining = steps
        while remaining > 0:
            advanced = self.poll(remaining)
            remaining -= advanced
            if progress and advanced:
                progress(advanced)
            if remaining and advanced == 0 and self._pending is not None:
                wait(list(self._pending.futures.values()), return_when=FIRST_COMPLETED)

    def wait_idle(self, timeout_s: float = 60.0) -> bool:
        """Finish the step in flight (if any); used before saving from a live window."""
        deadline = time.monotonic() + timeout_s
        while self._pending is not None and time.monotonic() < deadline:
            wait(list(self._pending.futures.values()), timeout=0.05)
            if self._pending.ready():
                self._finish_step()
        return self._pending is None

    def _begin_step(self) -> None:
        self._apply_commands()
        for name in self.order:
            self.bodies[name].said = None
        self._move()
        self._plan_routes()
        states = perception.object_states(self.town, self.bodies)
        signatures = perception.area_signatures(self.town, self.bodies, states)
        futures: dict[str, Future] = {}
        percepts: dict[str, Percept] = {}
        for name in self.order:
            body = self.bodies[name]
            persona = self.personas[name]
            fresh = self._perceive(body, persona, states, signatures)
            reasons = self._reasons(body, fresh)
            if reasons:
                percept = self._percept(body, persona, reasons)
                percepts[name] = percept
                futures[name] = self.dispatcher.submit(self.minds[name].decide, percept)
        self._pending = _StepJobs(self.step, self.epoch, futures, percepts)

    def _perceive(self, body: AgentBody, persona: Persona, states, signatures) -> list:
        """New events for one agent; skipped when neither it nor its room changed."""
        key = (body.tile, signatures.get(self.town.area_index(body.tile)))
        if key == self._seen_keys.get(body.name):
            return []  # the same view again: every event is retained, nothing is new
        self._seen_keys[body.name] = key
        seen = perception.perceive(self.town, body, persona, self.bodies, states)
        fresh = perception.new_events(body, seen)
        if fresh:
            body.queue_events(fresh)
        return fresh

    def _reasons(self, body: AgentBody, fresh) -> tuple[Reason, ...]:
        reasons: list[Reason] = []
        if body.action is None and body.conversation_id is None:
            reasons.append(Reason.START)
        elif body.conversation_id is None and self._action_done(body.action):
            reasons.append(Reason.ACTION_DONE)
        if body.finished_conversation is not None:
            reasons.append(Reason.CONVERSATION_ENDED)
        conversation = self.conversations.get(body.conversation_id)
        if conversation and not conversation.ended and conversation.next_speaker == body.name:
            reasons.append(Reason.CONVERSATION_TURN)
        if body.conversation_id is None and any(
            e.is_agent and e.subject != body.name for e in fresh
        ):
            reasons.append(Reason.PERCEIVED)
        if body.inbox:
            reasons.append(Reason.USER)
        return tuple(reasons)

    def _action_done(self, action: Action | None) -> bool:
        if action is None:
            return True
        end = action.start_step + self.clock.steps_for_minutes(action.duration_min)
        return self.step >= end

    def _percept(self, body: AgentBody, persona: Persona, reasons) -> Percept:
        conversation = self.conversations.get(body.conversation_id)
        percept = Percept(
            agent=body.name,
            step=self.step,
            time_iso=self.clock.iso_at(self.step),
            tile_xy=body.tile,
            arena=self.town.area_of(body.tile),
            reasons=tuple(reasons),
            current_action=body.action,
            action_done=self._action_done(body.action),
            events=tuple(body.pending_events),
            nearby_agents=perception.nearby_agents(self.town, body, persona, self.bodies),
            seen_places=self.town.places_in_window(body.tile, persona.vision_radius),
            conversation=conversation.view() if conversation else None,
            finished_conversation=body.finished_conversation,
            user_messages=tuple(body.inbox),
        )
        body.pending_events = []
        body.finished_conversation = None
        body.inbox = []
        return percept

    def _move(self) -> None:
        for name in self.order:
            body = self.bodies[name]
            if not body.path:
                continue
            nx, ny = body.path.pop(0)
            x, y = body.tile
            if nx != x:
                body.facing = "right" if nx > x else "left"
            elif ny != y:
                body.facing = "down" if ny > y else "up"
            body.tile = (nx, ny)

    def _finish_step(self) -> None:
        jobs = self._pending
        assert jobs is not None
        for name in sorted(jobs.futures):
            self._apply(name, self._result(name, jobs.futures[name]))
        self._pending = None
        self._log_step()
        self.step += 1
        self._maybe_autosave()

    def _result(self, name: str, future: Future) -> Decision:
        try:
            return future.result()
        except Exception as exc:  # a mind bug must not stop the town
            self.errors += 1
            self.last_error = f"{name}: {type(exc).__name__}: {exc}"
            self.bodies[name].fallbacks += 1
            return Decision()

    # ----------------------------------------------------------------------------- decisions

    def _apply(self, name: str, decision: Decision) -> None:
        body = self.bodies[name]
        body.fallbacks += decision.fallbacks
        for message_id, text in decision.replies:
            self.replies.append(Reply(name, message_id, text, self.step))
        conversation = self.conversations.get(body.conversation_id)
        if conversation is not None and not conversation.ended:
            if conversation.next_speaker == name and Reason.CONVERSATION_TURN in (
                self._pending.percepts[name].reasons if self._pending else ()
            ):
                self._speak(conversation, name, decision)
                if conversation.ended and decision.action is not None:
                    self._start_action(body, decision.action)  # the re-plan after closing
            return
        if decision.action is not None:
            self._start_action(body, decision.action)
        elif body.action is None:
            self._start_action(body, _idle_action(name))
        if decision.talk_to:
            self._start_conversation(name, decision.talk_to)

    def _speak(self, conversation: Conversation, name: str, decision: Decision) -> None:
        text = (decision.say or "").strip()
        if text:
            conversation.lines.append(Utterance(name, text))
            self.bodies[name].said = text
        if (
            not text
            or decision.end_conversation
            or len(conversation.lines) >= self.settings.max_conversation_lines
        ):
            self._end_conversation(conversation)

    def _end_conversation(self, conversation: Conversation) -> None:
        conversation.ended = True
        view = conversation.view()
        for participant in conversation.participants:
            body = self.bodies[participant]
            body.conversation_id = None
            body.finished_conversation = view
            resumed = body.suspended_action
            body.suspended_action = None
            if resumed is not None and not self._action_done(resumed):
                self._start_action(body, resumed, keep_start=True)
            else:
                body.action = None
        del self.conversations[conversation.conversation_id]

    def _start_conversation(self, initiator: str, partner: str) -> None:
        a, b = self.bodies[initiator], self.bodies.get(partner)
        if b is None or b is a or a.conversation_id is not None or b.conversation_id is not None:
            return
        if b.is_sleeping() or a.is_sleeping():
            return
        radius = self.settings.talk_radius
        area = self.town.area_index(a.tile)
        if self.town.area_index(b.tile) != area:
            return
        if abs(a.tile[0] - b.tile[0]) > radius or abs(a.tile[1] - b.tile[1]) > radius:
            return
        path = self.paths.path_near(a.tile, b.tile)
        if path is None:
            return
        conversation_id = self._next_ids["conversation"]
        self._next_ids["conversation"] = conversation_id + 1
        self.conversations[conversation_id] = Conversation(
            conversation_id=conversation_id,
            participants=(initiator, partner),
            place=self.town.area_of(a.tile),
            started_step=self.step,
        )
        for body, other in ((a, partner), (b, initiator)):
            body.suspended_action = body.action
            body.conversation_id = conversation_id
            body.action = Action(
                description=f"chatting with {other}",
                emoji=CHAT_EMOJI,
                address=HERE,
                duration_min=60,
                event=(body.name, "chat with", other),
                start_step=self.step,
            )
            body.path = []
            body.route_pending = False
        a.path = path

    def _start_action(self, body: AgentBody, action: Action, keep_start: bool = False) -> None:
        if not keep_start:
            action = replace(action, start_step=self.step)
        if action.address != HERE and not self.town.has_address(action.address):
            self.errors += 1
            self.last_error = f"{body.name}: unknown place '{action.address}'"
            action = replace(action, address=HERE)
        body.action = action
        body.path = []
        body.route_pending = action.address != HERE

    def _plan_routes(self) -> None:
        """Find paths for agents that set off, at most `routes_per_step` per step.

        A path search may cost a distance field (milliseconds); spreading them keeps every step
        cheap when many agents change plans at once. The budget counts searches, not cache
        misses, so the outcome never depends on what happens to be cached.
        """
        budget = self.settings.routes_per_step
        for name in self.order:
            body = self.bodies[name]
            if not body.route_pending or body.action is None:
                body.route_pending = False
                continue
            if budget == 0:
                return
            budget -= 1
            body.route_pending = False
            body.path = self._route(body, body.action.address)

    def _route(self, body: AgentBody, address: str) -> list:
        targets = self.town.target_tiles(address)
        if not targets:
            return []
        path = self.paths.path_to(body.tile, targets)
        if path is None:
            self.errors += 1
            self.last_error = f"{body.name}: cannot reach '{address}'"
            return []
        end = path[-1] if path else body.tile
        taken = {
            other.destination for other in self.bodies.values() if other is not body
        }
        if end in taken:
            free = [t for t in targets if t not in taken]
            if free:
                goal = min(free, key=lambda t: (abs(t[0] - end[0]) + abs(t[1] - end[1]), t))
                detour = self.paths.path_to(end, [goal])
                if detour is not None:
                    path = path + detour
        return path

    # ----------------------------------------------------------------------------- output

    def agent_view(self, name: str) -> dict[str, Any]:
        body = self.bodies[name]
        action = body.action
        return {
            "xy": list(body.tile),
            "action": action.description if action else "",
            "emoji": action.emoji if action else "",
            "address": action.address if action else "",
            "say": body.said,
        }

    def _log_step(self) -> None:
        if self.runlog is None:
            return
        views = {n: self.agent_view(n) for n in self.order}
        replies = [r for r in self.replies if r.step == self.step]
        extra = (
            {"replies": [[r.agent, r.message_id, r.text] for r in replies]} if replies else None
        )
        self.runlog.record(self.step, self.clock.iso_at(self.step), views, extra)

    def _maybe_autosave(self) -> None:
        every = self.settings.autosave_every_min
        if not every or self.on_autosave is None:
            return
        if (self.step * self.clock.step_s) % (every * 60) == 0:
            self.on_autosave(self)

    def close(self) -> None:
        self.dispatcher.shutdown()
        if self.runlog is not None:
            self.runlog.close()


def _idle_action(name: str) -> Action:
    return Action(
        description="idle",
        emoji="🙂",
        address=HERE,
        duration_min=10,
        event=(name, "is", "idle"),
    )
