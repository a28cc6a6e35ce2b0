"""Shared look: the cozy palette and small drawing helpers (rounded translucent panels)."""

from __future__ import annotations

import pygame

# A warm, low-contrast palette: cream text on plum-brown glass, honey accents.
PANEL_BG = (43, 33, 44, 215)
PANEL_BORDER = (236, 200, 140, 120)
TEXT = (246, 236, 220)
TEXT_DIM = (196, 182, 170)
ACCENT = (244, 190, 96)
ACCENT_SOFT = (244, 190, 96, 60)
GOOD = (150, 214, 140)
WARN = (238, 128, 110)
WHISPER = (182, 160, 240)
BUBBLE_BG = (255, 250, 240)
BUBBLE_TEXT = (52, 40, 48)
SHADOW = (20, 14, 24)
BACKDROP = (34, 40, 36)


_PANELS: dict[tuple, pygame.Surface] = {}  # drawn panel backgrounds by size and look
_PANELS_MAX = 64  # pills may use four times as many


def panel(surface: pygame.Surface, rect: pygame.Rect, radius: int = 12,
          color=PANEL_BG, border=PANEL_BORDER) -> None:
    """A rounded translucent panel with a soft drop shadow and a thin warm border.

    Backgrounds are drawn once per size and look and reused (panels are redrawn every frame)."""
    rect = pygame.Rect(rect)
    if rect.w <= 0 or rect.h <= 0:
        return
    key = (rect.size, radius, tuple(color), tuple(border) if border else None)
    layer = _PANELS.get(key)
    if layer is None:
        layer = pygame.Surface((rect.w + 8, rect.h + 8), pygame.SRCALPHA)
        pygame.draw.rect(layer, (*SHADOW, 70), pygame.Rect(4, 6, rect.w, rect.h),
                         border_radius=radius + 2)
        pygame.draw.rect(layer, color, pygame.Rect(0, 0, rect.w, rect.h), border_radius=radius)
        if border:
            pygame.draw.rect(layer, border, pygame.Rect(0, 0, rect.w, rect.h), width=1,
                             border_radius=radius)
        if len(_PANELS) >= _PANELS_MAX:
            _PANELS.pop(next(iter(_PANELS)))
        _PANELS[key] = layer
    surface.blit(layer, rect.topleft)


def pill(surface: pygame.Surface, rect: pygame.Rect, color, radius: int | None = None) -> None:
    """A filled rounded rectangle with alpha (chips, highlights); shapes are reused."""
    rect = pygame.Rect(rect)
    if rect.w <= 0 or rect.h <= 0:
        return
    key = ("pill", rect.size, tuple(color), radius)
    layer = _PANELS.get(key)
    if layer is None:
        layer = pygame.Surface(rect.size, pygame.SRCALPHA)
        pygame.draw.rect(layer, color, layer.get_rect(),
                         border_radius=rect.h // 2 if radius is None else radius)
        if len(_PANELS) >= _PANELS_MAX * 4:
            _PANELS.pop(next(iter(_PANELS)))
        _PANELS[key] = layer
    surface.blit(layer, rect.topleft)


def with_alpha(surface: pygame.Surface, alpha: float) -> pygame.Surface:
    """A copy faded to `alpha` (0..1); the original is returned when fully opaque."""
    if alpha >= 0.999:
        return surface
    faded = surface.copy()
    faded.set_alpha(max(0, min(255, int(alpha * 255))))
    return faded


def place_name(address: str) -> str:
    """`the Ville:Hobbs Cafe:cafe:counter` → `Hobbs Cafe · cafe · counter` for display."""
    if not address or address == "<here>":
        return "here"
    parts = address.split(":")
    return " · ".join(parts[1:] or parts)
