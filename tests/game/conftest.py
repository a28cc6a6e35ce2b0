"""Headless window fixtures: a dummy-driver display and a routine-mind session per test."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import argparse  # noqa: E402

import pygame  # noqa: E402
import pytest  # noqa: E402

SMALL_BASE = "base_the_ville_isabella_maria_klaus"


def routine_args(**overrides) -> argparse.Namespace:
    values = dict(fork=SMALL_BASE, load=None, name="window-test", mind="routine", model=None,
                  server=None, server_model="default", embed_model=None, workers=0, seed=None,
                  size="960x540")
    values.update(overrides)
    return argparse.Namespace(**values)


@pytest.fixture
def screen():
    pygame.display.init()
    pygame.font.init()
    surface = pygame.display.set_mode((960, 540))
    yield surface
    pygame.event.clear()


@pytest.fixture
def app(screen, simulacra_home):
    from game.window.app import App
    from game.commands.run import start_session

    session = start_session(routine_args())
    application = App(session, screen)
    yield application
    application.close()
    session.close()


def key(app, key_code: int, mod: int = 0, unicode: str = "", up: bool = True,
        dt_s: float = 0.0) -> None:
    """Post a key press (and release) and run one frame."""
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key_code, mod=mod,
                                         unicode=unicode, scancode=0))
    if up:
        pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key_code, mod=mod,
                                             unicode=unicode, scancode=0))
    app.frame(dt_s)


def frames_until(app, condition, dt_s: float = 1 / 30, limit: int = 600) -> int:
    """Run frames until `condition()` holds (background work finishes in real time)."""
    import time

    for n in range(limit):
        if condition():
            return n
        app.frame(dt_s)
        time.sleep(0.005)
    raise AssertionError("condition not reached")
