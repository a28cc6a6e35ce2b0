"""The replay's timeline bar: where the shown step lies in the run; click or drag to seek.

Drawn along the bottom of the window, right of the minimap: a play/pause mark, the shown game
time, a track with ticks every 6 game hours (longer at midnight), the played part filled, and
a knob at the shown step.
"""

from __future__ import annotations

import pygame

from engine.clock import GameClock
from game import ui
from game.fonts import Fonts
from game.replay_clock import Playback

BAR_H = 46
TICK_HOURS = 6


class Timeline:
    """Draws the bar and maps a mouse x on its track back to a step."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.rect = pygame.Rect(0, 0, 0, 0)
        self.track = pygame.Rect(0, 0, 0, 0)
        self.dragging = False

    def layout(self, surface_size: tuple[int, int], left_px: int) -> pygame.Rect:
        w, h = surface_size
        left = max(12, left_px)
        self.rect = pygame.Rect(left, h - BAR_H - 12, max(160, w - left - 12), BAR_H)
        return self.rect

    def draw(self, surface: pygame.Surface, playback: Playback, clock: GameClock,
             left_px: int = 12) -> pygame.Rect:
        rect = self.layout(surface.get_size(), left_px)
        ui.panel(surface, rect, radius=12, color=(43, 33, 44, 252))
        mark = "❚❚" if playback.playing else "▶"
        label = self.fonts.text(mark, 16, ui.GOOD if playback.playing else ui.WARN, bold=True)
        surface.blit(label, label.get_rect(midleft=(rect.x + 14, rect.centery)))
        when = clock.time_at(playback.step).strftime("%a %H:%M:%S")
        time_label = self.fonts.text(when, 15, ui.TEXT, bold=True)
        surface.blit(time_label, time_label.get_rect(midleft=(rect.x + 44, rect.centery)))
        track_x = rect.x + 60 + max(110, time_label.get_width())
        self.track = pygame.Rect(track_x, rect.centery - 4, max(20, rect.right - track_x - 18),
                                 8)
        self._draw_track(surface, playback, clock)
        return rect

    def _draw_track(self, surface: pygame.Surface, playback: Playback,
                    clock: GameClock) -> None:
        track = self.track
        ui.pill(surface, track, (255, 250, 240, 50), radius=4)
        played = track.copy()
        played.w = max(0, round(track.w * playback.fraction()))
        if played.w:
            ui.pill(surface, played, (*ui.ACCENT, 200), radius=4)
        for x, long in self._ticks(playback, clock):
            height = 9 if long else 5
            pygame.draw.line(surface, ui.TEXT_DIM, (x, track.top - height),
                             (x, track.top - 2))
        knob = (track.x + played.w, track.centery)
        pygame.draw.circle(surface, ui.SHADOW, (knob[0], knob[1] + 1), 9)
        pygame.draw.circle(surface, ui.BUBBLE_BG, knob, 8)
        pygame.draw.circle(surface, ui.ACCENT, knob, 5)

    def _ticks(self, playback: Playback, clock: GameClock) -> list[tuple[int, bool]]:
        steps = playback.steps
        span = max(1, len(steps) - 1)
        every = max(1, TICK_HOURS * 3600 // clock.step_s)
        first = clock.time_at(steps[0])
        into = (first.hour * 3600 + first.minute * 60 + first.second) // clock.step_s
        step = steps[0] + (-into) % every
        ticks = []
        while step <= steps[-1] and len(ticks) < 200:
            x = self.track.x + round(self.track.w * (step - steps[0]) / span)
            ticks.append((x, clock.time_at(step).hour == 0))
            step += every
        return ticks

    # ------------------------------------------------------------------ mouse

    def hit(self, pos: tuple[int, int]) -> bool:
        return self.track.inflate(12, 24).collidepoint(pos)

    def fraction_at(self, x: int) -> float:
        if self.track.w <= 0:
            return 0.0
        return max(0.0, min(1.0, (x - self.track.x) / self.track.w))
