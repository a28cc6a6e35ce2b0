"""Agents using the same place get distinct tiles: twelve diners at eight cafe seats, and a
talk started next to a seated crowd, never put two agents on one tile (issue 11)."""

from __future__ import annotations

import pytest

from engine import paths as engine_paths
from engine.agent_api import Action
from engine.bodies import AgentBody
from engine.conversations import ConversationBook
from engine.pathfinding import PathFinder
from engine.routing import move, plan_routes
from engine.tmx_loader import load_town_map

SEATING = "the Ville:Hobbs Cafe:cafe:cafe customer seating"


@pytest.fixture(scope="module")
def town():
    return load_town_map(engine_paths.map_path("the_ville"), name="the_ville")


def _diners(town, count: int) -> dict[str, AgentBody]:
    seats = town.target_tiles(SEATING)
    door = min(seats)  # everyone starts in a line at one end of the cafe
    start = [t for t in _walkable_near(town, door)][:count]
    bodies = {}
    for i, tile in enumerate(start):
        body = AgentBody(f"agent {i:02d}", tile)
        body.set_action(Action("having lunch", "🥪", SEATING, 60,
                               (body.name, "eat", "lunch"), start_step=0))
        bodies[body.name] = body
    return bodies


def _walkable_near(town, tile):
    x0, y0 = tile
    area = town.area_index(tile)
    ring = sorted(((x, y) for x in range(x0 - 6, x0 + 7) for y in range(y0 - 6, y0 + 7)),
                  key=lambda t: (abs(t[0] - x0) + abs(t[1] - y0), t))
    return [t for t in ring if town.is_walkable(t) and town.area_index(t) == area]


def _walk_all(bodies, town, finder) -> None:
    order = sorted(bodies)
    for _ in range(80):
        plan_routes(bodies, order, town, finder, budget=len(order))
        move(bodies, order)


def test_more_diners_than_seats_stand_on_distinct_tiles(town):
    seats = set(town.target_tiles(SEATING))
    bodies = _diners(town, len(seats) + 4)
    _walk_all(bodies, town, PathFinder(town))
    tiles = [b.tile for b in bodies.values()]
    assert all(b.arrived for b in bodies.values())
    assert len(set(tiles)) == len(tiles), "two agents on one tile"
    assert seats <= set(tiles), "every seat is used before anyone waits beside them"
    cafe = town.area_index(next(iter(seats)))
    assert all(town.area_index(t) == cafe for t in tiles), "the overflow waits in the cafe"


def test_a_talk_walks_up_beside_not_onto_the_seated(town):
    seats = set(town.target_tiles(SEATING))
    bodies = _diners(town, len(seats))
    finder = PathFinder(town)
    _walk_all(bodies, town, finder)
    names = sorted(bodies)
    walker = AgentBody("walker", _walkable_near(town, min(seats))[-1])
    bodies[walker.name] = walker
    partner = bodies[names[3]]
    taken = {b.destination for n, b in bodies.items() if n not in (walker.name, partner.name)}
    talks = ConversationBook()
    assert talks.start(walker, partner, town, finder, 5, taken) is not None
    for _ in range(40):
        move(bodies, sorted(bodies))
    tiles = [b.tile for b in bodies.values()]
    assert len(set(tiles)) == len(tiles)
    assert abs(walker.tile[0] - partner.tile[0]) + abs(walker.tile[1] - partner.tile[1]) <= 2


def test_numpy_distance_fields_equal_the_queue_bfs(town):
    finder = PathFinder(town)
    addresses = sorted(town.addresses())
    for address in addresses[:: max(1, len(addresses) // 40)]:
        targets = tuple(sorted(town.target_tiles(address)))
        assert finder._bfs(targets) == finder._bfs_queue(targets), address


def test_a_walker_steps_around_an_agent_standing_in_its_way(town):
    """Issue 22: walking through a seated agent drew two agents on one chair."""
    finder = PathFinder(town)
    seats = sorted(town.target_tiles(SEATING))
    floor = _walkable_near(town, seats[0])
    start, goal = floor[0], floor[-1]
    path = finder.path_to(start, [goal])
    assert path and len(path) >= 4
    blocker = AgentBody("sitter", path[len(path) // 2])
    walker = AgentBody("walker", start)
    walker.path = list(path)
    bodies = {"sitter": blocker, "walker": walker}
    visited = []
    for _ in range(len(path) + 12):
        move(bodies, ["walker", "sitter"], finder)
        visited.append(walker.tile)
    assert walker.tile == goal
    assert blocker.tile not in visited, "walked over the seated agent"
    move_without = AgentBody("walker", start)
    move_without.path = list(path)
    bodies = {"sitter": blocker, "walker": move_without}
    seen = []
    for _ in range(len(path)):
        move(bodies, ["walker", "sitter"])
        seen.append(move_without.tile)
    assert blocker.tile in seen, "the test's path must cross the seated agent to mean anything"
