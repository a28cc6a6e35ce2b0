"""The one way this project writes a file: a fresh file beside the target, then a rename.

Every writer (saves, reports, plots, videos, imports, bases, logs, settings) goes through here,
so a file at the target that is a symbolic link, a hard link to something outside the folder, or
a name planted in advance is never written through:

- `replace_file(path, data)` creates a temporary file with an unpredictable name in the target's
  folder (`O_CREAT | O_EXCL | O_NOFOLLOW`, from a descriptor of that folder), writes and syncs
  it, then renames it over the target. The target's old inode is never opened for writing: a
  hard link elsewhere keeps its old contents, a symlink at the target is replaced, not followed.
- `private_dir(parent, prefix)` makes a folder with an unpredictable name (`mkdtemp`: exclusive,
  mode 0700, never a link) for writers that need a path (ffmpeg, a save being assembled).
- `output_path(path)` is a context for a writer that wants a file name (ffmpeg, matplotlib): it
  yields a path inside a private folder beside `path`, renames it over `path` when the block ends
  without an error, and removes the folder in every case.
- A full disk, a quota or a file-size limit (`ENOSPC`, `EDQUOT`, `EFBIG`) becomes one
  `UserError` naming the file and the shortage; the target is left as it was.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from engine.errors import UserError

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
SHORTAGE = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EFBIG: "the file-size limit (ulimit -f) was reached",
}


def shortage(exc: BaseException) -> str | None:
    """What ran out, for an OSError from a full disk or a size limit; else None."""
    return SHORTAGE.get(getattr(exc, "errno", None)) if isinstance(exc, OSError) else None


def disk_error(exc: OSError, path: Path | str) -> UserError:
    """The one line for a write that failed for want of room (or any other OS reason)."""
    why = shortage(exc) or (exc.strerror or str(exc))
    return UserError(f"cannot write {path}: {why}; nothing was replaced (free some space "
                     "or raise the limit, then try again)" if shortage(exc) else
                     f"cannot write {path} ({why}); nothing was replaced")


def temp_name(name: str) -> str:
    """`.<name>.<random>.tmp`: hidden, unguessable, recognisably ours."""
    return f".{name[:80]}.{secrets.token_hex(8)}.tmp"


def replace_file(path: Path | str, data: bytes, mode: int = 0o644) -> Path:
    """Write `data` to a fresh file beside `path` and rename it over `path` (see module doc)."""
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        dir_fd = os.open(folder, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    except OSError as exc:
        raise disk_error(exc, path) from None
    tmp = temp_name(path.name)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode,
                     dir_fd=dir_fd)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path.name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=dir_fd)
        raise disk_error(exc, path) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp, dir_fd=dir_fd)
        raise
    finally:
        os.close(dir_fd)
    return path


def replace_text(path: Path | str, text: str) -> Path:
    return replace_file(path, text.encode("utf-8"))


def private_dir(parent: Path, prefix: str) -> Path:
    """A new folder `<prefix><random>` in `parent`, made by us alone (0700, never a link)."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    except OSError as exc:
        raise disk_error(exc, parent / prefix) from None


@contextlib.contextmanager
def output_path(path: Path) -> Iterator[Path]:
    """A path for a writer that needs a name; renamed over `path` when the block succeeds."""
    folder = private_dir(path.parent, f".{path.stem[:60]}.partial-")
    inner = folder / path.name
    try:
        yield inner
        if not os.path.isfile(inner) or os.path.islink(inner):
            raise UserError(f"cannot write {path}: the writer produced no file")
        try:
            os.replace(inner, path)
        except OSError as exc:
            raise disk_error(exc, path) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def append_line(path: Path, text: str, keep_bytes: int) -> None:
    """Append `text` to a small log by writing it anew (the last `keep_bytes` of the old one
    kept), so a log that is a link or a hard link is replaced, never written through."""
    old = b""
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _CLOEXEC | getattr(os, "O_NONBLOCK", 0))
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode):
                os.lseek(fd, max(0, info.st_size - keep_bytes), os.SEEK_SET)
                old = os.read(fd, keep_bytes)
        finally:
            os.close(fd)
    except OSError:
        old = b""
    if len(old) >= keep_bytes:  # started over: keep whole lines only
        old = old[old.find(b"\n") + 1:]
    replace_file(path, old + text.encode("utf-8"))
