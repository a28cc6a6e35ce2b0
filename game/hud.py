"""Heads-up display: the status bar, on-screen notices, the help overlay, the quit dialog and
the minimap."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game import ui
from game.camera import Camera
from game.fonts import Fonts

NOTICE_S = 3.5
HELP_LINES = (
    ("Arrows / WASD, right- or middle-drag", "pan"),
    ("Mouse wheel, + / -", "zoom"),
    ("Left click, Tab", "select an agent (inspector)"),
    ("F", "follow the selected agent"),
    ("Enter", "chat with the selected agent"),
    ("Tab or Ctrl+W in the chat line", "switch chat / whisper"),
    ("Space", "pause / resume"),
    ("1 – 5", "speed 1, 4, 15, 60 steps/s, max"),
    ("F5 / F9", "quicksave / quickload"),
    ("F10", "start / stop recording MP4"),
    ("F12", "screenshot PNG"),
    ("F1, H", "this help"),
    ("Esc", "close a panel, else quit"),
)


@dataclass(frozen=True)
class HudStats:
    """What the status bar shows this frame."""

    time_text: str
    step: int
    speed_text: str
    paused: bool
    thinking: int
    model_text: str
    errors: int
    fps: float
    recording: bool = False
    busy_text: str = ""


class Notices:
    """Short messages at the bottom centre that fade after a few seconds."""

    def __init__(self) -> None:
        self.items: list[tuple[str, float, tuple]] = []

    def show(self, text: str, now_s: float, color=ui.TEXT) -> None:
        self.items.append((text, now_s, color))
        self.items = self.items[-4:]

    def texts(self) -> list[str]:
        return [text for text, _, _ in self.items]

    def draw(self, surface: pygame.Surface, fonts: Fonts, now_s: float) -> None:
        self.items = [item for item in self.items if now_s - item[1] < NOTICE_S]
        y = surface.get_height() - 24
        for text, started, color in reversed(self.items):
            alpha = min(1.0, (NOTICE_S - (now_s - started)) / 0.6)
            label = fonts.text(text, 16, color)
            rect = label.get_rect(midbottom=(surface.get_width() // 2, y))
            back = rect.inflate(28, 14)
            layer = pygame.Surface(back.size, pygame.SRCALPHA)
            ui.panel(layer, layer.get_rect().inflate(-6, -6), radius=10)
            layer.blit(label, label.get_rect(center=layer.get_rect().center))
            surface.blit(ui.with_alpha(layer, alpha), back)
            y = back.top - 4


def draw_status(surface: pygame.Surface, fonts: Fonts, stats: HudStats) -> pygame.Rect:
    """The top bar: time, step, speed, thinking, model rate, errors, FPS."""
    parts = [
        (stats.time_text, ui.TEXT, True),
        (f"step {stats.step}", ui.TEXT_DIM, False),
        ("❚❚ paused" if stats.paused else f"▶ {stats.speed_text}",
         ui.WARN if stats.paused else ui.GOOD, True),
        (f"thinking {stats.thinking}", ui.ACCENT if stats.thinking else ui.TEXT_DIM, False),
        (stats.model_text, ui.TEXT_DIM, False),
        (f"errors {stats.errors}", ui.WARN if stats.errors else ui.TEXT_DIM, False),
        (f"{stats.fps:.0f} fps", ui.TEXT_DIM, False),
    ]
    if stats.busy_text:
        parts.append((stats.busy_text, ui.ACCENT, False))
    if stats.recording:
        parts.append(("● REC", ui.WARN, True))
    labels = [fonts.text(text, 15, color, bold) for text, color, bold in parts]
    width = sum(label.get_width() for label in labels) + 22 * (len(labels) - 1) + 28
    width = min(width, surface.get_width() - 16)
    bar = pygame.Rect(8, 8, width, 32)
    ui.panel(surface, bar, radius=10)
    x = bar.x + 14
    clip = surface.get_clip()
    surface.set_clip(bar.inflate(-8, 0))
    for label in labels:
        surface.blit(label, (x, bar.centery - label.get_height() // 2))
        x += label.get_width() + 22
    surface.set_clip(clip)
    return bar


def draw_help(surface: pygame.Surface, fonts: Fonts) -> None:
    font = fonts.get(16)
    line_h = font.get_linesize() + 6
    width = min(720, surface.get_width() - 40)
    height = min(line_h * len(HELP_LINES) + 80, surface.get_height() - 40)
    rect = pygame.Rect(0, 0, width, height)
    rect.center = surface.get_rect().center
    ui.panel(surface, rect, radius=16, color=(43, 33, 44, 235))
    title = fonts.text("Controls", 22, ui.ACCENT, bold=True)
    surface.blit(title, (rect.x + 24, rect.y + 18))
    y = rect.y + 60
    for keys, does in HELP_LINES:
        if y + line_h > rect.bottom - 10:
            break
        surface.blit(fonts.text(keys, 16, ui.ACCENT), (rect.x + 24, y))
        surface.blit(fonts.text(does, 16, ui.TEXT), (rect.x + 24 + width * 0.52, y))
        y += line_h


def draw_quit(surface: pygame.Surface, fonts: Fonts, saving: bool) -> None:
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((10, 8, 14, 110))
    surface.blit(shade, (0, 0))
    rect = pygame.Rect(0, 0, min(520, surface.get_width() - 40), 150)
    rect.center = surface.get_rect().center
    ui.panel(surface, rect, radius=16, color=(43, 33, 44, 240))
    title = "Saving…" if saving else "Leave the Ville?"
    surface.blit(fonts.text(title, 22, ui.ACCENT, bold=True), (rect.x + 24, rect.y + 22))
    if not saving:
        options = [("S", "save and quit"), ("Q", "quit without saving"), ("Esc", "stay")]
        x = rect.x + 24
        for key, does in options:
            chip = fonts.text(key, 16, ui.BUBBLE_TEXT, bold=True)
            chip_rect = chip.get_rect(topleft=(x + 8, rect.y + 82))
            ui.pill(surface, chip_rect.inflate(16, 8), (*ui.ACCENT, 255), radius=8)
            surface.blit(chip, chip_rect)
            label = fonts.text(does, 16, ui.TEXT)
            surface.blit(label, (chip_rect.right + 14, rect.y + 82))
            x = chip_rect.right + 24 + label.get_width()


def draw_minimap(surface: pygame.Surface, minimap: pygame.Surface, camera: Camera,
                 dots: list[tuple[tuple[float, float], bool]], tile_px: int) -> pygame.Rect:
    """The whole town bottom-left with agent dots and the current view as a frame."""
    rect = minimap.get_rect(bottomleft=(12, surface.get_height() - 12))
    ui.panel(surface, rect.inflate(10, 10), radius=10)
    surface.blit(minimap, rect)
    scale = minimap.get_width() / camera.map_size_px[0]
    for tile_xy, selected in dots:
        x = rect.x + (tile_xy[0] + 0.5) * tile_px * scale
        y = rect.y + (tile_xy[1] + 0.5) * tile_px * scale
        pygame.draw.circle(surface, ui.SHADOW, (x, y), 4 if selected else 3)
        pygame.draw.circle(surface, ui.ACCENT if selected else ui.BUBBLE_BG, (x, y),
                           3 if selected else 2)
    left, top = camera.top_left_world_px()
    view = pygame.Rect(rect.x + left * scale, rect.y + top * scale,
                       camera.viewport_px[0] / camera.zoom * scale,
                       camera.viewport_px[1] / camera.zoom * scale).clip(rect)
    pygame.draw.rect(surface, ui.TEXT, view, width=1)
    return rect
