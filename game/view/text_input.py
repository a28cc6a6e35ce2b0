"""A one-line text field: typing via TEXTINPUT (any Unicode), cursor keys, backspace/delete,
Home/End, Ctrl+V paste from the system clipboard. Enter and Escape are left to the owner."""

from __future__ import annotations

import pygame

MAX_CHARS = 500


def clipboard_text() -> str:
    """The clipboard's text, or "" when there is no clipboard (dummy driver, no X)."""
    try:
        getter = getattr(pygame.scrap, "get_text", None)
        if getter is not None:
            return getter() or ""
    except pygame.error:
        pass
    return ""


class TextInput:
    """Editable text with a cursor; `handle(event)` returns True when it used the event."""

    def __init__(self, text: str = ""):
        self.text = text
        self.cursor = len(text)

    def insert(self, piece: str) -> None:
        piece = piece.replace("\r", " ").replace("\n", " ")
        room = MAX_CHARS - len(self.text)
        piece = piece[: max(0, room)]
        self.text = self.text[: self.cursor] + piece + self.text[self.cursor:]
        self.cursor += len(piece)

    def clear(self) -> None:
        self.text, self.cursor = "", 0

    def handle(self, event: pygame.event.Event) -> bool:
        if event.type == pygame.TEXTINPUT:
            self.insert(event.text)
            return True
        if event.type != pygame.KEYDOWN:
            return False
        ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if event.key == pygame.K_v and ctrl:
            self.insert(clipboard_text())
        elif event.key == pygame.K_BACKSPACE and self.cursor > 0:
            cut = self._word_start() if ctrl else self.cursor - 1
            self.text = self.text[:cut] + self.text[self.cursor:]
            self.cursor = cut
        elif event.key == pygame.K_DELETE:
            self.text = self.text[: self.cursor] + self.text[self.cursor + 1:]
        elif event.key == pygame.K_LEFT:
            self.cursor = max(0, self.cursor - 1)
        elif event.key == pygame.K_RIGHT:
            self.cursor = min(len(self.text), self.cursor + 1)
        elif event.key == pygame.K_HOME:
            self.cursor = 0
        elif event.key == pygame.K_END:
            self.cursor = len(self.text)
        else:
            # Printable keys arrive again as TEXTINPUT; swallow them so they do not act as
            # shortcuts (typing "f" must not toggle follow).
            return event.unicode != "" or event.key in (pygame.K_BACKSPACE,)
        return True

    def _word_start(self) -> int:
        i = self.cursor
        while i > 0 and self.text[i - 1] == " ":
            i -= 1
        while i > 0 and self.text[i - 1] != " ":
            i -= 1
        return i

    def draw(self, surface: pygame.Surface, font: pygame.font.Font, rect: pygame.Rect,
             color, now_s: float) -> None:
        """Draw the text clipped to `rect`, scrolled so the cursor stays visible."""
        before = font.size(self.text[: self.cursor])[0]
        scroll = max(0, before - rect.w + 8)
        clip = surface.get_clip()
        surface.set_clip(rect)
        surface.blit(font.render(self.text, True, color), (rect.x - scroll, rect.y))
        if int(now_s * 2) % 2 == 0:
            x = rect.x - scroll + before
            pygame.draw.line(surface, color, (x, rect.y + 1), (x, rect.y + font.get_height() - 2), 2)
        surface.set_clip(clip)
