"""Checks on a .tmx file before pytmx sees it: size, XML tricks, and the files it refers to.

A map may come inside someone else's save. Before parsing it for real we make sure that it is a
plain file of sane size, that it declares no DTD or entities (no "billion laughs", no external
entities), that its dimensions are positive and bounded, and that every file it refers to
(external tilesets, tileset images, object templates) is a plain relative path inside the map's
own folder that exists as a regular file — so loading a map never reads anything elsewhere, and
a missing tileset image is a one-line error here rather than a crash in the window later.
"""

from __future__ import annotations

import os
import stat
import xml.etree.ElementTree as ET
from pathlib import Path

from engine import safe_io
from engine.errors import UserError

MAP_LIMIT = 64 * safe_io.MiB
MAX_TILES_PER_SIDE = 4096
MAX_TILE_PX = 1024


def check_map_file(path: Path) -> None:
    """Raise UserError naming the file and the first problem found."""
    where = f"map file {path}"
    root = _parse(path.parent, path.name, where)
    if root.tag != "map":
        raise UserError(f"{where}: top element is <{root.tag}>, not <map>")
    for key, high in (("width", MAX_TILES_PER_SIDE), ("height", MAX_TILES_PER_SIDE),
                      ("tilewidth", MAX_TILE_PX), ("tileheight", MAX_TILE_PX)):
        _positive(root.get(key), key, high, where)
    if root.get("infinite", "0") not in ("0", ""):
        raise UserError(f"{where}: infinite maps are not supported (save it as a fixed size)")
    _check_references(path.parent, root, where, nested=False)


def _parse(folder: Path, name: str, where: str) -> ET.Element:
    data = safe_io.read_bytes(folder, name, where, MAP_LIMIT)
    head = data[:4096].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in data.upper():
        raise UserError(f"{where}: XML with a DOCTYPE or entities is refused")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise UserError(f"{where}: not well-formed XML ({exc})") from None
    except (LookupError, ValueError) as exc:  # e.g. an unknown encoding="..." declaration
        raise UserError(f"{where}: not readable XML ({exc})") from None


def _positive(value: str | None, key: str, high: int, where: str) -> int:
    try:
        number = int(value or "")
    except ValueError:
        raise UserError(f"{where}: <map> {key}={value!r} is not a whole number") from None
    if not 1 <= number <= high:
        raise UserError(f"{where}: <map> {key}={number} must be from 1 to {high}")
    return number


def _check_references(folder: Path, root: ET.Element, where: str, nested: bool) -> None:
    for element in root.iter():
        attribute = "template" if element.tag == "object" else "source"
        if element.tag not in ("tileset", "image", "object") or element.get(attribute) is None:
            continue
        reference = element.get(attribute) or ""
        what = {"tileset": "tileset", "image": "tileset image", "object": "object template"}
        label = what[element.tag]
        try:
            parts = safe_io.plain_parts(reference, where)
        except UserError:
            raise UserError(
                f"{where}: {label} '{reference}' must be a relative path inside the map's folder"
            ) from None
        target = folder.joinpath(*parts)
        try:
            mode = os.lstat(target).st_mode
        except OSError:
            raise UserError(f"{where}: {label} '{reference}' not found") from None
        if not stat.S_ISREG(mode):
            raise UserError(f"{where}: {label} '{reference}' is not a regular file; refused")
        if element.tag == "tileset" and not nested:
            relative = "/".join(parts)
            nested_root = _parse(folder, relative, f"{where}: tileset {reference}")
            if any(e.tag == "tileset" and e.get("source") for e in nested_root.iter()):
                raise UserError(f"{where}: tileset '{reference}' refers to another tileset")
            # Images of an external tileset are relative to the tileset's own folder.
            _check_references(target.parent, nested_root, where, nested=True)
