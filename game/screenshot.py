"""Screenshots: copy the frame on the main thread, write the PNG on a background thread."""

from __future__ import annotations

import io
import threading
import time
from pathlib import Path

import pygame

from engine import paths
from engine.errors import UserError
from engine.safe_write import replace_file


def screenshot_path(directory: Path | None = None) -> Path:
    directory = directory or paths.screenshots_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = directory / f"simulacra-{stamp}.png"
    index = 2
    while path.exists():
        path = directory / f"simulacra-{stamp}-{index}.png"
        index += 1
    return path


def save_async(surface: pygame.Surface, path: Path,
               on_done=None) -> threading.Thread:
    """Save a copy of `surface` as PNG without blocking the frame loop."""
    frame = surface.copy()

    def work() -> None:
        error = None
        try:
            buffer = io.BytesIO()
            pygame.image.save(frame, buffer, path.name)
            replace_file(path, buffer.getvalue())  # a fresh file renamed into place
        except (pygame.error, OSError, UserError) as exc:
            error = str(exc)
        if on_done is not None:
            on_done(path, error)

    thread = threading.Thread(target=work, name="screenshot", daemon=True)
    thread.start()
    return thread
