"""The simulation: a decision-gated lockstep clock driven as a non-blocking state machine.

One step = `clock.step_s` game seconds. At the boundary before a step, user messages are
answered (`serve`). The step then runs in two halves:

1. `_begin_step`: move agents one tile (the player: engine/player.py), search a few paths,
   derive object states, perceive, ask a decision of every free agent that needs one. Asked at N
   it is due at N + d, d fixed by game time (`SimSettings.decision_latency_steps`); meanwhile the
   agent carries on, or takes the interim action its mind offers.
2. `_finish_step` (only once every decision *due* at this step is in): apply those decisions
   sorted by agent, publish the step's frozen record (listeners, run log), advance the clock.

`poll()` does the steps that are ready, at once; `run()` waits. Only decisions due now are
waited for, applied in a fixed order at fixed steps: the same world inline or on a thread pool.

With `SimSettings(clock=ClockMode.LIVE)` (the window's default) no step waits for a mind: a
decision due but not in yet is applied at the first step it is in, and the record of that step
says so (`StepRecord.landed`). Each decision's job also takes the mind's `MindSnapshot` on the
mind's thread; it is published in the record of the step the decision is applied.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

from engine import perception, percepts
from engine.agent_api import (
    Decision, MessageKind, Mind, MindFactory, Percept, Persona, Reason, UserMessage,
)  # fmt: skip
from engine.bodies import AgentBody
from engine.clock import GameClock, StepRate
from engine.dispatcher import Dispatcher, InlineDispatcher
from engine.inflight import Asked, InFlight
from engine.mind_snapshot import MindSnapshot, take_snapshot
from engine.pathfinding import PathFinder
from engine.player import Player, PlayerDesk
from engine.records import Landing, StepRecord, TownEvent
from engine.runlog import RunLog
from engine.settings import ClockMode, SimSettings
from engine.state_hash import state_hash
from engine.town_map import TownMap
from engine.user_messages import UserDesk
from engine.world import World

Listener = Callable[[StepRecord], None]


class Simulation:
    """The town over time. Owned by one thread; other threads only call `submit_message`."""

    def __init__(
        self, town: TownMap, personas: list[Persona], factory: MindFactory, clock: GameClock, *,
        dispatcher: Dispatcher | None = None, settings: SimSettings = SimSettings(),
        state: dict[str, Any] | None = None, runlog: RunLog | None = None,
        on_autosave: Callable[[Simulation], None] | None = None,
        monotonic: Callable[[], float] = time.monotonic, player: Player | None = None,
    ):  # fmt: skip
        self.town, self.factory, self.clock, self.settings = town, factory, clock, settings
        self.personas = {p.name: p for p in personas}
        self.order = sorted(self.personas)
        self.dispatcher = dispatcher or InlineDispatcher()
        self.runlog, self._on_autosave, self.epoch = runlog, on_autosave, 0
        self.paths = PathFinder(town)
        self._listeners: list[Listener] = []
        self._perceiver = percepts.Perceiver()  # derived cache, never saved
        self._rate = StepRate(monotonic)
        self.live = settings.clock is ClockMode.LIVE
        self._hold = False  # live clock: ask nothing new until every mind is done (a save)
        self._snap_lock = threading.Lock()
        self._new_player = player  # added when the state has no player
        self._load(state)

    # ----------------------------------------------------------------------------- state

    def _load(self, state: dict[str, Any] | None) -> None:
        engine, minds = (state or {}).get("engine"), (state or {}).get("minds", {})
        self.step = int(engine["step"]) if engine else 0
        self.world = World(self.town, self.personas, self.order, self.clock, self.paths,
                           max_lines=self.settings.max_conversation_lines,
                           talk_radius=self.settings.talk_radius, state=engine,
                           player=self._new_player, look_around_min=self.settings.look_around_min)
        self._inflight = InFlight.from_state((engine or {}).get("in_flight", []),
                                             frozenset(self.order))  # fmt: skip
        self._desk = UserDesk(int(engine["next_ids"]["message"]) if engine else 1)
        self.player_desk = PlayerDesk()  # the user's moves and lines for the player
        self._events: list[TownEvent] = []  # what happened in the step in progress
        self._landed: list[Landing] = []  # live clock: decisions applied since the last record
        self._begun = self._autosave_due = False
        self.last_record: StepRecord | None = None
        self.minds: dict[str, Mind] = {
            n: self.factory.restore(self.personas[n], minds[n]) if n in minds
            else self.factory.create(self.personas[n]) for n in self.order
        }  # fmt: skip
        self._deciders = _Deciders(self.minds, self._snapshot_made)
        self._made: dict[str, MindSnapshot] = {}  # taken by jobs, not applied yet
        self.snapshots: dict[str, MindSnapshot] = {}  # newest published, per agent
        self._publish: list[MindSnapshot] = []  # for the next record
        for name in self.order:  # nothing thinks yet: the minds as loaded
            if (snap := take_snapshot(self.minds[name], self.step - 1)) is not None:
                self.snapshots[name] = snap
                self._publish.append(snap)

    def to_state(self) -> dict[str, Any]:
        """Everything needed to continue exactly from this step boundary.

        Waits for decisions still being computed: they are saved with their results and
        applied at their due step after a load.
        """
        if self._begun or self._desk:
            raise RuntimeError("state is only defined between steps; call when idle")
        self._inflight.wait_all()
        engine = {"step": self.step, "clock": self.clock.to_state(),
                  **self.world.to_state(self._desk.next_id), "in_flight": self._inflight.to_state()}
        return {"engine": engine, "minds": {n: self.minds[n].to_state() for n in self.order}}

    def restore(self, state: dict[str, Any]) -> None:
        """Replace the world with a saved one; results still in flight are dropped."""
        self.epoch += 1
        self._desk.drop()
        self._perceiver.clear()
        self._load(state)

    def world_hash(self) -> str:
        return state_hash(self.to_state())  # waits for decisions being computed

    # The world's parts, read-only views for the window, commands and tests.
    bodies = property(lambda self: self.world.bodies)
    conversations = property(lambda self: self.world.conversations)
    replies = property(lambda self: self.world.replies)
    errors = property(lambda self: self.world.errors)
    last_error = property(lambda self: self.world.last_error)

    @property
    def idle(self) -> bool:
        """Between steps, no user message waiting, every decision asked for computed."""
        return not self._begun and not self._desk and self._inflight.all_done()

    def thinking(self) -> list[str]:
        """Agents whose mind is working right now (wall-clock view, for the HUD)."""
        return sorted(set(self._inflight.not_done()) | set(self._desk.not_done()))

    def planning_progress(self) -> tuple[int, int]:
        """(agents whose first plan is made, agents): the HUD's "planning 7/25"."""
        waiting = self._inflight.thinking_about(Reason.START)
        planned = sum(self.bodies[n].action is not None and n not in waiting for n in self.order)
        return planned, len(self.order)

    def steps_per_s(self) -> float:
        """Steps finished per wall second, measured over the last two seconds."""
        return self._rate.per_s()

    def mind_snapshot(self, agent: str) -> MindSnapshot | None:
        """The newest published snapshot of an agent's mind (None before its first)."""
        return self.snapshots.get(agent)

    def hold_decisions(self, hold: bool) -> None:
        """Live clock: while held, steps go on but no mind is asked anything new, so the
        minds finish and a save can be taken at a step boundary without stopping the town."""
        self._hold = hold

    @property
    def _draining(self) -> bool:
        return self.live and (self._hold or self._autosave_due)

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
        return self._desk.submit(agent, kind, text)

    def answer_paused(self, agent: str, text: str, kind: MessageKind = MessageKind.CHAT
                      ) -> Future:
        """Chat with an agent while the town is paused: a future of its `Reply` (or None).

        The message is answered at this step boundary; call `serve()` each frame until the
        future is done. No step advances, and the world afterwards is the one where the same
        message was sent at this step while running.
        """
        self.world.check_agent(agent)
        future = self._desk.expect(self.submit_message(agent, kind, text))
        self.serve()
        return future

    def ask(self, agent: str, messages: list[tuple[MessageKind, str]]) -> Decision:
        """Put user messages to one agent now, outside the step loop, and wait for the answer.

        Used by `simulacra interview` and `load-history`: the mind answers chats and stores
        whispers as in a running town, but no step advances and nothing is applied.
        """
        if self._begun:
            raise RuntimeError("ask() needs the simulation to be between steps")
        self.world.check_agent(agent)
        inbox = tuple(UserMessage(k, t, self._desk.submit(agent, k, t, queue=False))
                      for k, t in messages)
        self._inflight.wait_all()  # the mind decides one thing at a time
        decision = self._deciders[agent].decide(self.world.user_percept(agent, inbox, self.step))
        self._take_in_snapshot(agent)  # shown with the next record
        return decision

    def serve(self) -> bool:
        """Answer user messages at this step boundary without starting a step; never blocks.

        True when the boundary is clear (every answer applied, no autosave waiting).
        """
        if self._begun:
            return False
        applied: list[Asked] = []
        clear, events = self._desk.serve(self.step, self._deciders, self.world, self._inflight,
                                         self.dispatcher, live=self.live,
                                         ask=not self._draining, applied=applied)
        self._events += events
        for asked in applied:
            self._take_in_snapshot(asked.agent)
            if self.live and asked.asked_step < self.step:  # answered after the boundary asked
                self._landed.append(Landing(asked.agent, asked.asked_step, asked.due_step))
        if self.live:  # the boundary never waits; an autosave waits for a calm moment
            if self._autosave_due and not self._desk and self._inflight.all_done():
                if self._on_autosave is not None:
                    self._on_autosave(self)
                self._autosave_due = False
            return True
        if not clear or (self._autosave_due and not self._inflight.all_done()):
            return False
        if self._autosave_due and self._on_autosave is not None:
            self._on_autosave(self)
        self._autosave_due = False
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
            if not self.live and not self._inflight.ready(self.step):
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
        if self._desk:
            return self._desk.blocking()
        return self._inflight.pending_futures() if self._autosave_due else []

    def _begin_step(self) -> None:
        self.world.walk(self.settings.routes_per_step)
        self._events += self.world.player_step(self.player_desk, self.step)
        bodies = self.bodies
        states = perception.object_states(self.town, bodies)
        signatures = perception.area_signatures(self.town, bodies, states)
        for name in self.order:
            body, persona = bodies[name], self.personas[name]
            fresh = self._perceiver.perceive(self.town, body, persona, bodies, states, signatures)
            if name in self._inflight or self._desk.busy(name) or self._draining:
                # still thinking (or holding for a save): remember the cue for later
                body.noticed |= body.conversation_id is None and percepts.saw_someone(body, fresh)
            elif (percept := self.world.percept_for(name, fresh, self.step)) is not None:
                self._ask(body, percept)
        self._begun = True

    def _ask(self, body: AgentBody, percept: Percept) -> None:
        """Submit a decision, due at a step fixed by its reasons; start an interim action."""
        percept = self._desk.tell_history(body, percept)
        why = percept.reasons
        due = self.step + self.settings.decision_latency_steps.steps_for(why)
        mind, interim = self.minds[body.name], None
        if due > self.step and body.conversation_id is None and (
                Reason.START in why or Reason.ACTION_DONE in why):
            interim = self.world.start_action(body, mind.interim(percept), self.step)
        future = self.dispatcher.submit(self._deciders[body.name].decide, percept)
        self._inflight.add(Asked(body.name, self.step, due, why, body.conversation_id, interim),
                           future)

    def _finish_step(self) -> None:
        landed, self._landed = self._landed, []
        for name in (self._inflight.landed if self.live else self._inflight.due)(self.step):
            asked, decision, error = self._inflight.take(name)
            self._events += self.world.apply(name, asked, decision, error, self.step)
            self._take_in_snapshot(name)
            if self.live:
                landed.append(Landing(name, asked.asked_step, asked.due_step))
        self._begun = False
        record = self.world.record(self.step, self._inflight.outstanding(), self._events)
        if landed or self._publish:
            record = replace(record, landed=tuple(landed), minds=tuple(self._publish))
        self.last_record, self._events, self._publish = record, [], []
        if self.runlog is not None:
            self.runlog.append(record)
        for listener in list(self._listeners):
            listener(record)
        self.step += 1
        self._rate.tick()
        every_s = self.settings.autosave_every_min * 60
        if every_s and (self.step * self.clock.step_s) % every_s == 0:
            self._autosave_due = True

    def _snapshot_made(self, snapshot: MindSnapshot) -> None:
        """A job took its mind's snapshot (a dispatcher thread)."""
        with self._snap_lock:
            self._made[snapshot.agent] = snapshot

    def _take_in_snapshot(self, name: str) -> None:
        """The decision of `name` was applied: publish its snapshot if it shows something new."""
        with self._snap_lock:
            snap = self._made.pop(name, None)
        if snap is not None and not snap.same_content(self.snapshots.get(name)):
            self.snapshots[name] = snap
            self._publish.append(snap)

    def close(self) -> None:
        self.dispatcher.shutdown()
        if self.runlog is not None:
            self.runlog.close()


class _Deciding:
    """A mind's `decide` followed, on the same thread, by its snapshot (handed to `sink`)."""

    def __init__(self, mind: Mind, sink: Callable[[MindSnapshot], None]):
        self.mind, self.sink = mind, sink

    def decide(self, percept: Percept) -> Decision:
        decision = self.mind.decide(percept)
        snapshot = take_snapshot(self.mind, percept.step)
        if snapshot is not None:
            self.sink(snapshot)
        return decision


class _Deciders:
    """`minds` seen as their `_Deciding` wrappers (looked up at each call: a caller may
    replace a mind)."""

    def __init__(self, minds: dict[str, Mind], sink: Callable[[MindSnapshot], None]):
        self.minds, self.sink = minds, sink

    def __contains__(self, name: object) -> bool:
        return name in self.minds

    def __getitem__(self, name: str) -> _Deciding:
        return _Deciding(self.minds[name], self.sink)
