"""Heads-up display: the status bar, on-screen notices, the help overlay, tooltips and the
minimap. Every function draws into the rectangle it is given or returns the one it used, so
the window can keep them apart (help never over the inspector, notices never over the chat)."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.view import ui
from game.view.camera import Camera
from game.view.fonts import Fonts, ellipsize, wrap

NOTICE_S = 3.5
HELP_LINES = (
    ("Arrows / WASD, right- or middle-drag", "pan (in walk mode: walk)"),
    ("P", "walk mode: arrows / WASD walk your character"),
    ("Mouse wheel, + / -", "zoom"),
    ("Left click, Tab", "select an agent (inspector)"),
    ("Page Up / Down, wheel on a panel", "scroll the inspector or the list"),
    ("L / E / T / X, click \"errors\"", "agents / events / talk / error list"),
    ("Z", "whole town ⇆ close-up"),
    ("F", "follow the selected agent"),
    ("Enter", "chat with the selected agent"),
    ("Enter, in walk mode", "talk face to face (agent close by)"),
    ("Tab or Ctrl+W in the chat line", "switch chat / whisper"),
    ("Space", "pause / resume"),
    ("1 – 5", "speed 1, 4, 15, 60 steps/s, max"),
    ("F5 / F9", "quicksave / quickload"),
    ("F10", "start / stop recording MP4"),
    ("F12", "screenshot PNG"),
    ("F1, H", "this help"),
    ("Esc", "close a panel, else the pause menu"),
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
    steps_s: float = 0.0
    planning_text: str = ""
    serious_errors: int = 0  # faults among them (red); the rest are expected fallbacks


class Notices:
    """Short messages at the bottom centre that fade after a few seconds."""

    def __init__(self) -> None:
        self.items: list[tuple[str, float, tuple]] = []

    def show(self, text: str, now_s: float, color=ui.TEXT) -> None:
        self.items.append((text, now_s, color))
        self.items = self.items[-4:]

    def texts(self) -> list[str]:
        return [text for text, _, _ in self.items]

    def draw(self, surface: pygame.Surface, fonts: Fonts, now_s: float,
             area: pygame.Rect | None = None) -> list[pygame.Rect]:
        """Newest at the bottom of `area` (the map part the panels leave free), each wrapped to
        two lines at most and cut in the middle when still too long (file paths)."""
        self.items = [item for item in self.items if now_s - item[1] < NOTICE_S]
        area = area or surface.get_rect()
        font = fonts.get(15)
        max_w = max(80, area.w - 48)
        y = area.bottom - 12
        drawn = []
        for text, started, color in reversed(self.items):
            alpha = min(1.0, (NOTICE_S - (now_s - started)) / 0.6)
            lines = wrap(font, text, max_w, max_lines=0)
            if len(lines) > 2:
                lines = [lines[0], ellipsize(font, " ".join(lines[1:]), max_w, middle=True)]
            labels = [fonts.text(line, 15, color) for line in lines]
            width = max(label.get_width() for label in labels) + 28
            height = sum(label.get_height() for label in labels) + 14
            back = pygame.Rect(0, 0, width, height)
            back.midbottom = (area.centerx, y)
            if back.top < area.top:
                break
            layer = pygame.Surface(back.size, pygame.SRCALPHA)
            ui.panel(layer, layer.get_rect().inflate(-6, -6), radius=10)
            ly = 7
            for label in labels:
                layer.blit(label, label.get_rect(midtop=(back.w // 2, ly)))
                ly += label.get_height()
            surface.blit(ui.with_alpha(layer, alpha), back)
            drawn.append(back)
            y = back.top - 4
        return drawn


def draw_status(surface: pygame.Surface, fonts: Fonts, stats: HudStats,
                hits: dict | None = None) -> pygame.Rect:
    """The top bar: time, step, speed, thinking, model rate, errors, FPS. The error count is
    red when a fault is among them, amber when all are expected model fallbacks; `hits` gets
    the rectangle of the error count (a click there opens the error list)."""
    error_color = ui.WARN if stats.serious_errors else ui.ACCENT if stats.errors \
        else ui.TEXT_DIM
    parts = [
        (stats.time_text, ui.TEXT, True),
        (f"step {stats.step} · {stats.steps_s:.1f} steps/s", ui.TEXT_DIM, False),
        ("❚❚ paused" if stats.paused else f"▶ {stats.speed_text}",
         ui.WARN if stats.paused else ui.GOOD, True),
        (f"thinking {stats.thinking}", ui.ACCENT if stats.thinking else ui.TEXT_DIM, False),
        (stats.model_text, ui.TEXT_DIM, False),
        (f"errors {stats.errors}", error_color, False),
        (f"{stats.fps:.0f} fps", ui.TEXT_DIM, False),
    ]
    if stats.planning_text:
        parts.insert(3, (stats.planning_text, ui.ACCENT, True))
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
    for (text, _, _), label in zip(parts, labels):
        place = label.get_rect(topleft=(x, bar.centery - label.get_height() // 2))
        surface.blit(label, place)
        if hits is not None and text.startswith("errors "):
            hits["errors"] = place.inflate(10, 12).clip(bar)
        x += label.get_width() + 22
    surface.set_clip(clip)
    return bar


def draw_help(surface: pygame.Surface, fonts: Fonts, area: pygame.Rect | None = None,
              first: tuple[tuple[str, str], ...] = ()) -> pygame.Rect:
    """The controls, opaque, inside `area` (the part of the window no panel uses); `first`:
    rows shown above them (who the user plays)."""
    lines = first + HELP_LINES
    area = area or surface.get_rect()
    font = fonts.get(15)
    line_h = font.get_linesize() + 5
    width = min(720, area.w - 20)
    height = min(line_h * len(lines) + 76, area.h - 20)
    rect = pygame.Rect(0, 0, width, height)
    rect.center = area.center
    ui.panel(surface, rect, radius=16, color=(43, 33, 44, 255))
    surface.blit(fonts.text("Controls", 21, ui.ACCENT, bold=True), (rect.x + 22, rect.y + 16))
    y = rect.y + 56
    key_w = int(width * 0.46)
    for keys, does in lines:
        if y + line_h > rect.bottom - 8:
            break
        surface.blit(fonts.text(ellipsize(font, keys, key_w - 30), 15, ui.ACCENT),
                     (rect.x + 22, y))
        surface.blit(fonts.text(ellipsize(font, does, width - key_w - 30), 15, ui.TEXT),
                     (rect.x + key_w, y))
        y += line_h
    return rect


def draw_tooltip(surface: pygame.Surface, fonts: Fonts, lines: list[str], pos,
                 avoid: list[pygame.Rect]) -> pygame.Rect | None:
    """A small box of text next to the mouse, kept on screen and off `avoid` where it can."""
    if not lines:
        return None
    font = fonts.get(13)
    max_w = min(320, surface.get_width() - 20)
    texts = [ellipsize(font, line, max_w) for line in lines]
    labels = [fonts.text(t, 13, ui.TEXT if i else ui.ACCENT, bold=i == 0)
              for i, t in enumerate(texts)]
    w = max(label.get_width() for label in labels) + 16
    h = sum(label.get_height() for label in labels) + 10
    bounds = surface.get_rect()
    rect = pygame.Rect(pos[0] + 16, pos[1] + 18, w, h)
    for dx, dy in ((16, 18), (-w - 12, 18), (16, -h - 8), (-w - 12, -h - 8)):
        candidate = pygame.Rect(pos[0] + dx, pos[1] + dy, w, h).clamp(bounds)
        if candidate.collidelist(avoid) < 0:
            rect = candidate
            break
    else:
        rect = rect.clamp(bounds)
    ui.panel(surface, rect, radius=8, color=(30, 22, 32, 240))
    y = rect.y + 5
    for label in labels:
        surface.blit(label, (rect.x + 8, y))
        y += label.get_height()
    return rect


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
    mx, my, mw, mh = camera.map_rect
    left, top = camera.screen_to_world((mx, my))
    view = pygame.Rect(rect.x + left * scale, rect.y + top * scale,
                       mw / camera.zoom * scale, mh / camera.zoom * scale).clip(rect)
    pygame.draw.rect(surface, ui.TEXT, view, width=1)
    return rect
