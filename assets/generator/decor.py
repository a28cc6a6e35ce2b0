"""Decoration that makes rooms feel lived in: bathtubs and cabinets in bathrooms, crates and
display tables in shops, armchairs and lamps in common rooms, barrels in the pub.

Decoration is not a game object (no `Objects` rectangle, no address) and it blocks, so it is
placed against walls only where every free tile of the room stays connected to the room's
doors (checked by a flood fill each time); what does not fit is left out. Deterministic: the
candidate order comes from the room, the kinds from the table below.
"""

from __future__ import annotations

from collections import deque

from .placement import RoomPlanner

# (words in the arena name, decoration kinds in the order tried)
DECOR: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("bathroom",), ("bathtub", "towel shelf", "laundry basket", "cabinet")),
    (("kitchen",), ("cabinet", "trash bin", "cabinet")),
    (("store",), ("display table", "crates", "display table", "crates", "plant stand", "crates",
                  "display table", "plant stand")),
    (("pub",), ("dartboard", "fireplace", "booth", "barrel", "jukebox", "booth", "barrel",
                "coat rack", "plant stand", "barrel", "booth")),
    (("cafe",), ("menu board", "bookcase", "cafe bench", "plant stand", "coat rack", "cafe bench",
                 "plant stand", "bookcase", "plant stand", "cafe bench", "plant stand")),
    (("common room",), ("armchair", "floor lamp", "side table", "armchair", "plant stand", "cabinet")),
    (("hallway",), ("notice board", "water cooler", "plant stand", "bench", "plant stand", "bench")),
    (("classroom",), ("cabinet", "globe", "plant stand", "cabinet")),
    (("library",), ("armchair", "floor lamp", "armchair", "plant stand")),
    (("room", "bedroom", "main room"), ("side table", "floor lamp", "armchair", "plant stand")),
)
DECOR_SIZE = {"bathtub": (2, 1), "display table": (2, 1), "bench": (2, 1), "booth": (2, 1),
              "fireplace": (2, 1), "cafe bench": (2, 1)}
TIDY_ROOMS = ("cafe", "pub")  # tables in rows: decoration only along the walls
FLOOR_DECOR = {"display table", "side table", "barrel", "plant stand", "armchair"}
CELLS_PER_PIECE = 14


def decor_kinds(arena: str) -> tuple[str, ...]:
    low = arena.lower()
    for words, kinds in DECOR:
        if any(word in low for word in words):
            return kinds
    return ()


def decorate(planner: RoomPlanner) -> list:
    """Place the room's decoration (see the module docstring); returns what was placed.

    Bigger rooms get more (one piece per `CELLS_PER_PIECE` floor cells, cycling the kinds);
    each piece goes where it is farthest from what is already there, so it spreads out."""
    kinds = decor_kinds(planner.room.arena)
    if planner.room.outdoor or not kinds:
        return []
    area = (planner.x1 - planner.x0 + 1) * (planner.y1 - planner.y0 + 1)
    count = max(len(kinds), area // CELLS_PER_PIECE)
    placed = []
    for n in range(count):
        kind = kinds[n % len(kinds)]
        w, h = DECOR_SIZE.get(kind, (1, 1))
        spots = list(dict.fromkeys(planner.wall_spots(w, h)))
        if kind in FLOOR_DECOR and planner.room.arena not in TIDY_ROOMS:
            spots += [s for s in planner.floor_spots(w, h) if s not in spots]
        scored = sorted(((-_spread(planner, x, y, w, h), i, (x, y)) for i, (x, y) in enumerate(spots)
                         if planner.free(x, y, w, h, gap=0)), key=lambda t: (t[0], t[1]))
        for _, _, (x, y) in scored:
            if _keeps_room_connected(planner, {(x + i, y + j) for i in range(w) for j in range(h)}):
                placed.append(planner.take(kind, x, y, w, h, is_object=False))
                break
    return placed


def _spread(planner: RoomPlanner, x: int, y: int, w: int, h: int) -> int:
    """How far (tiles, capped at 4) a piece at (x, y) would be from everything placed."""
    best = 4
    for tx, ty in planner.taken:
        dx = max(x - tx, tx - (x + w - 1), 0)
        dy = max(y - ty, ty - (y + h - 1), 0)
        best = min(best, max(dx, dy))
        if best == 0:
            break
    return best


def _solid(planner: RoomPlanner) -> set[tuple[int, int]]:
    """Cells no one can walk on: decoration and other non-object furniture that blocks."""
    return {(p.x + i, p.y + j) for p in planner.placed if not p.is_object
            for i in range(p.w) for j in range(p.h)}  # counters too: they block


def _walkable(planner: RoomPlanner, extra: set[tuple[int, int]]) -> set[tuple[int, int]]:
    blocked = _solid(planner) | extra
    return {(x, y) for x in range(planner.x0, planner.x1 + 1)
            for y in range(planner.y0, planner.y1 + 1)} - blocked


def _objects_with_room_beside(planner: RoomPlanner, cells: set[tuple[int, int]]) -> int:
    """Objects with a free, walkable neighbour tile (people stand beside fridges and sinks)."""
    free = cells - planner.taken
    count = 0
    for p in planner.placed:
        if p.is_object:
            ring = {(p.x + i, p.y - 1) for i in range(p.w)} | {(p.x + i, p.y + p.h) for i in range(p.w)} \
                | {(p.x - 1, p.y + j) for j in range(p.h)} | {(p.x + p.w, p.y + j) for j in range(p.h)}
            count += bool(ring & free)
    return count


def _keeps_room_connected(planner: RoomPlanner, new: set[tuple[int, int]]) -> bool:
    cells = _walkable(planner, new)
    if not cells:
        return False
    starts = sorted(c for c in planner.reserved if c in cells) or [min(cells)]
    seen = set(starts)
    queue = deque(starts)
    while queue:
        x, y = queue.popleft()
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nxt = (x + dx, y + dy)
            if nxt in cells and nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    if seen != cells:
        return False
    before = _objects_with_room_beside(planner, _walkable(planner, set()))
    return _objects_with_room_beside(planner, cells) >= before
