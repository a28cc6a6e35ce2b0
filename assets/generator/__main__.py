"""`python -m assets.generator`: regenerate the Ville map, tilesets, character sheets and previews."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame  # noqa: E402

from . import sprites  # noqa: E402
from .mapgen import Town  # noqa: E402
from .paint import finish, write  # noqa: E402
from .places import RESIDENTS  # noqa: E402
from .preview import characters_preview, map_preview  # noqa: E402
from .tiny import build as build_tiny  # noqa: E402
from .tmx_writer import write_png  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../assets


def _save(surf: pygame.Surface, path: str) -> None:
    write_png(path, surf.get_width(), surf.get_height(), pygame.image.tobytes(surf, "RGBA"))


def main() -> int:
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    town = finish(Town().build())
    tmx = write(town, os.path.join(ROOT, "the_ville"))
    print(f"wrote {tmx}: {town.w}x{town.h} tiles, {len(town.sectors)} sector rects, {len(town.arenas)} arena rects, "
          f"{len(town.objects)} objects, {len(town.spawns)} spawns, {town.reachable} walkable tiles reachable")
    sheets, portraits = {}, {}
    for name in (*RESIDENTS, *sprites.VISITORS):
        sheets[name] = sprites.sheet(name)
        portraits[name] = sprites.portrait(name)
        _save(sheets[name], os.path.join(ROOT, "characters", f"{sprites.slug(name)}.png"))
        _save(portraits[name], os.path.join(ROOT, "characters", "portraits", f"{sprites.slug(name)}.png"))
    map_preview(town, sheets, os.path.join(ROOT, "preview", "the_ville.png"))
    characters_preview(sheets, portraits, os.path.join(ROOT, "preview", "characters.png"))
    build_tiny(os.path.join(os.path.dirname(ROOT), "tests", "fixtures"))
    print("wrote characters, previews and tests/fixtures/tiny_town*.tmx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
