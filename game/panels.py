"""The inspector: who the selected agent is, what it does, its day, memories and relations,
plus the chat with it and the chat / whisper line.

The body of the panel is rendered into a cached surface and rebuilt only when what it shows
changes (new inspect data, new action, new chat line, new size).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from engine.provenance import Provenance
from game import marks, ui
from game.fonts import Fonts, ellipsize, wrap
from game.text_input import TextInput

PANEL_MAX_W = 400
INPUT_H = 64
SCROLL_STEP_PX = 40  # one wheel notch
MAX_RELATIONSHIPS = 12


@dataclass
class ChatLine:
    who: str  # "you", "whisper" or the agent's name
    text: str
    by: Provenance | None = None  # who made an agent's answer (None: the user's line)


@dataclass
class ChatState:
    """The chat line and the conversation log per agent."""

    input: TextInput = field(default_factory=TextInput)
    active: bool = False
    whisper: bool = False
    logs: dict[str, list[ChatLine]] = field(default_factory=dict)
    waiting: dict[int, str] = field(default_factory=dict)  # message id → agent

    def log(self, agent: str) -> list[ChatLine]:
        return self.logs.setdefault(agent, [])


def panel_rect(screen_size: tuple[int, int]) -> pygame.Rect:
    w, h = screen_size
    width = max(220, min(PANEL_MAX_W, int(w * 0.36)))
    return pygame.Rect(w - width - 10, 50, width, max(120, h - 60))


class Inspector:
    """Draws the inspector panel for one agent."""

    def __init__(self, fonts: Fonts):
        self.fonts = fonts
        self._cache_key: tuple | None = None
        self._cache: pygame.Surface | None = None
        self.whisper_chip: pygame.Rect | None = None
        self.scroll_px = 0  # how far the body (everything but the chat) is scrolled
        self.body_rect: pygame.Rect | None = None  # where the scrolling part was drawn
        self.content_h = 0
        self.section_tops: dict[str, int] = {}  # where each section starts in the body
        self._agent: str | None = None

    def scroll_by(self, notches: int) -> None:
        """Scroll the body (wheel notches or keys; positive = further down)."""
        self.scroll_px = max(0, self.scroll_px + notches * SCROLL_STEP_PX)

    def page(self, pages: int) -> None:
        view = self.body_rect.h if self.body_rect is not None else 200
        self.scroll_px = max(0, self.scroll_px + pages * max(SCROLL_STEP_PX, view - 40))

    @property
    def max_scroll(self) -> int:
        view = self.body_rect.h if self.body_rect is not None else 0
        return max(0, self.content_h - view)

    def draw(self, surface: pygame.Surface, persona, agent, inspect: dict, version: int,
             portrait: pygame.Surface | None, chat: ChatState, now_s: float,
             rect: pygame.Rect | None = None) -> pygame.Rect:
        """`agent` is the selected agent's `SceneAgent` (what it does now)."""
        rect = rect or panel_rect(surface.get_size())
        ui.panel(surface, rect, radius=14, color=(43, 33, 44, 252))
        inner = rect.inflate(-28, -24)
        log = chat.log(persona.name)
        if persona.name != self._agent:
            self._agent, self.scroll_px = persona.name, 0
        action = ((agent.action, agent.emoji, agent.address, agent.action_by)
                  if agent and agent.action else None)
        height = inner.h - INPUT_H
        # The chat has its own area at the bottom; the rest scrolls above it, so a chat never
        # pushes Reflections or Relationships out of reach.
        chat_h = _chat_height(log, bool(chat.waiting), height)
        key = (persona.name, version, action, inner.w, self.fonts.scale)
        if key != self._cache_key or self._cache is None:
            self._cache = self._render_body(inner.w - 8, persona, action, inspect, portrait)
            self._cache_key = key
        self.content_h = self._cache.get_height()
        self.body_rect = pygame.Rect(inner.x, inner.y, inner.w, max(1, height - chat_h))
        self.scroll_px = min(self.scroll_px, self.max_scroll)
        surface.blit(self._cache, self.body_rect.topleft,
                     pygame.Rect(0, self.scroll_px, inner.w, self.body_rect.h))
        self._draw_scrollbar(surface)
        if chat_h:
            area = pygame.Surface((inner.w, chat_h), pygame.SRCALPHA)
            self._chat(area, 0, inner.w, persona.name, log, bool(chat.waiting))
            surface.blit(area, (inner.x, self.body_rect.bottom))
        self._draw_input(surface, pygame.Rect(inner.x, inner.bottom - INPUT_H + 8, inner.w,
                                              INPUT_H - 8), persona, chat, now_s)
        return rect

    def _draw_scrollbar(self, surface: pygame.Surface) -> None:
        body = self.body_rect
        if self.content_h <= body.h:
            return
        track = pygame.Rect(body.right - 4, body.y, 4, body.h)
        ui.pill(surface, track, (255, 250, 240, 30), radius=2)
        thumb_h = max(20, round(body.h * body.h / self.content_h))
        thumb_y = body.y + round((body.h - thumb_h) * self.scroll_px / self.max_scroll)
        ui.pill(surface, pygame.Rect(track.x, thumb_y, 4, thumb_h), (*ui.ACCENT, 200),
                radius=2)

    # ------------------------------------------------------------------ body

    def _render_body(self, width: int, persona, action, inspect: dict,
                     portrait) -> pygame.Surface:
        """Everything but the chat, at its full height (the panel shows a scrolled part)."""
        out = pygame.Surface((width, 4000), pygame.SRCALPHA)
        f = self.fonts
        y = 0
        if portrait is not None:
            framed = pygame.Rect(0, 0, 72, 72)
            pygame.draw.rect(out, (*ui.ACCENT, 90), framed, border_radius=10)
            out.blit(pygame.transform.scale(portrait, (64, 64)), (4, 4))
        x = 86 if portrait is not None else 0
        name_size = 22 if f.get(22, True).size(persona.name)[0] <= width - x else 17
        out.blit(f.text(ellipsize(f.get(name_size, True), persona.name, width - x), name_size,
                        ui.ACCENT, bold=True), (x, 2))
        job = ellipsize(f.get(14), f"{persona.age} · {persona.occupation}", width - x)
        out.blit(f.text(job, 14, ui.TEXT_DIM), (x, 32))
        innate = wrap(f.get(13), persona.innate, width - x, max_lines=1)[0]
        out.blit(f.text(innate, 13, ui.TEXT_DIM), (x, 52))
        y = 84
        if action is not None:
            description, emoji_text, address, by = action
            emoji = f.emoji(emoji_text, 22)
            tx = 0
            if emoji is not None:
                out.blit(emoji, (0, y))
                tx = emoji.get_width() + 8
            for line in wrap(f.get(16, True), description, width - tx, max_lines=2):
                out.blit(f.text(line, 16, ui.TEXT, bold=True), (tx, y + 2))
                y += 20
            y = max(y, 84 + 26)
            place = ellipsize(f.get(13), ui.place_name(address), width - tx)
            out.blit(f.text(place, 13, ui.TEXT_DIM), (tx, y))
            y += 22
            y += self._mark(out, tx, y, width - tx, marks.mark(by))
        self.section_tops = {}
        for title, rows in _sections(inspect):
            self.section_tops[title] = y
            y += self._section(out, y, width, title, rows, out.get_height() - y)
        return out.subsurface(pygame.Rect(0, 0, width, min(out.get_height(), y))).copy()

    def _mark(self, out: pygame.Surface, x: int, y: int, width: int, shown) -> int:
        """A dot and who made the action ("model", "rule: routine"); the height used."""
        if shown is None:
            return 0
        words, color = shown
        pygame.draw.circle(out, color, (x + 5, y + 8), 4)
        label = ellipsize(self.fonts.get(12), f"made by {words}", width - 16)
        out.blit(self.fonts.text(label, 12, color), (x + 14, y + 1))
        return 20

    def _section(self, out: pygame.Surface, y: int, width: int, title: str,
                 rows: list[tuple[str, bool]], budget: int) -> int:
        f = self.fonts
        start = y
        out.blit(f.text(title.upper(), 12, ui.ACCENT, bold=True), (0, y + 4))
        pygame.draw.line(out, (*ui.ACCENT, 70), (0, y + 22), (width, y + 22))
        y += 28
        font = f.get(13)
        line_h = font.get_linesize()
        if not rows:
            out.blit(f.text("—", 13, ui.TEXT_DIM), (4, y))
            return y + line_h + 8 - start
        for text, current in rows:
            lines = wrap(font, text, width - 14, max_lines=3)
            if y + line_h * len(lines) > start + budget - 6:
                break
            if current:
                ui.pill(out, pygame.Rect(-2, y - 1, width + 2, line_h * len(lines) + 2),
                        ui.ACCENT_SOFT, radius=6)
            for line in lines:
                color = ui.ACCENT if current else ui.TEXT
                out.blit(f.text(line, 13, color, bold=current), (6, y))
                y += line_h
        return y + 8 - start

    def _chat(self, out: pygame.Surface, y: int, width: int, name: str,
              log: list[ChatLine], waiting: bool) -> None:
        f = self.fonts
        out.blit(f.text("CHAT", 12, ui.ACCENT, bold=True), (0, y + 4))
        pygame.draw.line(out, (*ui.ACCENT, 70), (0, y + 22), (width, y + 22))
        y += 28
        font = f.get(13)
        rows: list[tuple[str, tuple]] = []
        for line in log[-6:]:
            who, color = {"you": ("You", ui.GOOD), "whisper": ("You (whisper)", ui.WHISPER)} \
                .get(line.who, (name.split(" ")[0], ui.TEXT))
            for text in wrap(font, f"{who}: {marks.tag(line.by)}{line.text}", width - 8,
                             max_lines=5):
                rows.append((text, color))
        if waiting:
            rows.append((f"{name.split(' ')[0]} is thinking…", ui.TEXT_DIM))
        line_h = font.get_linesize()
        room = max(0, (out.get_height() - y) // line_h)
        for text, color in rows[-room:] if room else []:
            out.blit(f.text(text, 13, color), (4, y))
            y += line_h

    # ------------------------------------------------------------------ input

    def _draw_input(self, surface: pygame.Surface, rect: pygame.Rect, persona,
                    chat: ChatState, now_s: float) -> None:
        f = self.fonts
        kind = "whisper" if chat.whisper else "chat"
        chip_label = f.text(f"⇆ {kind}", 13, ui.BUBBLE_TEXT, bold=True)
        chip = chip_label.get_rect(topleft=(rect.x + 6, rect.y + 6)).inflate(14, 6)
        ui.pill(surface, chip, (*(ui.WHISPER if chat.whisper else ui.ACCENT), 255), radius=8)
        surface.blit(chip_label, chip_label.get_rect(center=chip.center))
        self.whisper_chip = chip
        field_rect = pygame.Rect(rect.x, chip.bottom + 6, rect.w, 28)
        ui.pill(surface, field_rect, (255, 250, 240, 40 if chat.active else 20), radius=8)
        text_rect = field_rect.inflate(-16, -6)
        if chat.active:
            chat.input.draw(surface, f.get(15), text_rect, ui.TEXT, now_s)
        else:
            hint = f"Enter: talk to {persona.first_name}" if not chat.whisper else \
                f"Enter: whisper a thought to {persona.first_name}"
            hint = ellipsize(f.get(14), hint, text_rect.w)
            surface.blit(f.text(hint, 14, ui.TEXT_DIM), text_rect.topleft)
        room = rect.right - chip.right - 14
        tip_text = "Tab / Ctrl+W: chat ⇆ whisper" if room > 170 else "Tab: ⇆"
        if room > 40:
            tip = f.text(tip_text, 12, ui.TEXT_DIM)
            surface.blit(tip, tip.get_rect(midright=(rect.right - 4, chip.centery)))


def _sections(inspect: dict) -> list[tuple[str, list[tuple[str, bool]]]]:
    if "error" in inspect:
        return [("Mind", [(inspect["error"], False)])]
    schedule = inspect.get("schedule") or []
    current = next((i for i, b in enumerate(schedule) if b.get("current")), 0)
    window = schedule[max(0, current - 2): current + 6]
    rows = [(f"{b.get('start', '')}  {b.get('activity', '')}", bool(b.get("current")))
            for b in window]
    memories = [(str(m), False) for m in (inspect.get("memories") or [])[:6]]
    reflections = [(str(r), False) for r in (inspect.get("reflections") or [])[:3]]
    relationships = [(f"{k}: {v}", False) for k, v in (inspect.get("relationships") or {}).items()]
    return [("Today", rows), ("Recent memories", memories), ("Reflections", reflections),
            ("Relationships", relationships[:MAX_RELATIONSHIPS])]


def _chat_height(log: list[ChatLine], waiting: bool, height: int) -> int:
    if not log and not waiting:
        return 0
    return min(height // 3, 40 + 18 * min(8, len(log) * 2 + waiting))
