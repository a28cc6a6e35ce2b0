"""Painters for decoration (not game objects): bathtubs, cabinets, crates, display tables,
armchairs, lamps, barrels, benches… placed by `decor.py` to make rooms feel furnished."""

from __future__ import annotations

import pygame

from .atlas import box, shade, shadow
from .furniture_kit import BOOK_COLS, DARK_WOOD, METAL, WHITE, WOOD, Paint


def paint_bathtub(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (2, 22, p.W - 4, 8))
    box(s, (2, 3, p.W - 4, 25), WHITE, outline=0.6, radius=8)
    pygame.draw.rect(s, (150, 200, 230), (7, 8, p.W - 14, 15), border_radius=6)
    pygame.draw.rect(s, (190, 224, 244), (10, 10, p.W - 30, 4), border_radius=2)
    s.fill(METAL, (p.W - 12, 5, 3, 4))


def paint_towel_shelf(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (3, 22, 26, 8))
    box(s, (4, 4, 24, 22), WOOD, radius=1)
    for i, c in enumerate(((240, 150, 150), (150, 200, 230), (250, 240, 220))):
        box(s, (7, 7 + i * 6, 18, 5), c, outline=0.7, radius=2)


def paint_laundry_basket(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (7, 22, 18, 8))
    box(s, (7, 9, 18, 17), (200, 170, 120), radius=3)
    for x in range(9, 24, 3):
        s.fill((170, 140, 96), (x, 11, 1, 13))
    box(s, (9, 6, 14, 5), (150, 190, 230), outline=0.7, radius=2)


def paint_cabinet(s: pygame.Surface, p: Paint) -> None:
    body = shade(p.hue, 0.55) if "bath" in p.kind else WOOD
    shadow(s, (2, 24, 28, 8))
    box(s, (3, 2, 26, 26), body, radius=2)
    s.fill(shade(body, 0.7), (15, 5, 2, 20))
    s.fill((236, 210, 140), (12, 13, 2, 3))
    s.fill((236, 210, 140), (18, 13, 2, 3))
    box(s, (6, 2, 20, 4), shade(body, 1.2), radius=1, bevel=False)


def paint_trash_bin(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (9, 22, 14, 7))
    box(s, (10, 9, 12, 17), (120, 130, 124), radius=3)
    box(s, (9, 7, 14, 4), (96, 104, 100), radius=2)


def paint_display_table(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (2, 22, p.W - 4, 8))
    box(s, (2, 6, p.W - 4, 18), DARK_WOOD, radius=2)
    box(s, (4, 8, p.W - 8, 12), (232, 222, 200), radius=1)
    rng = p.rng
    for x in range(7, p.W - 8, 7):
        c = rng.choice(BOOK_COLS)
        box(s, (x, 9 + rng.randrange(3), 5, 6), c, radius=1)


def paint_crates(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (2, 24, 28, 8))
    for x, y, w in ((2, 12, 16), (15, 14, 15), (6, 2, 15)):
        box(s, (x, y, w, 14), (170, 126, 74), radius=1)
        pygame.draw.line(s, (120, 86, 50), (x + 1, y + 1), (x + w - 2, y + 12))
        s.fill((120, 86, 50), (x, y + 6, w, 1))


def paint_plant_stand(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (7, 22, 18, 8))
    box(s, (9, 18, 14, 10), (120, 90, 150) if p.variant % 2 else (200, 120, 80), radius=3)
    for x, y, r in ((16, 9, 7), (10, 13, 5), (22, 13, 5), (16, 4, 4)):
        pygame.draw.circle(s, (52, 120, 60), (x, y), r)
    for x, y in ((13, 7), (19, 10), (15, 13)):
        pygame.draw.circle(s, (240, 200, 90) if p.variant % 3 == 0 else (230, 110, 130), (x, y), 2)


def paint_barrel(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (5, 22, 22, 8))
    pygame.draw.ellipse(s, (96, 60, 36), (5, 4, 22, 24))
    pygame.draw.ellipse(s, (140, 90, 52), (7, 6, 18, 20))
    for y in (9, 21):
        s.fill((70, 70, 76), (6, y, 20, 2))
    pygame.draw.ellipse(s, (170, 116, 70), (11, 10, 10, 8))


def paint_side_table(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (7, 20, 18, 8))
    pygame.draw.circle(s, shade(WOOD, 0.7), (16, 15), 10)
    pygame.draw.circle(s, WOOD, (16, 14), 9)
    box(s, (12, 8, 7, 7), (250, 240, 220), outline=0.7, radius=3)
    s.fill((150, 200, 110), (14, 6, 3, 3))


def paint_armchair(s: pygame.Surface, p: Paint) -> None:
    c = p.hue
    shadow(s, (3, 22, 26, 8))
    box(s, (3, 3, 26, 24), shade(c, 0.75), radius=5)
    box(s, (7, 9, 18, 15), c, radius=4)
    box(s, (3, 8, 5, 18), shade(c, 0.9), radius=2)
    box(s, (24, 8, 5, 18), shade(c, 0.9), radius=2)


def paint_floor_lamp(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (9, 24, 14, 6))
    s.fill((70, 60, 56), (15, 10, 2, 17))
    box(s, (10, 26, 12, 3), (70, 60, 56), radius=1)
    pygame.draw.polygon(s, (250, 226, 160), [(9, 12), (23, 12), (20, 3), (12, 3)])
    pygame.draw.polygon(s, (200, 160, 90), [(9, 12), (23, 12), (20, 3), (12, 3)], 1)


def paint_notice_board(s: pygame.Surface, p: Paint) -> None:
    box(s, (2, 2, 28, 22), (150, 104, 62), radius=1)
    s.fill((200, 160, 110), (4, 4, 24, 18))
    for (x, y), c in zip(((6, 6), (16, 5), (8, 14), (18, 13)), BOOK_COLS):
        box(s, (x, y, 8, 6), shade(c, 1.4), outline=0.7, radius=0, bevel=False)
    s.fill((70, 60, 56), (8, 24, 2, 6))
    s.fill((70, 60, 56), (22, 24, 2, 6))


def paint_water_cooler(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (8, 24, 16, 6))
    box(s, (9, 13, 14, 16), (226, 232, 238), radius=2)
    pygame.draw.ellipse(s, (120, 180, 230), (10, 1, 12, 14))
    pygame.draw.ellipse(s, (170, 214, 244), (12, 3, 5, 6))
    s.fill((60, 110, 200), (13, 19, 3, 2))


def paint_bench(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (2, 20, p.W - 4, 8))
    box(s, (2, 6, p.W - 4, 8), (150, 104, 62), radius=1)
    box(s, (2, 14, p.W - 4, 8), (170, 120, 72), radius=1)
    for x in (5, p.W - 8):
        s.fill((70, 60, 56), (x, 22, 3, 6))


def paint_globe(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (8, 24, 16, 6))
    box(s, (11, 24, 10, 4), DARK_WOOD, radius=1)
    s.fill(DARK_WOOD, (15, 18, 2, 7))
    pygame.draw.circle(s, (70, 130, 200), (16, 12), 8)
    for x, y, w in ((11, 8, 5), (15, 12, 6), (12, 15, 3)):
        s.fill((100, 170, 90), (x, y, w, 3))
    pygame.draw.circle(s, (120, 90, 60), (16, 12), 9, 1)
