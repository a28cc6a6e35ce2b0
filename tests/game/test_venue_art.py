"""The cafe and the pub are furnished like the original's: rows of tables, a counter nobody
walks through, and room to reach every seat (issue 11)."""

from __future__ import annotations

from collections import deque

import pytest

from engine import paths as engine_paths
from engine.tmx_loader import load_town_map

VENUES = {"Hobbs Cafe": ("cafe", "behind the cafe counter", "cafe customer seating", 12),
          "The Rose and Crown Pub": ("pub", "behind the bar counter", "bar customer seating", 10)}


@pytest.fixture(scope="module")
def town():
    return load_town_map(engine_paths.map_path("the_ville"), name="the_ville")


def _reachable(town, start):
    seen, queue = {start}, deque([start])
    while queue:
        x, y = queue.popleft()
        for n in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)):
            if n not in seen and town.is_walkable(n):
                seen.add(n)
                queue.append(n)
    return seen


@pytest.mark.parametrize("sector", sorted(VENUES))
def test_counters_block_and_every_seat_is_reachable(town, sector):
    arena, behind, seating, seats = VENUES[sector]
    base = f"the Ville:{sector}:{arena}"
    staff = town.address_tiles[f"{base}:{behind}"]
    assert staff and all(town.is_walkable(t) for t in staff)
    fronts = [(x, y + 1) for x, y in staff]
    assert not any(town.is_walkable(t) for t in fronts), "nobody stands inside the counter"
    seat_tiles = town.address_tiles[f"{base}:{seating}"]
    assert len(seat_tiles) >= seats, "a busy lunch needs seats"
    door = next(t for t in town.target_tiles(base) if town.is_walkable(t))
    room = _reachable(town, door)
    assert set(staff) <= room and set(seat_tiles) <= room
    for address, tiles in town.address_tiles.items():
        if address.startswith(base + ":"):
            assert set(tiles) & room, address
