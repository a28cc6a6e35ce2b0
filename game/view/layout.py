"""Where the window's parts go this frame, decided before anything is drawn so that no two
of them overlap: the top bar, the left side panel, the inspector, the minimap, and the free
map area between them (where help, notices and tooltips go)."""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.view.panels import panel_rect
from game.view.side_panels import side_rect

BAR_H = 48
MINIMAP_MAX_W = 210
MIN_HELP_W = 420
COMFY_HELP_W = 620


@dataclass
class ScreenLayout:
    bar: pygame.Rect | None = None
    side: pygame.Rect | None = None
    inspector: pygame.Rect | None = None
    minimap: pygame.Rect | None = None
    minimap_w: int = 0
    free_area: pygame.Rect | None = None

    def plan(self, size: tuple[int, int], side_open: bool, inspector_open: bool,
             help_open: bool) -> None:
        w, h = size
        self.bar = pygame.Rect(0, 0, w, BAR_H)
        self.minimap_w = min(MINIMAP_MAX_W, w // 5) if h >= 400 else 0
        minimap_h = round(self.minimap_w * 100 / 140) + 10 if self.minimap_w else 0
        self.side = side_rect(size, minimap_h + 14 if minimap_h else 0) if side_open else None
        self.inspector = panel_rect(size) if inspector_open else None
        left = self.side.right + 8 if self.side else 0
        right = self.inspector.left - 8 if self.inspector else w
        if help_open and self.side is not None and right - left < COMFY_HELP_W:
            self.side, left = None, 0  # help needs the room: the side panel waits behind it
        if help_open and self.inspector is not None and right - left < MIN_HELP_W:
            self.inspector = None  # and so does the inspector on a small window
            right = w
        self.free_area = pygame.Rect(left, BAR_H, max(1, right - left), h - BAR_H)
        self.minimap = None

    def keep_out(self) -> list[pygame.Rect]:
        return [r for r in (self.bar, self.side, self.inspector, self.minimap) if r is not None]

    def notice_area(self) -> pygame.Rect:
        area = self.free_area.copy()
        if self.minimap is not None and self.minimap.right > area.left:
            cut = self.minimap.right + 8 - area.left
            area.x += cut
            area.w = max(1, area.w - cut)
        return area
