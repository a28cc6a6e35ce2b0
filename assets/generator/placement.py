"""Furniture placement inside rooms: objects against the walls, tables and seating on the floor,
counters with the space behind them, and a free spawn tile beside every resident's bed."""

from __future__ import annotations

from dataclasses import dataclass

from .layout import Room, arena_objects, residents_of

FLOOR_KINDS = {
    "common room table", "cafe customer seating", "classroom student seating", "classroom podium", "pool table",
    "library table", "park garden", "house garden", "dorm garden", "garden chair", "lifting weight", "microphone",
    "easel", "harp", "library sofa", "common room sofa", "grocery store shelf", "pharmacy store shelf",
    "supply store product shelf", "bookshelf",
}
COUNTERS = {
    "behind the bar counter": None, "behind the cafe counter": None,
    "behind the grocery counter": "grocery store counter", "behind the pharmacy counter": "pharmacy store counter",
    "behind the supply store counter": "supply store counter",
}

# The blocking counter drawn in front of a "behind the counter" tile row (no object of its own).
COUNTER_FRONTS = {"behind the bar counter": "bar counter", "behind the cafe counter": "cafe counter"}
# Seating laid out in tidy rows: kind -> (column step, row step, first row below the top wall,
# columns at most).
GRIDS = {"cafe customer seating": (3, 2, 3, 5), "bar customer seating": (3, 2, 5, 3)}
PUB_TABLES = 6  # "bar customer seating" tables on the pub floor, besides the stools at the bar


@dataclass
class Placed:
    kind: str
    x: int
    y: int
    w: int
    h: int
    is_object: bool = True  # False for decoration (counter fronts, plants)


class RoomPlanner:
    def __init__(self, room: Room, doors: list[tuple[int, int]]):
        self.room = room
        x, y, w, h = room.rect
        self.x0, self.y0, self.x1, self.y1 = x, y, x + w - 1, y + h - 1
        self.taken: set[tuple[int, int]] = set()
        self.reserved: set[tuple[int, int]] = set()
        for dx, dy in doors:
            for ox, oy in ((0, 1), (0, -1), (1, 0), (-1, 0)):
                for k in (1, 2):
                    c = (dx + ox * k, dy + oy * k)
                    if self.inside(*c):
                        self.reserved.add(c)
        self.placed: list[Placed] = []
        self.wall_cells = {(x, y) for y in range(self.y0, self.y1 + 1) for x in range(self.x0, self.x1 + 1)
                           if x in (self.x0, self.x1) or y in (self.y0, self.y1)}
        self.spawns: list[tuple[str, int, int]] = []

    def inside(self, x: int, y: int) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def free(self, x: int, y: int, w: int, h: int, gap: int = 0) -> bool:
        if not (self.inside(x, y) and self.inside(x + w - 1, y + h - 1)):
            return False
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                if (xx, yy) in self.taken or (xx, yy) in self.reserved:
                    return False
        for yy in range(y - gap, y + h + gap):
            for xx in range(x - gap, x + w + gap):
                if (xx, yy) in self.taken:
                    return False
        return True

    def take(self, kind: str, x: int, y: int, w: int, h: int, is_object: bool = True) -> Placed:
        p = Placed(kind, x, y, w, h, is_object)
        self.placed.append(p)
        self.taken |= {(xx, yy) for yy in range(y, y + h) for xx in range(x, x + w)}
        return p

    def wall_spots(self, w: int, h: int):
        for x in range(self.x0, self.x1 + 1):
            yield x, self.y0
        for y in range(self.y0 + 1, self.y1 + 1):
            yield self.x0, y
            yield self.x1 - w + 1, y
        for x in range(self.x0, self.x1 + 1):
            yield x, self.y1 - h + 1

    def floor_spots(self, w: int, h: int):
        for y in range(self.y0 + 1, self.y1):
            for x in range(self.x0 + 1, self.x1):
                yield x, y

    def put(self, kind: str, w: int, h: int, floor: bool) -> Placed:
        attempts = [(self.floor_spots, 1), (self.wall_spots, 0), (self.floor_spots, 0)] if floor else \
            [(self.wall_spots, 0), (self.floor_spots, 1), (self.floor_spots, 0)]
        for spots, gap in attempts:
            if spots == self.floor_spots and gap:  # spread tables and seats over the floor
                best, best_score = None, -1
                for x, y in spots(w, h):
                    if self.free(x, y, w, h, gap):
                        score = min([3] + [max(abs(x - tx) - w + 1 if tx >= x else x - tx, abs(y - ty)) for
                                           tx, ty in self.taken if (tx, ty) not in self.wall_cells])
                        if score > best_score:
                            best, best_score = (x, y), score
                if best:
                    return self.take(kind, *best, w, h)
                continue
            for x, y in spots(w, h):
                if self.free(x, y, w, h, gap):
                    return self.take(kind, x, y, w, h)
        raise RuntimeError(f"no room for {kind!r} ({w}x{h}) in {self.room.arena} {self.room.rect}")

    def put_grid(self, kind: str, w: int, h: int) -> Placed:
        """The next free spot of the kind's lattice (rows of tables with aisles between),
        else wherever `put` finds room."""
        dx, dy, first, columns = GRIDS[kind]
        for y in range(self.y0 + first, self.y1, dy):
            for x in range(self.x0 + 2, self.x1 - w + 1, dx)[:columns]:
                if self.free(x, y, w, h):
                    return self.take(kind, x, y, w, h)
        return self.put(kind, w, h, True)

    def plan(self, sector: str) -> None:
        objects = arena_objects(sector, self.room.arena)
        done: set[str] = set()
        for kind, w, h in objects:  # counters first: the space behind, the counter, then bar stools
            if kind in COUNTERS and kind not in done:
                front = COUNTERS[kind]
                gate = 1 if kind in COUNTER_FRONTS else 0  # a way in beside a solid counter
                for x in range(self.x0 + 1, self.x1 - w + 1):
                    if self.free(x, self.y0, w + gate, 3):
                        break
                else:
                    raise RuntimeError(f"no room for the counter in {sector}:{self.room.arena}")
                self.take(kind, x, self.y0, w, 1)
                if front and any(k == front for k, _, _ in objects):
                    self.take(front, x, self.y0 + 1, w, 1)
                    done.add(front)
                else:
                    self.take(COUNTER_FRONTS.get(kind, "counter"), x, self.y0 + 1, w, 1,
                              is_object=False)
                self.reserved |= {(x + w, self.y0), (x + w, self.y0 + 1)} if gate else set()
                if kind == "behind the bar counter":
                    self.take("bar customer seating", x, self.y0 + 2, w, 1)
                    for _ in range(PUB_TABLES):
                        self.put_grid("bar customer seating", 1, 1)
                    done.add("bar customer seating")
                done.add(kind)
        for kind, w, h in objects:
            if kind in done and kind in COUNTERS.keys() | set(COUNTERS.values()) | {"bar customer seating"}:
                continue
            p = self.put_grid(kind, w, h) if kind in GRIDS else self.put(kind, w, h, kind in FLOOR_KINDS)
            if kind == "bed":
                self._spawns_beside(p, sector)

    def _spawns_beside(self, bed: Placed, sector: str) -> None:
        people = [n for n in residents_of(sector, self.room.arena) if n not in {s[0] for s in self.spawns}]
        if not people:
            return
        x, y, w, h = bed.x, bed.y, bed.w, bed.h
        around = [(x + w, y + 1), (x - 1, y + 1), (x + w, y), (x - 1, y), (x, y + h), (x + w - 1, y + h)]
        for cx, cy in around:
            if not people:
                break
            if self.inside(cx, cy) and (cx, cy) not in self.taken:
                self.spawns.append((people.pop(0), cx, cy))
                self.taken.add((cx, cy))
        if people:
            raise RuntimeError(f"no spawn tile beside the bed for {people}")
