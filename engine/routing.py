"""Walking: one tile per step along a path, and path searches for agents that set off.

A path search may cost a distance field (milliseconds); `plan_routes` spreads them over steps
(at most `budget` per step) so a step stays cheap when many agents change plans at once. The
budget counts searches, not cache misses, so the outcome never depends on what is cached.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from engine.bodies import AgentBody
from engine.pathfinding import PathFinder
from engine.town_map import TileXY, TownMap


DETOUR_RADIUS = 6  # how far a walker looks for a way around someone sitting in its way


def move(bodies: Mapping[str, AgentBody], order: Sequence[str],
         paths: PathFinder | None = None) -> None:
    """Every walking agent steps one tile along its path and faces where it went.

    With `paths`, a walker whose next tile is held by an agent standing still there (seated,
    working, waiting) steps around it when a short detour exists, so no two agents are ever
    drawn on one chair; with no way around it walks through, so nobody is ever stuck."""
    for name in order:
        body = bodies[name]
        if not body.path:
            continue
        if paths is not None:
            _step_around(body, bodies, paths)
            if not body.path:
                continue
        nx, ny = body.path.pop(0)
        x, y = body.tile
        if nx != x:
            body.facing = "right" if nx > x else "left"
        elif ny != y:
            body.facing = "down" if ny > y else "up"
        body.tile = (nx, ny)


def _step_around(body: AgentBody, bodies: Mapping[str, AgentBody], paths: PathFinder) -> None:
    """Replace the part of `body`'s path through still agents' tiles by a detour."""
    still = {other.tile for other in bodies.values() if other is not body and not other.path}
    if body.path[0] not in still:
        return
    # Rejoin the path at its first free tile after the held ones (or end beside them).
    rejoin = next((i for i, tile in enumerate(body.path) if tile not in still), None)
    if rejoin is None:
        return  # the path ends on a held tile: route() already chose it, walk on
    detour = paths.local_path(body.tile, body.path[rejoin], DETOUR_RADIUS, blocked=still)
    if detour is not None:  # [] when the walker already stands where the path comes back
        body.path = detour + body.path[rejoin + 1:]


def plan_routes(bodies: Mapping[str, AgentBody], order: Sequence[str], town: TownMap,
                paths: PathFinder, budget: int) -> list[str]:
    """Give paths to agents whose action's route is pending, `budget` at most, in `order`.

    Returns error lines (an unreachable place) for the simulation to count.
    """
    errors: list[str] = []
    for name in order:
        body = bodies[name]
        if not body.route_pending or body.action is None:
            body.route_pending = False
            continue
        if budget == 0:
            break
        budget -= 1
        body.route_pending = False
        body.path, error = route(body, body.action.address, bodies, town, paths)
        if error:
            errors.append(error)
    return errors


def route(body: AgentBody, address: str, bodies: Mapping[str, AgentBody], town: TownMap,
          paths: PathFinder) -> tuple[list[TileXY], str]:
    """A path to a tile of `address`, stepping aside from a tile another agent is headed to;
    when every tile of the place is taken (eight seats, twelve diners), the nearest free tile
    beside it in the same room, so two agents never stand on one seat."""
    targets = town.target_tiles(address)
    if not targets:
        return [], ""
    path = paths.path_to(body.tile, targets)
    if path is None:
        return [], f"{body.name}: cannot reach '{address}'"
    end = path[-1] if path else body.tile
    taken = {other.destination for other in bodies.values() if other is not body}
    if end in taken:
        free = [t for t in targets if t not in taken] or _spill_tiles(targets, taken, town)
        if free:
            goal = min(free, key=lambda t: (abs(t[0] - end[0]) + abs(t[1] - end[1]), t))
            detour = paths.local_path(end, goal, radius=48)
            if detour is not None:
                path = path + detour
    return path, ""


SPILL_RINGS = 4  # how far beside a full place an agent may wait, in tiles


def _spill_tiles(targets: Sequence[TileXY], taken: set[TileXY], town: TownMap) -> list[TileXY]:
    """The nearest ring of free walkable tiles around `targets`, in the targets' rooms."""
    rooms = {town.area_index(t) for t in targets}
    seen = set(targets)
    ring = list(targets)
    for _ in range(SPILL_RINGS):
        nxt: list[TileXY] = []
        for x, y in ring:
            for n in ((x, y + 1), (x - 1, y), (x + 1, y), (x, y - 1)):
                if n in seen or not town.is_walkable(n) or town.area_index(n) not in rooms:
                    continue
                seen.add(n)
                nxt.append(n)
        free = [t for t in nxt if t not in taken]
        if free:
            return free
        ring = nxt
    return []
