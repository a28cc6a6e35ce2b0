"""Reading a simulation folder of the original project, checked, without leaving the folder.

The layout and fields are the original's (see `README.md` in this package):

    reverie/meta.json                                  fork_sim_code, start_date, curr_time,
                                                       sec_per_step, maze_name, persona_names, step
    personas/<Name>/bootstrap_memory/scratch.json      the persona's Scratch fields
    personas/<Name>/bootstrap_memory/spatial_memory.json   {world: {sector: {arena: [objects]}}}
    personas/<Name>/bootstrap_memory/associative_memory/nodes.json        {"node_<n>": {...}}
    personas/<Name>/bootstrap_memory/associative_memory/kw_strength.json  keyword counters
    personas/<Name>/bootstrap_memory/associative_memory/embeddings.json   {text: [float, ...]}

Every problem is one `UserError` naming the file. Symbolic links anywhere below the folder are
refused, and persona names that could name a path outside it (`/`, `..`) are refused, so nothing
outside the given folder is ever read.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from engine import safe_json
from engine.errors import UserError

META_TIME = "%B %d, %Y, %H:%M:%S"
NODE_TIME = "%Y-%m-%d %H:%M:%S"
NODE_TYPES = ("event", "thought", "chat")
MAX_JSON_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class OriginalNode:
    """One ConceptNode of `nodes.json`, checked."""

    node_count: int
    kind: str  # event | thought | chat
    created: datetime
    description: str
    importance: int
    triple: tuple[str, str, str]
    keywords: tuple[str, ...]
    evidence: tuple[int, ...]  # thoughts: node_counts they cite
    filling: tuple[tuple[str, str], ...]  # chats: (speaker, line)
    embedding_key: str
    extra: tuple[tuple[str, Any], ...]  # fields we do not use (expiration, depth ...)


@dataclass(frozen=True, slots=True)
class OriginalPersona:
    name: str
    scratch: dict[str, Any]
    spatial: dict[str, Any]  # {world: {sector: {arena: [object, ...]}}}
    nodes: tuple[OriginalNode, ...]
    kw_strength: dict[str, Any]
    has_embeddings: bool


@dataclass(frozen=True, slots=True)
class OriginalSim:
    folder: Path
    fork_sim_code: str
    curr_time: datetime
    sec_per_step: int
    maze_name: str
    step: int
    personas: tuple[OriginalPersona, ...]
    unread: tuple[str, ...] = ()  # what else the folder holds, named for the report


class _Folder:
    """Reads files strictly inside one folder: no symbolic links, regular files only."""

    def __init__(self, root: Path) -> None:
        if root.is_symlink():
            raise UserError(f"original simulation {root}: is a symbolic link; give the real folder")
        if not root.is_dir():
            raise UserError(f"original simulation {root}: not a folder")
        self.root = root

    def check(self, relative: str) -> Path:
        path = self.root
        for part in Path(relative).parts:
            path = path / part
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                raise UserError(f"original simulation {self.root}: missing {relative}") from None
            except OSError as exc:
                raise UserError(f"{path}: cannot read ({exc.strerror})") from None
            if stat.S_ISLNK(mode):
                raise UserError(f"{path}: is a symbolic link; refusing to read outside "
                                f"{self.root}")
        return path

    def exists(self, relative: str) -> bool:
        return os.path.lexists(self.root / relative)

    def json(self, relative: str, kind: type) -> Any:
        path = self.check(relative)
        mode = os.lstat(path).st_mode
        if not stat.S_ISREG(mode):
            raise UserError(f"{path}: not a regular file")
        if os.lstat(path).st_size > MAX_JSON_BYTES:
            raise UserError(f"{path}: larger than {MAX_JSON_BYTES // 2**20} MiB")
        try:
            with open(path, "rb") as handle:
                data = safe_json.loads(handle.read(MAX_JSON_BYTES + 1))
        except (UnicodeDecodeError, ValueError) as exc:  # JSON errors, huge numbers, NaN, depth
            raise UserError(f"{path}: not valid JSON ({exc})") from None
        except OSError as exc:
            raise UserError(f"{path}: cannot read ({exc.strerror})") from None
        if not isinstance(data, kind):
            raise UserError(f"{path}: expected a JSON {'object' if kind is dict else 'list'}")
        return data


def _time(value: Any, fmt: str, where: str) -> datetime:
    try:
        return datetime.strptime(str(value), fmt)
    except ValueError:
        raise UserError(f"{where}: time {value!r} is not in the form "
                        f"{datetime(2023, 2, 13, 7).strftime(fmt)!r}") from None


def _int(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise UserError(f"{where}: expected a whole number >= {minimum}, got {value!r}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise UserError(f"{where}: expected text, got {value!r}")
    return value


def read_original(folder: Path) -> OriginalSim:
    """Read and check a whole original simulation folder (no embedding, no model)."""
    files = _Folder(Path(folder))
    meta_path = "reverie/meta.json"
    meta = files.json(meta_path, dict)
    where = str(files.root / meta_path)
    for key in ("curr_time", "sec_per_step", "maze_name", "persona_names", "step"):
        if key not in meta:
            raise UserError(f"{where}: missing field '{key}'")
    names = meta["persona_names"]
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise UserError(f"{where}: 'persona_names' must be a non-empty list of names")
    for name in names:
        if not name.strip() or "/" in name or "\\" in name or name in (".", "..") \
                or name.startswith("."):
            raise UserError(f"{where}: persona name {name!r} cannot be a folder name")
    if len(set(names)) != len(names):
        raise UserError(f"{where}: 'persona_names' lists a name twice")
    return OriginalSim(
        folder=files.root,
        fork_sim_code=str(meta.get("fork_sim_code") or ""),
        curr_time=_time(meta["curr_time"], META_TIME, where),
        sec_per_step=_int(meta["sec_per_step"], f"{where}: sec_per_step", minimum=1),
        maze_name=_text(meta["maze_name"], f"{where}: maze_name"),
        step=_int(meta["step"], f"{where}: step"),
        personas=tuple(_read_persona(files, name) for name in names),
        unread=_unread(files.root, names),
    )


def _unread(root: Path, names: list[str]) -> tuple[str, ...]:
    """Entries the import does not read, described without following any link."""
    found = []
    for entry in sorted(os.scandir(root), key=lambda e: e.name):
        if entry.name in ("reverie", "personas"):
            continue
        if entry.is_dir(follow_symlinks=False):
            count = sum(1 for _ in os.scandir(entry.path))
            found.append(f"{entry.name}/ ({count} entries)")
        else:
            found.append(entry.name)
    personas = root / "personas"
    if personas.is_dir() and not personas.is_symlink():
        found += [f"personas/{e.name}" for e in sorted(os.scandir(personas), key=lambda e: e.name)
                  if e.name not in names]
    return tuple(found)


def _read_persona(files: _Folder, name: str) -> OriginalPersona:
    base = f"personas/{name}/bootstrap_memory"
    scratch = files.json(f"{base}/scratch.json", dict)
    spatial = files.json(f"{base}/spatial_memory.json", dict)
    _check_spatial(spatial, str(files.root / base / "spatial_memory.json"))
    memory = f"{base}/associative_memory"
    nodes_where = str(files.root / memory / "nodes.json")
    raw_nodes = files.json(f"{memory}/nodes.json", dict)
    nodes = tuple(sorted((_node(key, value, nodes_where) for key, value in raw_nodes.items()),
                         key=lambda n: n.node_count))
    counts = [n.node_count for n in nodes]
    if len(set(counts)) != len(counts):
        raise UserError(f"{nodes_where}: two nodes share a node_count")
    kw = files.json(f"{memory}/kw_strength.json", dict) if files.exists(
        f"{memory}/kw_strength.json") else {}
    has_embeddings = files.exists(f"{memory}/embeddings.json")
    if has_embeddings:
        files.check(f"{memory}/embeddings.json")  # refuse a link even though we re-embed
    return OriginalPersona(name, scratch, spatial, nodes, kw, has_embeddings)


def _check_spatial(tree: dict[str, Any], where: str) -> None:
    for world, sectors in tree.items():
        if not isinstance(sectors, dict):
            raise UserError(f"{where}: '{world}' must map sectors to arenas")
        for sector, arenas in sectors.items():
            if not isinstance(arenas, dict):
                raise UserError(f"{where}: '{world}:{sector}' must map arenas to object lists")
            for arena, objects in arenas.items():
                if not isinstance(objects, list) or not all(isinstance(o, str) for o in objects):
                    raise UserError(f"{where}: '{world}:{sector}:{arena}' must be a list of "
                                    "object names")


_NODE_USED = {"node_id", "node_count", "type", "created", "description", "poignancy", "subject",
              "predicate", "object", "keywords", "filling", "embedding_key"}


def _node(key: str, data: Any, where: str) -> OriginalNode:
    here = f"{where}: {key}"
    if not isinstance(data, dict):
        raise UserError(f"{here}: expected an object")
    for field in ("node_count", "type", "created", "description", "poignancy"):
        if field not in data:
            raise UserError(f"{here}: missing field '{field}'")
    kind = data["type"]
    if kind not in NODE_TYPES:
        raise UserError(f"{here}: type {kind!r} is not one of {', '.join(NODE_TYPES)}")
    filling = data.get("filling") or []
    if not isinstance(filling, list):
        raise UserError(f"{here}: 'filling' must be a list")
    evidence: tuple[int, ...] = ()
    lines: tuple[tuple[str, str], ...] = ()
    if kind == "chat":
        if not all(isinstance(p, list) and len(p) == 2 for p in filling):
            raise UserError(f"{here}: a chat's 'filling' must be [speaker, line] pairs")
        lines = tuple((str(s), str(t)) for s, t in filling)
    elif kind == "thought":
        evidence = tuple(_evidence(item, here) for item in filling)
    keywords = data.get("keywords") or []
    if not isinstance(keywords, list):
        raise UserError(f"{here}: 'keywords' must be a list")
    description = _text(data["description"], f"{here}: description")
    return OriginalNode(
        node_count=_int(data["node_count"], f"{here}: node_count", minimum=1),
        kind=kind,
        created=_time(data["created"], NODE_TIME, f"{here}: created"),
        description=description,
        importance=_int(data["poignancy"], f"{here}: poignancy"),
        triple=tuple(str(data.get(k) or "") for k in ("subject", "predicate", "object")),
        keywords=tuple(str(k) for k in keywords),
        evidence=evidence,
        filling=lines,
        embedding_key=str(data.get("embedding_key") or description),
        extra=tuple(sorted((k, v) for k, v in data.items() if k not in _NODE_USED))
        + ((("filling", filling),) if kind == "event" and filling else ()),
    )


def _evidence(item: Any, where: str) -> int:
    text = str(item)
    digits = text.removeprefix("node_")
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 12):
        raise UserError(f"{where}: evidence {item!r} is not a node id like 'node_12'")
    return int(digits)
