"""The pause menu (Esc): resume, save, load (a browser of saves), settings and quit.

A small state machine of pages, each a list of rows. Keys (Up/Down/Enter/Esc) and clicks pick a
row; picking returns a `MenuAction` the app carries out (the menu itself changes nothing
outside). The town is held while the menu is open (the app does not advance it).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game.view import ui
from game.view.fonts import Fonts, ellipsize

ROW_H = 34


@dataclass(frozen=True)
class MenuAction:
    kind: str  # "resume", "save", "load", "quit-save", "quit-now", "setting"
    value: object = None


@dataclass(frozen=True)
class SaveEntry:
    """One save in the load browser."""

    name: str
    time_text: str
    agents: int


@dataclass
class Settings:
    """What the settings page changes."""

    name_tags: bool = True
    ui_scale: float = 1.0
    speed_index: int = 1


UI_SCALES = (1.0, 1.25, 1.5)


class PauseMenu:
    """Which page is open, which row is highlighted, and the drawing of it."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.page: str | None = None  # None, "main", "load", "settings", "quit"
        self.index = 0
        self.saves: list[SaveEntry] = []
        self.busy_text = ""
        self._rows: list[tuple[pygame.Rect, int]] = []
        self.rect: pygame.Rect | None = None

    @property
    def open(self) -> bool:
        return self.page is not None

    def show(self, page: str = "main") -> None:
        self.page, self.index = page, 0

    def close(self) -> None:
        self.page = None

    def rows(self, settings: Settings, speed_names) -> list[tuple[str, MenuAction | str | None]]:
        if self.page == "main":
            return [("Resume", MenuAction("resume")), ("Save", MenuAction("save")),
                    ("Load…", "load"), ("Settings…", "settings"), ("Quit…", "quit")]
        if self.page == "quit":
            return [("Save and quit", MenuAction("quit-save")),
                    ("Quit without saving", MenuAction("quit-now")), ("Stay", "main")]
        if self.page == "settings":
            scale = f"{settings.ui_scale:g}×"
            return [(f"Name tags: {'on' if settings.name_tags else 'off'}",
                     MenuAction("setting", "name_tags")),
                    (f"UI scale: {scale}", MenuAction("setting", "ui_scale")),
                    (f"Speed: {speed_names[settings.speed_index]}",
                     MenuAction("setting", "speed")), ("Back", "main")]
        if self.page == "load":
            rows = [(f"{s.name}  ·  {s.time_text}  ·  {s.agents} agents",
                     MenuAction("load", s.name)) for s in self.saves]
            return rows + [("Back", "main")]
        return []

    def key(self, key: int, settings: Settings, speed_names) -> MenuAction | None:
        rows = self.rows(settings, speed_names)
        if key == pygame.K_ESCAPE:
            if self.page in ("main", "quit") or self.page is None:
                return MenuAction("resume")
            self.show("main")
        elif key in (pygame.K_UP, pygame.K_w):
            self.index = (self.index - 1) % max(1, len(rows))
        elif key in (pygame.K_DOWN, pygame.K_s) and self.page != "quit":
            self.index = (self.index + 1) % max(1, len(rows))
        elif key == pygame.K_DOWN:
            self.index = (self.index + 1) % max(1, len(rows))
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER, pygame.K_SPACE) and rows:
            return self._pick(rows[self.index][1])
        elif self.page == "quit" and key == pygame.K_s:
            return MenuAction("quit-save")
        elif self.page == "quit" and key == pygame.K_q:
            return MenuAction("quit-now")
        return None

    def click(self, pos, settings: Settings, speed_names) -> MenuAction | None:
        rows = self.rows(settings, speed_names)
        for rect, index in self._rows:
            if rect.collidepoint(pos) and index < len(rows):
                self.index = index
                return self._pick(rows[index][1])
        return None

    def _pick(self, target) -> MenuAction | None:
        if isinstance(target, str):
            self.show(target)
            return MenuAction("page", target)
        return target

    def draw(self, surface: pygame.Surface, settings: Settings, speed_names) -> pygame.Rect:
        shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        shade.fill((10, 8, 14, 120))
        surface.blit(shade, (0, 0))
        rows = self.rows(settings, speed_names)
        title = {"main": "Paused", "quit": "Leave the Ville?", "settings": "Settings",
                 "load": "Load a save"}.get(self.page or "", "")
        if self.busy_text:
            title = self.busy_text
        visible = rows[: max(1, (surface.get_height() - 160) // ROW_H)]
        width = min(560, surface.get_width() - 40)
        rect = pygame.Rect(0, 0, width, 86 + ROW_H * len(visible))
        rect.center = surface.get_rect().center
        ui.panel(surface, rect, radius=16, color=(43, 33, 44, 248))
        surface.blit(self.fonts.text(title, 22, ui.ACCENT, bold=True), (rect.x + 24, rect.y + 18))
        self._rows = []
        y = rect.y + 62
        font = self.fonts.get(16)
        for index, (label, _) in enumerate(visible):
            row = pygame.Rect(rect.x + 16, y, rect.w - 32, ROW_H - 4)
            current = index == self.index
            if current:
                ui.pill(surface, row, ui.ACCENT_SOFT, radius=8)
            text = ellipsize(font, label, row.w - 24)
            surface.blit(self.fonts.text(text, 16, ui.ACCENT if current else ui.TEXT),
                         (row.x + 12, row.y + 6))
            self._rows.append((row, index))
            y += ROW_H
        self.rect = rect
        return rect


def next_scale(scale: float) -> float:
    index = UI_SCALES.index(scale) if scale in UI_SCALES else 0
    return UI_SCALES[(index + 1) % len(UI_SCALES)]
