"""The generated Ville map and character sheets follow the conventions in assets/README.md."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

pytmx = pytest.importorskip("pytmx")

from assets.generator.places import PLACES, RESIDENTS, WORLD  # noqa: E402

ROOT = Path(__file__).resolve().parents[2] / "assets"
TMX = ROOT / "the_ville" / "the_ville.tmx"


def _slug(name: str) -> str:
    return name.lower().replace(" ", "_")


def _png_size(path: Path) -> tuple[int, int]:
    with open(path, "rb") as fh:
        head = fh.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def ville():
    tmx = pytmx.TiledMap(str(TMX))
    tile = tmx.tilewidth

    def rect(o):
        return (o.x / tile, o.y / tile, o.width / tile, o.height / tile)

    def contains(r, px, py):
        x, y, w, h = r
        return x <= px < x + w and y <= py < y + h

    sectors = [(o.name, rect(o)) for o in tmx.get_layer_by_name("Sectors")]
    arenas = []
    for o in tmx.get_layer_by_name("Arenas"):
        r = rect(o)
        cx, cy = r[0] + r[2] / 2, r[1] + r[3] / 2
        owner = [name for name, sr in sectors if contains(sr, cx, cy)]
        assert len(owner) == 1, f"arena {o.name} at {r} lies in sectors {owner}"
        arenas.append((owner[0], o.name, r))

    def arena_at(px, py):
        found = [(s, a) for s, a, r in arenas if contains(r, px, py)]
        return found[0] if found else None

    objects = {}
    for o in tmx.get_layer_by_name("Objects"):
        r = rect(o)
        place = arena_at(r[0] + r[2] / 2, r[1] + r[3] / 2)
        assert place is not None, f"object {o.name} at {r} is in no arena"
        objects.setdefault(place, set()).add(o.name)
    collisions = tmx.get_layer_by_name("Collisions")
    blocked = {(x, y) for x, y, gid in collisions.iter_data() if gid}
    return tmx, sectors, arenas, objects, arena_at, blocked


def test_map_header(ville):
    tmx = ville[0]
    assert tmx.properties.get("world") == WORLD
    assert (tmx.tilewidth, tmx.tileheight) == (32, 32)
    assert 120 <= tmx.width <= 160 and 80 <= tmx.height <= 120
    names = [layer.name for layer in tmx.layers]
    for required in ("Ground", "Collisions", "Sectors", "Arenas", "Objects", "Spawns", "Foreground"):
        assert required in names


def test_sectors_and_arenas(ville):
    _, sectors, arenas, *_ = ville
    assert {name for name, _ in sectors} == set(PLACES)
    assert len(PLACES) == 19
    expected = {(s, a) for s, rooms in PLACES.items() for a in rooms}
    assert len(expected) == 63
    assert {(s, a) for s, a, _ in arenas} == expected


def test_every_object_is_in_its_arena_and_walkable(ville):
    tmx, _, _, objects, _, blocked = ville
    for sector, rooms in PLACES.items():
        for arena, kinds in rooms.items():
            missing = set(kinds) - objects.get((sector, arena), set())
            assert not missing, f"{sector}:{arena} lacks {sorted(missing)}"
    for o in tmx.get_layer_by_name("Objects"):
        x0, y0 = int(o.x // 32), int(o.y // 32)
        for y in range(y0, y0 + int(o.height // 32)):
            for x in range(x0, x0 + int(o.width // 32)):
                assert (x, y) not in blocked, f"object {o.name} at {(x, y)} is on a blocked tile"


def test_every_resident_spawns_in_their_arena(ville):
    tmx, _, _, _, arena_at, blocked = ville
    spawns = {o.name: (o.x / 32, o.y / 32) for o in tmx.get_layer_by_name("Spawns")}
    for person, place in RESIDENTS.items():
        assert person in spawns, f"no spawn point for {person}"
        x, y = spawns[person]
        assert arena_at(x, y) == place, f"{person} spawns at {(x, y)} in {arena_at(x, y)}"
        assert (int(x), int(y)) not in blocked


def test_sprite_sheets_and_portraits():
    for person in RESIDENTS:
        assert _png_size(ROOT / "characters" / f"{_slug(person)}.png") == (128, 128)
        assert _png_size(ROOT / "characters" / "portraits" / f"{_slug(person)}.png") == (64, 64)


def test_tileset_images_exist():
    import xml.etree.ElementTree as ET

    sources = [img.get("source") for img in ET.parse(TMX).getroot().iter("image")]
    assert sources
    for src in sources:
        assert (TMX.parent / src).is_file(), src
