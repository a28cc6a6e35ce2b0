"""File access that never leaves a folder: no symbolic links followed, no FIFOs opened.

A save folder may come from someone else (a zip, a shared drive), so everything under it is
untrusted. The rules, enforced here and nowhere else:

- `check_tree` refuses a folder that contains a symbolic link, a FIFO, a device or a socket
  anywhere below it (checked with `lstat`, never following anything);
- every open goes component by component from a directory descriptor with `O_NOFOLLOW`
  (`openat`), so a link planted after the check is still refused, never followed;
- reads open with `O_NONBLOCK` and refuse anything that is not a regular file, so a named
  pipe cannot block us; each read has a size ceiling so a huge file is refused, not slurped;
- writes only create new files (`O_CREAT | O_EXCL`) inside a folder we created ourselves.

Relative paths given here are checked to be plain (no absolute paths, no `..`, no empty parts).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from engine import safe_json
from engine.errors import UserError

MiB = 1024 * 1024
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
MAX_ENTRIES = 100_000


def plain_parts(relative: str | PurePosixPath, where: str) -> tuple[str, ...]:
    """The components of a relative path that stays inside its folder, or UserError."""
    text = str(relative)
    parts = tuple(text.replace("\\", "/").split("/"))
    if (
        not text
        or text.startswith(("/", "\\"))
        or (len(text) > 1 and text[1] == ":")
        or any(part in ("", ".", "..") for part in parts)
        or "\x00" in text
    ):
        raise UserError(f"{where}: path '{text}' must stay inside its folder")
    return parts


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def check_tree(root: Path, where: str) -> None:
    """Refuse `root` if it, or anything below it, is a link or a special file."""
    try:
        info = os.lstat(root)
    except FileNotFoundError:
        raise UserError(f"{where}: folder {root} not found") from None
    except OSError as exc:
        raise UserError(f"{where}: cannot read folder {root} ({exc.strerror})") from None
    if not stat.S_ISDIR(info.st_mode):
        raise UserError(f"{where}: {root} is {_kind(info.st_mode)}, not a folder; refused")
    count = 0
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            raise UserError(f"{where}: cannot read folder {folder} ({exc.strerror})") from None
        for entry in entries:
            count += 1
            if count > MAX_ENTRIES:
                raise UserError(f"{where}: more than {MAX_ENTRIES} files; refused")
            mode = entry.stat(follow_symlinks=False).st_mode
            if stat.S_ISDIR(mode):
                stack.append(Path(entry.path))
            elif not stat.S_ISREG(mode):
                relative = Path(entry.path).relative_to(root)
                raise UserError(
                    f"{where}: '{relative}' is {_kind(mode)}; saves may hold only plain files "
                    "and folders (refused, nothing was read or written)"
                )


def _open_dir(root: Path, parts: tuple[str, ...], where: str, create: bool = False) -> int:
    """A descriptor for root/parts..., each component opened with O_NOFOLLOW."""
    fd = os.open(root, os.O_RDONLY | _DIRECTORY | _CLOEXEC)
    try:
        for part in parts:
            if create:
                try:
                    os.mkdir(part, 0o755, dir_fd=fd)
                except FileExistsError:
                    pass
            try:
                child = os.open(part, os.O_RDONLY | _DIRECTORY | _NOFOLLOW | _CLOEXEC, dir_fd=fd)
            except OSError as exc:
                raise UserError(
                    f"{where}: '{part}' is not a plain folder ({exc.strerror})") from None
            os.close(fd)
            fd = child
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_read(root: Path, relative: str, where: str, limit: int) -> io.BufferedReader:
    """Open root/relative for reading: a regular file, no links, at most `limit` bytes."""
    parts = plain_parts(relative, where)
    try:
        folder = _open_dir(root, parts[:-1], where)
    except FileNotFoundError:
        raise UserError(f"{where}: {relative} not found") from None
    try:
        fd = os.open(parts[-1], os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _CLOEXEC, dir_fd=folder)
    except FileNotFoundError:
        raise UserError(f"{where}: {relative} not found") from None
    except OSError as exc:
        kind = "a symbolic link" if exc.errno in (40, 31) else exc.strerror
        raise UserError(f"{where}: cannot open {relative} ({kind}); refused") from None
    finally:
        os.close(folder)
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise UserError(f"{where}: {relative} is {_kind(info.st_mode)}; refused")
    if info.st_size > limit:
        os.close(fd)
        raise UserError(
            f"{where}: {relative} is {info.st_size / MiB:.1f} MiB, over the "
            f"{limit / MiB:.0f} MiB limit; refused"
        )
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def read_bytes(root: Path, relative: str, where: str, limit: int) -> bytes:
    with open_read(root, relative, where, limit) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UserError(f"{where}: {relative} is over the {limit / MiB:.0f} MiB limit; refused")
    return data


def read_text(root: Path, relative: str, where: str, limit: int) -> str:
    data = read_bytes(root, relative, where, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UserError(f"{where}: {relative} is not UTF-8 text (byte {exc.start})") from None


def read_json(root: Path, relative: str, where: str, limit: int) -> Any:
    text = read_text(root, relative, where, limit)
    try:
        return safe_json.loads(text)
    except json.JSONDecodeError as exc:
        raise UserError(
            f"{where}: {relative} is not valid JSON (line {exc.lineno}: {exc.msg})"
        ) from None
    except ValueError as exc:  # safe_json.JSONFault: a huge number, NaN, too deep
        raise UserError(f"{where}: {relative} is refused: {exc}") from None


def read_npy(root: Path, relative: str, where: str, limit: int) -> np.ndarray:
    """A numeric .npy array; pickled (object) arrays and lying headers are refused."""
    with open_read(root, relative, where, limit) as handle:
        size = os.fstat(handle.fileno()).st_size
        try:
            version = np.lib.format.read_magic(handle)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(handle)
            elif version == (2, 0):
                shape, _, dtype = np.lib.format.read_array_header_2_0(handle)
            else:
                raise ValueError(f"format version {version} is not read")
        except Exception as exc:  # numpy parses the header with ast/tokenize: anything goes
            raise UserError(f"{where}: {relative} is not a .npy array "
                            f"({type(exc).__name__}: {str(exc)[:80]})") from None
        if dtype.hasobject or dtype.kind not in "biuf":
            raise UserError(f"{where}: {relative} holds {dtype} data; only numbers are loaded")
        expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
        if expected < 0 or expected > size:
            raise UserError(f"{where}: {relative} is shorter than its header says; refused")
        handle.seek(0)
        try:
            return np.load(handle, allow_pickle=False)
        except (ValueError, OSError, EOFError) as exc:
            raise UserError(f"{where}: {relative} is not a readable array ({exc})") from None


def _create(root: Path, parts: tuple[str, ...]) -> io.BufferedWriter:
    folder = _open_dir(root, parts[:-1], "write", create=True)
    try:
        fd = os.open(
            parts[-1], os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, 0o644,
            dir_fd=folder,
        )
    finally:
        os.close(folder)
    return os.fdopen(fd, "wb")


def write_new(root: Path, relative: str, data: bytes) -> None:
    """Create root/relative (it must not exist) and write `data`; folders are made as needed."""
    with _create(root, plain_parts(relative, "write")) as handle:
        handle.write(data)


def write_json(root: Path, relative: str, data: Any) -> None:
    write_new(root, relative, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def write_npy(root: Path, relative: str, array: np.ndarray) -> None:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    write_new(root, relative, buffer.getvalue())


def regular_files(root: Path) -> Iterator[str]:
    """Relative POSIX paths of the regular files under root (call `check_tree` first)."""
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs.sort()
        base = Path(folder).relative_to(root)
        for name in sorted(files):
            path = Path(folder) / name
            if stat.S_ISREG(os.lstat(path).st_mode):
                yield (base / name).as_posix()


def copy_file(source_root: Path, relative: str, target_root: Path, where: str,
              link: bool = False) -> None:
    """Carry a regular file into a new folder: a copy, or with `link` a hard link if possible.

    Links (only between two versions of the same save, whose files are never written in place
    except the append-only run log) are made without following anything.
    """
    parts = plain_parts(relative, where)
    target_dir = _open_dir(target_root, parts[:-1], where, create=True)
    try:
        source_dir = _open_dir(source_root, parts[:-1], where)
        try:
            info = os.stat(parts[-1], dir_fd=source_dir, follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode):
                raise UserError(f"{where}: {relative} is {_kind(info.st_mode)}; refused")
            if link:
                try:
                    os.link(parts[-1], parts[-1], src_dir_fd=source_dir, dst_dir_fd=target_dir,
                            follow_symlinks=False)
                    return
                except OSError:
                    pass
        finally:
            os.close(source_dir)
    finally:
        os.close(target_dir)
    with open_read(source_root, relative, where, limit=1 << 62) as source:
        target = _create(target_root, parts)
        with target:
            shutil.copyfileobj(source, target, 1 << 20)


def inside(root: Path, path: Path) -> bool:
    """True when `path`, resolved, lies under `root` resolved (a last-line check)."""
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(root))
    except ValueError:
        return False
    return True
