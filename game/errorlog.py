"""Errors a user should see, also appended to `<data dir>/logs/errors.log`.

The terminal shows one line and the run is over; the log keeps the line with the time and the
command that caused it, so "what went wrong last night" can be answered the next morning. A log
that cannot be written never hides the error itself. The log is written anew each time
(`engine.safe_write`), keeping its last `MAX_LOG_BYTES`, so a log file that is a link is
replaced, never written through; a line longer than `MAX_LINE` is cut ("and N more").
"""

from __future__ import annotations

import shlex
from datetime import datetime

from engine import paths
from engine.errors import UserError, cap_line
from engine.safe_write import append_line

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 1024 * 1024  # the log keeps its last megabyte
MAX_LINE = 2000


def log_error(message: str, argv: list[str] | None = None) -> None:
    """Append `message` (one line) with a timestamp and the command line to the error log."""
    try:
        path = paths.logs_dir() / LOG_NAME
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        command = cap_line(shlex.join(["simulacra", *(argv or [])]), MAX_LINE)
        line = cap_line(" ".join(message.split()), MAX_LINE)
        append_line(path, f"{stamp}  {command}\n    {line}\n", MAX_LOG_BYTES)
    except (OSError, ValueError, UserError):
        pass  # the terminal line is what matters; never fail because the log cannot be written


def log_window_error(save: str, line: str) -> None:
    """Append one error the window counted (agent, game time, kind, cause) to the same log."""
    log_error(line, ["play", save])


def log_path() -> str:
    return str(paths.logs_dir() / LOG_NAME)
