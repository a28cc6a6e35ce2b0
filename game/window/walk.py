"""Walk mode: the user plays a body in the town (engine/player.py).

`P` toggles walk mode. In walk mode the arrows / WASD move the player one tile per step (a key
held keeps walking) instead of panning, and the camera follows the player. The chat line talks
face to face: while the player is in a conversation, Enter sends the typed line as the player's
turn (the town goes on while the player types; the partner gives up politely after a few game
minutes); otherwise a line to the selected agent opens a conversation with it when it is close
by, free and awake. Outside walk mode the chat line works as before (a question the agent
answers from afar, or a whisper).
"""

from __future__ import annotations

import pygame

WALK_KEY = pygame.K_p
MOVE_KEYS = {pygame.K_LEFT: (-1, 0), pygame.K_a: (-1, 0), pygame.K_RIGHT: (1, 0),
             pygame.K_d: (1, 0), pygame.K_UP: (0, -1), pygame.K_w: (0, -1),
             pygame.K_DOWN: (0, 1), pygame.K_s: (0, 1)}


class Walk:
    """The window's side of the player: walk mode, moves, and face-to-face lines."""

    def __init__(self, sim):
        self.sim, self.on = sim, False
        self._partner: str | None = None  # the agent talking with the player, last frame
        self._heard: tuple[int, int] = (0, 0)  # (conversation, lines) taken into the chat log

    @property
    def player(self):
        return self.sim.world.player

    @property
    def name(self) -> str | None:
        return self.player.name if self.player is not None else None

    def help_rows(self) -> tuple[tuple[str, str], ...]:
        """The help's first row: who the user plays (set with --player-name/--player-sprite)."""
        if self.player is None:
            return (("You play", "nobody (--no-player); P does nothing"),)
        mode = "walking" if self.on else "P to walk"
        return (("You play", f"{self.player.name} ({self.player.sprite}, {mode})"),)

    def toggle(self) -> str:
        """Switch walk mode; the notice to show."""
        if self.player is None:
            return "No player in this town (started with --no-player)"
        self.on = not self.on
        return (f"Walking as {self.player.first_name}: arrows / WASD move, Enter talks (P stops)"
                if self.on else "Walk mode off: arrows / WASD pan")

    def key_down(self, key: int) -> bool:
        """Queue one move for a walking key; False when the key is not the walk's."""
        if not self.on or key not in MOVE_KEYS:
            return False
        self.sim.player_desk.move(*MOVE_KEYS[key])
        return True

    def tick(self, held: set[int]) -> None:
        """A held walking key walks on: one move queued whenever the last one was taken."""
        if not self.on or self.sim.player_desk.has_move():
            return
        dx = sum(MOVE_KEYS[k][0] for k in held if k in MOVE_KEYS)
        dy = sum(MOVE_KEYS[k][1] for k in held if k in MOVE_KEYS)
        if dx or dy:
            self.sim.player_desk.move(dx, 0 if dx else dy)

    def partner(self, scene) -> str | None:
        """The agent the player is talking with in `scene` (None: not talking)."""
        name = self.name
        for talk in scene.conversations if name else ():
            if name in talk.participants:
                return next(p for p in talk.participants if p != name)
        return None

    def news(self, scene) -> str | None:
        """A notice when an agent starts talking with the player (once per conversation)."""
        partner = self.partner(scene)
        started = partner is not None and partner != self._partner
        self._partner = partner
        if started:
            return (f"{partner.split()[0]} is talking with you: press Enter to answer "
                    "(they wait a few game minutes)")
        return None

    def heard(self, scene) -> list:
        """The partner's lines new in `scene` (`Line`s), for the chat log."""
        name, out = self.name, []
        for talk in scene.conversations if name else ():
            if name in talk.participants:
                seen = self._heard[1] if self._heard[0] == talk.conversation_id else 0
                out = [line for line in talk.lines[seen:] if line.speaker != name]
                self._heard = (talk.conversation_id, len(talk.lines))
        return out

    def say(self, scene, selected: str | None, text: str) -> str | None:
        """Send a face-to-face line: the agent it goes to, or None when this is not one (not
        walking and not in a conversation: the chat line's usual path)."""
        partner = self.partner(scene)
        if partner is not None:  # (ended meanwhile: the line opens a new talk with it)
            self.sim.player_desk.say(text, to=partner)
            return partner
        if self.on and selected is not None and selected != self.name:
            self.sim.player_desk.say(text, to=selected)
            return selected
        return None
