"""Chatting with an agent while the town is paused.

The engine answers a user message between steps without advancing the clock
(`Simulation.answer_paused`); the exchange is recorded as a user command at the current step,
so a replayed or reloaded run is the same as one where the chat was sent at that step while
running. The model call may take seconds, so it runs on a worker thread and the reply is
collected by `poll()` on the main thread; the frame loop never waits.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

from engine.agent_api import MessageKind
from game.scene import SceneReply


class PausedChat:
    """Sends chats to a paused simulation and collects the answers."""

    def __init__(self, sim):
        self.sim = sim
        self._pool: ThreadPoolExecutor | None = None
        self._pending: list[tuple[str, int, Future]] = []
        self._replies: list[SceneReply] = []
        self.error = ""

    @property
    def available(self) -> bool:
        return callable(getattr(self.sim, "answer_paused", None))

    def send(self, agent: str, kind: MessageKind, text: str) -> int:
        """Queue the message at the current step and start answering it; returns its id."""
        message_id = self.sim.submit_message(agent, kind, text)
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paused-chat")
        self._pending.append((agent, message_id, self._pool.submit(self.sim.answer_paused,
                                                                   agent)))
        return message_id

    def poll(self) -> None:
        still = []
        for agent, message_id, future in self._pending:
            if not future.done():
                still.append((agent, message_id, future))
                continue
            try:
                replies = future.result() or ()
            except Exception as exc:  # a failed answer must not break the window
                self.error = f"{type(exc).__name__}: {exc}"
                continue
            for reply in replies:
                self._replies.append(SceneReply(reply.agent, reply.message_id, reply.text,
                                                reply.step))
        self._pending = still

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def take_replies(self) -> list[SceneReply]:
        replies, self._replies = self._replies, []
        return replies

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
