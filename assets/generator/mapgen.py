"""Builds the Ville: lays out terrain, buildings, furniture and semantics. `paint.finish` then
turns the terrain into tile layers and checks that every place can be reached on foot."""

from __future__ import annotations

import math
import os
import random
from collections import deque

import numpy as np

from . import layout as L
from .atlas import rng_for, shade
from .decor import decorate
from .furniture import draw as draw_furniture
from .placement import COUNTER_FRONTS, Placed, RoomPlanner
from .places import DOUBLE_BED_ARENAS, PLACES, RESIDENTS, WORLD
from .tiles import E, N, S, W, Tiles
from .tmx_writer import ObjectGroup, TileLayer, tile_point, tile_rect, write_tmx

# terrain codes
GRASS, ROAD, PATH, FLOOR, WALL, DOOR, WATER, FENCE = range(8)
TILE_PX = 32
VISUAL = ["Ground", "Ground Detail", "Walls", "Furniture", "Furniture Top", "Foreground"]


def pond_level(x_px: float, y_px: float) -> float:
    """>= 0 inside the pond (world pixels); a wobbly oval filling `layout.POND`'s box."""
    qx, qy, qw, qh = L.POND
    dx = (x_px / TILE_PX - qx - qw / 2) / (qw / 2)
    dy = (y_px / TILE_PX - qy - qh / 2) / (qh / 2)
    angle = math.atan2(dy, dx)
    edge = 0.95 + 0.16 * math.sin(3 * angle + 0.7) + 0.08 * math.cos(5 * angle + 0.3)
    return edge - (dx * dx + dy * dy)


def floor_style(arena: str, rng: random.Random) -> tuple[str, tuple]:
    a = arena.lower()
    if "bathroom" in a:
        return "tile", (222, 230, 236)
    if "kitchen" in a:
        return "checker", (236, 228, 206)
    table = {"cafe": ("wood", (200, 146, 96)), "pub": ("wood", (136, 88, 56)), "store": ("stone", (216, 212, 200)),
             "supply store": ("stone", (200, 192, 176)), "classroom": ("wood", (194, 156, 104)),
             "library": ("carpet", (130, 62, 62)), "hallway": ("tile", (204, 198, 186)),
             "common room": ("wood", (184, 128, 80))}
    if a in table:
        return table[a]
    if rng.random() < 0.5:
        return "carpet", rng.choice([(120, 150, 190), (180, 120, 130), (140, 170, 130), (190, 170, 120)])
    return "wood", rng.choice([(188, 136, 86), (170, 118, 74), (200, 160, 110)])


class Town:
    def __init__(self) -> None:
        self.w, self.h = L.MAP_W, L.MAP_H
        self.tiles = Tiles()
        self.terr = np.full((self.h, self.w), GRASS, np.int8)
        self.layers = {name: np.zeros((self.h, self.w), np.int32) for name in VISUAL + ["Collisions"]}
        self.solid = np.zeros((self.h, self.w), bool)
        self.room_at: dict[tuple[int, int], tuple[str, str]] = {}
        self.floor_of: dict[tuple[int, int], int] = {}
        self.building_of = np.full((self.h, self.w), -1, np.int16)
        self.sectors: list = []
        self.arenas: list = []
        self.objects: list = []
        self.spawns: list = []
        self.furn_cells: set = set()
        self.rng = random.Random(2023_02_13)

    # ---- construction --------------------------------------------------------------------------
    def fill(self, rect, code) -> None:
        x, y, w, h = rect
        self.terr[y:y + h, x:x + w] = code

    def build(self) -> "Town":
        for rect in L.ROADS:
            self.fill(rect, ROAD)
        self._park()
        for i, b in enumerate(L.BUILDINGS):
            self._building(i, b)
        self._paths()
        self._trees()
        return self

    def _building(self, index: int, b: L.Building) -> None:
        for rect in b.sector_rects():
            self.sectors.append(tile_rect(b.sector, *rect))
            x, y, w, h = rect
            self.building_of[y:y + h, x:x + w] = index
        self.fill(b.rect, WALL)
        rng = rng_for("building", b.sector)
        styles = {}
        for room in b.rooms:
            self.arenas.append(tile_rect(room.arena, *room.rect))
            x, y, w, h = room.rect
            if room.outdoor:  # a fenced garden below the house
                gx, gy, gw, gh = x - 1, y, w + 2, h + 1
                self.fill((gx, gy, gw, gh), FENCE)
                self.fill((x, y, w, h), GRASS)
            else:
                self.fill(room.rect, FLOOR)
                style = styles.setdefault(room.arena, floor_style(room.arena, rng))
                gid = self.tiles.floor(*style)
                for yy in range(y, y + h):
                    for xx in range(x, x + w):
                        self.floor_of[(xx, yy)] = gid
            for yy in range(y, y + h):
                for xx in range(x, x + w):
                    self.room_at[(xx, yy)] = (b.sector, room.arena)
        for dx, dy in b.doors + [(x, y) for x, y, _ in b.exterior_doors]:
            self.terr[dy, dx] = DOOR
        for room in b.rooms:
            planner = RoomPlanner(room, b.doors + [(x, y) for x, y, _ in b.exterior_doors])
            planner.plan(b.sector)
            self._furnish(b.sector, room, planner)

    def _furnish(self, sector: str, room: L.Room, planner: RoomPlanner) -> None:
        double = (sector, room.arena) in DOUBLE_BED_ARENAS
        tiles = self.tiles
        x, y, w, h = room.rect
        if ("room" in room.arena or room.arena in ("library", "pub")) and w >= 6 and h >= 5:
            rw, rh = min(4, w - 4), min(3, h - 3)
            rx, ry = x + (w - rw) // 2, y + (h - rh) // 2 + 1
            colour = rng_for("rug", sector, room.arena).choice([(170, 70, 70), (70, 100, 160), (160, 130, 60)])
            for j, row in enumerate(tiles.rug(rw, rh, colour)):
                for i, g in enumerate(row):
                    if g:
                        self.layers["Ground Detail"][ry + j, rx + i] = g
        variant = sum(map(ord, sector + room.arena)) % 5
        decorations = decorate(planner)
        for p in planner.placed:
            rows = tiles.furn.big(("f", p.kind, p.w, p.h, variant), p.w, p.h,
                                  lambda p=p: draw_furniture(p.kind, p.w, p.h, variant))
            for j, row in enumerate(rows):
                for i, g in enumerate(row):
                    if g:
                        self.layers["Furniture"][p.y + j, p.x + i] = g
            self.furn_cells |= {(p.x + i, p.y + j) for i in range(-1, p.w + 1) for j in range(-1, p.h + 2)}
            if p.is_object:
                self.objects.append(tile_rect(p.kind, p.x, p.y, p.w, p.h))
            elif p in decorations or p.kind in COUNTER_FRONTS.values() or p.kind == "counter":
                self.solid[p.y:p.y + p.h, p.x:p.x + p.w] = True  # nobody stands inside a counter
        for name, sx, sy in planner.spawns:
            self.spawns.append(tile_point(name, sx, sy))
        if not room.outdoor:  # potted plants in free corners (these block)
            for cx, cy in ((x, y + h - 1), (x + w - 1, y + h - 1)):
                if planner.free(cx, cy, 1, 1) and w >= 5 and h >= 4:
                    planner.take("plant", cx, cy, 1, 1, is_object=False)
                    self.layers["Furniture"][cy, cx] = tiles.furn.big(("plant",), 1, 1,
                                                                      lambda: draw_furniture("plant", 1, 1))[0][0]
                    self.solid[cy, cx] = True
        del double

    def _park(self) -> None:
        sector, arena, (px, py, pw, ph) = L.PARK
        self.sectors.append(tile_rect(sector, px, py, pw, ph))
        self.arenas.append(tile_rect(arena, px + 1, py + 1, pw - 2, ph - 2))
        for yy in range(py + 1, py + ph - 1):
            for xx in range(px + 1, px + pw - 1):
                self.room_at[(xx, yy)] = (sector, arena)
        # hedge of bushes around the park with wide gates towards the roads
        gates = {(px + 20, py), (px + 21, py), (px + 22, py), (px + pw - 1, py + 12), (px + pw - 1, py + 13),
                 (px + 10, py + ph - 1), (px + 11, py + ph - 1), (px + 30, py + ph - 1), (px + 31, py + ph - 1),
                 (px + pw - 1, py + 14)}
        for xx in range(px, px + pw):
            for yy in range(py, py + ph):
                if (xx in (px, px + pw - 1) or yy in (py, py + ph - 1)) and (xx, yy) not in gates:
                    self.terr[yy, xx] = FENCE
        for g in gates:
            self.terr[g[1], g[0]] = PATH
        qx, qy, qw, qh = L.POND  # a pond with a wobbly, natural outline inside its box
        for yy in range(qy, qy + qh):
            for xx in range(qx, qx + qw):
                if pond_level((xx + 0.5) * TILE_PX, (yy + 0.5) * TILE_PX) >= 0.12:
                    self.terr[yy, xx] = WATER
        # paths inside the park: a loop and spokes to the gates
        for rect in ((px + 4, py + 4, 34, 1), (px + 4, py + ph - 5, 34, 1), (px + 4, py + 4, 1, ph - 8),
                     (px + 37, py + 4, 1, ph - 8), (px + 21, py + 1, 1, 3), (px + 38, py + 13, 3, 1),
                     (px + 11, py + ph - 5, 1, 4), (px + 30, py + ph - 5, 1, 4), (px + 21, py + 4, 1, ph - 8),
                     (px + 10, py + ph - 2, 2, 1), (px + 30, py + ph - 2, 2, 1), (px + 38, py + 12, 3, 3)):
            self.fill(rect, PATH)
        planner = RoomPlanner(L.Room(arena, (px + 23, py + 6, 13, ph - 12), outdoor=True), [])
        planner.plan(sector)
        self._furnish(sector, L.Room(arena, (px + 23, py + 6, 13, ph - 12), outdoor=True), planner)
        self.park_trees = [(px + 8, py + 3 + 16), (px + 14, py + 19), (px + 26, py + 3), (px + 33, py + 3),
                           (px + 8, py + 9), (px + 16, py + 9), (px + 27, py + 20), (px + 34, py + 20)]

    def _paths(self) -> None:
        """Carve dirt paths from every outer door and gate to the nearest road (BFS over grass)."""
        starts = []
        for b in L.BUILDINGS:
            for x, y, side in b.exterior_doors:
                dx, dy = {"N": (0, -1), "S": (0, 1), "W": (-1, 0), "E": (1, 0)}[side]
                starts.append((x + dx, y + dy))
        px, py, pw, ph = L.PARK[2]
        for yy in (py, py + ph - 1):
            for xx in range(px, px + pw):
                if self.terr[yy, xx] != FENCE:
                    starts.append((xx, yy + (-1 if yy == py else 1)))
        for yy in range(py, py + ph):
            if self.terr[yy, px + pw - 1] != FENCE:
                starts.append((px + pw, yy))
        dist = np.full((self.h, self.w), -1, np.int32)
        q = deque()
        for y, x in zip(*np.nonzero(self.terr == ROAD)):
            dist[y, x] = 0
            q.append((int(x), int(y)))
        while q:
            x, y = q.popleft()
            for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
                nx, ny = x + dx, y + dy
                if 0 <= nx < self.w and 0 <= ny < self.h and dist[ny, nx] < 0 and self.terr[ny, nx] == GRASS \
                        and self.building_of[ny, nx] < 0 and (nx, ny) not in self.room_at:
                    dist[ny, nx] = dist[y, x] + 1
                    q.append((nx, ny))
        for x, y in starts:
            if dist[y, x] < 0:
                raise RuntimeError(f"door outside ({x},{y}) cannot reach a road")
            heading = None
            while dist[y, x] > 0:
                self.terr[y, x] = PATH
                options = [(dx, dy) for dx, dy in ((0, -1), (0, 1), (-1, 0), (1, 0))
                           if 0 <= x + dx < self.w and 0 <= y + dy < self.h and 0 <= dist[y + dy, x + dx] < dist[y, x]]
                heading = heading if heading in options else options[0]
                x, y = x + heading[0], y + heading[1]

    def _free_outdoor(self, x: int, y: int, margin: int) -> bool:
        y0, y1, x0, x1 = max(0, y - margin), min(self.h, y + margin + 1), max(0, x - margin), min(self.w, x + margin + 1)
        return bool((self.terr[y0:y1, x0:x1] == GRASS).all() and (self.building_of[y0:y1, x0:x1] < 0).all())

    def _trees(self) -> None:
        rng = self.rng
        self.trees: list[tuple[int, int]] = []
        candidates = list(self.park_trees)
        for _ in range(900):
            candidates.append((rng.randrange(1, self.w - 1), rng.randrange(2, self.h - 1)))
        canopy_cells: set = set()
        for x, y in candidates:
            foot = {(x + i, y + j) for i in (-1, 0, 1) for j in (-2, -1, 0)}
            if not self._free_outdoor(x, y, 1) or foot & canopy_cells:
                continue
            if any(not (0 <= cx < self.w and 0 <= cy < self.h) or self.building_of[cy, cx] >= 0 or
                   self.terr[cy, cx] not in (GRASS,) for cx, cy in foot):
                continue
            if self.room_at.get((x, y), ("", "park"))[1] != "park" or foot & self.furn_cells:
                continue
            if (x, y) in self.room_at and (x, y) not in self.park_trees and rng.random() < 0.4:
                continue
            self.trees.append((x, y))
            canopy_cells |= foot | {(x + i, y + 1) for i in (-1, 0, 1)}
        self.bushes = []
        for _ in range(500):
            x, y = rng.randrange(1, self.w - 1), rng.randrange(1, self.h - 1)
            if self._free_outdoor(x, y, 1) and (x, y) not in canopy_cells and (x, y) not in self.furn_cells \
                    and self.room_at.get((x, y), ("", "park"))[1] == "park":
                self.bushes.append((x, y))
                canopy_cells.add((x, y))
