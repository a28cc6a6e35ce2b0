"""The simulation: a decision-gated lockstep clock driven as a non-blocking state machine.

One step = `clock.step_s` game seconds. At the boundary before a step, user messages are
answered (`serve`). The step then runs in two halves:

1. `_begin_step`: move agents one tile, search a few new paths, derive object states,
   perceive, and ask a decision of every free agent that needs one. A decision asked at step N
   is due at N + d, d fixed by game time (`SimSettings.decision_latency_steps`); meanwhile the
   agent carries on, or takes the interim action its mind offers.
2. `_finish_step` (only once every decision *due* at this step is in): apply those decisions
   sorted by agent, publish the step's frozen record (listeners, run log), advance the clock.

`poll()` does as many steps as are ready and returns at once; `run()` waits. The clock waits
only for decisions due now, and results are applied in a fixed order at fixed steps, so a run
gives the same world on a thread pool or inline, on a fast machine or a slow one.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from typing import Any

from engine import perception, percepts, routing
from engine.agent_api import (
    MAX_CONVERSATION_LINES, Decision, MessageKind, Mind, MindFactory, Persona, Reason,
    UserMessage,
)  # fmt: skip
from engine.bodies import AgentBody
from engine.clock import GameClock, StepRate
from engine.dispatcher import Dispatcher, InlineDispatcher
from engine.errors import UserError
from engine.inflight import Asked, DecisionLatency, InFlight
from engine.pathfinding import PathFinder
from engine.records import StepRecord, TownEvent, step_record
from engine.runlog import RunLog
from engine.state_hash import state_hash
from engine.town_map import TownMap
from engine.user_messages import Answers
from engine.world import World

Listener = Callable[[StepRecord], None]


@dataclass(frozen=True, slots=True)
class SimSettings:
    """Engine knobs. `autosave_every_min` 0 disables autosave."""

    max_conversation_lines: int = MAX_CONVERSATION_LINES
    autosave_every_min: int = 0
    talk_radius: int = 8
    routes_per_step: int = 2
    decision_latency_steps: DecisionLatency = DecisionLatency()


class Simulation:
    """The town over time. Owned by one thread; other threads only call `submit_message`."""

    def __init__(
        self, town: TownMap, personas: list[Persona], factory: MindFactory, clock: GameClock, *,
        dispatcher: Dispatcher | None = None, settings: SimSettings = SimSettings(),
        state: dict[str, Any] | None = None, runlog: RunLog | None = None,
        on_autosave: Callable[[Simulation], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ):  # fmt: skip
        self.town, self.factory, self.clock, self.settings = town, factory, clock, settings
        self.personas = {p.name: p for p in personas}
        self.order = sorted(self.personas)
        self.dispatcher = dispatcher or InlineDispatcher()
        self.runlog, self._on_autosave = runlog, on_autosave
        self.paths = PathFinder(town)
        self.epoch = 0
        self.last_record: StepRecord | None = None
        self._commands: list[tuple[str, MessageKind, str, int]] = []
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._perceiver = percepts.Perceiver()  # derived cache, never saved
        self._rate = StepRate(monotonic)
        self._answers = Answers()
        self._load(state)

    # ----------------------------------------------------------------------------- state

    def _load(self, state: dict[str, Any] | None) -> None:
        engine, minds = (state or {}).get("engine"), (state or {}).get("minds", {})
        self.step = int(engine["step"]) if engine else 0
        self.world = World(self.town, self.personas, self.order, self.clock, self.paths,
                           max_lines=self.settings.max_conversation_lines,
                           talk_radius=self.settings.talk_radius, state=engine)
        self._inflight = InFlight.from_state((engine or {}).get("in_flight", []))
        self._events: list[TownEvent] = []  # what happened in the step in progress
        self._begun = self._autosave_due = False
        self.minds: dict[str, Mind] = {
            n: self.factory.restore(self.personas[n], minds[n]) if n in minds
            else self.factory.create(self.personas[n]) for n in self.order
        }  # fmt: skip

    def to_state(self) -> dict[str, Any]:
        """Everything needed to continue exactly from this step boundary.

        Waits for decisions still being computed: they are saved with their results and
        applied at their due step after a load.
        """
        if self._begun or self._answers:
            raise RuntimeError("state is only defined between steps; call when idle")
        self._inflight.wait_all()
        engine = {"step": self.step, "clock": self.clock.to_state(), **self.world.to_state(),
                  "in_flight": self._inflight.to_state()}
        return {"engine": engine, "minds": {n: self.minds[n].to_state() for n in self.order}}

    def restore(self, state: dict[str, Any]) -> None:
        """Replace the world with a saved one; results still in flight are dropped."""
        self.epoch += 1
        with self._lock:
            self._commands.clear()
        self._answers.drop()
        self._perceiver.clear()
        self._load(state)
        self.last_record = None

    def world_hash(self) -> str:
        return state_hash(self.to_state())

    # The world's parts, read-only views for the window, commands and tests.
    bodies = property(lambda self: self.world.bodies)
    conversations = property(lambda self: self.world.conversations)
    replies = property(lambda self: self.world.replies)
    errors = property(lambda self: self.world.errors)
    last_error = property(lambda self: self.world.last_error)

    @property
    def idle(self) -> bool:
        """Between steps, no user message waiting, every decision asked for computed."""
        return not self._begun and not self._answers and self._inflight.all_done()

    def thinking(self) -> list[str]:
        """Agents whose mind is working right now (wall-clock view, for the HUD)."""
        return sorted(set(self._inflight.not_done()) | set(self._answers.not_done()))

    def planning_progress(self) -> tuple[int, int]:
        """(agents whose first plan is made, agents): the HUD's "planning 7/25"."""
        waiting = {n for n in self._inflight.not_done()
                   if Reason.START in self._inflight.asked(n).reasons}
        planned = sum(self.bodies[n].action is not None and n not in waiting for n in self.order)
        return planned, len(self.order)

    def steps_per_s(self) -> float:
        """Steps finished per wall second, measured over the last two seconds."""
        return self._rate.per_s()

    def time_iso(self) -> str:
        return self.clock.iso_at(self.step)

    def add_listener(self, listener: Listener) -> None:
        """Call `listener(record)` on the simulation's thread after every finished step."""
        self._listeners.append(listener)

    def remove_listener(self, listener: Listener) -> None:
        self._listeners.remove(listener)

    def set_runlog(self, runlog: RunLog | None) -> None:
        """Log to `runlog` from now on (the previous one is closed)."""
        if self.runlog is not None:
            self.runlog.close()
        self.runlog = runlog

    def set_autosave(self, on_autosave: Callable[[Simulation], None] | None) -> None:
        """Who writes an autosave when one is due (called at an idle step boundary)."""
        self._on_autosave = on_autosave

    # ----------------------------------------------------------------------------- user messages

    def submit_message(self, agent: str, kind: MessageKind, text: str) -> int:
        """Queue a chat line or whisper, answered at the next step boundary; returns its id."""
        with self._lock:
            message_id = self.world.next_message
            self.world.next_message += 1
            self._commands.append((agent, kind, text, message_id))
        return message_id

    def answer_paused(self, agent: str, text: str, kind: MessageKind = MessageKind.CHAT
                      ) -> Future:
        """Chat with an agent while the town is paused: a future of its `Reply` (or None).

        The message is answered at this step boundary; call `serve()` each frame until the
        future is done. No step advances, and the world afterwards is the one where the same
        message was sent at this step while running.
        """
        self._check_agent(agent)
        future = self._answers.expect(self.submit_message(agent, kind, text))
        self.serve()
        return future

    def ask(self, agent: str, messages: list[tuple[MessageKind, str]]) -> Decision:
        """Put user messages to one agent now, outside the step loop, and wait for the answer.

        Used by `simulacra interview` and `load-history`: the mind answers chats and stores
        whispers exactly as it would in a running town, but no step advances and nothing of
        the decision is applied.
        """
        if self._begun:
            raise RuntimeError("ask() needs the simulation to be between steps")
        self._check_agent(agent)
        ids = [self.submit_message(agent, kind, text) for kind, text in messages]
        with self._lock:
            self._commands = [c for c in self._commands if c[3] not in ids]
        inbox = tuple(UserMessage(k, t, i) for (k, t), i in zip(messages, ids, strict=True))
        self._inflight.wait_all()  # the mind decides one thing at a time
        return self.minds[agent].decide(self.world.user_percept(agent, inbox, self.step))

    def _check_agent(self, agent: str) -> None:
        if agent not in self.bodies:
            raise UserError(f"no agent named '{agent}' (agents: {', '.join(self.order)})")

    def serve(self) -> bool:
        """Answer user messages at this step boundary without starting a step; never blocks.

        True when the boundary is clear (every answer applied, no autosave waiting).
        """
        if self._begun:
            return False
        while True:
            if not self._answers:
                with self._lock:
                    commands, self._commands = self._commands, []
                if not commands:
                    break
                self._events += self._answers.ask(
                    commands, self.step, self.minds,
                    lambda n, msgs: self.world.user_percept(n, msgs, self.step),
                    lambda n: self.bodies[n].conversation_id, self._inflight, self.dispatcher)
            if not self._answers.ready():
                return False
            for name, asked, decision, error, ids in self._answers.take():
                self._events += self.world.apply(name, asked, decision, error, self.step)
                self._answers.settle(ids, self.replies)
        if self._autosave_due:
            if not self._inflight.all_done():
                return False
            self._autosave_due = False
            if self._on_autosave is not None:
                self._on_autosave(self)
        return True

    # ----------------------------------------------------------------------------- stepping

    def poll(self, max_steps: int = 1) -> int:
        """Advance up to `max_steps` steps whose due decisions are in. Never blocks."""
        done = 0
        while done < max_steps:
            if not self._begun:
                if not self.serve():
                    break
                self._begin_step()
            if not self._inflight.ready(self.step):
                break
            self._finish_step()
            done += 1
        return done

    def settle(self) -> bool:
        """Reach an idle boundary without starting a step (to save). Never blocks."""
        if self._begun and self._inflight.ready(self.step):
            self._finish_step()
        return self.serve() and self.idle

    def run(self, steps: int, progress: Callable[[int], None] | None = None) -> None:
        """Advance exactly `steps` steps, waiting for decisions as needed."""
        remaining = steps
        while True:
            advanced = self.poll(remaining) if remaining > 0 else 0
            remaining -= advanced
            if progress and advanced:
                progress(advanced)
            if remaining <= 0 and (not self._autosave_due or self.serve()):
                return
            if not advanced and (blocking := self._blocking()):
                wait(blocking, return_when=FIRST_COMPLETED)

    def wait_idle(self, timeout_s: float = 60.0) -> bool:
        """Reach an idle step boundary (finishing a step in flight); used before saving."""
        deadline = time.monotonic() + timeout_s
        while not self.settle() and time.monotonic() < deadline:
            wait(self._blocking() or self._inflight.pending_futures(), timeout=0.05)
        return self.idle

    def _blocking(self) -> list[Future]:
        """What the clock waits for now (empty: nothing, or it is not waiting on a mind)."""
        if self._begun:
            return self._inflight.blocking(self.step)
        if self._answers:
            return self._answers.blocking()
        return self._inflight.pending_futures() if self._autosave_due else []

    def _begin_step(self) -> None:
        bodies = self.bodies
        for body in bodies.values():
            body.said = None
        routing.move(bodies, self.order)
        for error in routing.plan_routes(bodies, self.order, self.town, self.paths,
                                         self.settings.routes_per_step):
            self.world.error(error)
        states = perception.object_states(self.town, bodies)
        signatures = perception.area_signatures(self.town, bodies, states)
        for name in self.order:
            body, persona = bodies[name], self.personas[name]
            fresh = self._perceiver.perceive(self.town, body, persona, bodies, states, signatures)
            if name in self._inflight:  # still thinking: remember the cue for later
                body.noticed |= body.conversation_id is None and percepts.saw_someone(body, fresh)
            else:
                self._maybe_ask(body, persona, fresh)
        self._begun = True

    def _maybe_ask(self, body: AgentBody, persona: Persona, fresh: list) -> None:
        conversation = self.conversations.get(body.conversation_id)
        turn = bool(conversation and not conversation.ended
                    and conversation.next_speaker == body.name)
        done = self.world.done(body.action, self.step)
        why = percepts.reasons(body, fresh, turn, done)
        if not why:
            return
        events, finished = body.take_news()
        body.noticed = False
        percept = percepts.build(
            body, persona, why, step=self.step, clock=self.clock, town=self.town,
            bodies=self.bodies, conversation=conversation.view() if conversation else None,
            done=done, events=events, finished=finished)  # fmt: skip
        due = self.step + self.settings.decision_latency_steps.steps_for(why)
        mind, interim = self.minds[body.name], None
        if due > self.step and body.conversation_id is None and (
                Reason.START in why or Reason.ACTION_DONE in why):
            interim = self.world.start_action(body, mind.interim(percept), self.step)
        future = self.dispatcher.submit(mind.decide, percept)
        self._inflight.add(Asked(body.name, self.step, due, why, body.conversation_id, interim),
                           future)

    def _finish_step(self) -> None:
        for name in self._inflight.due(self.step):
            self._events += self.world.apply(name, *self._inflight.take(name), self.step)
        self._begun = False
        record = step_record(self.step, self.clock.iso_at(self.step), self.bodies, self.order,
                             self._inflight.outstanding(), self.replies, self.errors,
                             self.last_error, self.conversations.records(), self._events)
        self._events = []
        self.last_record = record
        if self.runlog is not None:
            self.runlog.append(record)
        for listener in list(self._listeners):
            listener(record)
        self.step += 1
        self._rate.tick()
        every_s = self.settings.autosave_every_min * 60
        if every_s and (self.step * self.clock.step_s) % every_s == 0:
            self._autosave_due = True

    def close(self) -> None:
        self.dispatcher.shutdown()
        if self.runlog is not None:
            self.runlog.close()
