"""Saves: directories of JSON/JSONL (+ .npy arrays) under the user data dir, written atomically.

Layout of a save (and of a shipped base, which has no world yet):

    meta.json            format version, fork source, map, clock, step, seed, personas, mind
    personas/<slug>.json persona files (copied from the base when forking)
    history.csv          optional history in the original's Name,Whisper format
    import_report.txt    what `simulacra import-original` could not map (imported saves only)
    world.json           the engine state at a step boundary
    minds/<slug>.json    each mind's state; arrays in it live in minds/<slug>.<n>.npy, and a
                         memory stream's memories in content-named files minds/<slug>.mem-*
                         that each save writes only when new (`engine.mind_files`)
    runlog.jsonl         the append-only run log (replay and analysis)

A save is written to a hidden temporary sibling `.tmp-<name>-<pid>.<random>` and renamed into
place (the previous save waits as `.old-<name>-<pid>.<random>` during the swap), so a crash mid-save leaves the
previous save intact; the next start finishes or undoes what a dead process left behind.

A save may come from someone else, so nothing in it is trusted: the folder is refused if it
holds a link or a special file (`engine.safe_io`), every file is opened without following links
and with a size limit, the folder (not meta's `name`) is the save's identity, and file names are
derived from persona names by a safe slug. No pickle anywhere.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from engine import paths, safe_io
from engine.errors import UserError
from engine.mind_files import read_mind, write_mind
from engine.personas import persona_slug as slug
from engine.safe_write import disk_error, private_dir, shortage
from engine.save_meta import FORMAT_VERSION, SaveMeta

MAX_NAME = 64  # for names a user picks; stored names (quicksave slots) may be longer
MAX_STORED_NAME = 128
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]*$")
RUNLOG = "runlog.jsonl"
RUNLOG_INDEX = "runlog.idx"
META_LIMIT = 1 * safe_io.MiB
STATE_LIMIT = 512 * safe_io.MiB
_OWN_FILES = ("meta.json", "world.json", RUNLOG, RUNLOG + ".tmp", RUNLOG_INDEX,
              RUNLOG_INDEX + ".tmp")  # written anew by each save
# `.<kind>-<name>-<pid>.<random>` (older versions: no `.<random>`); import-original's temp
# is `.tmp-import-<name>-<pid>.<random>`.
_SCRATCH = re.compile(r"^\.(tmp|old|del)-(.+)-(\d+)(?:\.[a-z0-9_]{4,})?$")


@dataclass(frozen=True)
class LoadedSave:
    """A save read from disk: where it is, its meta, and its state (None for a fresh base)."""

    path: Path
    meta: SaveMeta
    state: dict[str, Any] | None

    @property
    def personas_dir(self) -> Path:
        return self.path / "personas"

    @property
    def history_csv(self) -> Path:
        return self.path / "history.csv"

    @property
    def runlog_path(self) -> Path:
        return self.path / RUNLOG


def validate_name(name: str, max_len: int = MAX_NAME) -> str:
    """Refuse save names that could escape the saves folder or confuse the file system."""
    if (
        not isinstance(name, str) or not name or len(name) > max_len or ".." in name
        or not _NAME_RE.match(name) or name != name.strip()
    ):
        raise UserError(
            f"bad save name {name!r}: use letters, digits, spaces, '-', '_' or '.', "
            f"at most {max_len} characters, starting with a letter or digit, no '/' and no '..'"
        )
    return name


class SaveStore:
    """Lists, forks, reads and writes saves. Roots default to the user data dir and repo bases."""

    def __init__(self, saves_root: Path | None = None, bases_root: Path | None = None,
                 user_bases_root: Path | None = None):
        self.saves_root = saves_root or paths.saves_dir()
        self.bases_root = bases_root or paths.bases_dir()
        self.user_bases_root = user_bases_root or paths.user_bases_dir()
        self.recover()

    # ------------------------------------------------------------------ listing

    def base_names(self) -> list[str]:
        """Shipped bases, then the user's own (`simulacra make-base`); shipped names win."""
        shipped = _dirs_with_meta(self.bases_root)
        return shipped + [n for n in _dirs_with_meta(self.user_bases_root) if n not in shipped]

    def save_names(self) -> list[str]:
        self.recover()
        return _dirs_with_meta(self.saves_root)

    def save_path(self, name: str) -> Path:
        return self.saves_root / validate_name(name, MAX_STORED_NAME)

    def exists(self, name: str) -> bool:
        return os.path.lexists(self.save_path(name) / "meta.json")

    def base_path(self, name: str) -> Path:
        if not _NAME_RE.match(name or "") or ".." in name:
            path = None
        else:
            path = self.bases_root / name
            if not (path / "meta.json").is_file():
                path = self.user_bases_root / name
        if path is None or not (path / "meta.json").is_file():
            available = ", ".join(self.base_names()) or "none"
            raise UserError(f"unknown base simulation '{name}' (available: {available})")
        return path

    # ------------------------------------------------------------------ fork / read

    def fork(self, base: str, new_name: str) -> LoadedSave:
        """Copy a shipped base into the user's saves under a new name."""
        source = self.base_path(base)
        validate_name(new_name)
        self.recover()
        target = self.save_path(new_name)
        if os.path.lexists(target):
            raise UserError(
                f"save '{new_name}' already exists (continue it with --load {new_name}, "
                "or choose another --name)"
            )
        where = f"base '{base}'"
        safe_io.check_tree(source, where)
        meta = read_meta(source, where)
        tmp = self._scratch("tmp", new_name)
        try:
            for relative in safe_io.regular_files(source):
                if relative not in ("README.md", "meta.json"):
                    safe_io.copy_file(source, relative, tmp, where)
            meta = replace(meta, name=new_name, fork_source=base)
            safe_io.write_json(tmp, "meta.json", meta.to_json())
            os.replace(tmp, target)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if shortage(exc):  # a full disk or a size limit: one line; the old save stands
                raise disk_error(exc, target) from None
            raise
        return self.read(new_name)

    def read(self, name: str) -> LoadedSave:
        self.recover()
        path = self.save_path(name)
        if not os.path.lexists(path / "meta.json"):
            available = ", ".join(self.save_names()) or "none"
            raise UserError(f"no save named '{name}' (saves: {available})")
        return read_save(path, f"save '{name}'")

    def read_base(self, name: str) -> LoadedSave:
        return read_save(self.base_path(name), f"base '{name}'")

    # ------------------------------------------------------------------ write

    def write(
        self,
        name: str,
        meta: SaveMeta,
        state: dict[str, Any],
        source: Path,
        runlog_path: Path | None = None,
    ) -> Path:
        """Atomically write a save named `name`; other files are carried over from `source`.

        `source` is the folder the running save was loaded from. Everything in it except the
        files a save writes itself (meta, world, minds, run log) is carried into the new save,
        so a save's own map, tilesets, personas and history survive; the run log is carried
        when `runlog_path` is given.
        """
        validate_name(name, MAX_STORED_NAME)
        where = f"save '{name}'"
        safe_io.check_tree(source, f"save folder {source.name}")
        target = self.save_path(name)
        if os.path.lexists(target):
            safe_io.check_tree(target, where)
        same = os.path.realpath(source) == os.path.realpath(target)  # re-saving in place
        tmp = self._scratch("tmp", name)
        try:
            for relative in safe_io.regular_files(source):
                if relative in _OWN_FILES or relative.startswith("minds/"):
                    continue
                safe_io.copy_file(source, relative, tmp, where, link=same)
            for log_file in (RUNLOG, RUNLOG_INDEX):  # the run log and its keyframe index
                if runlog_path is not None and os.path.lexists(source / log_file):
                    safe_io.copy_file(source, log_file, tmp, where, link=same)
            safe_io.write_json(tmp, "world.json", state["engine"])
            for persona, mind_state in state["minds"].items():
                write_mind(tmp, slug(persona), mind_state, source, same, where)
            safe_io.write_json(tmp, "meta.json", replace(meta, name=name).to_json())
            self._swap_into_place(tmp, target)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if shortage(exc):  # a full disk or a size limit: one line; the old save stands
                raise disk_error(exc, target) from None
            raise
        return target

    def clone(self, name: str, new_name: str) -> Path:
        """Write a copy of save `name` as `new_name` (an autosave slot).

        Files are shared by hard link where possible (no file of a save is ever rewritten in
        place), except the run log and its index, which are appended to and so are copied."""
        source = self.save_path(name)
        safe_io.check_tree(source, f"save '{name}'")
        target = self.save_path(new_name)
        tmp = self._scratch("tmp", new_name)
        try:
            for relative in safe_io.regular_files(source):
                if relative != "meta.json":
                    safe_io.copy_file(source, relative, tmp, f"save '{name}'",
                                      link=relative not in _OWN_FILES)
            meta = replace(read_meta(source, f"save '{name}'"), name=new_name)
            safe_io.write_json(tmp, "meta.json", meta.to_json())
            self._swap_into_place(tmp, target)
        except BaseException as exc:
            shutil.rmtree(tmp, ignore_errors=True)
            if shortage(exc):  # a full disk or a size limit: one line; the old save stands
                raise disk_error(exc, target) from None
            raise
        return target

    def remove(self, name: str) -> None:
        """Delete a save: renamed away first, so a crash never leaves half of it."""
        path = self.save_path(name)
        if not os.path.lexists(path):
            return
        trash = self._scratch("del", name)
        os.replace(path, trash)  # a folder onto our own empty one
        _remove(trash)

    # ------------------------------------------------------------------ scratch folders

    def _scratch(self, kind: str, name: str) -> Path:
        """A fresh hidden sibling folder this process created itself (never reused): an
        unguessable name, made exclusively, never a link (`safe_write.private_dir`)."""
        path = private_dir(self.saves_root, f".{kind}-{name}-{os.getpid()}.")
        os.chmod(path, 0o755)
        return path

    def _swap_into_place(self, tmp: Path, target: Path) -> None:
        if not os.path.lexists(target):
            os.replace(tmp, target)
            return
        old = self._scratch("old", target.name)
        os.replace(target, old)  # a folder onto our own empty one
        os.replace(tmp, target)
        _remove(old)

    def recover(self) -> None:
        """Finish or undo what a dead process left: put back interrupted swaps, drop temps.

        `.old-<name>-<pid>` is the previous save of a swap that a crash interrupted: if the
        new save is in place it is dropped, otherwise it is put back. `.tmp-<name>-<pid>` is
        an unfinished save and `.del-<name>-<pid>` a save being deleted: both are removed.
        Only folders of processes that are no longer running are touched, so a save in
        progress elsewhere is left alone.
        """
        try:
            entries = sorted(os.listdir(self.saves_root))
        except OSError:
            return
        for entry in entries:
            match = _SCRATCH.match(entry)
            if match is None or _alive(int(match.group(3))):
                continue
            kind, name = match.group(1), match.group(2)
            path = self.saves_root / entry
            target = self.saves_root / name
            if kind != "old" or os.path.lexists(target):
                _remove(path)
            elif _NAME_RE.match(name):
                os.replace(path, target)


def read_meta(path: Path, where: str) -> SaveMeta:
    data = safe_io.read_json(path, "meta.json", where, META_LIMIT)
    return SaveMeta.from_json(data, where)


def read_save(path: Path, where: str) -> LoadedSave:
    """Read a save folder; the folder's name is the save's name, whatever meta says."""
    safe_io.check_tree(path, where)
    meta = replace(read_meta(path, where), name=path.name)
    state = None
    if os.path.lexists(path / "world.json"):
        engine_state = safe_io.read_json(path, "world.json", where, STATE_LIMIT)
        _check_engine_state(engine_state, meta, where)
        minds = {
            persona: read_mind(path, slug(persona), where)
            for persona in meta.personas
            if os.path.lexists(path / "minds" / f"{slug(persona)}.json")
        }
        state = {"engine": engine_state, "minds": minds}
    return LoadedSave(path=path, meta=meta, state=state)


def _check_engine_state(state: Any, meta: SaveMeta, where: str) -> None:
    """The outline of world.json; the engine checks the details when it restores."""
    if not isinstance(state, dict) or not state:
        raise UserError(f"{where}: world.json is empty or not an object (refused; the save "
                        "would restart from step 0)")
    step = state.get("step")
    if isinstance(step, bool) or not isinstance(step, int) or step < 0:
        raise UserError(f"{where}: world.json field 'step' must be a whole number >= 0")
    bodies = state.get("bodies")
    if not isinstance(bodies, dict):
        raise UserError(f"{where}: world.json field 'bodies' must be an object")
    for persona in meta.personas:
        if not isinstance(bodies.get(persona), dict):
            raise UserError(f"{where}: world.json has no body for '{persona}'")


def _dirs_with_meta(root: Path) -> list[str]:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError:
        return []
    return [
        e.name for e in entries
        if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
        and os.path.lexists(Path(e.path) / "meta.json")
    ]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OverflowError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if os.path.islink(path) or not os.path.isdir(path):
        os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)
