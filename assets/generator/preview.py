"""Preview images: the whole map with characters composited, and all character sheets in a grid."""

from __future__ import annotations

import os

import pygame

from .atlas import T
from .mapgen import VISUAL, Town
from .tmx_writer import write_png


def _save_rgb(surf: pygame.Surface, path: str) -> None:
    write_png(path, surf.get_width(), surf.get_height(), pygame.image.tobytes(surf, "RGB"), channels=3)


def map_preview(town: Town, sheets: dict[str, pygame.Surface], path: str, width: int = 2240) -> None:
    lookup = {}
    for atlas in town.tiles.atlases():
        for i, s in enumerate(atlas.surfaces):
            lookup[atlas.firstgid + i] = s
    full = pygame.Surface((town.w * T, town.h * T))
    full.fill((0, 0, 0))

    def draw_layer(name: str) -> None:
        grid = town.layers[name]
        for y in range(town.h):
            for x in range(town.w):
                g = int(grid[y, x])
                if g:
                    full.blit(lookup[g], (x * T, y * T))

    for name in VISUAL:
        if name.startswith("Foreground"):
            for o in town.spawns:
                sheet = sheets.get(o.name)
                if sheet is not None:
                    full.blit(sheet, (int(o.x) - T // 2, int(o.y) - T // 2), (0, 0, T, T))
        draw_layer(name)
    small = pygame.transform.smoothscale(full, (width, width * full.get_height() // full.get_width()))
    _save_rgb(small, path)


def characters_preview(sheets: dict[str, pygame.Surface], portraits: dict[str, pygame.Surface], path: str) -> None:
    names = list(sheets)
    cols = 5
    cell_w, cell_h = 4 * T * 2 + 8, 4 * T * 2 + 64 * 2 + 16
    out = pygame.Surface((cols * cell_w, ((len(names) + cols - 1) // cols) * cell_h))
    out.fill((60, 64, 72))
    for i, name in enumerate(names):
        x, y = (i % cols) * cell_w + 4, (i // cols) * cell_h + 4
        out.blit(pygame.transform.scale_by(portraits[name], 2), (x, y))
        out.blit(pygame.transform.scale_by(sheets[name], 2), (x, y + 136))
    _save_rgb(out, path)
