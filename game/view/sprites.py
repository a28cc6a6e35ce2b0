"""Agent sprites: per-character sheets, smooth walking between tiles, shadows and name labels.

A sheet is 4 rows (down, left, right, up) × 4 walk frames of 32×32. The engine moves a body at
most one tile per step; `Walkers` notices when a body's tile changes and glides the sprite from
where it was drawn to the new tile over the real time a step takes at the current speed. A body
that jumps further (a load, a fork) snaps.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path

import pygame

from engine import paths
from game.view.camera import Camera

ROWS = {"down": 0, "left": 1, "right": 2, "up": 3}
FRAME_PX = 32
WALK_FPS = 8.0
SIT_HIDE_PX = 7  # rows of the legs hidden when sitting


class SpriteBank:
    """Sheets and portraits by sprite stem, with frames scaled once per zoom level."""

    def __init__(self, characters_dir: Path | None = None):
        self.dir = characters_dir or paths.maps_dir() / "characters"
        self._sheets: dict[str, pygame.Surface] = {}
        self._frames: dict[tuple[str, float], list[list[pygame.Surface]]] = {}
        self._portraits: dict[str, pygame.Surface | None] = {}
        self._shadows: dict[float, pygame.Surface] = {}
        self._posed: dict[tuple, pygame.Surface] = {}

    def _sheet(self, stem: str) -> pygame.Surface:
        sheet = self._sheets.get(stem)
        if sheet is None:
            path = self.dir / f"{stem}.png"
            try:
                sheet = pygame.image.load(str(path))
                sheet = sheet.convert_alpha() if pygame.display.get_surface() else sheet
                if sheet.get_width() < FRAME_PX * 4 or sheet.get_height() < FRAME_PX * 4:
                    raise pygame.error(f"{sheet.get_size()} is smaller than 4 x 4 frames")
            except (pygame.error, FileNotFoundError) as exc:
                print(f"simulacra: note: character sheet {path} cannot be used ({exc}); "
                      "drawn as a plain figure", file=sys.stderr)
                sheet = _placeholder_sheet(stem)
            self._sheets[stem] = sheet
        return sheet

    def frame(self, stem: str, facing: str, index: int, zoom: float) -> pygame.Surface:
        key = (stem, zoom)
        frames = self._frames.get(key)
        if frames is None:
            sheet = self._sheet(stem)
            size = max(1, round(FRAME_PX * zoom))
            scale = pygame.transform.scale if zoom >= 1 else pygame.transform.smoothscale
            frames = [
                [
                    scale(sheet.subsurface((col * FRAME_PX, row * FRAME_PX, FRAME_PX, FRAME_PX)),
                          (size, size))
                    for col in range(4)
                ]
                for row in range(4)
            ]
            self._frames[key] = frames
        return frames[ROWS.get(facing, 0)][index % 4]

    def posed(self, stem: str, pose: str, facing: str, zoom: float) -> pygame.Surface:
        """A resting frame: "lie" is the head and shoulders only (the bed's blanket covers the
        rest), "sit" is the standing frame with the legs folded out of sight."""
        key = (stem, zoom, pose, facing)
        cached = self._posed.get(key)
        if cached is None:
            size = max(1, round(FRAME_PX * zoom))
            if pose == "lie":
                full = self.frame(stem, "down", 0, zoom)
                cached = full.subsurface((0, 0, size, max(1, round(17 * zoom)))).copy()
            else:
                full = self.frame(stem, facing, 0, zoom)
                cut = max(1, round(SIT_HIDE_PX * zoom))
                cached = full.subsurface((0, 0, size, size - cut)).copy()
            self._posed[key] = cached
        return cached

    def portrait(self, stem: str) -> pygame.Surface | None:
        if stem not in self._portraits:
            try:
                image = pygame.image.load(str(self.dir / "portraits" / f"{stem}.png"))
                self._portraits[stem] = image.convert_alpha() if pygame.display.get_surface() \
                    else image
            except (pygame.error, FileNotFoundError):
                self._portraits[stem] = None
        return self._portraits[stem]

    def head(self, stem: str, size: int, selected: bool = False) -> pygame.Surface:
        """The portrait as a small round head with a ring (the whole-town marker); the
        agent's initials-free stand-in is a plain disc when the portrait is missing."""
        key = ("head", stem, size, selected)
        head = self._portraits.get(key)
        if head is None:
            from game.view import ui  # drawing colours live with the widgets
            head = pygame.Surface((size, size), pygame.SRCALPHA)
            ring = ui.ACCENT if selected else ui.BUBBLE_BG
            pygame.draw.circle(head, ui.SHADOW, (size // 2, size // 2), size // 2)
            pygame.draw.circle(head, ring, (size // 2, size // 2), size // 2 - 1)
            face = self.portrait(stem)
            inner = size - 6
            if face is not None:
                disc = pygame.Surface((inner, inner), pygame.SRCALPHA)
                pygame.draw.circle(disc, (255, 255, 255, 255), (inner // 2, inner // 2),
                                   inner // 2)
                scaled = pygame.transform.smoothscale(face, (inner, inner))
                disc.blit(scaled, (0, 0), special_flags=pygame.BLEND_RGBA_MIN)
                head.blit(disc, (3, 3))
            self._portraits[key] = head
        return head

    def shadow(self, zoom: float) -> pygame.Surface:
        """A soft ellipse drawn under each sprite's feet."""
        shadow = self._shadows.get(zoom)
        if shadow is None:
            w, h = max(4, round(22 * zoom)), max(2, round(8 * zoom))
            shadow = pygame.Surface((w, h), pygame.SRCALPHA)
            for i in range(3):
                inset = i * max(1, w // 10)
                pygame.draw.ellipse(shadow, (20, 14, 24, 40),
                                    pygame.Rect(inset, inset // 2, w - 2 * inset, h - inset))
            self._shadows[zoom] = shadow
        return shadow


def _placeholder_sheet(stem: str) -> pygame.Surface:
    """A plain coloured figure when a sheet is missing (assets being regenerated)."""
    sheet = pygame.Surface((FRAME_PX * 4, FRAME_PX * 4), pygame.SRCALPHA)
    hue = sum(stem.encode()) % 360
    color = pygame.Color(0)
    color.hsva = (hue, 55, 90, 100)
    for row in range(4):
        for col in range(4):
            x, y = col * FRAME_PX, row * FRAME_PX
            pygame.draw.circle(sheet, (240, 210, 180), (x + 16, y + 10), 6)
            pygame.draw.rect(sheet, color, (x + 10, y + 16, 12, 12), border_radius=3)
    return sheet


@dataclass
class Walker:
    """Where one agent's sprite is drawn: gliding from `from_tile` to `to_tile`."""

    from_xy: tuple[float, float]
    to_tile: tuple[int, int]
    started_s: float
    duration_s: float
    facing: str = "down"

    def position(self, now_s: float) -> tuple[float, float]:
        t = self.progress(now_s)
        fx, fy = self.from_xy
        return (fx + (self.to_tile[0] - fx) * t, fy + (self.to_tile[1] - fy) * t)

    def progress(self, now_s: float) -> float:
        if self.duration_s <= 0:
            return 1.0
        return min(1.0, max(0.0, (now_s - self.started_s) / self.duration_s))

    def moving(self, now_s: float) -> bool:
        return self.progress(now_s) < 1.0 and self.from_xy != self.to_tile


class Walkers:
    """Tracks every agent's drawn position from the bodies' tiles."""

    def __init__(self) -> None:
        self.walkers: dict[str, Walker] = {}

    def sync(self, agents, now_s: float, step_s_real: float) -> None:
        """Start a glide for every agent (`SceneAgent`) whose tile changed since the last sync."""
        for agent in agents:
            name, tile, facing = agent.name, tuple(agent.tile_xy), agent.facing
            walker = self.walkers.get(name)
            if walker is None:
                self.walkers[name] = Walker(tile, tile, now_s, 0.0, facing)
                continue
            if tile == walker.to_tile:
                walker.facing = facing
                continue
            here = walker.position(now_s)
            if math.dist(here, tile) > 2.5:
                self.walkers[name] = Walker(tile, tile, now_s, 0.0, facing)
            else:
                self.walkers[name] = Walker(here, tile, now_s, step_s_real, facing)

    def snap(self, agents) -> None:
        self.walkers.clear()
        self.sync(agents, 0.0, 0.0)

    def tile_xy(self, name: str, now_s: float) -> tuple[float, float]:
        return self.walkers[name].position(now_s)


def sprite_rect(camera: Camera, tile_xy: tuple[float, float], tile_px: int) -> pygame.Rect:
    """Screen rect of a sprite standing on (fractional) tile `tile_xy`: feet on the tile."""
    size = round(FRAME_PX * camera.zoom)
    center = camera.world_to_screen(((tile_xy[0] + 0.5) * tile_px, (tile_xy[1] + 1) * tile_px))
    rect = pygame.Rect(0, 0, size, size)
    rect.midbottom = (round(center[0]), round(center[1]) - round(2 * camera.zoom))
    return rect


def walk_frame(walker: Walker, now_s: float) -> int:
    """Walk-cycle column: animated while gliding, frame 0 (standing) otherwise."""
    return int(now_s * WALK_FPS) % 4 if walker.moving(now_s) else 0
