"""Painters for furniture of shops, the cafe, the pub, the college and the park."""

from __future__ import annotations

import pygame

from .atlas import T, box, shade, shadow
from .furniture_kit import DARK_WOOD, METAL, WHITE, WOOD, Paint, chair, counter_box, shelf_rows
from .furniture_venue import paint_pub_table


def paint_grocery_store_shelf(s: pygame.Surface, p: Paint) -> None:
    rng, W, kind = p.rng, p.W, p.kind
    items = {"grocery store shelf": [(230, 80, 60), (250, 200, 60), (110, 190, 80), (240, 150, 60)],
             "pharmacy store shelf": [(255, 255, 255), (120, 200, 230), (240, 120, 140), (160, 230, 180)],
             "supply store product shelf": [(150, 150, 160), (200, 80, 60), (80, 120, 200), (230, 190, 60)]}[kind]
    shadow(s, (1, 24, W - 2, 8))
    for y in (0, 14):
        shelf_rows(s, (2, y, W - 4, 14), items, rng, METAL if kind != "supply store product shelf" else WOOD)


def paint_grocery_store_counter(s: pygame.Surface, p: Paint) -> None:
    W, kind = p.W, p.kind
    counter_box(s, (1, 4, W - 2, 26), top=(226, 220, 206))
    box(s, (W - 24, 6, 14, 10), (70, 70, 78), radius=1)
    s.fill((140, 220, 150), (W - 22, 8, 10, 3))
    if kind == "pharmacy store counter":
        s.fill((230, 60, 60), (8, 8, 10, 3))
        s.fill((230, 60, 60), (11, 5, 3, 9))


def paint_behind_counter(s: pygame.Surface, p: Paint) -> None:
    W = p.W
    s.fill(shade((150, 90, 60), 1.0), (2, 4, W - 4, 24))
    for x in range(4, W - 4, 4):
        s.fill((120, 70, 46), (x, 6, 2, 20))
    pygame.draw.rect(s, (96, 56, 36), (2, 4, W - 4, 24), 1)


def paint_bar_customer_seating(s: pygame.Surface, p: Paint) -> None:
    W = p.W
    if p.w == 1:  # a table on the floor, not the stools at the bar
        paint_pub_table(s, p)
        return
    for x in range(0, W, T):
        shadow(s, (x + 8, 20, 16, 8))
        pygame.draw.circle(s, (60, 40, 30), (x + 16, 16), 9)
        pygame.draw.circle(s, (170, 50, 50), (x + 16, 15), 7)
        pygame.draw.circle(s, (210, 90, 80), (x + 14, 13), 2)


def paint_cafe_customer_seating(s: pygame.Surface, p: Paint) -> None:
    kind = p.kind
    shadow(s, (3, 22, 26, 8))
    if kind == "cafe customer seating":
        chair(s, 1, 11, (150, 80, 60))
        chair(s, 21, 11, (150, 80, 60))
        pygame.draw.circle(s, (90, 60, 40), (16, 15), 10)
        pygame.draw.circle(s, (236, 226, 206), (16, 14), 9)
        pygame.draw.circle(s, WHITE, (13, 12), 3)
        s.fill((120, 70, 40), (12, 11, 2, 2))
    else:
        box(s, (3, 2, 26, 14), WOOD)
        box(s, (7, 5, 10, 7), (246, 244, 232), outline=0.7, radius=0)
        chair(s, 11, 19)


def paint_piano(s: pygame.Surface, p: Paint) -> None:
    W = p.W
    shadow(s, (2, 24, W - 4, 8))
    box(s, (2, 0, W - 4, 22), (36, 30, 34), radius=3)
    s.fill(WHITE, (6, 14, W - 12, 7))
    for x in range(8, W - 8, 4):
        s.fill((20, 20, 20), (x, 14, 2, 4))
    chair(s, W // 2 - 8, 22, (36, 30, 34))


def paint_blackboard(s: pygame.Surface, p: Paint) -> None:
    W = p.W
    box(s, (1, 2, W - 2, 22), (140, 100, 60), radius=1)
    s.fill((40, 74, 56), (4, 5, W - 8, 16))
    for y, l in ((8, 30), (12, 40), (16, 22)):
        pygame.draw.line(s, (230, 235, 230), (8, y), (8 + l, y))
    s.fill((220, 220, 220), (W - 16, 22, 6, 2))


def paint_classroom_podium(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (5, 22, 22, 8))
    box(s, (6, 4, 20, 22), DARK_WOOD)
    box(s, (8, 6, 16, 8), (246, 244, 232), outline=0.7, radius=0)


def paint_microphone(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (9, 24, 14, 6))
    pygame.draw.line(s, (60, 60, 66), (16, 10), (16, 27), 2)
    pygame.draw.line(s, (60, 60, 66), (11, 28), (21, 28), 2)
    pygame.draw.circle(s, (80, 80, 90), (16, 8), 5)
    pygame.draw.circle(s, (170, 170, 180), (15, 7), 2)


def paint_pool_table(s: pygame.Surface, p: Paint) -> None:
    W = p.W
    shadow(s, (2, 24, W - 4, 8))
    box(s, (1, 2, W - 2, 26), (110, 66, 36), radius=4)
    s.fill((40, 130, 80), (5, 6, W - 10, 18))
    for x, y, c in ((20, 12, WHITE), (40, 14, (220, 40, 40)), (44, 11, (240, 200, 40)), (46, 17, (30, 30, 30))):
        pygame.draw.circle(s, c, (x, y), 2)
    pygame.draw.line(s, (220, 190, 130), (8, 20), (30, 14), 1)


def paint_lifting_weight(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (3, 22, 26, 8))
    box(s, (6, 10, 20, 16), (70, 70, 80), radius=2)
    pygame.draw.line(s, METAL, (2, 8), (30, 8), 2)
    for x in (3, 6, 24, 27):
        box(s, (x, 2, 3, 12), (40, 40, 44), radius=1, bevel=False)
