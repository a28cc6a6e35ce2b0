"""One writer per save: a lock file beside the save, held for as long as a process may write it.

Every command that writes a save (run, play, repl, interview, load-history, import onto its name,
make-base from it) holds `saves/.lock-<name>` while it works: an exclusive `flock` on a file that
says who holds it (process id, command, host, time). A second writer gets one line naming the
holder. The kernel drops the lock when its process dies, so a lock left by a killed process is
taken over at once, with a note naming the process that is gone. Readers (replay, render,
analyze, evaluate) never take it: a save is swapped into place by a rename and so is never seen
half-written.

The lock file is opened without following a link and only used if it has one name, so a link
planted at `.lock-<name>` is never written through; it is removed by the holder on release
(after which a waiting opener that got the old file notices and opens the new one).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shlex
import socket
import stat
import sys
import time
from pathlib import Path

from engine.errors import UserError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_HELD: dict[str, tuple[int, int]] = {}  # lock path -> (fd, count): re-entrant per process


def lock_name(name: str) -> str:
    return f".lock-{name}"


def _holder() -> dict:
    command = shlex.join(["simulacra", *sys.argv[1:]])[:300]
    return {"pid": os.getpid(), "command": command, "host": socket.gethostname()[:100],
            "since": time.strftime("%Y-%m-%d %H:%M:%S %Z")}


def _describe(data: bytes) -> tuple[str, int | None]:
    try:
        info = json.loads(data.decode("utf-8", "replace")[:2000])
        pid = int(info["pid"])
        text = (f"process {pid} ({str(info.get('command', '?'))[:120]}) on "
                f"{str(info.get('host', '?'))[:60]} since {str(info.get('since', '?'))[:40]}")
        return text, pid
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError):
        return "another process", None


class SaveLock:
    """`acquire()` the lock of save `name` under `root` (UserError if another process holds
    it); `release()` (or use as a context manager). `note` tells of a stale lock taken over."""

    def __init__(self, root: Path, name: str):
        self.root, self.name = Path(root), name
        self.key = str(self.root / lock_name(name))
        self.note: str | None = None
        self._held = False

    def __enter__(self) -> SaveLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> SaveLock:
        if self._held:
            return self
        if self.key in _HELD:  # this process holds it already (import, then its session)
            fd, count = _HELD[self.key]
            _HELD[self.key] = (fd, count + 1)
            self._held = True
            return self
        self.root.mkdir(parents=True, exist_ok=True)
        dir_fd = os.open(self.root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
        try:
            fd = self._lock(dir_fd)
        finally:
            os.close(dir_fd)
        _HELD[self.key] = (fd, 1)
        self._held = True
        return self

    def _lock(self, dir_fd: int) -> int:
        name = lock_name(self.name)
        for _ in range(20):
            try:
                fd = os.open(name, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o644,
                             dir_fd=dir_fd)
            except OSError:  # a link or something odd planted at the name: remove, retry
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=dir_fd)
                continue
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
                os.close(fd)  # a hard link to something else: never write into it
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=dir_fd)
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder, _ = _describe(os.pread(fd, 4096, 0))
                os.close(fd)
                raise UserError(
                    f"save '{self.name}' is being written by {holder}; only one program may "
                    "write a save at a time (wait for it to finish, or stop it)") from None
            try:
                same = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_ino == info.st_ino
            except FileNotFoundError:
                same = False
            if not same:  # released and removed by its holder in between: open the new one
                os.close(fd)
                continue
            previous = os.pread(fd, 4096, 0)
            if previous.strip():
                holder, pid = _describe(previous)
                if pid != os.getpid():  # the kernel freed its lock: that process is gone
                    self.note = (f"save '{self.name}': took over the lock left by {holder}, "
                                 "which is no longer running")
            data = json.dumps(_holder()).encode("utf-8")
            with contextlib.suppress(OSError):  # who holds it is a courtesy: the flock is the lock
                os.ftruncate(fd, 0)
                os.pwrite(fd, data, 0)
            return fd
        raise UserError(f"save '{self.name}': cannot take its lock file {self.key}; refused")

    def release(self) -> None:
        if not self._held:
            return
        self._held = False
        fd, count = _HELD[self.key]
        if count > 1:
            _HELD[self.key] = (fd, count - 1)
            return
        del _HELD[self.key]
        with contextlib.suppress(OSError):
            if os.stat(self.key, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                os.unlink(self.key)  # still holding it: a waiter re-checks the inode
        os.close(fd)  # drops the flock


def release_all() -> None:
    """Drop every lock this process holds (the command is over, whatever happened)."""
    for key, (fd, _) in list(_HELD.items()):
        del _HELD[key]
        with contextlib.suppress(OSError):
            if os.stat(key, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                os.unlink(key)
        with contextlib.suppress(OSError):
            os.close(fd)
