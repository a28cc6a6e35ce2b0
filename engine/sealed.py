"""Files named after their content: written once, never changed, carried from save to save.

A value in a mind's state may be a `SealedFile`: bytes, made only when needed, and a name that
ends in a digest of those bytes. Because the name says what is inside, a save writes such a file
only when the folder it came from does not already hold one of that name; re-saving in place it
is carried as a hard link and costs nothing (`engine.mind_files`). So a save writes what is new
since the last one, not everything again.

Reading, the digest is checked: a file whose bytes do not match its name (edited by hand) is read
all the same, but renamed after its actual bytes, so it is never taken for the file it replaced.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

DIGEST_CHARS = 20
EXTENSIONS = ("jsonl", "npy")
# stem (letters, digits, '-', '_', '.'), then '.<digest>.<extension>'
_NAME = re.compile(r"^([A-Za-z0-9_\-.]{1,120})\.([0-9a-f]{%d})\.(jsonl|npy)$" % DIGEST_CHARS)


def digest(data: bytes) -> str:
    """The first DIGEST_CHARS hex digits of the bytes' SHA-256."""
    return hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]


@dataclass(frozen=True)
class SealedFile:
    """`name` (`<stem>.<digest>.<ext>`) and the bytes it names, from `produce()` on demand.

    Equal when the names are equal: the name is the content's fingerprint."""

    name: str
    produce: Callable[[], bytes] = field(compare=False, repr=False)

    @classmethod
    def of_bytes(cls, stem: str, extension: str, data: bytes) -> SealedFile:
        """A sealed file holding `data` (kept in memory until the value is dropped)."""
        return cls(f"{stem}.{digest(data)}.{extension}", lambda: data)

    @classmethod
    def lazy(cls, name: str, produce: Callable[[], bytes]) -> SealedFile:
        """A sealed file whose bytes are made again (identically) only if it must be written."""
        return cls(name, produce)

    @classmethod
    def loaded(cls, name: str, data: bytes) -> SealedFile:
        """A file read from a save: keeps its name if its bytes match it, else is renamed after
        its bytes (same stem and extension)."""
        parts = split_name(name)
        if parts is None:
            raise ValueError(f"{name!r} is not a sealed file name")
        stem, expected, extension = parts
        if digest(data) != expected:
            return cls.of_bytes(stem, extension, data)
        return cls(name, lambda: data)

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1]


def split_name(name: str) -> tuple[str, str, str] | None:
    """(stem, digest, extension) of a well-formed sealed file name, else None."""
    match = _NAME.match(name) if isinstance(name, str) else None
    if match is None or ".." in name:
        return None
    return match.group(1), match.group(2), match.group(3)
