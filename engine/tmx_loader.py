"""Load a Tiled .tmx map into an immutable `TownMap`, without images and without pygame.

Map conventions (see assets/README.md): object layers `Sectors`, `Arenas`, `Objects` (rectangles
named after the place) and `Spawns` (points named per persona), and a `Collisions` tile layer
(any tile blocks) or tiles with a boolean `collide` property. An arena belongs to the sector
containing its centre; an object to the arena containing its centre.
"""

from __future__ import annotations

import importlib
import logging
import math
import os
import sys
from collections.abc import Iterable
from importlib.abc import MetaPathFinder
from pathlib import Path

import numpy as np

from engine.errors import UserError
from engine.tmx_check import check_map_file
from engine.town_map import TileXY, TownMap

REQUIRED_LAYERS = ("Sectors", "Arenas", "Objects", "Spawns")
DEFAULT_WORLD = "the Ville"


class _PygameBlocker(MetaPathFinder):
    """Refuses `pygame` while pytmx is imported: pytmx only wants it for type hints."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname == "pygame" or fullname.startswith("pygame."):
            raise ImportError("pygame is not used by the engine")
        return None


def _pytmx():
    if "pytmx" in sys.modules or "pygame" in sys.modules:
        return importlib.import_module("pytmx")
    logging.getLogger("pytmx").setLevel(logging.CRITICAL)
    blocker = _PygameBlocker()
    sys.meta_path.insert(0, blocker)
    try:
        return importlib.import_module("pytmx")
    finally:
        sys.meta_path.remove(blocker)


def load_town_map(path: Path | str, name: str | None = None) -> TownMap:
    """Parse a .tmx file. Raises `UserError` naming the file and the problem."""
    path = Path(path)
    if not os.path.lexists(path):
        raise UserError(f"map file {path}: not found")
    check_map_file(path)
    pytmx = _pytmx()
    try:
        tmx = pytmx.TiledMap(str(path))
    except Exception as exc:  # pytmx raises many kinds on malformed XML
        raise UserError(f"map file {path}: not a readable Tiled map ({exc})") from None
    try:
        return _build(path, tmx, name)
    except (ValueError, TypeError, IndexError, KeyError, AttributeError, OverflowError) as exc:
        # Checked above are the common mistakes; this names anything else pytmx let through.
        raise UserError(f"map file {path}: malformed ({type(exc).__name__}: {exc})") from None


def _build(path: Path, tmx, name: str | None) -> TownMap:
    layers = {layer.name: layer for layer in tmx.layers}
    for required in REQUIRED_LAYERS:
        if required not in layers:
            raise UserError(f"map file {path}: missing required layer '{required}'")
    world = str(tmx.properties.get("world", DEFAULT_WORLD)).strip()
    if not world or ":" in world:
        raise UserError(f"map file {path}: property 'world' must be a name without ':'")
    builder = _Builder(path, world, tmx.width, tmx.height, tmx.tilewidth)
    builder.blocked = _collisions(path, tmx, layers)
    builder.add_sectors(_rects(path, layers["Sectors"], tmx))
    builder.add_arenas(_rects(path, layers["Arenas"], tmx))
    builder.add_objects(_rects(path, layers["Objects"], tmx))
    builder.add_spawns(_points(path, layers["Spawns"], tmx))
    return builder.build(name or path.stem)


def _collisions(path: Path, tmx, layers) -> np.ndarray:
    blocked = np.zeros((tmx.height, tmx.width), dtype=bool)
    found = False
    collisions = layers.get("Collisions")
    if collisions is not None and hasattr(collisions, "data"):
        found = True
        data = np.asarray(collisions.data, dtype=np.int64)
        if data.shape != blocked.shape:
            raise UserError(
                f"map file {path}: layer 'Collisions' is {data.shape[::-1]} tiles, the map is "
                f"{blocked.shape[::-1]}"
            )
        blocked |= data != 0
    colliding = {gid for gid, props in tmx.tile_properties.items() if props.get("collide") is True}
    if colliding:
        found = True
        for layer in tmx.visible_tile_layers:
            data = np.asarray(tmx.layers[layer].data, dtype=np.int64)
            if data.shape != blocked.shape:
                name = tmx.layers[layer].name
                raise UserError(f"map file {path}: layer '{name}' does not match the map size")
            blocked |= np.isin(data, list(colliding))
    if not found:
        raise UserError(
            f"map file {path}: missing required layer 'Collisions' (or tiles with 'collide')"
        )
    return blocked


def _place_name(path: Path, layer, obj) -> str:
    name = str(obj.name).strip()
    if ":" in name:
        raise UserError(
            f"map file {path}: {layer.name} object '{name}' has ':' in its name (addresses use "
            "':' between parts)"
        )
    return name


def _tile_of(path: Path, layer, obj, tmx) -> tuple[int, int]:
    x, y = float(obj.x), float(obj.y)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise UserError(f"map file {path}: {layer.name} object '{obj.name}' has no position")
    tx, ty = int(x // tmx.tilewidth), int(y // tmx.tileheight)
    if not (0 <= tx < tmx.width and 0 <= ty < tmx.height):
        raise UserError(
            f"map file {path}: {layer.name} object '{obj.name}' at tile ({tx}, {ty}) is outside "
            f"the {tmx.width}x{tmx.height} map"
        )
    return tx, ty


def _rects(path: Path, layer, tmx) -> list[tuple[str, int, int, int, int]]:
    """(name, x0, y0, x1, y1) in tiles, end-exclusive, for every named object in a layer."""
    tw, th = tmx.tilewidth, tmx.tileheight
    out = []
    for obj in layer:
        if not obj.name:
            continue
        name = _place_name(path, layer, obj)
        x0, y0 = _tile_of(path, layer, obj, tmx)
        width, height = float(obj.width or 0), float(obj.height or 0)
        if not (math.isfinite(width) and math.isfinite(height)) or width < 0 or height < 0:
            raise UserError(f"map file {path}: {layer.name} object '{name}' has a bad size")
        x1 = max(x0 + 1, int(-(-(obj.x + width) // tw)))
        y1 = max(y0 + 1, int(-(-(obj.y + height) // th)))
        out.append((name, x0, y0, min(x1, tmx.width), min(y1, tmx.height)))
    return out


def _points(path: Path, layer, tmx) -> list[tuple[str, int, int]]:
    return [
        (_place_name(path, layer, obj), *_tile_of(path, layer, obj, tmx))
        for obj in layer
        if obj.name
    ]


class _Builder:
    """Accumulates places tile by tile, then freezes them into a TownMap."""

    def __init__(self, path: Path, world: str, width: int, height: int, tile_px: int):
        self.path, self.world = path, world
        self.width, self.height, self.tile_px = width, height, tile_px
        self.blocked = np.zeros((height, width), dtype=bool)
        self.areas: list[str] = [world]
        self.tile_area = np.zeros((height, width), dtype=np.int32)
        self.objects: list[str] = []
        self.tile_object = np.full((height, width), -1, dtype=np.int32)
        self.sector_rects: list[tuple[str, int, int, int, int]] = []
        self.spawns: dict[str, TileXY] = {}

    def _area_id(self, address: str) -> int:
        if address not in self.areas:
            self.areas.append(address)
        return self.areas.index(address)

    def add_sectors(self, rects: Iterable[tuple[str, int, int, int, int]]) -> None:
        for name, x0, y0, x1, y1 in rects:
            self.sector_rects.append((name, x0, y0, x1, y1))
            self.tile_area[y0:y1, x0:x1] = self._area_id(f"{self.world}:{name}")

    def _sector_at(self, x: int, y: int) -> str | None:
        for name, x0, y0, x1, y1 in self.sector_rects:
            if x0 <= x < x1 and y0 <= y < y1:
                return name
        return None

    def add_arenas(self, rects: Iterable[tuple[str, int, int, int, int]]) -> None:
        for name, x0, y0, x1, y1 in rects:
            cx, cy = (x0 + x1 - 1) // 2, (y0 + y1 - 1) // 2
            sector = self._sector_at(cx, cy)
            if sector is None:
                raise UserError(
                    f"map file {self.path}: arena '{name}' at tile ({cx}, {cy}) is not inside "
                    "any sector"
                )
            self.tile_area[y0:y1, x0:x1] = self._area_id(f"{self.world}:{sector}:{name}")

    def add_objects(self, rects: Iterable[tuple[str, int, int, int, int]]) -> None:
        for name, x0, y0, x1, y1 in rects:
            cx, cy = (x0 + x1 - 1) // 2, (y0 + y1 - 1) // 2
            area = self.areas[int(self.tile_area[cy, cx])]
            if area.count(":") != 2:
                raise UserError(
                    f"map file {self.path}: object '{name}' at tile ({cx}, {cy}) is not inside "
                    "any arena"
                )
            address = f"{area}:{name}"
            if address not in self.objects:
                self.objects.append(address)
            self.tile_object[y0:y1, x0:x1] = self.objects.index(address)

    def add_spawns(self, points: Iterable[tuple[str, int, int]]) -> None:
        for name, x, y in points:
            if not (0 <= x < self.width and 0 <= y < self.height) or self.blocked[y, x]:
                raise UserError(
                    f"map file {self.path}: spawn point '{name}' at tile ({x}, {y}) is not on a "
                    "walkable tile"
                )
            self.spawns[name] = (x, y)

    def build(self, name: str) -> TownMap:
        address_tiles: dict[str, list[TileXY]] = {}
        area_objects: dict[int, set[int]] = {}
        object_tiles: dict[int, list[TileXY]] = {}
        for y in range(self.height):
            for x in range(self.width):
                area = self.areas[int(self.tile_area[y, x])]
                parts = area.split(":")
                for depth in range(2, len(parts) + 1):
                    address_tiles.setdefault(":".join(parts[:depth]), []).append((x, y))
                obj = int(self.tile_object[y, x])
                if obj >= 0:
                    address_tiles.setdefault(self.objects[obj], []).append((x, y))
                    area_objects.setdefault(int(self.tile_area[y, x]), set()).add(obj)
                    object_tiles.setdefault(obj, []).append((x, y))
        return TownMap(
            name=name,
            world=self.world,
            width=self.width,
            height=self.height,
            tile_px=self.tile_px,
            blocked=self.blocked,
            tile_area=self.tile_area,
            tile_object=self.tile_object,
            areas=tuple(self.areas),
            objects=tuple(self.objects),
            spawns=dict(self.spawns),
            address_tiles={k: tuple(v) for k, v in address_tiles.items()},
            area_objects={k: tuple(sorted(v)) for k, v in area_objects.items()},
            object_tiles={k: tuple(v) for k, v in object_tiles.items()},
        )
