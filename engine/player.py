"""The player: a body in the town without a mind, moved and voiced by the user.

Others perceive the player as they perceive each other (its body is among the world's bodies,
so perception, `AgentView`s and conversations see it), but no mind decides for it: its moves and
lines are user commands, queued from any thread and applied at a step boundary as whispers are
(`PlayerDesk`). In a conversation the player's turn waits for a typed line; the town goes on
meanwhile, and after `PLAYER_TURN_STEPS` the partner gives up politely and the talk ends (a
rule's line). The player is saved in world.json under "player" (`Player.to_state`).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from engine import paths
from engine.agent_api import HERE, Action, Utterance
from engine.bodies import AgentBody
from engine.errors import UserError
from engine.provenance import rule
from engine.town_map import TileXY, TownMap

PLAYER_TURN_STEPS = 36  # 6 game minutes at 10 s a step: then the partner gives up politely
PLAYER_ACTION_MIN = 24 * 60
GIVE_UP = "Oh, you seem busy. Let's talk another time!"
DEFAULT_NAME = "Alex Visitor"
VISITOR_SHEETS = ("visitor_teal", "visitor_rose")  # looks no resident has, preferred in order


def sheets() -> list[str]:
    """The sprite sheets a player can wear (stems of assets/characters/*.png)."""
    return sorted(p.stem for p in (paths.maps_dir() / "characters").glob("*.png"))


def choose_sprite(wanted: str | None, worn: set[str]) -> str:
    """`wanted` if it is a sheet (else a UserError listing them), or the first sheet no agent
    of the town wears, the visitors' own looks (`visitor_*`) first."""
    available = sheets()
    if wanted:
        if wanted not in available:
            raise UserError(f"--player-sprite: no sprite sheet '{wanted}' (choose one of: "
                            f"{', '.join(available)})")
        return wanted
    free = [s for s in VISITOR_SHEETS if s in available and s not in worn] + [
        s for s in available if s not in worn and s not in VISITOR_SHEETS]
    return (free or available or ["player"])[0]


def player_action(name: str, step: int) -> Action:
    """What others see the player doing when it is not talking."""
    return Action(description="visiting the town", emoji="🚶", address=HERE,
                  duration_min=PLAYER_ACTION_MIN, event=(name, "is", "visiting the town"),
                  start_step=step, by=rule("engine.player"))


@dataclass(frozen=True, slots=True)
class Player:
    """Who the user plays: a name (not an agent's) and a sprite sheet stem."""

    name: str
    sprite: str

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name

    def to_state(self) -> dict[str, Any]:
        return {"name": self.name, "sprite": self.sprite}

    @classmethod
    def from_state(cls, state: Any) -> Player:
        """A ValueError naming the problem for anything but {"name": str, "sprite": str}."""
        if not isinstance(state, dict):
            raise ValueError("the player entry must be an object with 'name' and 'sprite'")
        name, sprite = state.get("name"), state.get("sprite")
        if not isinstance(name, str) or not name.strip() or len(name) > 60:
            raise ValueError("the player's 'name' must be a non-empty string (60 characters "
                             "at most)")
        if not isinstance(sprite, str) or not sprite.strip() or "/" in sprite or "\\" in sprite:
            raise ValueError("the player's 'sprite' must be a sprite sheet name")
        return cls(name.strip(), sprite.strip())


class PlayerDesk:
    """User commands for the player, queued from any thread, taken at step boundaries."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._moves: deque[TileXY] = deque(maxlen=8)
        self._lines: deque[tuple[str, str]] = deque(maxlen=4)  # (text, to whom: "" = partner)

    def move(self, dx: int, dy: int) -> None:
        with self._lock:
            self._moves.append((max(-1, min(1, dx)), max(-1, min(1, dy))))

    def say(self, text: str, to: str = "") -> None:
        with self._lock:
            self._lines.append((text, to))

    def has_move(self) -> bool:
        with self._lock:
            return bool(self._moves)

    def take_move(self) -> TileXY | None:
        with self._lock:
            return self._moves.popleft() if self._moves else None

    def take_line(self) -> tuple[str, str] | None:
        with self._lock:
            return self._lines.popleft() if self._lines else None

    def put_back(self, line: tuple[str, str]) -> None:
        with self._lock:
            self._lines.appendleft(line)

    def drop(self) -> None:
        with self._lock:
            self._moves.clear()
            self._lines.clear()


def spawn_tile(town: TownMap, bodies: dict[str, AgentBody], near: TileXY) -> TileXY:
    """A free walkable tile beside `near` (the nearest in a growing ring), else `near`."""
    taken = {b.tile for b in bodies.values()}
    for radius in range(1, 12):
        for dy in range(-radius, radius + 1):
            for dx in range(-radius, radius + 1):
                tile = (near[0] + dx, near[1] + dy)
                if (max(abs(dx), abs(dy)) == radius and town.is_walkable(tile)
                        and tile not in taken and town.area_index(tile) == town.area_index(near)):
                    return tile
    return near


def step_to(town: TownMap, body: AgentBody, bodies: dict[str, AgentBody], dx: int, dy: int
            ) -> bool:
    """Move the player one tile if it is walkable and nobody stands there; face that way."""
    if dx or dy:
        body.facing = ("left" if dx < 0 else "right") if dx else ("up" if dy < 0 else "down")
    tile = (body.tile[0] + dx, body.tile[1] + dy)
    if tile == body.tile or not town.is_walkable(tile):
        return False
    if any(b.tile == tile for n, b in bodies.items() if n != body.name):
        return False
    body.tile = tile
    body.path = []
    return True


def give_up_line(partner: str) -> Utterance:
    """The partner's closing line when the player did not answer in time (a rule's words)."""
    return Utterance(partner, GIVE_UP, rule("engine.player_timeout"))
