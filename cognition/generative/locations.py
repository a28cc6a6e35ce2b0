"""Spatial memory: the tree of places an agent knows (world -> sector -> arena -> objects).

Seeded from the persona's `known_places` and grown from `Percept.seen_places`. `choices` builds
the location enum for decomposition: full `world:sector:arena:object` addresses (or
`world:sector:arena` for arenas without known objects), hiding other people's homes and rooms as
the original did, and kept short so the grammar and the prompt stay small.
"""

from __future__ import annotations

from typing import Any

_PRIVATE_SECTOR_MARKS = ("'s house", "'s apartment", "'s home")
_PRIVATE_ARENA_MARKS = ("'s room", "'s bathroom", "'s bedroom")


class SpatialMemory:
    """world -> sector -> arena -> ordered object list, insertion-ordered for determinism."""

    def __init__(self, tree: dict[str, dict[str, dict[str, list[str]]]] | None = None) -> None:
        self.tree: dict[str, dict[str, dict[str, list[str]]]] = tree or {}

    def add(self, address: str) -> bool:
        """Learn an address (`world:sector[:arena[:object]]`); True when something was new."""
        parts = [p.strip() for p in address.split(":")]
        if len(parts) < 2 or not all(parts):
            return False
        new = False
        sectors = self.tree.setdefault(parts[0], {})
        if parts[1] not in sectors:
            sectors[parts[1]], new = {}, True
        if len(parts) >= 3:
            arenas = sectors[parts[1]]
            if parts[2] not in arenas:
                arenas[parts[2]], new = [], True
            if len(parts) >= 4 and parts[3] not in arenas[parts[2]]:
                arenas[parts[2]].append(parts[3])
                new = True
        return new

    def knows(self, address: str) -> bool:
        """Whether the address (arena or object level) is in the tree."""
        parts = address.split(":")
        if len(parts) < 3:
            return False
        arena = self.tree.get(parts[0], {}).get(parts[1], {}).get(parts[2])
        if arena is None:
            return False
        return len(parts) == 3 or parts[3] in arena

    def addresses(self) -> list[str]:
        """Every known object address, plus arena addresses that have no known objects."""
        out: list[str] = []
        for world, sectors in self.tree.items():
            for sector, arenas in sectors.items():
                for arena, objects in arenas.items():
                    base = f"{world}:{sector}:{arena}"
                    out.extend(f"{base}:{obj}" for obj in objects) if objects else out.append(base)
        return out

    def to_state(self) -> dict[str, Any]:
        return {
            w: {s: {a: list(o) for a, o in ar.items()} for s, ar in se.items()}
            for w, se in self.tree.items()
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> SpatialMemory:
        return cls(
            {
                w: {s: {a: list(o) for a, o in ar.items()} for s, ar in se.items()}
                for w, se in state.items()
            }
        )


def is_private_to_other(address: str, name: str, living_area: str) -> bool:
    """True for someone else's home or room (the original hides those from location choice)."""
    parts = address.split(":")
    home_parts = living_area.split(":")
    marks = (name.lower(), name.split()[-1].lower()) if name.split() else (name.lower(),)

    def foreign(level: int, private_marks: tuple[str, ...]) -> bool:
        if len(parts) <= level or not _private(parts[level], private_marks):
            return False
        if parts[: level + 1] == home_parts[: level + 1]:
            return False
        return not any(mark in parts[level].lower() for mark in marks)

    return foreign(1, _PRIVATE_SECTOR_MARKS) or foreign(2, _PRIVATE_ARENA_MARKS)


def _private(part: str, marks: tuple[str, ...]) -> bool:
    """A named person's home or room ("Klaus Mueller's room", "Lin family's house"); a shared
    "man's bathroom" (owner not a capitalised name) is public."""
    low = part.lower()
    for mark in marks:
        at = low.find(mark)
        if at > 0 and part[:at].split()[0][:1].isupper():
            return True
    return False


def choices(
    memory: SpatialMemory,
    name: str,
    living_area: str,
    preferred: list[str],
    limit: int,
) -> list[str]:
    """The location enum: addresses in the preferred arenas first, then the rest, at most `limit`.

    `preferred` lists addresses (any level) whose arenas should lead the list (the routine's place
    for this time, home, workplace). Never empty while the tree knows any public place.
    """
    known = [a for a in memory.addresses() if not is_private_to_other(a, name, living_area)]
    arenas = [":".join(p.split(":")[:3]) for p in preferred if p]
    ranked: list[str] = []
    for arena in dict.fromkeys(arenas):
        ranked.extend(a for a in known if (a + ":").startswith(arena + ":") and a not in ranked)
    for address in known:
        if address not in ranked:
            ranked.append(address)
    return ranked[:limit]
