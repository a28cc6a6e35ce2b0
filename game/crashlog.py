"""A native crash of the `simulacra` process leaves its Python stack in `<data dir>/logs/`.

`enable()` points `faulthandler` at `logs/crash-last.log`, emptied at every start. A clean exit
leaves it empty; after a crash (a segmentation fault in llama.cpp, say) it holds the stack of
every thread. The next start moves such a stack to `logs/crash.log` (kept, newest last) and
says so in one line. The model self-test (`cognition.llm.selftest`) keeps its own child's
stacks in `logs/selftest-crash.log`.
"""

from __future__ import annotations

import faulthandler
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from engine import paths

LAST = "crash-last.log"
KEPT = "crash.log"
MAX_KEPT_BYTES = 1024 * 1024
_handle: list[TextIO] = []


def enable(argv: list[str], folder: Path | None = None, say=None) -> Path | None:
    """Start writing native-crash stacks to the logs folder; None when it cannot be written
    (the program runs on without)."""
    folder = folder or paths.logs_dir()
    say = say or (lambda line: print(f"simulacra: {line}", file=sys.stderr))
    try:
        folder.mkdir(parents=True, exist_ok=True)
        last, kept = folder / LAST, folder / KEPT
        previous = last.read_text(encoding="utf-8", errors="replace") if last.is_file() else ""
        if "Fatal Python error" in previous:  # a header alone: killed, not crashed
            if kept.is_file() and kept.stat().st_size > MAX_KEPT_BYTES:
                os.replace(kept, folder / (KEPT + ".1"))
            with open(kept, "a", encoding="utf-8") as out:
                out.write(previous if previous.endswith("\n") else previous + "\n")
            say(f"the last run crashed in native code; its stack is in {kept} "
                "(simulacra doctor checks the model and this machine)")
        handle = open(last, "w", encoding="utf-8")  # noqa: SIM115 - open until exit
        handle.write(f"--- {time.ctime()}: simulacra {' '.join(argv)} (pid {os.getpid()})\n")
        handle.flush()
        for old in _handle:
            old.close()
        _handle[:] = [handle]
        faulthandler.enable(handle)
        # A header alone is not a crash: a clean exit truncates it back to empty.
        import atexit

        atexit.register(_clean_exit, handle)
        return last
    except OSError:
        return None


def _clean_exit(handle: TextIO) -> None:
    try:
        faulthandler.disable()
        handle.seek(0)
        handle.truncate()
        handle.close()
    except (OSError, ValueError):
        pass
