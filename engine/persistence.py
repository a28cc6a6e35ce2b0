"""Saves: directories of JSON/JSONL (+ .npy arrays) under the user data dir, written atomically.

Layout of a save (and of a shipped base, which has no world yet):

    meta.json            format version, fork source, map, clock, step, seed, personas, mind
    personas/<slug>.json persona files (copied from the base when forking)
    history.csv          optional history in the original's Name,Whisper format
    import_report.txt    what `simulacra import-original` could not map (imported saves only)
    world.json           the engine state at a step boundary
    minds/<slug>.json    each mind's state; arrays in it live in minds/<slug>.<n>.npy
    runlog.jsonl         the append-only run log (replay and analysis)

A save is written to a hidden temporary sibling and renamed into place, so a crash mid-save
leaves the previous save intact. No pickle anywhere.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from engine import paths
from engine.errors import UserError
from engine.personas import persona_slug as slug

FORMAT_VERSION = 1
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,63}$")
RUNLOG = "runlog.jsonl"


@dataclass(frozen=True, slots=True)
class SaveMeta:
    """The summary of a save: enough to list it and to rebuild its simulation."""

    name: str
    map: str
    start_time: str
    step_s: int
    seed: int
    personas: tuple[str, ...]
    step: int = 0
    fork_source: str | None = None
    mind: str = ""
    model: str = ""
    runlog_lines: int = 0
    format_version: int = FORMAT_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["personas"] = list(self.personas)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str) -> SaveMeta:
        try:
            return cls(
                name=str(data["name"]),
                map=str(data["map"]),
                start_time=str(data["start_time"]),
                step_s=int(data["step_s"]),
                seed=int(data["seed"]),
                personas=tuple(str(p) for p in data["personas"]),
                step=int(data.get("step", 0)),
                fork_source=data.get("fork_source"),
                mind=str(data.get("mind", "")),
                model=str(data.get("model", "")),
                runlog_lines=int(data.get("runlog_lines", 0)),
                format_version=int(data.get("format_version", FORMAT_VERSION)),
                extra=dict(data.get("extra", {})),
            )
        except KeyError as exc:
            raise UserError(f"{where}: meta.json is missing field {exc}") from None
        except (TypeError, ValueError) as exc:
            raise UserError(f"{where}: meta.json has a bad value ({exc})") from None


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


def validate_name(name: str) -> str:
    """Refuse save names that could escape the saves folder or confuse the file system."""
    if not name or "/" in name or "\\" in name or ".." in name or not _NAME_RE.match(name):
        raise UserError(
            f"bad save name '{name}': use letters, digits, spaces, '-', '_' or '.', "
            "at most 64 characters, no '/' and no '..'"
        )
    return name


class SaveStore:
    """Lists, forks, reads and writes saves. Roots default to the user data dir and repo bases."""

    def __init__(self, saves_root: Path | None = None, bases_root: Path | None = None,
                 user_bases_root: Path | None = None):
        self.saves_root = saves_root or paths.saves_dir()
        self.bases_root = bases_root or paths.bases_dir()
        self.user_bases_root = user_bases_root or paths.user_bases_dir()

    # ------------------------------------------------------------------ listing

    def base_names(self) -> list[str]:
        """Shipped bases, then the user's own (`simulacra make-base`); shipped names win."""
        shipped = _dirs_with_meta(self.bases_root)
        return shipped + [n for n in _dirs_with_meta(self.user_bases_root) if n not in shipped]

    def save_names(self) -> list[str]:
        self._recover_interrupted()
        return _dirs_with_meta(self.saves_root)

    def save_path(self, name: str) -> Path:
        return self.saves_root / validate_name(name)

    def exists(self, name: str) -> bool:
        return (self.save_path(name) / "meta.json").is_file()

    def base_path(self, name: str) -> Path:
        path = self.bases_root / name
        if not (path / "meta.json").is_file():
            path = self.user_bases_root / name
        if "/" in name or ".." in name or not (path / "meta.json").is_file():
            available = ", ".join(self.base_names()) or "none"
            raise UserError(f"unknown base simulation '{name}' (available: {available})")
        return path

    # ------------------------------------------------------------------ fork / read

    def fork(self, base: str, new_name: str) -> LoadedSave:
        """Copy a shipped base into the user's saves under a new name."""
        source = self.base_path(base)
        validate_name(new_name)
        target = self.save_path(new_name)
        if target.exists():
            raise UserError(
                f"save '{new_name}' already exists (continue it with --load {new_name}, "
                "or choose another --name)"
            )
        self.saves_root.mkdir(parents=True, exist_ok=True)
        tmp = self.saves_root / f".tmp-{new_name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(source, tmp, ignore=shutil.ignore_patterns("README.md"))
        meta = read_meta(tmp, f"base '{base}'")
        meta = replace(meta, name=new_name, fork_source=base)
        _write_json(tmp / "meta.json", meta.to_json())
        os.replace(tmp, target)
        return self.read(new_name)

    def read(self, name: str) -> LoadedSave:
        self._recover_interrupted()
        path = self.save_path(name)
        if not (path / "meta.json").is_file():
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
        """Atomically write a save named `name`; persona files are copied from `source`."""
        validate_name(name)
        self.saves_root.mkdir(parents=True, exist_ok=True)
        target = self.save_path(name)
        tmp = self.saves_root / f".tmp-{name}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        shutil.copytree(source / "personas", tmp / "personas")
        for kept in ("history.csv", "import_report.txt"):  # files a save carries along
            if (source / kept).is_file():
                shutil.copy2(source / kept, tmp / kept)
        if runlog_path is not None and runlog_path.is_file():
            _link_or_copy(runlog_path, tmp / RUNLOG)
            if runlog_path.with_suffix(".idx").is_file():  # the run log's keyframe index
                _link_or_copy(runlog_path.with_suffix(".idx"), tmp / "runlog.idx")
        _write_json(tmp / "world.json", state["engine"])
        (tmp / "minds").mkdir()
        for persona, mind_state in state["minds"].items():
            _write_mind(tmp / "minds", slug(persona), mind_state)
        _write_json(tmp / "meta.json", replace(meta, name=name).to_json())
        _swap_into_place(tmp, target)
        return target

    def _recover_interrupted(self) -> None:
        """Finish a swap that a crash interrupted: put the previous save back."""
        if not self.saves_root.is_dir():
            return
        for old in self.saves_root.glob(".old-*"):
            name = old.name[len(".old-"):]
            target = self.saves_root / name
            if target.exists():
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(old, target)


def read_meta(path: Path, where: str) -> SaveMeta:
    try:
        with open(path / "meta.json", encoding="utf-8") as handle:
            data = json.load(handle)
    except json.JSONDecodeError as exc:
        raise UserError(f"{where}: meta.json is not valid JSON ({exc})") from None
    return SaveMeta.from_json(data, where)


def read_save(path: Path, where: str) -> LoadedSave:
    meta = read_meta(path, where)
    state = None
    if (path / "world.json").is_file():
        try:
            engine_state = _read_json(path / "world.json")
            minds = {
                persona: _read_mind(path / "minds", slug(persona))
                for persona in meta.personas
                if (path / "minds" / f"{slug(persona)}.json").is_file()
            }
        except (json.JSONDecodeError, OSError, ValueError) as exc:
            raise UserError(f"{where}: the saved world is damaged ({exc})") from None
        state = {"engine": engine_state, "minds": minds}
    return LoadedSave(path=path, meta=meta, state=state)


def _dirs_with_meta(root: Path) -> list[str]:
    if not root.is_dir():
        return []
    return sorted(
        p.name for p in root.iterdir()
        if p.is_dir() and not p.name.startswith(".") and (p / "meta.json").is_file()
    )


def _write_json(path: Path, data: Any) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _write_mind(folder: Path, stem: str, state: dict[str, Any]) -> None:
    counter = [0]

    def strip(value: Any) -> Any:
        if isinstance(value, np.ndarray):
            file_name = f"{stem}.{counter[0]}.npy"
            counter[0] += 1
            np.save(folder / file_name, value, allow_pickle=False)
            return {"__npy__": file_name}
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        return value

    _write_json(folder / f"{stem}.json", strip(state))


def _read_mind(folder: Path, stem: str) -> dict[str, Any]:
    def restore(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"__npy__"}:
                name = Path(value["__npy__"]).name  # never leave the minds folder
                return np.load(folder / name, allow_pickle=False)
            return {k: restore(v) for k, v in value.items()}
        if isinstance(value, list):
            return [restore(v) for v in value]
        return value

    return restore(_read_json(folder / f"{stem}.json"))


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _swap_into_place(tmp: Path, target: Path) -> None:
    if not target.exists():
        os.replace(tmp, target)
        return
    old = target.parent / f".old-{target.name}"
    shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    os.replace(tmp, target)
    shutil.rmtree(old, ignore_errors=True)
