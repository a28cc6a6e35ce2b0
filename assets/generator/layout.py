"""Where everything is: buildings, rooms, doors, gardens, roads and the park of the Ville.

All coordinates are tiles.  A building is a stack of rows of rooms separated by one-tile walls;
every room opens onto the building's hub room (or a neighbour) through an automatic doorway.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .furniture import footprint
from .places import DOUBLE_BED_ARENAS, PLACES, RESIDENTS

MAP_W, MAP_H = 140, 100
Rect = tuple[int, int, int, int]  # x, y, w, h


@dataclass
class Room:
    arena: str
    rect: Rect  # interior cells
    outdoor: bool = False


@dataclass
class Building:
    sector: str
    x: int
    y: int
    rows: list[tuple[int, list[tuple[str, int]]]]
    hub: str
    exits: list[tuple[str, str]]  # (arena, side) doors through the outer wall
    face: tuple = (214, 190, 150)  # exterior wall colour
    cap: tuple = (92, 72, 70)
    garden: tuple[str, int, str] | None = None  # (arena, height, room that opens onto it)
    rooms: list[Room] = field(default_factory=list)
    doors: list[tuple[int, int]] = field(default_factory=list)
    exterior_doors: list[tuple[int, int, str]] = field(default_factory=list)
    w: int = 0
    h: int = 0

    def __post_init__(self) -> None:
        widths = {sum(w for _, w in cols) + len(cols) - 1 for _, cols in self.rows}
        if len(widths) != 1:
            raise ValueError(f"{self.sector}: rows have different widths {widths}")
        self.w = widths.pop() + 2
        self.h = sum(h for h, _ in self.rows) + len(self.rows) + 1
        y = self.y + 1
        for h, cols in self.rows:
            x = self.x + 1
            for arena, w in cols:
                self.rooms.append(Room(arena, (x, y, w, h)))
                x += w + 1
            y += h + 1
        if self.garden:
            arena, gh, _ = self.garden
            self.rooms.append(Room(arena, (self.x + 1, self.y + self.h, self.w - 2, gh - 1), outdoor=True))
        self._doors()

    @property
    def rect(self) -> Rect:
        return (self.x, self.y, self.w, self.h)

    def sector_rects(self) -> list[Rect]:
        rects = [self.rect]
        if self.garden:
            rects.append((self.x, self.y + self.h, self.w, self.garden[1]))
        return rects

    def _shared_wall(self, a: Room, b: Room) -> list[tuple[int, int]]:
        ax, ay, aw, ah = a.rect
        bx, by, bw, bh = b.rect
        cells = []
        if ay + ah + 1 == by or by + bh + 1 == ay:  # stacked
            wy = ay + ah if ay < by else by + bh
            cells = [(x, wy) for x in range(max(ax, bx), min(ax + aw, bx + bw))]
        elif ax + aw + 1 == bx or bx + bw + 1 == ax:  # side by side
            if not (ay + ah + 1 == by or by + bh + 1 == ay):
                wx = ax + aw if ax < bx else bx + bw
                cells = [(wx, y) for y in range(max(ay, by), min(ay + ah, by + bh))]
        return cells

    def _doors(self) -> None:
        hubs = [r for r in self.rooms if r.arena == self.hub]
        for room in self.rooms:
            if room.arena == self.hub and room is hubs[0]:
                continue
            if room.outdoor:
                opener = next(r for r in self.rooms if r.arena == self.garden[2] and not r.outdoor)
                x, y, w, h = opener.rect
                self.doors.append((x + w // 2, y + h))
                continue
            choices = [self._shared_wall(room, hub) for hub in hubs if hub is not room]
            choices = [c for c in choices if c] or [
                self._shared_wall(room, other) for other in self.rooms if other is not room and not other.outdoor]
            cells = max((c for c in choices if c), key=len, default=None)
            if not cells:
                raise ValueError(f"{self.sector}:{room.arena} touches no other room")
            self.doors.append(cells[len(cells) // 2])
        for arena, side in self.exits:
            for room in (r for r in self.rooms if r.arena == arena and not r.outdoor):
                x, y, w, h = room.rect
                cx, cy = {"N": (x + w // 2, y - 1), "S": (x + w // 2, y + h), "W": (x - 1, y + h // 2),
                          "E": (x + w, y + h // 2)}[side]
                if cx in (self.x, self.x + self.w - 1) or cy in (self.y, self.y + self.h - 1):
                    self.exterior_doors.append((cx, cy, side))
                    break
            else:
                raise ValueError(f"{self.sector}: no outer wall on side {side} of {arena}")


def _house(sector, x, y, beds, extra_common=None, face=(222, 200, 160), cap=(120, 70, 60)):
    a, b = beds
    return Building(sector, x, y, [(6, [(a, 7), (b, 5), ("bathroom", 3)]), (5, [("common room", 17)]),
                                   (5, [("kitchen", 17)])], "common room", [("common room", "W")],
                    face, cap, garden=("garden", 8, "kitchen"))


def _small(sector, x, y, face, cap, door="N"):
    rows = [(8, [("main room", 10)]), (3, [("bathroom", 10)])]
    if door == "S":
        rows = rows[::-1]
    return Building(sector, x, y, rows, "main room", [("main room", door)], face, cap)


BUILDINGS: list[Building] = [
    Building("artist's co-living space", 3, 2,
             [(7, [("Latoya Williams's room", 9), ("Latoya Williams's bathroom", 3), ("Rajiv Patel's room", 9),
                   ("Rajiv Patel's bathroom", 3), ("Abigail Chen's room", 10), ("Abigail Chen's bathroom", 3)]),
              (5, [("common room", 42)]),
              (7, [("Francisco Lopez's room", 9), ("Francisco Lopez's bathroom", 3), ("Hailey Johnson's room", 9),
                   ("Hailey Johnson's bathroom", 3), ("kitchen", 9), ("common room", 4)])],
             "common room", [("common room", "E"), ("common room", "S")], (206, 150, 120), (96, 64, 72)),
    _small("Arthur Burton's apartment", 50, 6, (200, 196, 210), (80, 80, 110), "S"),
    _small("Ryan Park's apartment", 63, 6, (200, 196, 210), (80, 80, 110), "S"),
    _small("Isabella Rodriguez's apartment", 76, 6, (200, 196, 210), (80, 80, 110), "S"),
    _small("Giorgio Rossi's apartment", 89, 6, (200, 196, 210), (80, 80, 110), "S"),
    _small("Carlos Gomez's apartment", 110, 6, (200, 196, 210), (80, 80, 110), "S"),
    Building("The Rose and Crown Pub", 51, 30, [(10, [("pub", 16)])], "pub", [("pub", "N")],
             (150, 90, 70), (70, 50, 46)),
    Building("Hobbs Cafe", 71, 30, [(10, [("cafe", 16)])], "cafe", [("cafe", "N")], (236, 206, 160), (150, 80, 60)),
    Building("Harvey Oak Supply Store", 51, 45, [(9, [("supply store", 14)])], "supply store", [("supply store", "S")],
             (180, 170, 140), (90, 90, 80)),
    Building("The Willows Market and Pharmacy", 69, 45, [(9, [("store", 24)])], "store", [("store", "S")],
             (200, 220, 210), (60, 110, 100)),
    Building("Oak Hill College", 109, 22, [(10, [("classroom", 13), ("library", 13)]), (4, [("hallway", 27)])],
             "hallway", [("hallway", "W")], (210, 180, 170), (120, 60, 56)),
    Building("Dorm for Oak Hill College", 109, 42,
             [(6, [("Klaus Mueller's room", 6), ("Maria Lopez's room", 6), ("Ayesha Khan's room", 6),
                   ("Wolfgang Schulz's room", 6)]),
              (5, [("common room", 27)]),
              (5, [("man's bathroom", 5), ("woman's bathroom", 5), ("kitchen", 15)])],
             "common room", [("common room", "W")], (220, 200, 180), (110, 70, 60),
             garden=("garden", 10, "kitchen")),
    _small("Adam Smith's house", 3, 63, (230, 214, 176), (130, 80, 56)),
    _small("Yuriko Yamamoto's house", 17, 63, (214, 226, 236), (70, 90, 120)),
    _small("Moore family's house", 31, 63, (236, 220, 200), (110, 60, 60)),
    _house("Tamara Taylor and Carmen Ortiz's house", 45, 63, ("Tamara Taylor's room", "Carmen Ortiz's room")),
    _house("Moreno family's house", 66, 63, ("Tom and Jane Moreno's bedroom", "empty bedroom")),
    _house("Lin family's house", 87, 63, ("Mei and John Lin's bedroom", "Eddy Lin's bedroom")),
]

PARK = ("Johnson Park", "park", (3, 30, 42, 26))  # sector, arena, rect (whole fenced area)
POND = (10, 40, 9, 6)
# roads: (x, y, w, h) stone avenues
ROADS: list[Rect] = [(1, 26, 136, 2), (1, 58, 106, 2), (47, 2, 2, 57), (105, 2, 2, 58)]


def arena_objects(sector: str, arena: str) -> list[tuple[str, int, int]]:
    """Objects to place: (kind, width, height) with repeats for seating-like kinds."""
    repeats = {"cafe customer seating": 15, "classroom student seating": 12, "bookshelf": 5, "grocery store shelf": 5,
               "pharmacy store shelf": 3, "supply store product shelf": 5, "library table": 2,
               "park garden": 4, "garden chair": 3 if arena == "park" else 1, "house garden": 3, "dorm garden": 4}
    out = []
    for kind in PLACES[sector][arena]:
        w, h = footprint(kind, (sector, arena) in DOUBLE_BED_ARENAS)
        out += [(kind, w, h)] * repeats.get(kind, 1)
    return out


def residents_of(sector: str, arena: str) -> list[str]:
    return [p for p, (s, a) in RESIDENTS.items() if (s, a) == (sector, arena)]
