"""What floats over agents: name labels, action emoji, speech bubbles and thinking dots.

Speech comes from the scene (`SceneAgent.said`, set only on the step a line is spoken) and from
chat replies; each line becomes a bubble that stays a few seconds (longer for longer lines) and
fades out. Where each one goes is decided by `label_layout`; this module only renders them.
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
    partner: str | None = None  # who it was said to (a conversation's other speaker)

    def alpha(self, now_s: float) -> float:
        left = self.started_s + self.duration_s - now_s
        return max(0.0, min(1.0, left / FADE_S))


class Bubbles:
    """Current speech bubbles per agent, fed from the bodies each frame."""

    def __init__(self) -> None:
        self.by_agent: dict[str, Bubble] = {}
        self._seen_said: dict[str, tuple[int, str]] = {}

    def say(self, agent: str, text: str, now_s: float, partner: str | None = None) -> None:
        duration = min(BUBBLE_MAX_S, BUBBLE_BASE_S + BUBBLE_PER_CHAR_S * len(text))
        self.by_agent[agent] = Bubble(text, now_s, duration, partner=partner)

    def sync(self, scene, now_s: float) -> None:
        """Start a bubble for every line spoken at the scene's step (each line once)."""
        partners = {}
        for conversation in scene.conversations:
            if len(conversation.participants) == 2:
                a, b = conversation.participants
                partners[a], partners[b] = b, a
        for agent in scene.agents:
            said = agent.said
            if said and self._seen_said.get(agent.name) != (scene.step, said):
                self._seen_said[agent.name] = (scene.step, said)
                self.say(agent.name, said, now_s,
                         agent.talking_to or partners.get(agent.name))
        for name in [n for n, b in self.by_agent.items() if b.alpha(now_s) <= 0]:
            del self.by_agent[name]

    def clear(self) -> None:
        self.by_agent.clear()


def tag_surface(fonts: Fonts, name: str, selected: bool, size: int) -> pygame.Surface:
    """A name tag: the name on a dark pill."""
    color = ui.ACCENT if selected else ui.TEXT
    text = fonts.text(name, size, color, bold=selected)
    out = pygame.Surface((text.get_width() + 10, text.get_height() + 4), pygame.SRCALPHA)
    ui.pill(out, out.get_rect(), (30, 22, 32, 170))
    out.blit(text, (5, 2))
    return out


def emoji_surface(fonts: Fonts, emoji: str, fallback: str, size: int) -> pygame.Surface | None:
    """A small round badge with the action's emoji (or its first word without an emoji font);
    the tail sits in the bottom 4 px."""
    glyph = fonts.emoji(emoji, size) if emoji else None
    if glyph is None:
        word = (fallback or "").split(" ")[0][:10]
        if not word:
            return None
        glyph = fonts.text(word, max(10, size * 2 // 3), ui.BUBBLE_TEXT)
    w, h = glyph.get_width() + 10, glyph.get_height() + 8
    out = pygame.Surface((w, h + 4), pygame.SRCALPHA)
    back = pygame.Rect(0, 0, w, h)
    ui.pill(out, back, (*ui.BUBBLE_BG, 225), radius=min(h // 2, 12))
    pygame.draw.polygon(out, ui.BUBBLE_BG, [(w // 2 - 4, h - 1), (w // 2 + 4, h - 1),
                                            (w // 2, h + 3)])
    out.blit(glyph, (5, 4))
    return out


def speech_surface(fonts: Fonts, bubble: Bubble, size: int, max_width: int = 260,
                   max_lines: int = 5) -> pygame.Surface:
    """A wrapped speech bubble (no tail: the tail is drawn towards the speaker on placing)."""
    font = fonts.get(size)
    lines = wrap(font, bubble.text, max_width, max_lines=max_lines)
    line_h = font.get_linesize()
    width = max(font.size(line)[0] for line in lines) + 20
    height = line_h * len(lines) + 12
    layer = pygame.Surface((width, height), pygame.SRCALPHA)
    background = ui.WHISPER if bubble.whisper else ui.BUBBLE_BG
    pygame.draw.rect(layer, (*ui.SHADOW, 60), pygame.Rect(2, 3, width - 2, height - 3),
                     border_radius=10)
    pygame.draw.rect(layer, background, pygame.Rect(0, 0, width - 2, height - 3),
                     border_radius=10)
    for i, line in enumerate(lines):
        layer.blit(fonts.text(line, size, ui.BUBBLE_TEXT), (10, 5 + i * line_h))
    return layer


SPEAKER_COLORS = ((150, 62, 40), (40, 92, 140))  # first and second speaker of a thread


def thread_surface(fonts: Fonts, lines: list[tuple[str, str]], size: int,
                   max_width: int = 280, max_lines: int = 3) -> pygame.Surface:
    """One conversation as one card: each line (speaker's first name, text) in speaking
    order, the name in its speaker's colour, so who says what reads without tracing lines."""
    font, bold = fonts.get(size), fonts.get(size, True)
    line_h = font.get_linesize()
    speakers: list[str] = []
    rows: list[tuple[int, str, int, str]] = []  # (speaker index, name or "", indent, text)
    for name, text in lines:
        if name not in speakers:
            speakers.append(name)
        who = speakers.index(name) % len(SPEAKER_COLORS)
        label = f"{name}: "
        indent = bold.size(label)[0]
        wrapped = wrap(font, text, max_width - indent, max_lines=max_lines)
        rows.append((who, label, indent, wrapped[0]))
        rows += [(who, "", indent, more) for more in wrapped[1:]]
    width = max(indent + font.size(text)[0] for _, _, indent, text in rows) + 22
    height = line_h * len(rows) + 12
    layer = pygame.Surface((width, height), pygame.SRCALPHA)
    pygame.draw.rect(layer, (*ui.SHADOW, 60), pygame.Rect(2, 3, width - 2, height - 3),
                     border_radius=10)
    pygame.draw.rect(layer, ui.BUBBLE_BG, pygame.Rect(0, 0, width - 2, height - 3),
                     border_radius=10)
    for i, (who, label, indent, text) in enumerate(rows):
        y = 5 + i * line_h
        if label:
            layer.blit(fonts.text(label, size, SPEAKER_COLORS[who], bold=True), (10, y))
        layer.blit(fonts.text(text, size, ui.BUBBLE_TEXT), (10 + indent, y))
    return layer


TAIL_PX = 9  # how far the wedge sticks out of the bubble towards the speaker
SHADOW_PX = 3  # speech_surface leaves this much below (and 2 px right of) the bubble's back


@dataclass(frozen=True)
class Tail:
    """How a placed bubble points at its speaker, wherever the layout moved it.

    `wedge` is a triangle on the bubble's edge facing the speaker; `leader` runs from the
    wedge's tip to the speaker's head when the bubble sits farther off than the wedge reaches
    (None when the wedge already touches it)."""

    wedge: tuple[tuple[int, int], tuple[int, int], tuple[int, int]]
    leader: tuple[tuple[int, int], tuple[int, int]] | None
    target: tuple[int, int]

    @property
    def tip(self) -> tuple[int, int]:
        return self.wedge[2]


def tail_for(rect: pygame.Rect, head: pygame.Rect) -> Tail:
    """The tail from a bubble drawn at `rect` to the speaker whose head (and emoji badge)
    covers `head`: it aims at the point of `head` nearest the bubble."""
    back = pygame.Rect(rect.x, rect.y, rect.w - 2, rect.h - SHADOW_PX)  # the visible bubble
    tx = max(head.left, min(head.right - 1, back.centerx))
    ty = max(head.top, min(head.bottom - 1, back.centery))
    if ty >= back.bottom:
        base, along = (max(back.left + 12, min(back.right - 12, tx)), back.bottom - 1), (1, 0)
    elif ty < back.top:
        base, along = (max(back.left + 12, min(back.right - 12, tx)), back.top), (1, 0)
    elif tx < back.left:
        base, along = (back.left, max(back.top + 8, min(back.bottom - 8, ty))), (0, 1)
    else:
        base, along = (back.right - 1, max(back.top + 8, min(back.bottom - 8, ty))), (0, 1)
    dx, dy = tx - base[0], ty - base[1]
    dist = math.hypot(dx, dy)
    reach = min(dist, TAIL_PX)
    tip = (round(base[0] + dx / dist * reach), round(base[1] + dy / dist * reach)) if dist \
        else base
    half = 5
    wedge = ((base[0] - along[0] * half, base[1] - along[1] * half),
             (base[0] + along[0] * half, base[1] + along[1] * half), tip)
    leader = (tip, (tx, ty)) if dist - reach > 2 else None
    return Tail(wedge, leader, (tx, ty))


def draw_leader(surface: pygame.Surface, tail: Tail, alpha: float) -> None:
    """The leader line (dark-edged so it reads on grass and floors), drawn under the labels."""
    if tail.leader is None:
        return
    (ax, ay), (bx, by) = tail.leader
    box = pygame.Rect(min(ax, bx) - 4, min(ay, by) - 4, abs(ax - bx) + 9, abs(ay - by) + 9)
    layer = pygame.Surface(box.size, pygame.SRCALPHA)
    a, b = (ax - box.x, ay - box.y), (bx - box.x, by - box.y)
    pygame.draw.line(layer, (*ui.SHADOW, int(150 * alpha)), a, b, 4)
    pygame.draw.line(layer, (*ui.BUBBLE_BG, int(235 * alpha)), a, b, 2)
    pygame.draw.circle(layer, (*ui.SHADOW, int(150 * alpha)), b, 4)
    pygame.draw.circle(layer, (*ui.BUBBLE_BG, int(235 * alpha)), b, 2)
    surface.blit(layer, box)


def draw_wedge(surface: pygame.Surface, tail: Tail, alpha: float, whisper: bool) -> None:
    """The wedge on the bubble's edge, in the bubble's colour (drawn with the bubble)."""
    xs, ys = [p[0] for p in tail.wedge], [p[1] for p in tail.wedge]
    box = pygame.Rect(min(xs) - 1, min(ys) - 1, max(xs) - min(xs) + 3, max(ys) - min(ys) + 3)
    layer = pygame.Surface(box.size, pygame.SRCALPHA)
    points = [(x - box.x, y - box.y) for x, y in tail.wedge]
    color = ui.WHISPER if whisper else ui.BUBBLE_BG
    pygame.draw.polygon(layer, (*color, int(255 * alpha)), points)
    pygame.draw.lines(layer, (*ui.SHADOW, int(90 * alpha)), False,
                      [points[0], points[2], points[1]], 1)
    surface.blit(layer, box)


def blit_speech(surface: pygame.Surface, layer: pygame.Surface, rect: pygame.Rect,
                alpha: float) -> None:
    surface.blit(ui.with_alpha(layer, alpha), rect)


def draw_thinking(surface: pygame.Surface, cloud: pygame.Rect, now_s: float,
                  zoom: float) -> None:
    """Three bouncing dots in a little cloud (`cloud`, placed by the caller): the agent's
    mind is working."""
    radius = max(2, round(2.5 * max(1.0, zoom / 1.5)))
    gap = radius * 3
    ui.pill(surface, cloud, (255, 250, 240, 210))
    for i in range(3):
        y = cloud.centery - round(max(0.0, math.sin(now_s * 6.0 - i * 0.9)) * radius)
        x = cloud.left + 2 + gap // 2 + i * gap
        pygame.draw.circle(surface, (120, 96, 130), (x, y), radius)
