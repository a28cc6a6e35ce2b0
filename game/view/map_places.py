"""The map's named places for drawing: building names, what is under the mouse, object kinds.

Read from the TMX object layers (`Sectors`, `Arenas`, `Objects`) that pytmx already loaded, so
this works the same for a live town, a replay and a headless render. Rectangles are kept in
tiles; a tile's place is the first rectangle of each layer that contains it (as the engine's
address rule: sector, then arena, then object).
"""

from __future__ import annotations

from dataclasses import dataclass

# Objects people use sitting or lying, and those they stand beside (not on).
SIT_KINDS = ("chair", "sofa", "seating", "bench", "desk", "computer", "table", "toilet",
             "piano", "classroom student seating", "game console", "guitar", "harp")
BESIDE_KINDS = ("fridge", "refrigerator", "sink", "stove", "cooking area", "kitchen", "shelf",
                "counter", "oven", "microphone", "blackboard", "podium", "shower", "closet",
                "wardrobe", "easel", "garden", "machine", "register", "toaster", "pool table",
                "lifting weight")


@dataclass(frozen=True, slots=True)
class PlaceRect:
    name: str
    x: int
    y: int
    w: int
    h: int

    def contains(self, tile_xy) -> bool:
        return self.x <= tile_xy[0] < self.x + self.w and self.y <= tile_xy[1] < self.y + self.h

    @property
    def area(self) -> int:
        return self.w * self.h


def _rects(tmx, layer_name: str, tile_px: int) -> list[PlaceRect]:
    try:
        layer = tmx.get_layer_by_name(layer_name)
    except (ValueError, KeyError):
        return []
    out = []
    for obj in layer:
        if not getattr(obj, "name", None) or not obj.width:
            continue
        out.append(PlaceRect(str(obj.name), round(obj.x / tile_px), round(obj.y / tile_px),
                             max(1, round(obj.width / tile_px)),
                             max(1, round(obj.height / tile_px))))
    return out


def pose_for(kind: str | None) -> str:
    """"sit", "beside" or "stand" for an agent resting on an object of this kind."""
    if not kind:
        return "stand"
    low = kind.lower()
    if low.startswith("behind the"):
        return "stand"  # staff stand behind their counter
    if low == "bed" or low.endswith(" bed"):
        return "lie"
    if any(word in low for word in BESIDE_KINDS):
        return "beside"
    if any(word in low for word in SIT_KINDS):
        return "sit"
    return "stand"


class MapPlaces:
    """Sector, arena and object rectangles of one map, looked up by tile."""

    def __init__(self, tmx, tile_px: int):
        self.sectors = _rects(tmx, "Sectors", tile_px)
        self.arenas = _rects(tmx, "Arenas", tile_px)
        self.objects = _rects(tmx, "Objects", tile_px)
        self._object_by_tile: dict[tuple[int, int], PlaceRect] = {}
        for rect in self.objects:
            for ty in range(rect.y, rect.y + rect.h):
                for tx in range(rect.x, rect.x + rect.w):
                    self._object_by_tile.setdefault((tx, ty), rect)

    def object_at(self, tile_xy) -> PlaceRect | None:
        return self._object_by_tile.get((int(tile_xy[0]), int(tile_xy[1])))

    def at(self, tile_xy) -> tuple[str | None, str | None, str | None]:
        """(sector, arena, object) names at a tile; None where there is none."""
        sector = next((r.name for r in self.sectors if r.contains(tile_xy)), None)
        arena = next((r.name for r in self.arenas if r.contains(tile_xy)), None)
        obj = self.object_at(tile_xy)
        return sector, arena, obj.name if obj else None

    def building_labels(self) -> list[PlaceRect]:
        """One rectangle per sector name (its largest) to write the name on."""
        best: dict[str, PlaceRect] = {}
        for rect in self.sectors:
            if rect.name not in best or rect.area > best[rect.name].area:
                best[rect.name] = rect
        return sorted(best.values(), key=lambda r: (r.y, r.x))
