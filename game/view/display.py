"""Whether a screen exists, and opening SDL's display on it (the window and replay share it)."""

from __future__ import annotations

import os
import sys

import pygame


def display_available() -> bool:
    """False when there is clearly no screen to open a window on."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def display_ready() -> bool:
    """A screen to open the window on exists and SDL's display is initialised."""
    if not display_available():
        return False
    try:
        pygame.display.init()
        pygame.font.init()
        return pygame.display.get_num_displays() > 0
    except pygame.error:
        return False
