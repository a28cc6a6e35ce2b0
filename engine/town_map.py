"""The immutable town: which tiles are walkable and which place every tile belongs to.

Places are addressed like the original project: `world:sector:arena:object`. Every tile has an
*area* — the most specific of `world`, `world:sector` or `world:sector:arena` that contains it —
which is what "the same room" means for perception.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

TileXY = tuple[int, int]


@dataclass(frozen=True, eq=False)
class TownMap:
    """A loaded map. Build it with `engine.tmx_loader.load_town_map`.

    Arrays are indexed `[y, x]`. `tile_area` holds an index into `areas`; `tile_object` an index
    into `objects` or -1.
    """

    name: str
    world: str
    width: int
    height: int
    tile_px: int
    blocked: np.ndarray  # bool (h, w)
    tile_area: np.ndarray  # int32 (h, w) -> areas
    tile_object: np.ndarray  # int32 (h, w) -> objects, -1 for none
    areas: tuple[str, ...]
    objects: tuple[str, ...]
    spawns: dict[str, TileXY]
    address_tiles: dict[str, tuple[TileXY, ...]]
    area_objects: dict[int, tuple[int, ...]] = field(default_factory=dict)
    object_tiles: dict[int, tuple[TileXY, ...]] = field(default_factory=dict)

    def in_bounds(self, tile_xy: TileXY) -> bool:
        x, y = tile_xy
        return 0 <= x < self.width and 0 <= y < self.height

    def is_walkable(self, tile_xy: TileXY) -> bool:
        x, y = tile_xy
        return self.in_bounds(tile_xy) and not bool(self.blocked[y, x])

    def area_of(self, tile_xy: TileXY) -> str:
        x, y = tile_xy
        return self.areas[int(self.tile_area[y, x])]

    def area_index(self, tile_xy: TileXY) -> int:
        x, y = tile_xy
        return int(self.tile_area[y, x])

    def object_at(self, tile_xy: TileXY) -> str | None:
        x, y = tile_xy
        index = int(self.tile_object[y, x])
        return self.objects[index] if index >= 0 else None

    def has_address(self, address: str) -> bool:
        return address in self.address_tiles

    def addresses(self) -> frozenset[str]:
        """Every sector, arena and object address of the map."""
        return frozenset(self.address_tiles)

    def target_tiles(self, address: str) -> tuple[TileXY, ...]:
        """Walkable tiles where an agent can stand to be "at" an address.

        Prefers the address's own walkable tiles; when the place is entirely blocked (a counter
        drawn as a wall) it falls back to the walkable tiles next to it.
        """
        tiles = self.address_tiles.get(address, ())
        walkable = tuple(t for t in tiles if self.is_walkable(t))
        if walkable:
            return walkable
        around: dict[TileXY, None] = {}
        for x, y in tiles:
            for n in ((x, y + 1), (x - 1, y), (x + 1, y), (x, y - 1)):
                if self.is_walkable(n):
                    around[n] = None
        return tuple(around)

    def places_in_window(self, tile_xy: TileXY, radius: int) -> tuple[str, ...]:
        """Object and arena addresses visible in the square window around a tile, sorted."""
        x, y = tile_xy
        x0, x1 = max(0, x - radius), min(self.width, x + radius + 1)
        y0, y1 = max(0, y - radius), min(self.height, y + radius + 1)
        found = {self.objects[i] for i in np.unique(self.tile_object[y0:y1, x0:x1]) if i >= 0}
        for i in np.unique(self.tile_area[y0:y1, x0:x1]):
            area = self.areas[int(i)]
            if area.count(":") == 2:
                found.add(area)
        return tuple(sorted(found))
