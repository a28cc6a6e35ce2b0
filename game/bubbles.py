"""What floats over agents: name labels, action emoji, speech bubbles and thinking dots.

Speech comes from `body.said` (set only on the step a line is spoken) and from chat replies;
each line becomes a bubble that stays a few seconds (longer for longer lines) and fades out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from game import ui
from game.fonts import Fonts, wrap

BUBBLE_BASE_S = 3.5
BUBBLE_PER_CHAR_S = 0.05
BUBBLE_MAX_S = 9.0
FADE_S = 0.8


@dataclass
class Bubble:
    text: str
    started_s: float
    duration_s: float
    whisper: bool = False

    def alpha(self, now_s: float) -> float:
        left = self.started_s + self.duration_s - now_s
        return max(0.0, min(1.0, left / FADE_S))


class Bubbles:
    """Current speech bubbles per agent, fed from the bodies each frame."""

    def __init__(self) -> None:
        self.by_agent: dict[str, Bubble] = {}
        self._seen_said: dict[str, tuple[int, str]] = {}

    def say(self, agent: str, text: str, now_s: float) -> None:
        duration = min(BUBBLE_MAX_S, BUBBLE_BASE_S + BUBBLE_PER_CHAR_S * len(text))
        self.by_agent[agent] = Bubble(text, now_s, duration)

    def sync(self, bodies: dict, step: int, now_s: float) -> None:
        for name, body in bodies.items():
            said = body.said
            if said and self._seen_said.get(name) != (step, said):
                self._seen_said[name] = (step, said)
                self.say(name, said, now_s)
        for name in [n for n, b in self.by_agent.items() if b.alpha(now_s) <= 0]:
            del self.by_agent[name]

    def clear(self) -> None:
        self.by_agent.clear()


def draw_label(surface: pygame.Surface, fonts: Fonts, name: str, anchor: tuple[int, int],
               selected: bool, size: int) -> pygame.Rect:
    """A name tag centred under `anchor` (the sprite's feet)."""
    color = ui.ACCENT if selected else ui.TEXT
    text = fonts.text(name, size, color, bold=selected)
    rect = text.get_rect(midtop=(anchor[0], anchor[1] + 2))
    ui.pill(surface, rect.inflate(10, 4), (30, 22, 32, 170))
    surface.blit(text, rect)
    return rect


def draw_emoji(surface: pygame.Surface, fonts: Fonts, emoji: str, fallback: str,
               anchor: tuple[int, int], size: int) -> None:
    """A small round bubble with the action's emoji above the head (`anchor` = head top)."""
    glyph = fonts.emoji(emoji, size) if emoji else None
    if glyph is None:
        word = (fallback or "").split(" ")[0][:10]
        if not word:
            return
        glyph = fonts.text(word, max(10, size * 2 // 3), ui.BUBBLE_TEXT)
    rect = glyph.get_rect(midbottom=(anchor[0], anchor[1] - 6))
    back = rect.inflate(10, 8)
    ui.pill(surface, back, (*ui.BUBBLE_BG, 225), radius=min(back.h // 2, 12))
    pygame.draw.polygon(surface, ui.BUBBLE_BG, [
        (back.centerx - 4, back.bottom - 1), (back.centerx + 4, back.bottom - 1),
        (back.centerx, back.bottom + 4)])
    surface.blit(glyph, rect)


def draw_speech(surface: pygame.Surface, fonts: Fonts, bubble: Bubble, anchor: tuple[int, int],
                now_s: float, size: int, max_width: int = 260,
                taken: list[pygame.Rect] | None = None) -> None:
    """A wrapped speech bubble with a tail, above the emoji bubble; fades at the end.

    Bubbles already drawn this frame (`taken`) push this one upwards so lines stay readable
    when agents stand close together."""
    font = fonts.get(size)
    lines = wrap(font, bubble.text, max_width, max_lines=5)
    line_h = font.get_linesize()
    width = max(font.size(line)[0] for line in lines) + 20
    height = line_h * len(lines) + 14
    layer = pygame.Surface((width, height + 8), pygame.SRCALPHA)
    background = ui.WHISPER if bubble.whisper else ui.BUBBLE_BG
    pygame.draw.rect(layer, (*ui.SHADOW, 60), pygame.Rect(2, 3, width - 2, height - 1),
                     border_radius=10)
    pygame.draw.rect(layer, background, pygame.Rect(0, 0, width - 2, height - 2),
                     border_radius=10)
    mid = width // 2
    pygame.draw.polygon(layer, background, [(mid - 6, height - 3), (mid + 6, height - 3),
                                            (mid, height + 6)])
    for i, line in enumerate(lines):
        layer.blit(fonts.text(line, size, ui.BUBBLE_TEXT), (10, 6 + i * line_h))
    rect = layer.get_rect(midbottom=anchor)
    for _ in range(8):
        hit = rect.inflate(0, -8).collidelist(taken or [])
        if hit < 0:
            break
        rect.bottom = taken[hit].top + 6
    rect.clamp_ip(surface.get_rect())
    if taken is not None:
        taken.append(rect)
    surface.blit(ui.with_alpha(layer, bubble.alpha(now_s)), rect)


def draw_thinking(surface: pygame.Surface, anchor: tuple[int, int], now_s: float,
                  zoom: float) -> None:
    """Three bouncing dots in a little cloud: the agent's mind is working."""
    radius = max(2, round(2.5 * max(1.0, zoom / 1.5)))
    gap = radius * 3
    cloud = pygame.Rect(0, 0, gap * 3 + 4, radius * 2 + 12)
    cloud.midbottom = (anchor[0] + gap * 2, anchor[1] - 2)
    ui.pill(surface, cloud, (255, 250, 240, 210))
    for i in range(3):
        y = cloud.centery - round(max(0.0, math.sin(now_s * 6.0 - i * 0.9)) * radius)
        x = cloud.left + 2 + gap // 2 + i * gap
        pygame.draw.circle(surface, (120, 96, 130), (x, y), radius)
