"""The replay's inspector and help: what the selected agent was doing and saying at the shown
step, read from the step record (no mind is loaded, so no memories or plans)."""

from __future__ import annotations

from collections import deque

import pygame

from game import ui
from game.fonts import Fonts, wrap
from game.panels import panel_rect
from game.scene import Scene

LINES_KEPT = 8
HELP_LINES = (
    ("Space", "play / pause"),
    ("→ / ←, Shift: a game minute", "step forwards / back"),
    ("Page Up / Page Down", "one game hour back / on"),
    ("Home / End", "start / end of the run"),
    ("Click or drag the timeline", "seek"),
    ("G", "jump to a game time (e.g. 14:30)"),
    ("1 – 5", "speed 1, 4, 15, 60, 240 steps/s"),
    ("Left click, Tab", "select an agent"),
    ("L / E / T", "agents list / event feed / talk transcripts"),
    ("F", "follow the selected agent"),
    ("WASD, right-drag, wheel, + / -", "pan and zoom"),
    ("Z", "whole town ⇆ close-up"),
    ("F12", "screenshot PNG"),
    ("F1, H", "this help"),
    ("Esc", "close a panel, else quit"),
)


class SaidLog:
    """The last lines each agent said, as met while watching (step, text), newest last."""

    def __init__(self) -> None:
        self.lines: dict[str, deque[tuple[int, str]]] = {}

    def observe(self, scene: Scene) -> None:
        for agent in scene.agents:
            if agent.said:
                kept = self.lines.setdefault(agent.name, deque(maxlen=LINES_KEPT))
                if not kept or kept[-1] != (scene.step, agent.said):
                    kept.append((scene.step, agent.said))

    def before(self, name: str, step: int) -> list[tuple[int, str]]:
        """Lines said up to `step` (a seek backwards hides the ones said after it)."""
        return [item for item in self.lines.get(name, ()) if item[0] <= step]

    def clear(self) -> None:
        self.lines.clear()


class ReplayInspector:
    """The right-hand panel for one agent at the shown step."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.rect: pygame.Rect | None = None

    def draw(self, surface: pygame.Surface, scene: Scene, persona, portrait, said: SaidLog,
             clock, reserved_bottom_px: int = 0) -> pygame.Rect:
        rect = panel_rect(surface.get_size())
        rect.h = max(120, rect.h - reserved_bottom_px)
        self.rect = rect
        ui.panel(surface, rect, radius=14, color=(43, 33, 44, 252))  # opaque, as in the window
        inner = rect.inflate(-28, -24)
        clip = surface.get_clip()
        surface.set_clip(inner)
        try:
            self._body(surface, inner, scene, persona, portrait, said, clock)
        finally:
            surface.set_clip(clip)
        return rect

    def _body(self, surface, inner, scene, persona, portrait, said, clock) -> None:
        f = self.fonts
        x0, y = inner.x, inner.y
        if portrait is not None:
            pygame.draw.rect(surface, (*ui.ACCENT, 90), (x0, y, 72, 72), border_radius=10)
            surface.blit(pygame.transform.scale(portrait, (64, 64)), (x0 + 4, y + 4))
            x0 += 86
        width = inner.right - x0
        surface.blit(f.text(persona.name, 22, ui.ACCENT, bold=True), (x0, y + 2))
        surface.blit(f.text(f"{persona.age} · {persona.occupation}"[:60], 14, ui.TEXT_DIM),
                     (x0, y + 32))
        innate = wrap(f.get(13), persona.innate, width, max_lines=1)
        surface.blit(f.text(innate[0] if innate else "", 13, ui.TEXT_DIM), (x0, y + 52))
        y += 84
        agent = scene.agent(persona.name)
        y = self._title(surface, inner, y, f"At {clock.time_at(scene.step):%a %H:%M:%S}"
                        f" · step {scene.step}")
        if agent is None:
            surface.blit(f.text("not in this step's record", 14, ui.TEXT_DIM), (inner.x, y))
            return
        tx = inner.x
        glyph = f.emoji(agent.emoji, 22) if agent.emoji else None
        if glyph is not None:
            surface.blit(glyph, (tx, y))
            tx += glyph.get_width() + 8
        for line in wrap(f.get(16, True), agent.action or "(no action yet)",
                         inner.right - tx, max_lines=2):
            surface.blit(f.text(line, 16, ui.TEXT, bold=True), (tx, y + 2))
            y += 20
        y += 6
        place = ui.place_name(agent.address)
        state = " · asleep" if agent.sleeping else ""
        surface.blit(f.text(f"{place}{state}"[:70], 13, ui.TEXT_DIM), (tx, y))
        surface.blit(f.text(f"tile {agent.tile_xy[0]}, {agent.tile_xy[1]} · facing "
                            f"{agent.facing}", 12, ui.TEXT_DIM), (tx, y + 18))
        y += 44
        if agent.said:
            y = self._title(surface, inner, y, "Saying now")
            y = self._rows(surface, inner, y, [(agent.said, ui.GOOD)], 4)
        talk = next((c for c in scene.conversations if persona.name in c.participants), None)
        if talk is not None:
            other = next((p for p in talk.participants if p != persona.name), "")
            y = self._title(surface, inner, y, f"Talking with {other}")
            rows = [(f"{line.speaker.split(' ')[0]}: {line.text}",
                     ui.TEXT if line.speaker == persona.name else ui.TEXT_DIM)
                    for line in talk.lines[-6:]]
            y = self._rows(surface, inner, y, rows or [("(walking up to talk)", ui.TEXT_DIM)],
                           12)
        lines = said.before(persona.name, scene.step)
        if lines:
            y = self._title(surface, inner, y, "Lines said")
            rows = [(f"{clock.time_at(step):%H:%M}  {text}", ui.TEXT)
                    for step, text in reversed(lines)]
            self._rows(surface, inner, y, rows, 14)

    def _title(self, surface, inner, y: int, text: str) -> int:
        surface.blit(self.fonts.text(text.upper(), 12, ui.ACCENT, bold=True), (inner.x, y + 4))
        pygame.draw.line(surface, (*ui.ACCENT, 70), (inner.x, y + 22), (inner.right, y + 22))
        return y + 28

    def _rows(self, surface, inner, y: int, rows, max_lines: int) -> int:
        font = self.fonts.get(13)
        line_h = font.get_linesize()
        used = 0
        for text, color in rows:
            for line in wrap(font, text, inner.w - 8, max_lines=3):
                if used >= max_lines or y + line_h > inner.bottom:
                    return y + 8
                surface.blit(self.fonts.text(line, 13, color), (inner.x + 4, y))
                y += line_h
                used += 1
        return y + 8


def draw_replay_help(surface: pygame.Surface, fonts: Fonts) -> pygame.Rect:
    font = fonts.get(15)
    line_h = font.get_linesize() + 5
    width = min(720, surface.get_width() - 40)
    height = min(line_h * len(HELP_LINES) + 76, surface.get_height() - 40)
    rect = pygame.Rect(0, 0, width, height)
    rect.center = surface.get_rect().center
    ui.panel(surface, rect, radius=16, color=(43, 33, 44, 252))
    surface.blit(fonts.text("Replay controls", 22, ui.ACCENT, bold=True), (rect.x + 24,
                                                                         rect.y + 18))
    y = rect.y + 58
    for keys, does in HELP_LINES:
        if y + line_h > rect.bottom - 8:
            break
        surface.blit(fonts.text(keys, 15, ui.ACCENT), (rect.x + 24, y))
        surface.blit(fonts.text(does, 15, ui.TEXT), (rect.x + 24 + width * 0.5, y))
        y += line_h
    return rect
