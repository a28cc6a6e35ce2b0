"""The furniture painters' kit: palette, shared shapes (shelves, chairs, counters) and `Paint`."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pygame

from .atlas import T, box, shade

WOOD, DARK_WOOD, WHITE, METAL = (176, 122, 72), (118, 78, 46), (236, 238, 240), (150, 156, 164)
HUES = ((90, 140, 210), (210, 100, 110), (110, 180, 120), (220, 170, 80), (160, 110, 200))
BOOK_COLS = [(200, 60, 60), (60, 110, 190), (230, 190, 70), (70, 150, 90), (150, 90, 170), (230, 130, 60)]


def shelf_rows(s, r, items, rng, body=WOOD):
    box(s, r, body)
    inner = pygame.Rect(r).inflate(-4, -4)
    s.fill(shade(body, 0.6), inner)
    for x in range(inner.x + 1, inner.right - 2, 3):
        h = rng.randrange(inner.h // 2, inner.h)
        s.fill(rng.choice(items), (x, inner.bottom - h, 2, h))
    s.fill(shade(body, 1.2), (r[0] + 1, r[1] + 1, r[2] - 2, 2))


def chair(s, x, y, c=DARK_WOOD):
    box(s, (x, y, 10, 10), c, radius=2)
    s.fill(shade(c, 0.7), (x + 1, y + 1, 8, 3))


def counter_box(s, r, top=(214, 196, 170), front=(120, 82, 50)):
    r = pygame.Rect(r)
    box(s, r, front, radius=1)
    box(s, (r.x, r.y, r.w, r.h - 8), top, radius=1)


@dataclass(frozen=True)
class Paint:
    """What a painter knows: the kind, its size in tiles, a variant and a seeded rng."""

    kind: str
    w: int
    h: int
    variant: int
    rng: random.Random

    @property
    def W(self) -> int:  # noqa: N802 (pixel width, as the painters' maths reads it)
        return self.w * T

    @property
    def H(self) -> int:  # noqa: N802
        return self.h * T

    @property
    def hue(self) -> tuple[int, int, int]:
        return HUES[self.variant % len(HUES)]
