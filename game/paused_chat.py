"""Chatting with an agent while the town is paused.

The engine answers a user message at the current step boundary without advancing the clock
(`Simulation.answer_paused`, a future of the `Reply`), and records the exchange as a user
command at that step, so a replayed or reloaded run is the same as one where the chat was sent
at that step while running. The mind thinks on the dispatcher; `poll()` (once a frame, on the
simulation's thread) calls `sim.serve()` until the answer is applied. The frame never waits.
"""

from __future__ import annotations

from concurrent.futures import Future

from engine.agent_api import MessageKind
from game.scene import SceneReply


class PausedChat:
    """Sends chats to a paused simulation and collects the answers."""

    def __init__(self, sim):
        self.sim = sim
        self._pending: list[tuple[str, int, Future]] = []
        self._replies: list[SceneReply] = []
        self._next_local = -1
        self.error = ""

    @property
    def available(self) -> bool:
        return callable(getattr(self.sim, "answer_paused", None))

    def send(self, agent: str, kind: MessageKind, text: str) -> int:
        """Start answering now; returns a local id (negative) that the reply will carry."""
        local = self._next_local
        self._next_local -= 1
        self._pending.append((agent, local, self.sim.answer_paused(agent, text, kind)))
        return local

    def poll(self) -> None:
        if not self._pending:
            return
        self.sim.serve()
        still = []
        for agent, local, future in self._pending:
            if not future.done():
                still.append((agent, local, future))
                continue
            try:
                reply = future.result()
            except Exception as exc:  # a failed answer must not break the window
                self.error = f"{type(exc).__name__}: {exc}"
                continue
            if reply is not None:
                self._replies.append(SceneReply(agent, local, reply.text, reply.step, reply.by))
        self._pending = still

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def take_replies(self) -> list[SceneReply]:
        replies, self._replies = self._replies, []
        return replies

    def shutdown(self) -> None:
        self._pending = []
