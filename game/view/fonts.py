"""Fonts for the window: a readable UI face (DejaVu Sans when present) and colour emoji.

Emoji need a font that has them. We look for Noto Color Emoji (Debian: `apt-get install
fonts-noto-color-emoji`); SDL_ttf renders its bitmap glyphs in colour at their native size
(109 px), which we scale down once per (emoji, size) and cache. Without an emoji font the
bubble shows a short text tag instead (`[coffee]`-style is not knowable, so the first word of
the action), so the window never shows tofu boxes.
"""

from __future__ import annotations

from pathlib import Path

import pygame

UI_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/segoeui.ttf",
)
BOLD_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "C:/Windows/Fonts/segoeuib.ttf",
)
EMOJI_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf",
    "/usr/share/fonts/noto/NotoColorEmoji.ttf",
    "/System/Library/Fonts/Apple Color Emoji.ttc",
    "C:/Windows/Fonts/seguiemj.ttf",
)
EMOJI_NATIVE_PX = 109  # the only size NotoColorEmoji's bitmap strike offers
_INVISIBLE = {"\ufe0f", "\ufe0e", "\u200d"}


def _first_existing(candidates: tuple[str, ...]) -> str | None:
    for candidate in candidates:
        if Path(candidate).is_file():
            return candidate
    return None


class Fonts:
    """Cached fonts by (weight, size) plus an emoji renderer with a text fallback."""

    def __init__(self) -> None:
        if not pygame.font.get_init():
            pygame.font.init()
        self.ui_path = _first_existing(UI_FONT_CANDIDATES)
        self.bold_path = _first_existing(BOLD_FONT_CANDIDATES) or self.ui_path
        self.emoji_path = _first_existing(EMOJI_FONT_CANDIDATES)
        self._fonts: dict[tuple[bool, int], pygame.font.Font] = {}
        self._emoji_font: pygame.font.Font | None = None
        self._emoji_cache: dict[tuple[str, int], pygame.Surface | None] = {}
        self._text_cache: dict[tuple, pygame.Surface] = {}
        self.scale = 1.0

    def set_scale(self, scale: float) -> None:
        """Scale every UI font (the settings' UI scale); emoji keep their pixel sizes."""
        if scale != self.scale:
            self.scale = scale
            self._fonts.clear()
            self._text_cache.clear()

    def get(self, size: int, bold: bool = False) -> pygame.font.Font:
        key = (bold, size)
        font = self._fonts.get(key)
        if font is None:
            path = self.bold_path if bold else self.ui_path
            font = pygame.font.Font(path, max(6, round(size * self.scale)))
            if path is None and bold:
                font.set_bold(True)
            self._fonts[key] = font
        return font

    def text(self, text: str, size: int, color, bold: bool = False) -> pygame.Surface:
        """Rendered text, cached (labels repeat every frame)."""
        key = (text, size, tuple(color), bold)
        surface = self._text_cache.get(key)
        if surface is None:
            if len(self._text_cache) > 2000:
                self._text_cache.clear()
            surface = self.get(size, bold).render(text, True, color)
            self._text_cache[key] = surface
        return surface

    def emoji(self, emoji: str, size_px: int) -> pygame.Surface | None:
        """A colour emoji scaled to `size_px` high, or None when no emoji font can draw it."""
        emoji = "".join(ch for ch in emoji if ch not in _INVISIBLE)[:2]
        if not emoji or self.emoji_path is None:
            return None
        key = (emoji, size_px)
        if key in self._emoji_cache:
            return self._emoji_cache[key]
        surface = None
        try:
            if self._emoji_font is None:
                self._emoji_font = pygame.font.Font(self.emoji_path, EMOJI_NATIVE_PX)
            glyph = self._emoji_font.render(emoji[0], True, (0, 0, 0))
            w, h = glyph.get_size()
            if w > 0 and h > 0:
                surface = pygame.transform.smoothscale(
                    glyph.convert_alpha() if pygame.display.get_surface() else glyph,
                    (max(1, round(w * size_px / h)), size_px),
                )
        except (pygame.error, OSError):
            surface = None
        self._emoji_cache[key] = surface
        return surface


def wrap(font: pygame.font.Font, text: str, width_px: int, max_lines: int = 0) -> list[str]:
    """Greedy word wrap to `width_px`; long words are cut; an ellipsis marks dropped lines."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if font.size(candidate)[0] <= width_px:
                line = candidate
                continue
            if line:
                lines.append(line)
            while font.size(word)[0] > width_px and len(word) > 1:
                cut = len(word)
                while cut > 1 and font.size(word[:cut])[0] > width_px:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    if max_lines and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip()[: max(0, len(lines[-1]) - 1)] + "…"
    return lines


def ellipsize(font: pygame.font.Font, text: str, width_px: int, middle: bool = False) -> str:
    """`text` cut to fit `width_px` with an ellipsis (in the middle for file paths)."""
    if font.size(text)[0] <= width_px:
        return text
    if middle:
        keep = len(text)
        while keep > 2:
            keep -= 1
            head, tail = text[: keep // 2], text[len(text) - (keep - keep // 2):]
            if font.size(f"{head}…{tail}")[0] <= width_px:
                return f"{head}…{tail}"
        return "…"
    cut = len(text)
    while cut > 0 and font.size(text[:cut] + "…")[0] > width_px:
        cut -= 1
    return text[:cut].rstrip() + "…"
