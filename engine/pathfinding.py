"""Shortest walks on the collision grid, cached as distance fields per destination.

A destination (an address, or a set of tiles) gets one breadth-first "distance field" over the
whole map; any agent anywhere then walks downhill to the nearest target tile in O(path length).
Agents mostly walk to the same few hundred places, so fields are computed once and kept in an
LRU cache: the per-decision cost is a dictionary lookup plus the walk. A cached field is a
compact `array("i")` (4 bytes a tile, about 55 kB for the Ville), not a list of Python ints
(about 8 bytes a tile plus an object for every distance over 256), so the full cache stays small.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict, deque
from collections.abc import Collection, Iterable

import numpy as np

from engine.town_map import TileXY, TownMap

UNREACHABLE = -1
# Fixed neighbour order keeps every path deterministic.
_STEPS = ((0, 1), (-1, 0), (1, 0), (0, -1))


class PathFinder:
    """Finds tile paths on a town map. Not thread-safe: used by the simulation thread only."""

    def __init__(self, town: TownMap, cache_size: int = 512):
        self.town = town
        self.width, self.height = town.width, town.height
        self._walkable = [not b for b in town.blocked.reshape(-1).tolist()]
        n, w = self.width * self.height, self.width
        self._open = np.append(~np.asarray(town.blocked, bool).reshape(-1), False)
        cell = np.arange(n)
        x, y = cell % w, cell // w
        self._neighbours = np.stack([np.where(x > 0, cell - 1, n), np.where(x < w - 1, cell + 1, n),
                                     np.where(y > 0, cell - w, n),
                                     np.where(y < self.height - 1, cell + w, n)], 1)
        self._fields: OrderedDict[tuple, array] = OrderedDict()
        self._cache_size = cache_size
        self.fields_computed = 0
        self.searches = 0

    def has_field(self, targets: Iterable[TileXY]) -> bool:
        """Whether the distance field for these targets is already cached."""
        return _key(targets) in self._fields

    def distance_field(self, targets: Iterable[TileXY]) -> array:
        """Steps from every tile to the nearest target (flat int array, -1 = unreachable)."""
        key = _key(targets)
        field = self._fields.get(key)
        if field is not None:
            self._fields.move_to_end(key)
            return field
        field = array("i", self._bfs(key))
        self._fields[key] = field
        if len(self._fields) > self._cache_size:
            self._fields.popitem(last=False)
        self.fields_computed += 1
        return field

    def _bfs(self, targets: tuple[TileXY, ...]) -> list[int]:
        """Breadth-first distances, one numpy pass per ring over the ring's tiles only: the
        same field as the queue BFS (`_bfs_queue`, checked by a test), about twice as fast, so
        a step that routes agents costs the window's thread less."""
        n, w = self.width * self.height, self.width
        dist = np.full(n + 1, UNREACHABLE, np.int32)
        free = self._open.copy()  # open and not reached yet; index n is a closed sentinel
        front = np.array(sorted({y * w + x for x, y in targets
                                 if 0 <= x < w and 0 <= y < self.height and free[y * w + x]}),
                         np.intp)
        dist[front] = 0
        free[front] = False
        d = 0
        while front.size:
            d += 1
            ring = self._neighbours[front].reshape(-1)
            ring = np.unique(ring[free[ring]])
            free[ring] = False
            dist[ring] = d
            front = ring
        return dist[:n].tolist()

    def _bfs_queue(self, targets: tuple[TileXY, ...]) -> list[int]:
        """The plain queue BFS `_bfs` must equal (kept for the test that checks it)."""
        w, h, walkable = self.width, self.height, self._walkable
        dist = [UNREACHABLE] * (w * h)
        queue: deque[int] = deque()
        for x, y in targets:
            i = y * w + x
            if walkable[i] and dist[i] == UNREACHABLE:
                dist[i] = 0
                queue.append(i)
        while queue:
            i = queue.popleft()
            d = dist[i] + 1
            x, y = i % w, i // w
            for j, ok in ((i - 1, x > 0), (i + 1, x < w - 1), (i - w, y > 0), (i + w, y < h - 1)):
                if ok and walkable[j] and dist[j] < 0:
                    dist[j] = d
                    queue.append(j)
        return dist

    def local_path(self, start: TileXY, goal: TileXY, radius: int = 12,
                   blocked: Collection[TileXY] = ()) -> list[TileXY] | None:
        """A short walk to one nearby tile (a bounded BFS, no cached field): stepping aside,
        or around `blocked` tiles (where others sit or stand still)."""
        return _local_bfs(self.town, start, {goal}, radius, blocked)

    def path_to(self, start: TileXY, targets: Iterable[TileXY]) -> list[TileXY] | None:
        """Tiles to walk from `start` (excluded) to the nearest target (included).

        Returns [] when already on a target and None when no target can be reached.
        """
        self.searches += 1
        field = self.distance_field(targets)
        w = self.width
        x, y = start
        d = field[y * w + x]
        if d < 0:
            return None
        path: list[TileXY] = []
        while d > 0:
            for dx, dy in _STEPS:
                nx, ny = x + dx, y + dy
                if 0 <= nx < w and 0 <= ny < self.height and field[ny * w + nx] == d - 1:
                    x, y, d = nx, ny, d - 1
                    path.append((x, y))
                    break
        return path

    def path_near(self, start: TileXY, goal: TileXY, max_radius: int = 24,
                  avoid: Collection[TileXY] = ()) -> list[TileXY] | None:
        """A path to a walkable tile next to `goal` (for walking up to another agent), one
        not in `avoid` (where others stand) when there is one."""
        gx, gy = goal
        around = [(gx + dx, gy + dy) for dx, dy in _STEPS]
        walkable = [t for t in around if self.town.is_walkable(t)]
        farther = [(gx + dx, gy + dy) for dx in range(-2, 3) for dy in range(-2, 3)
                   if abs(dx) + abs(dy) == 2 and self.town.is_walkable((gx + dx, gy + dy))]
        targets = ([t for t in walkable if t not in avoid]
                   or [t for t in farther if t not in avoid] or walkable or [goal])
        if abs(start[0] - gx) + abs(start[1] - gy) > max_radius:
            return None
        return _local_bfs(self.town, start, set(targets), max_radius)


def _key(targets: Iterable[TileXY]) -> tuple[TileXY, ...]:
    return tuple(sorted(set(targets)))


def _local_bfs(town: TownMap, start: TileXY, targets: set[TileXY], radius: int,
               blocked: Collection[TileXY] = ()):
    """Plain BFS bounded to a box around the start: for one-off, moving destinations."""
    if start in targets:
        return []
    x0, y0 = start
    previous: dict[TileXY, TileXY] = {start: start}
    queue: deque[TileXY] = deque([start])
    while queue:
        tile = queue.popleft()
        for dx, dy in _STEPS:
            nxt = (tile[0] + dx, tile[1] + dy)
            if nxt in previous or abs(nxt[0] - x0) > radius or abs(nxt[1] - y0) > radius:
                continue
            if not town.is_walkable(nxt) or (nxt in blocked and nxt not in targets):
                continue
            previous[nxt] = tile
            if nxt in targets:
                path = [nxt]
                while previous[path[-1]] != start:
                    path.append(previous[path[-1]])
                return path[::-1]
            queue.append(nxt)
    return None
