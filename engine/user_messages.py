"""User messages (chat lines, whispers), answered at a step boundary before the step begins.

`UserDesk` holds the messages queued since the last boundary (any thread may `submit`) and the
message id counter; at the boundary `serve` asks each addressed mind once (a percept with
reason USER and its messages, in the order they were sent). The step does not begin until
every answer is in: a user message is always due now. In the live clock (`serve(live=True)`)
the step goes on and each answer is applied at the first boundary it is in.
Because this happens at the boundary, a message sent while the town is paused is answered
exactly as one sent at that step while it runs. A mind still thinking about an earlier
decision answers after that one (a mind decides one thing at a time).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, wait
from dataclasses import replace

from engine.agent_api import Decision, MessageKind, Mind, Percept, Reason, UserMessage
from engine.bodies import AgentBody
from engine.dispatcher import Dispatcher
from engine.inflight import Asked, InFlight, outcome
from engine.records import EventKind, Reply, TownEvent
from engine.world import World

Command = tuple[str, MessageKind, str, int]  # agent, kind, text, message id


def _after(earlier: Future | None, decide: Callable[[Percept], Decision], percept: Percept
           ) -> Decision:
    if earlier is not None:
        wait([earlier])
    return decide(percept)


class UserDesk:
    """Queued user messages, the ones being answered now, and futures of the replies."""

    def __init__(self, next_id: int = 1) -> None:
        self.next_id = next_id  # saved with the world, so message ids never repeat
        self._queue: list[Command] = []
        self._lock = threading.Lock()
        self._jobs: dict[str, tuple[Asked, Future, tuple[int, ...]]] = {}
        self._replies: dict[int, Future] = {}  # message id -> future of its Reply (or None)

    def __bool__(self) -> bool:
        """True while answers are being thought out (the boundary is not clear)."""
        return bool(self._jobs)

    def submit(self, agent: str, kind: MessageKind, text: str, queue: bool = True) -> int:
        """Queue a message for the next boundary (thread-safe); returns its id."""
        with self._lock:
            message_id, self.next_id = self.next_id, self.next_id + 1
            if queue:
                self._queue.append((agent, kind, text, message_id))
        return message_id

    def tell_history(self, body: AgentBody, percept: Percept) -> Percept:
        """Hand statements planted at fork to the agent with the decision it is asked now.

        They arrive as whispers next to the first plan (reason START, due 15 game minutes
        later), so a fresh fork's town moves at once while every mind stores its history on
        the thread pool, instead of standing still until all of it is stored one by one.
        """
        if not body.history:
            return percept
        told = tuple(UserMessage(MessageKind.WHISPER, text,
                                 self.submit(body.name, MessageKind.WHISPER, text, queue=False))
                     for text in body.history)
        body.history = []
        reasons = percept.reasons if Reason.USER in percept.reasons else (
            *percept.reasons, Reason.USER)
        return replace(percept, reasons=reasons, user_messages=percept.user_messages + told)

    def expect(self, message_id: int) -> Future:
        """A future resolved with the Reply to this message (None: no reply, or a whisper)."""
        future: Future = Future()
        self._replies[message_id] = future
        return future

    def serve(self, step: int, minds: Mapping[str, Mind], world: World, inflight: InFlight,
              dispatcher: Dispatcher, live: bool = False, ask: bool = True,
              applied: list[str] | None = None) -> tuple[bool, list[TownEvent]]:
        """Ask about queued messages and apply the answers that are in, sorted by agent.

        Returns (boundary clear, town events); the agents answered go to `applied`. Never
        blocks. Lockstep: the boundary is clear once every answer is applied. `live`: answers
        are applied at the first boundary they are in and the boundary is always clear; an
        agent still answering is asked about newer messages after it (`ask=False`: none asked
        now, the live clock's drain before a save).
        """
        events: list[TownEvent] = []
        while True:
            with self._lock:
                if live and ask:
                    commands = [c for c in self._queue if c[0] not in self._jobs]
                    self._queue = [c for c in self._queue if c[0] in self._jobs]
                elif not self._jobs and ask:
                    commands, self._queue = self._queue, []
                else:
                    commands = []
            if commands:
                events += self.ask(commands, step, minds, world, inflight, dispatcher)
            elif not live and not self._jobs:
                return True, events
            if not live and not self.ready():
                return False, events
            answered = self.take(only_done=live)
            if not answered:
                return True, events  # live: what is not in yet is applied when it is
            for name, asked, decision, error, ids in answered:
                events += world.apply(name, asked, decision, error, step)
                for n, (message_id, text) in enumerate(decision.replies):
                    self._resolve(message_id, Reply(name, message_id, text, step,
                                                    decision.reply_provenance(n)))
                self.settle(ids)
                if applied is not None:
                    applied.append(name)

    def busy(self, agent: str) -> bool:
        """The agent is answering a user message now."""
        return agent in self._jobs

    def ask(self, commands: list[Command], step: int, minds: Mapping[str, Mind], world: World,
            inflight: InFlight, dispatcher: Dispatcher) -> list[TownEvent]:
        """Ask each addressed agent (sorted by name) about its messages; the town events."""
        by_agent: dict[str, list[UserMessage]] = {}
        events = []
        for agent, kind, text, message_id in commands:
            if agent not in minds:
                self._resolve(message_id, None)
                continue
            by_agent.setdefault(agent, []).append(UserMessage(kind, text, message_id))
            events.append(TownEvent(EventKind.USER_MESSAGE, (agent,), text, detail=kind.value))
        for agent in sorted(by_agent):
            messages = tuple(by_agent[agent])
            percept = world.user_percept(agent, messages, step)
            future = dispatcher.submit(_after, inflight.future(agent), minds[agent].decide,
                                       percept)
            asked = Asked(agent, step, step, (Reason.USER,), world.bodies[agent].conversation_id)
            self._jobs[agent] = (asked, future, tuple(m.message_id for m in messages))
        return events

    def ready(self) -> bool:
        return all(f.done() for _, f, _ in self._jobs.values())

    def blocking(self) -> list[Future]:
        return [f for _, f, _ in self._jobs.values() if not f.done()]

    def not_done(self) -> list[str]:
        return sorted(n for n, (_, f, _) in self._jobs.items() if not f.done())

    def take(self, only_done: bool = False
             ) -> list[tuple[str, Asked, Decision, str, tuple[int, ...]]]:
        """Every answer (or every one computed), sorted by agent:
        (agent, asked, decision, error, message ids)."""
        taken = []
        for name in sorted(self._jobs):
            if only_done and not self._jobs[name][1].done():
                continue
            asked, future, ids = self._jobs.pop(name)
            taken.append((name, asked, *outcome(name, future), ids))
        return taken

    def settle(self, ids: tuple[int, ...]) -> None:
        """Resolve the futures of answered messages that got no reply with None."""
        for message_id in ids:
            self._resolve(message_id, None)

    def _resolve(self, message_id: int, reply: Reply | None) -> None:
        future = self._replies.pop(message_id, None)
        if future is not None and not future.done():
            future.set_result(reply)

    def drop(self) -> None:
        """Forget everything (a load): queued messages are dropped, waiting futures get None."""
        with self._lock:
            self._queue.clear()
        for message_id in list(self._replies):
            self._resolve(message_id, None)
        self._jobs.clear()
