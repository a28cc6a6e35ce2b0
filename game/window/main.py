"""`simulacra play`: build the session, open the window (or run headless when there is no
display), loop until the user quits, then leave promptly.

Leaving: "save and quit" prints the step it saved; "quit without saving" on a fork made by
this run and never saved removes the fork's folder again (nothing is left behind); minds
still thinking (a model call in flight) are abandoned, not waited for.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading

import pygame

from engine.errors import UserError
from engine.persistence import SaveStore
from engine.session import QUICKSAVE_SUFFIX
from game.window.app import TARGET_FPS, App
from game.window.save_browser import list_saves


def parse_size(text: str) -> tuple[int, int]:
    """`1280x720` -> (1280, 720); a malformed value is a user error, small ones are raised."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserError(f"bad --size '{text}': use WIDTHxHEIGHT, e.g. 1280x720") from None
    return max(320, w), max(240, h)


class _Fork:
    """Remembers whether this run made a new fork, to remove it if it is never saved."""

    def __init__(self, session, made_here: bool):
        self.path = session.path
        self.made_here = made_here
        self.stamp = _stamp(self.path)
        self.quicksave = self.path.with_name(self.path.name + _quicksave_suffix())

    def never_saved(self) -> bool:
        return (self.made_here and _stamp(self.path) == self.stamp
                and not self.quicksave.exists())

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _quicksave_suffix() -> str:
    return QUICKSAVE_SUFFIX


def _stamp(path) -> tuple:
    """Changes whenever the save is written (saves replace meta.json; the run log does not)."""
    try:
        info = (path / "meta.json").stat()
    except OSError:
        return ()
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def _save_lister():
    return lambda: list_saves(SaveStore())


def run_app(args: argparse.Namespace) -> int:
    """The window on the session the arguments name (`display_ready()` must be true)."""
    from game.wiring import start_session

    size = parse_size(getattr(args, "size", "1280x720"))
    session = start_session(args, autosave_min=60)
    fork = _Fork(session, made_here=getattr(args, "load", None) is None)

    def open_save(name: str):
        loaded = argparse.Namespace(**{**vars(args), "load": name, "fork": None, "name": None})
        return start_session(loaded, autosave_min=60)

    screen = pygame.display.set_mode(size, pygame.RESIZABLE)
    pygame.display.set_caption(f"Simulacra — {session.name}")
    app = App(session, screen, open_save=open_save, list_saves=_save_lister())
    app.notify("F1 or H: help · Esc: menu")
    clock = pygame.time.Clock()
    try:
        while app.running:
            dt_s = clock.tick(TARGET_FPS) / 1000.0
            app.frame(min(dt_s, 0.25))
    except KeyboardInterrupt:
        app.exit_note = app.exit_note or f"left {app.session.name} at step {app.sim.step}"
    finally:
        app.close()
        app.session.close()
        pygame.quit()
    if app.session is session and not app.driver.quit_saved and fork.never_saved():
        fork.remove()
        app.exit_note += f" (removed the unsaved fork {session.name})"
    print(f"simulacra: {app.exit_note or f'left {app.session.name} at step {app.sim.step}'}")
    _leave_promptly()
    return 0


def _leave_promptly() -> None:
    """Minds may still be inside a model call; their answer is not wanted any more. Python
    would wait for those worker threads at exit, so leave without them."""
    busy = [t for t in threading.enumerate()
            if t is not threading.main_thread() and t.is_alive() and not t.daemon]
    if busy:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
