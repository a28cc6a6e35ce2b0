"""How a save was made: its minds, model, weights and embedder, kept in meta.json.

A save remembers the mind options it was last run with under `extra.made_with` in meta.json
(an object of strings; "" means the program's default: the bundled model, the default
embedder). A command on an existing save uses them unless told otherwise; what the user says
wins, and `changes` names what differs so the command can say it. Saves written before this
field existed still name their mind kind in meta.json's `mind`, which stands in for it.

The model and server settings go together: naming a model or a server on the command line
drops the remembered ones of that group (a save made on a server and run with `--model X`
runs on X, not on both).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from engine.errors import UserError
from engine.save_meta import SaveMeta

KEY = "made_with"
FIELDS = ("mind", "model", "weights", "embed_model", "server", "server_model")
SOURCE = ("model", "weights", "server", "server_model")  # which model: one group
MINDS = ("generative", "routine")
MAX_VALUE = 4096


def made_with(meta: SaveMeta, where: str = "save") -> dict[str, str]:
    """The remembered options of a save ({} when it remembers none); `UserError` (one line)
    when meta.json holds a malformed `extra.made_with`."""
    raw: Any = meta.extra.get(KEY)
    if raw is None:
        return {"mind": meta.mind} if meta.mind in MINDS else {}
    if not isinstance(raw, dict):
        raise UserError(f"{where}: meta.json field 'extra.made_with' must be an object")
    recorded: dict[str, str] = {}
    for key, value in raw.items():
        if key not in FIELDS:
            continue  # a newer program's setting: not ours to judge
        if not isinstance(value, str) or len(value) > MAX_VALUE or "\x00" in value:
            raise UserError(f"{where}: meta.json field 'extra.made_with.{key}' must be a short "
                            f"string, got {value!r:.60}")
        recorded[key] = value
    if recorded.get("mind", "") not in ("", *MINDS):
        raise UserError(f"{where}: meta.json field 'extra.made_with.mind' must be one of "
                        f"{', '.join(MINDS)}, got {recorded['mind']!r:.40}")
    return recorded


def remember(meta: SaveMeta, options: dict[str, str]) -> SaveMeta:
    """`meta` with `options` (FIELDS only, "" for defaults) as how the save is made now."""
    kept = {key: options.get(key, "") or "" for key in FIELDS}
    return replace(meta, extra={**meta.extra, KEY: kept})


def merge(given: dict[str, str | None], recorded: dict[str, str]) -> dict[str, str | None]:
    """The options to run with: what was `given` (None: not given), else what the save
    remembers. Naming any model-group option drops the remembered rest of that group."""
    merged = dict(given)
    source_given = any(given.get(key) is not None for key in ("model", "server"))
    for key in FIELDS:
        if merged.get(key) is not None:
            continue
        if source_given and key in SOURCE:
            continue
        value = recorded.get(key)
        merged[key] = value if value else None
    return merged


def changes(given: dict[str, str | None], recorded: dict[str, str]) -> list[str]:
    """One phrase per remembered option the user changed ("mind routine -> generative")."""
    out = []
    for key in FIELDS:
        value = given.get(key)
        if value is None or key not in recorded:
            continue
        before = recorded[key] or "default"
        if value != recorded[key]:
            out.append(f"{key.replace('_', '-')} {before} -> {value or 'default'}")
    return out
