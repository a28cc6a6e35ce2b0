"""Turns the Town's terrain codes into tile layers, checks walkability and writes the files."""

from __future__ import annotations

import os
from collections import deque

import numpy as np

from .atlas import rng_for, shade
from .mapgen import DOOR, FENCE, FLOOR, GRASS, PATH, ROAD, VISUAL, WALL, WATER, Town, pond_level
from .tiles import E, N, S, W
from .tmx_writer import ObjectGroup, TileLayer, write_tmx
from . import layout as L
from .places import WORLD


def _mask(terr: np.ndarray, x: int, y: int, codes: tuple, edge_connects: bool = True) -> int:
    h, w = terr.shape
    m = 0
    for bit, (dx, dy) in ((N, (0, -1)), (E, (1, 0)), (S, (0, 1)), (W, (-1, 0))):
        nx, ny = x + dx, y + dy
        if not (0 <= nx < w and 0 <= ny < h):
            m |= bit if edge_connects else 0
        elif terr[ny, nx] in codes:
            m |= bit
    return m


def _near_pond(x: int, y: int) -> bool:
    qx, qy, qw, qh = L.POND
    return qx - 1 <= x <= qx + qw and qy - 1 <= y <= qy + qh


def paint(town: Town) -> None:
    t, terr, lay = town.tiles, town.terr, town.layers
    rng = rng_for("grass-scatter")
    building_style = {i: (b.face, b.cap) for i, b in enumerate(L.BUILDINGS)}
    wallpaper = {}
    for y in range(town.h):
        for x in range(town.w):
            code = terr[y, x]
            if code in (GRASS, FENCE):
                r = rng.random()
                v = rng.randrange(4) if r < 0.86 else (4 + rng.randrange(2) if r < 0.95 else 6)
                lay["Ground"][y, x] = t.grass(v)
                if code == FENCE:
                    lay["Walls"][y, x] = t.fence(_mask(terr, x, y, (FENCE, WALL), False))
            elif code in (ROAD, PATH):
                kind = "stone" if code == ROAD else "dirt"
                lay["Ground"][y, x] = t.path(kind, _mask(terr, x, y, (ROAD, PATH, DOOR)))
            elif code == WATER:
                lay["Ground"][y, x] = t.water(_mask(terr, x, y, (WATER,)))
            if code in (GRASS, WATER) and _near_pond(x, y):
                lay["Ground"][y, x] = t.pond(x, y, pond_level)
            elif code == FLOOR:
                lay["Ground"][y, x] = town.floor_of[(x, y)]
            elif code == DOOR:
                near = [town.floor_of.get((x + dx, y + dy)) for dx, dy in ((0, 1), (0, -1), (1, 0), (-1, 0))]
                lay["Ground"][y, x] = next(g for g in near if g)
                horizontal = terr[y, x - 1] == WALL and terr[y, x + 1] == WALL
                face, cap = building_style[int(town.building_of[y, x])]
                lay["Walls"][y, x] = t.door(horizontal, 0)
                if horizontal:
                    lay["Foreground"][y, x] = t.lintel(cap)
            elif code == WALL:
                face, cap = building_style[int(town.building_of[y, x])]
                below = terr[y + 1, x] if y + 1 < town.h else GRASS
                room = town.room_at.get((x, y + 1))
                inside = below in (FLOOR, DOOR) and room is not None and (x, y + 1) in town.floor_of
                if below == WALL:
                    wall_face, window, exterior = None, False, False
                elif inside:
                    if room not in wallpaper:
                        wallpaper[room] = shade(rng_for("paper", room).choice(
                            [(236, 222, 196), (214, 226, 214), (226, 210, 220), (206, 220, 236), (240, 232, 210)]), 1.0)
                    wall_face, window, exterior = wallpaper[room], False, False
                else:
                    wall_face, window, exterior = face, x % 3 == 1 and below != DOOR, True
                lay["Walls"][y, x] = t.wall(_mask(terr, x, y, (WALL,), False), wall_face, cap, window, exterior)
    for x, y in town.trees:
        canopy, trunk = t.tree(rng_for("tree", x, y).randrange(3))
        lay["Ground Detail"][y, x] = trunk
        town.solid[y, x] = True
        for j, row in enumerate(canopy):
            for i, g in enumerate(row):
                if g:
                    lay["Foreground"][y - 2 + j, x - 1 + i] = g
    for x, y in town.bushes:
        lay["Ground Detail"][y, x] = t.bush(rng_for("bush", x, y).randrange(2))
        town.solid[y, x] = True
    blocked = town.solid | np.isin(terr, (WALL, FENCE, WATER))
    lay["Collisions"][blocked] = t.collide()
    town.blocked = blocked


def finish(town: Town) -> Town:
    """Paint the built town's layers and check reachability (raises naming a cut-off place)."""
    paint(town)
    town.reachable = check_reachable(town)
    return town


def check_reachable(town: Town) -> int:
    """BFS over walkable tiles from the first road tile; every arena, object and spawn must be reached."""
    blocked = town.blocked
    ys, xs = np.nonzero(town.terr == ROAD)
    seen = np.zeros_like(blocked)
    q = deque([(int(xs[0]), int(ys[0]))])
    seen[ys[0], xs[0]] = True
    while q:
        x, y = q.popleft()
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            nx, ny = x + dx, y + dy
            if 0 <= nx < town.w and 0 <= ny < town.h and not seen[ny, nx] and not blocked[ny, nx]:
                seen[ny, nx] = True
                q.append((nx, ny))
    problems = []
    for o in town.arenas:
        x, y, w, h = int(o.x // 32), int(o.y // 32), int(o.width // 32), int(o.height // 32)
        if not seen[y:y + h, x:x + w].any():
            problems.append(f"arena {o.name!r} at {(x, y)}")
    for o in town.objects:
        x, y, w, h = int(o.x // 32), int(o.y // 32), int(o.width // 32), int(o.height // 32)
        if not seen[y:y + h, x:x + w].all() or blocked[y:y + h, x:x + w].any():
            problems.append(f"object {o.name!r} at {(x, y)}")
    for o in town.spawns:
        x, y = int(o.x // 32), int(o.y // 32)
        if not seen[y, x]:
            problems.append(f"spawn {o.name!r} at {(x, y)}")
    if problems:
        raise RuntimeError("unreachable places in the Ville: " + "; ".join(problems))
    return int(seen.sum())


def write(town: Town, out_dir: str) -> str:
    tiles_dir = os.path.join(out_dir, "tilesets")
    tilesets = [a.save(tiles_dir, "tilesets") for a in town.tiles.atlases()]
    layers = [TileLayer(name, town.layers[name].tolist()) for name in VISUAL]
    layers.append(TileLayer("Collisions", town.layers["Collisions"].tolist(), visible=False))
    for name, objs in (("Sectors", town.sectors), ("Arenas", town.arenas), ("Objects", town.objects),
                       ("Spawns", town.spawns)):
        layers.append(ObjectGroup(name, objs, visible=False))
    path = os.path.join(out_dir, "the_ville.tmx")
    write_tmx(path, town.w, town.h, tilesets, layers, {"world": WORLD})
    return path
