"""Tile atlases: named 32x32 tiles registered lazily (in a deterministic order) and saved as PNG sheets."""

from __future__ import annotations

import os
import random
from typing import Callable

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame  # noqa: E402

from .tmx_writer import Tileset, write_png  # noqa: E402

T = 32


def surface(w: int = T, h: int = T) -> pygame.Surface:
    return pygame.Surface((w, h), pygame.SRCALPHA)


def rng_for(*key: object) -> random.Random:
    """A random generator seeded from a key, so every tile drawing is reproducible."""
    seed = 0
    for ch in repr(key):
        seed = (seed * 131 + ord(ch)) % (2**61 - 1)
    return random.Random(seed)


class Atlas:
    """A tileset with a fixed first gid; `tile(key, draw)` returns the gid for a cached drawing."""

    def __init__(self, name: str, firstgid: int, capacity: int, columns: int = 16):
        self.name, self.firstgid, self.capacity, self.columns = name, firstgid, capacity, columns
        self.surfaces: list[pygame.Surface] = []
        self.index: dict[object, int] = {}
        self.properties: dict[int, dict] = {}

    def tile(self, key: object, draw: Callable[[], pygame.Surface], **props) -> int:
        if key not in self.index:
            if len(self.surfaces) >= self.capacity:
                raise RuntimeError(f"tileset {self.name} is full")
            surf = draw()
            assert surf.get_size() == (T, T), key
            self.index[key] = len(self.surfaces)
            self.surfaces.append(surf)
            if props:
                self.properties[len(self.surfaces) - 1] = props
        return self.firstgid + self.index[key]

    def big(self, key: object, w: int, h: int, draw: Callable[[], pygame.Surface]) -> list[list[int]]:
        """Register a w x h tile picture; returns rows of gids (empty tiles give 0)."""
        if (key, 0, 0) not in self.index:
            pic = draw()
            for ty in range(h):
                for tx in range(w):
                    part = surface()
                    part.blit(pic, (0, 0), (tx * T, ty * T, T, T))
                    self.tile((key, tx, ty), lambda p=part: p)
        rows = []
        for ty in range(h):
            row = []
            for tx in range(w):
                local = self.index[(key, tx, ty)]
                empty = pygame.mask.from_surface(self.surfaces[local]).count() == 0
                row.append(0 if empty else self.firstgid + local)
            rows.append(row)
        return rows

    def sheet(self) -> pygame.Surface:
        rows = max(1, (len(self.surfaces) + self.columns - 1) // self.columns)
        img = surface(self.columns * T, rows * T)
        for i, s in enumerate(self.surfaces):
            img.blit(s, ((i % self.columns) * T, (i // self.columns) * T))
        return img

    def save(self, directory: str, rel_dir: str) -> Tileset:
        img = self.sheet()
        fname = f"{self.name}.png"
        write_png(os.path.join(directory, fname), img.get_width(), img.get_height(), pygame.image.tobytes(img, "RGBA"))
        return Tileset(self.name, f"{rel_dir}/{fname}", img.get_width(), img.get_height(), len(self.surfaces),
                       self.columns, self.firstgid, tile_properties=dict(self.properties))

    def lookup(self, gid: int) -> pygame.Surface | None:
        local = gid - self.firstgid
        if 0 <= local < len(self.surfaces):
            return self.surfaces[local]
        return None


# ---- small drawing helpers shared by the tile painters -------------------------------------------

def shade(c: tuple, f: float) -> tuple[int, int, int]:
    """Lighten (f > 1) or darken (f < 1) a colour."""
    if f >= 1:
        return tuple(min(255, int(v + (255 - v) * (f - 1))) for v in c[:3])
    return tuple(max(0, int(v * f)) for v in c[:3])


def box(s: pygame.Surface, rect, color, outline: float = 0.45, radius: int = 2, bevel: bool = True) -> None:
    """A filled box with a dark outline, a light top edge and a darker bottom edge."""
    r = pygame.Rect(rect)
    pygame.draw.rect(s, color, r, border_radius=radius)
    if bevel and r.w > 4 and r.h > 4:
        pygame.draw.line(s, shade(color, 1.35), (r.x + 2, r.y + 1), (r.right - 3, r.y + 1))
        pygame.draw.line(s, shade(color, 0.75), (r.x + 2, r.bottom - 2), (r.right - 3, r.bottom - 2))
    pygame.draw.rect(s, shade(color, outline), r, 1, border_radius=radius)


def speckle(s: pygame.Surface, rect, colors: list, n: int, rng: random.Random, size: tuple = (1, 1)) -> None:
    r = pygame.Rect(rect)
    for _ in range(n):
        x = r.x + rng.randrange(max(1, r.w - size[0] + 1))
        y = r.y + rng.randrange(max(1, r.h - size[1] + 1))
        s.fill(rng.choice(colors), (x, y, *size))


def shadow(s: pygame.Surface, rect, alpha: int = 60) -> None:
    sh = pygame.Surface(pygame.Rect(rect).size, pygame.SRCALPHA)
    pygame.draw.ellipse(sh, (0, 0, 0, alpha), sh.get_rect())
    s.blit(sh, pygame.Rect(rect).topleft)
