"""Errors a user should see, also appended to `<data dir>/logs/errors.log`.

The terminal shows one line and the run is over; the log keeps the line with the time and the
command that caused it, so "what went wrong last night" can be answered the next morning. A log
that cannot be written never hides the error itself.
"""

from __future__ import annotations

import os
import shlex
from datetime import datetime

from engine import paths

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 1024 * 1024  # past this the log starts over (the previous one is kept as .1)


def log_error(message: str, argv: list[str] | None = None) -> None:
    """Append `message` (one line) with a timestamp and the command line to the error log."""
    try:
        folder = paths.logs_dir()
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / LOG_NAME
        if path.is_file() and path.stat().st_size > MAX_LOG_BYTES:
            os.replace(path, folder / (LOG_NAME + ".1"))
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        command = shlex.join(["simulacra", *(argv or [])])
        line = " ".join(message.split())
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"{stamp}  {command}\n    {line}\n")
    except (OSError, ValueError):
        pass  # the terminal line is what matters; never fail because the log cannot be written


def log_window_error(save: str, line: str) -> None:
    """Append one error the window counted (agent, game time, kind, cause) to the same log."""
    log_error(line, ["play", save])


def log_path() -> str:
    return str(paths.logs_dir() / LOG_NAME)
