"""The left side panel: the list of all agents, the town's event feed, and transcripts.

One panel, three tabs (keys `L`, `E`, `T`, or click a tab). Drawn from a `Scene`, the cast and
a `TownFeed`, so replay and render can show it too. `SidePanel.draw` returns the rectangle it
used; `hit(pos)` says what a click there means (a tab, an agent row to jump to).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

from game import ui
from game.fonts import Fonts, ellipsize, wrap
from game.scene import CastMember, Scene
from game.town_feed import TownFeed

TABS = ("agents", "events", "talk", "errors")
TAB_TITLES = {"agents": "Agents", "events": "Events", "talk": "Talk", "errors": "Errors"}
ERROR_COLORS = {"fallback": ui.ACCENT}  # expected: amber; every other kind is a fault: red
PANEL_W = 300
TOP_PX = 50
ROW_H = 44
FEED_COLORS = {"talk-start": ui.GOOD, "talk-end": ui.TEXT_DIM, "reflection": ui.WHISPER,
               "user": ui.ACCENT, "reply": ui.ACCENT}


@dataclass
class SideHit:
    kind: str  # "tab" or "agent"
    value: str


def side_rect(screen_size: tuple[int, int], bottom_reserved_px: int = 0) -> pygame.Rect:
    w, h = screen_size
    width = max(200, min(PANEL_W, int(w * 0.28)))
    return pygame.Rect(10, TOP_PX, width, max(120, h - TOP_PX - 10 - bottom_reserved_px))


class SidePanel:
    """State (open tab, scroll) and drawing of the left panel."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self.tab: str | None = None  # None = closed
        self.scroll = {tab: 0 for tab in TABS}
        self._hits: list[tuple[pygame.Rect, SideHit]] = []
        self.rect: pygame.Rect | None = None
        self._cache: pygame.Surface | None = None
        self._cache_key: tuple | None = None
        self._body_hits: list[tuple[pygame.Rect, SideHit]] = []

    @property
    def open(self) -> bool:
        return self.tab is not None

    def toggle(self, tab: str) -> None:
        self.tab = None if self.tab == tab else tab

    def scroll_by(self, rows: int) -> None:
        if self.tab is not None:
            self.scroll[self.tab] = max(0, self.scroll[self.tab] + rows)

    def hit(self, pos) -> SideHit | None:
        for rect, hit in self._hits:
            if rect.collidepoint(pos):
                return hit
        return None

    def contains(self, pos) -> bool:
        return self.rect is not None and self.rect.collidepoint(pos)

    def draw(self, surface: pygame.Surface, rect: pygame.Rect, scene: Scene,
             cast: dict[str, CastMember], feed: TownFeed, selected: str | None,
             portraits) -> pygame.Rect | None:
        self._hits = []
        self.rect = None
        if self.tab is None:
            return None
        self.rect = rect
        ui.panel(surface, rect, radius=14, color=(43, 33, 44, 252))
        x = rect.x + 10
        for tab in TABS:
            label = self.fonts.text(TAB_TITLES[tab], 14, ui.BUBBLE_TEXT if tab == self.tab
                                    else ui.TEXT, bold=True)
            chip = label.get_rect(topleft=(x + 8, rect.y + 10)).inflate(16, 8)
            ui.pill(surface, chip, (*ui.ACCENT, 255) if tab == self.tab else (255, 250, 240, 30),
                    radius=8)
            surface.blit(label, label.get_rect(center=chip.center))
            self._hits.append((chip, SideHit("tab", tab)))
            x = chip.right + 6
        body = pygame.Rect(rect.x + 10, rect.y + 44, rect.w - 20, rect.h - 54)
        key = (self.tab, self.scroll[self.tab], feed.version, scene.step, selected, body.size,
               self.fonts.scale, tuple((a.action, a.address) for a in scene.agents)
               if self.tab == "agents" else ())
        if key != self._cache_key or self._cache is None:
            # Drawn once into a surface at the origin and reused until something changes.
            self._cache = pygame.Surface(body.size, pygame.SRCALPHA)
            local = self._cache.get_rect()
            hits_before = len(self._hits)
            if self.tab == "agents":
                self._agents(self._cache, local, scene, cast, selected, portraits)
            elif self.tab == "events":
                self._events(self._cache, local, feed)
            elif self.tab == "errors":
                self._errors(self._cache, local, feed)
            else:
                self._talk(self._cache, local, feed, cast, selected)
            self._body_hits = [(r, hit) for r, hit in self._hits[hits_before:]]
            del self._hits[hits_before:]
            self._cache_key = key
        surface.blit(self._cache, body.topleft)
        self._hits += [(r.move(body.topleft), hit) for r, hit in self._body_hits]
        return rect

    # ------------------------------------------------------------------ tabs

    def _agents(self, surface, body, scene, cast, selected, portraits) -> None:
        f = self.fonts
        rows = [a for a in scene.agents if a.name in cast]
        first = min(self.scroll["agents"], max(0, len(rows) - body.h // ROW_H))
        self.scroll["agents"] = first
        y = body.y
        for agent in rows[first:]:
            if y + ROW_H > body.bottom + ROW_H // 2:
                break
            row = pygame.Rect(body.x, y, body.w, ROW_H - 4)
            if agent.name == selected:
                ui.pill(surface, row, ui.ACCENT_SOFT, radius=8)
            portrait = portraits(cast[agent.name].sprite)
            tx = row.x + 4
            if portrait is not None:
                surface.blit(pygame.transform.smoothscale(portrait, (36, 36)), (tx, y + 2))
                tx += 42
            width = row.right - tx - 4
            name = ellipsize(f.get(13, True), agent.name, width)
            surface.blit(f.text(name, 13, ui.ACCENT if agent.name == selected else ui.TEXT,
                                bold=True), (tx, y + 1))
            doing = agent.action or "—"
            emoji = f.emoji(agent.emoji, 13) if agent.emoji else None
            ax = tx
            if emoji is not None:
                surface.blit(emoji, (ax, y + 17))
                ax += emoji.get_width() + 4
            surface.blit(f.text(ellipsize(f.get(12), doing, row.right - ax - 4), 12, ui.TEXT),
                         (ax, y + 17))
            place = ellipsize(f.get(11), ui.place_name(agent.address), width)
            surface.blit(f.text(place, 11, ui.TEXT_DIM), (tx, y + 30))
            self._hits.append((row, SideHit("agent", agent.name)))
            y += ROW_H

    def _events(self, surface, body, feed: TownFeed) -> None:
        f = self.fonts
        font = f.get(12)
        events = list(feed.events)[::-1]
        if not events:
            surface.blit(f.text("Nothing has happened yet.", 13, ui.TEXT_DIM), body.topleft)
            return
        y = body.y
        indent = font.size("00:00")[0] + 8
        for event in events[self.scroll["events"]:]:
            lines = wrap(font, event.text, body.w - indent - 2, max_lines=3)
            if y > body.bottom:
                break
            surface.blit(f.text(event.clock_text, 12, ui.TEXT_DIM), (body.x, y))
            color = FEED_COLORS.get(event.kind, ui.TEXT)
            for line in lines:
                surface.blit(f.text(line, 12, color), (body.x + indent, y))
                y += font.get_linesize()
            y += 5

    def _errors(self, surface, body, feed: TownFeed) -> None:
        """The latest errors, newest first: game time, agent, kind and cause."""
        f = self.fonts
        font = f.get(12)
        y = body.y
        for text, color in (("amber: expected, the model's answer was unusable and a rule "
                             "stood in", ui.ACCENT),
                            ("red: a fault (model server, mind, map)", ui.WARN)):
            for line in wrap(font, text, body.w, max_lines=2):
                surface.blit(f.text(line, 12, color), (body.x, y))
                y += font.get_linesize()
        y += 6
        errors = list(feed.errors)[::-1]
        if not errors:
            surface.blit(f.text("No errors since the window opened.", 13, ui.TEXT_DIM),
                             (body.x, y))
            return
        indent = font.size("00:00")[0] + 8
        for event in errors[self.scroll["errors"]:]:
            if y > body.bottom:
                break
            who = event.agents[0] if event.agents else "town"
            color = ERROR_COLORS.get(event.kind, ui.WARN)
            surface.blit(f.text(event.clock_text, 12, ui.TEXT_DIM), (body.x, y))
            surface.blit(f.text(ellipsize(f.get(12, True), f"{who} · {event.kind}",
                                          body.w - indent), 12, color, bold=True),
                         (body.x + indent, y))
            y += font.get_linesize()
            for line in wrap(font, event.text, body.w - indent - 2, max_lines=3):
                surface.blit(f.text(line, 12, ui.TEXT), (body.x + indent, y))
                y += font.get_linesize()
            y += 5

    def _talk(self, surface, body, feed: TownFeed, cast, selected) -> None:
        f = self.fonts
        font = f.get(12)
        transcripts = feed.transcripts_for(selected)
        if not transcripts:
            who = cast[selected].first_name if selected in cast else "anyone"
            surface.blit(f.text(f"No conversations of {who} yet.", 13, ui.TEXT_DIM),
                         body.topleft)
            return
        y = body.y - self.scroll["talk"] * font.get_linesize()
        for transcript in transcripts:
            if y > body.bottom:
                break
            names = " & ".join(cast[p].first_name if p in cast else p
                               for p in transcript.participants)
            when = transcript.started_iso[11:16]
            state = "–now" if not transcript.ended_iso else f"–{transcript.ended_iso[11:16]}"
            title = ellipsize(f.get(13, True), f"{names}  {when}{state}", body.w)
            surface.blit(f.text(title, 13, ui.ACCENT, bold=True), (body.x, y))
            y += 18
            place = ellipsize(font, ui.place_name(transcript.place), body.w)
            surface.blit(f.text(place, 11, ui.TEXT_DIM), (body.x, y))
            y += 16
            for line in transcript.lines:
                speaker = cast[line.speaker].first_name if line.speaker in cast else line.speaker
                for i, text in enumerate(wrap(font, f"{speaker}: {line.text}", body.w - 20)):
                    surface.blit(f.text(text, 12, ui.TEXT), (body.x + (4 if i == 0 else 14), y))
                    y += font.get_linesize()
            if not transcript.lines:
                surface.blit(f.text("(no lines yet)", 12, ui.TEXT_DIM), (body.x + 4, y))
                y += font.get_linesize()
            y += 10
