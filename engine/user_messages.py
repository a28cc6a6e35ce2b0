"""User messages (chat lines, whispers), answered at a step boundary before the step begins.

The simulation hands the messages queued since the last boundary to `Answers.ask`, which asks
each addressed mind once (a percept with reason USER and the messages, in the order they were
sent). The step does not begin until every answer is in: a user message is always due now.
Because this happens at the boundary, a message sent while the town is paused is answered
exactly as one sent at that step while it runs. A mind still thinking about an earlier
decision answers after that one (a mind decides one thing at a time).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from concurrent.futures import Future, wait

from engine.agent_api import Decision, MessageKind, Mind, Percept, Reason, UserMessage
from engine.dispatcher import Dispatcher
from engine.inflight import Asked, InFlight, outcome
from engine.records import EventKind, Reply, TownEvent

Command = tuple[str, MessageKind, str, int]  # agent, kind, text, message id


def _after(earlier: Future | None, decide: Callable[[Percept], Decision], percept: Percept
           ) -> Decision:
    if earlier is not None:
        wait([earlier])
    return decide(percept)


class Answers:
    """The user messages being answered at the current boundary, and futures of the replies."""

    def __init__(self) -> None:
        self._jobs: dict[str, tuple[Asked, Future, tuple[int, ...]]] = {}
        self._replies: dict[int, Future] = {}  # message id -> future of its Reply (or None)

    def __bool__(self) -> bool:
        return bool(self._jobs)

    def expect(self, message_id: int) -> Future:
        """A future resolved with the Reply to this message (None: no reply, or a whisper)."""
        future: Future = Future()
        self._replies[message_id] = future
        return future

    def ask(self, commands: list[Command], step: int, minds: Mapping[str, Mind],
            percept_for: Callable[[str, tuple[UserMessage, ...]], Percept],
            conversation_of: Callable[[str], int | None], inflight: InFlight,
            dispatcher: Dispatcher) -> list[TownEvent]:
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
            percept = percept_for(agent, messages)
            future = dispatcher.submit(_after, inflight.future(agent), minds[agent].decide,
                                       percept)
            asked = Asked(agent, step, step, (Reason.USER,), conversation_of(agent))
            self._jobs[agent] = (asked, future, tuple(m.message_id for m in messages))
        return events

    def ready(self) -> bool:
        return all(f.done() for _, f, _ in self._jobs.values())

    def blocking(self) -> list[Future]:
        return [f for _, f, _ in self._jobs.values() if not f.done()]

    def not_done(self) -> list[str]:
        return sorted(n for n, (_, f, _) in self._jobs.items() if not f.done())

    def take(self) -> list[tuple[str, Asked, Decision, str, tuple[int, ...]]]:
        """Every answer, sorted by agent: (agent, asked, decision, error, message ids)."""
        taken = []
        for name in sorted(self._jobs):
            asked, future, ids = self._jobs.pop(name)
            taken.append((name, asked, *outcome(name, future), ids))
        return taken

    def settle(self, ids: tuple[int, ...], replies: list[Reply]) -> None:
        """Resolve the reply futures of answered messages."""
        by_id = {r.message_id: r for r in replies}
        for message_id in ids:
            self._resolve(message_id, by_id.get(message_id))

    def _resolve(self, message_id: int, reply: Reply | None) -> None:
        future = self._replies.pop(message_id, None)
        if future is not None and not future.done():
            future.set_result(reply)

    def drop(self) -> None:
        """Forget everything (a load): waiting futures get None."""
        for message_id in list(self._replies):
            self._resolve(message_id, None)
        self._jobs.clear()
