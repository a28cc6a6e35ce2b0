"""A mind's state on disk: `minds/<slug>.json`, with its arrays and sealed files beside it.

The mind's state is JSON except for two kinds of value, which live in files of their own:

- a numpy array becomes `minds/<slug>.<n>.npy` (written anew by every save), referenced in the
  JSON as `{"__npy__": "<slug>.<n>.npy"}`;
- a `SealedFile` (`engine.sealed`) becomes `minds/<slug>.<name>`, referenced as
  `{"__sealed__": "<slug>.<name>"}`. It is written only if the folder being saved from lacks it;
  otherwise it is carried over (a hard link when re-saving in place, a copy into another slot).
  A memory stream stores its memories this way, so each save writes only the new ones.

Reading checks every referenced name (no paths, the mind's own prefix), reads numeric arrays only
(no pickle) and sealed files up to a size limit, and checks each sealed file's digest.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import numpy as np

from engine import safe_io
from engine.errors import UserError
from engine.sealed import SealedFile, split_name

NPY_LIMIT = 2048 * safe_io.MiB
SEALED_LIMIT = 512 * safe_io.MiB
_NPY_NAME = re.compile(r"[\w\-.]+\.npy")


def write_mind(root: Path, stem: str, state: dict[str, Any], source: Path | None = None,
               same: bool = False, where: str = "save") -> None:
    """Write `state` as `minds/<stem>.json` under `root` (a new folder); sealed files already in
    `source/minds/` are carried (linked when `same`) rather than written again."""
    counter = [0]

    def strip(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            file_name = f"{stem}.{counter[0]}.npy"
            counter[0] += 1
            safe_io.write_npy(root, f"minds/{file_name}", value)
            return {"__npy__": file_name}
        if isinstance(value, SealedFile):
            file_name = f"{stem}.{value.name}"
            _place_sealed(root, f"minds/{file_name}", value, source, same, where)
            return {"__sealed__": file_name}
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        return value

    safe_io.write_json(root, f"minds/{stem}.json", strip(state))


def _place_sealed(root: Path, relative: str, sealed: SealedFile, source: Path | None,
                  same: bool, where: str) -> None:
    if os.path.lexists(root / relative):  # already placed (another reference to it)
        return
    if source is not None and os.path.isfile(source / relative) \
            and not os.path.islink(source / relative):
        safe_io.copy_file(source, relative, root, where, link=same)
        return
    safe_io.write_new(root, relative, sealed.produce())


def read_mind(root: Path, stem: str, where: str) -> dict[str, Any]:
    """The state written by `write_mind`, with arrays and sealed files read back."""

    def restore(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"__npy__"}:
                name = value["__npy__"]
                if not isinstance(name, str) or not _NPY_NAME.fullmatch(name) or ".." in name:
                    raise UserError(f"{where}: minds/{stem}.json names a bad array file")
                return safe_io.read_npy(root, f"minds/{name}", where, NPY_LIMIT)
            if set(value) == {"__sealed__"}:
                return _read_sealed(root, stem, value["__sealed__"], where)
            return {k: restore(v) for k, v in value.items()}
        if isinstance(value, list):
            return [restore(v) for v in value]
        return value

    data = safe_io.read_json(root, f"minds/{stem}.json", where, safe_io.MiB * 512)
    if not isinstance(data, dict):
        raise UserError(f"{where}: minds/{stem}.json must hold a JSON object")
    try:
        return restore(data)
    except RecursionError:
        raise UserError(f"{where}: minds/{stem}.json is nested too deeply") from None


def _read_sealed(root: Path, stem: str, name: Any, where: str) -> SealedFile:
    prefix = f"{stem}."
    if not isinstance(name, str) or not name.startswith(prefix) \
            or split_name(name[len(prefix):]) is None:
        raise UserError(f"{where}: minds/{stem}.json names a bad memory file {str(name)[:80]!r}")
    data = safe_io.read_bytes(root, f"minds/{name}", where, SEALED_LIMIT)
    return SealedFile.loaded(name[len(prefix):], data)
