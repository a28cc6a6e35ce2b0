"""Painters for furniture found in homes and dorms (one small function per object kind)."""

from __future__ import annotations

import pygame

from .atlas import box, shade, shadow, speckle
from .furniture_kit import BOOK_COLS, DARK_WOOD, METAL, WHITE, WOOD, Paint, chair, counter_box, shelf_rows


def paint_bed(s: pygame.Surface, p: Paint) -> None:
    W, H, hue, w = p.W, p.H, p.hue, p.w
    shadow(s, (2, H - 10, W - 4, 10))
    box(s, (2, 2, W - 4, H - 4), DARK_WOOD, radius=3)
    box(s, (4, 4, W - 8, H - 10), WHITE, radius=2)
    pillows = [(6, 6, W - 12, 10)] if w == 1 else [(6, 6, 24, 10), (W - 30, 6, 24, 10)]
    for p in pillows:
        box(s, p, (250, 250, 246), outline=0.7, radius=3)
    box(s, (3, 20, W - 6, H - 26), hue, radius=2)
    pygame.draw.line(s, shade(hue, 1.3), (5, 24), (W - 6, 24))
    for y in range(30, H - 10, 8):
        pygame.draw.line(s, shade(hue, 0.85), (6, y), (W - 7, y))


def paint_desk(s: pygame.Surface, p: Paint) -> None:
    kind = p.kind
    shadow(s, (2, 24, 28, 8))
    box(s, (1, 4, 30, 20), WOOD)
    s.fill(DARK_WOOD, (3, 23, 3, 6))
    s.fill(DARK_WOOD, (26, 23, 3, 6))
    chair(s, 11, 21, (70, 70, 90) if kind != "desk" else DARK_WOOD)
    if kind == "desk":
        box(s, (5, 7, 12, 9), (246, 244, 232), outline=0.7, radius=0)
        s.fill((60, 60, 60), (7, 9, 8, 1))
        s.fill((60, 60, 60), (7, 12, 6, 1))
        pygame.draw.circle(s, (250, 220, 120), (24, 10), 4)
        s.fill((90, 90, 90), (23, 13, 2, 5))
    elif kind == "computer desk":
        box(s, (6, 12, 20, 6), (60, 60, 66), radius=1)
        s.fill((120, 120, 130), (8, 14, 16, 2))
        box(s, (24, 8, 5, 7), (230, 230, 230), radius=2)
    else:
        box(s, (6, 2, 20, 14), (40, 44, 52), radius=1)
        s.fill((90, 170, 230), (8, 4, 16, 10))
        s.fill((160, 220, 250), (9, 5, 6, 3))
        s.fill((40, 44, 52), (14, 16, 4, 3))


def paint_closet(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (1, 24, 30, 8))
    box(s, (2, 0, 28, 28), DARK_WOOD)
    s.fill(shade(DARK_WOOD, 0.6), (15, 3, 2, 24))
    s.fill((230, 200, 120), (12, 12, 2, 4))
    s.fill((230, 200, 120), (18, 12, 2, 4))


def paint_shelf(s: pygame.Surface, p: Paint) -> None:
    rng, kind = p.rng, p.kind
    shadow(s, (1, 24, 30, 8))
    for y in (0, 14):
        shelf_rows(s, (2, y, 28, 14), BOOK_COLS, rng, DARK_WOOD if kind == "bookshelf" else WOOD)


def paint_refrigerator(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (2, 24, 28, 8))
    box(s, (4, 0, 24, 30), (226, 232, 238))
    s.fill((180, 190, 200), (5, 11, 22, 1))
    s.fill((150, 160, 170), (22, 4, 2, 5))
    s.fill((150, 160, 170), (22, 14, 2, 8))


def paint_kitchen_sink(s: pygame.Surface, p: Paint) -> None:
    W, kind = p.W, p.kind
    counter_box(s, (1, 2, W - 2, 28))
    if kind == "kitchen sink":
        box(s, (7, 5, 18, 12), METAL, radius=3)
        s.fill((120, 170, 210), (9, 7, 14, 8))
        s.fill((120, 120, 130), (15, 3, 2, 4))
    elif kind == "toaster":
        box(s, (8, 5, 16, 12), (200, 70, 60), radius=3)
        s.fill((50, 40, 40), (11, 7, 10, 2))
        s.fill((50, 40, 40), (11, 11, 10, 2))
    else:
        box(s, (4, 3, 26, 18), (60, 60, 66), radius=1)
        for cx, cy in ((11, 8), (23, 8), (11, 16), (23, 16)):
            pygame.draw.circle(s, (30, 30, 30), (cx, cy), 4)
            pygame.draw.circle(s, (200, 80, 50), (cx, cy), 4, 1)
        box(s, (38, 6, 14, 10), (150, 100, 60), radius=2)
        s.fill((230, 210, 120), (42, 8, 6, 2))


def paint_bathroom_sink(s: pygame.Surface, p: Paint) -> None:
    kind = p.kind
    if kind == "shower":
        box(s, (1, 1, 30, 30), (200, 228, 240), outline=0.6, radius=1)
        for y in range(5, 28, 5):
            pygame.draw.line(s, (170, 200, 220), (3, y), (28, y))
        pygame.draw.circle(s, METAL, (16, 8), 4)
        pygame.draw.circle(s, (90, 90, 100), (16, 22), 2)
    elif kind == "toilet":
        shadow(s, (6, 24, 20, 8))
        box(s, (9, 2, 14, 8), WHITE, outline=0.6)
        pygame.draw.ellipse(s, (170, 176, 186), (7, 9, 18, 20))
        pygame.draw.ellipse(s, WHITE, (8, 10, 16, 18))
        pygame.draw.ellipse(s, (200, 220, 235), (11, 13, 10, 11))
    else:
        box(s, (3, 2, 26, 20), WHITE, outline=0.6, radius=4)
        pygame.draw.ellipse(s, (180, 210, 230), (8, 7, 16, 11))
        s.fill(METAL, (15, 3, 2, 5))
        box(s, (6, 0, 20, 3), (190, 220, 240), outline=0.7, radius=0)


def paint_common_room_sofa(s: pygame.Surface, p: Paint) -> None:
    W, kind = p.W, p.kind
    c = (120, 140, 190) if kind == "common room sofa" else (150, 70, 60)
    shadow(s, (2, 24, W - 4, 8))
    box(s, (2, 2, W - 4, 26), shade(c, 0.8), radius=4)
    box(s, (5, 9, W - 10, 16), c, radius=3)
    s.fill(shade(c, 0.7), (W // 2, 10, 1, 14))
    box(s, (2, 6, 6, 22), shade(c, 0.9), radius=2)
    box(s, (W - 8, 6, 6, 22), shade(c, 0.9), radius=2)


def paint_common_room_table(s: pygame.Surface, p: Paint) -> None:
    W, H, h, kind = p.W, p.H, p.h, p.kind
    shadow(s, (4, H - 10, W - 8, 10))
    if kind == "common room table":
        for x, y in ((W // 2 - 5, 0), (W // 2 - 5, H - 10), (0, H // 2 - 5), (W - 10, H // 2 - 5)):
            chair(s, x, y)
    box(s, (8, 8, W - 16, H - 16) if h > 1 else (2, 4, W - 4, 22), WOOD, radius=3)
    if kind == "library table":
        for x in (10, 38):
            box(s, (x, 8, 12, 9), BOOK_COLS[x % 5], radius=1)
    else:
        pygame.draw.circle(s, (240, 240, 236), (W // 2, H // 2), 6)
        pygame.draw.circle(s, (230, 90, 110), (W // 2, H // 2), 3)


def paint_game_console(s: pygame.Surface, p: Paint) -> None:
    box(s, (2, 0, 28, 14), (40, 40, 46), radius=1)
    s.fill((80, 140, 220), (4, 2, 24, 10))
    s.fill((200, 230, 120), (8, 5, 6, 4))
    box(s, (6, 16, 20, 8), WOOD, radius=1)
    box(s, (9, 24, 6, 5), (30, 30, 34), radius=2)
    box(s, (17, 24, 6, 5), (200, 40, 40), radius=2)


def paint_guitar(s: pygame.Surface, p: Paint) -> None:
    kind = p.kind
    shadow(s, (6, 24, 20, 8))
    if kind == "guitar":
        pygame.draw.ellipse(s, (90, 50, 26), (7, 13, 18, 17))
        pygame.draw.ellipse(s, (200, 130, 60), (8, 14, 16, 15))
        pygame.draw.circle(s, (60, 30, 20), (16, 21), 3)
        s.fill((90, 56, 30), (15, 2, 3, 13))
        s.fill((40, 30, 20), (14, 1, 5, 3))
    else:
        pygame.draw.polygon(s, (200, 160, 60), [(8, 28), (10, 3), (26, 12), (22, 28)], 3)
        for x in range(12, 22, 2):
            pygame.draw.line(s, (250, 240, 210), (x, 7 + (x - 12)), (x, 26))


def paint_easel(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (6, 24, 20, 8))
    pygame.draw.line(s, DARK_WOOD, (9, 29), (16, 2), 2)
    pygame.draw.line(s, DARK_WOOD, (23, 29), (16, 2), 2)
    box(s, (6, 5, 20, 15), (250, 248, 236), outline=0.6, radius=0)
    pygame.draw.circle(s, (240, 170, 60), (12, 10), 3)
    pygame.draw.line(s, (80, 140, 200), (9, 16), (22, 13), 2)


def paint_park_garden(s: pygame.Surface, p: Paint) -> None:
    W, H, variant, kind = p.W, p.H, p.variant, p.kind
    box(s, (1, 1, W - 2, H - 2), (110, 80, 52), radius=3)
    s.fill((94, 66, 42), (4, 4, W - 8, H - 8))
    flowers = kind == "park garden"
    for row, y in enumerate(range(8, H - 6, 9)):
        for x in range(7, W - 6, 8):
            if flowers:
                c = [(240, 90, 110), (250, 220, 80), (190, 120, 230), (255, 255, 255)][(row + x // 8 + variant) % 4]
                pygame.draw.circle(s, (60, 130, 60), (x, y + 1), 3)
                pygame.draw.circle(s, c, (x, y), 2)
            else:
                pygame.draw.circle(s, (70, 150, 60), (x, y), 3)
                if (x + row) % 3 == 0:
                    pygame.draw.circle(s, (230, 120, 50) if row % 2 else (220, 50, 50), (x, y), 2)


def paint_garden_chair(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (3, 22, 26, 8))
    box(s, (2, 6, 28, 8), (160, 110, 66), radius=1)
    box(s, (2, 15, 28, 8), (176, 122, 72), radius=1)
    s.fill((70, 60, 56), (4, 23, 3, 6))
    s.fill((70, 60, 56), (25, 23, 3, 6))


def paint_counter(s: pygame.Surface, p: Paint) -> None:
    W, variant = p.W, p.variant
    counter_box(s, (0, 2, W, 28), top=(180, 130, 86), front=(110, 70, 44))
    if variant % 2:
        box(s, (8, 5, 14, 9), (80, 80, 90), radius=2)
        s.fill((200, 200, 210), (10, 7, 4, 2))


def paint_plant(s: pygame.Surface, p: Paint) -> None:
    rng = p.rng
    shadow(s, (6, 22, 20, 8))
    box(s, (10, 18, 12, 11), (180, 100, 70), radius=2)
    for x, y in ((16, 10), (10, 13), (22, 13), (16, 15)):
        pygame.draw.circle(s, (60, 130, 60), (x, y), 6)
    speckle(s, (8, 5, 16, 12), [(100, 170, 80)], 12, rng, (2, 2))
