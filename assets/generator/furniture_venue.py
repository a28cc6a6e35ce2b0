"""Painters for the cafe and the pub: their counters (blocking decoration in front of the
staff's "behind the counter" tiles), the pub's extra tables, and what hangs on their walls."""

from __future__ import annotations

import pygame

from .atlas import T, box, shade, shadow
from .furniture_kit import BOOK_COLS, DARK_WOOD, METAL, WHITE, WOOD, Paint, counter_box

GLASS = (190, 226, 236)
BRASS = (214, 176, 86)
LEATHER = (132, 40, 40)


def paint_cafe_counter(s: pygame.Surface, p: Paint) -> None:
    """A light counter with an espresso machine, a cash register and a cake under a dome."""
    W = p.W
    counter_box(s, (0, 2, W, 28), top=(232, 214, 184), front=(150, 90, 60))
    for x in range(6, W - 4, 10):  # panelled front
        s.fill((130, 76, 50), (x, 22, 6, 6))
    box(s, (4, 4, 18, 13), (90, 92, 100), radius=2)  # espresso machine
    s.fill((200, 60, 50), (7, 6, 4, 3))
    s.fill(METAL, (14, 13, 3, 4))
    box(s, (W - 22, 5, 16, 11), (70, 70, 80), radius=2)  # register
    s.fill((140, 220, 150), (W - 20, 7, 12, 3))
    if W >= 3 * T:
        cx = W // 2
        pygame.draw.ellipse(s, (250, 246, 236), (cx - 9, 9, 18, 8))
        pygame.draw.rect(s, (236, 150, 170), (cx - 6, 6, 12, 7), border_radius=3)
        s.fill((250, 240, 230), (cx - 6, 6, 12, 2))
        pygame.draw.ellipse(s, GLASS, (cx - 8, 1, 16, 14), 1)


def paint_bar_counter(s: pygame.Surface, p: Paint) -> None:
    """A dark bar with brass beer taps and a few glasses."""
    W = p.W
    counter_box(s, (0, 2, W, 28), top=(120, 74, 44), front=(70, 42, 28))
    pygame.draw.line(s, BRASS, (0, 25), (W, 25), 2)  # foot rail
    for x in range(12, W - 8, 22):
        s.fill(BRASS, (x, 3, 3, 11))
        box(s, (x - 2, 2, 7, 4), shade(BRASS, 0.8), radius=1, bevel=False)
    for x in range(22, W - 8, 22):
        box(s, (x, 8, 6, 8), (240, 190, 80), outline=0.6, radius=1, bevel=False)
        s.fill(WHITE, (x, 8, 6, 2))


def paint_bottle_shelf_back(s: pygame.Surface, p: Paint) -> None:
    """Behind the bar: a wall shelf of bottles above the floor boards the barman stands on."""
    W = p.W
    s.fill((110, 66, 42), (0, 14, W, 18))
    for x in range(2, W - 2, 5):
        s.fill((90, 54, 34), (x, 16, 1, 14))
    box(s, (1, 0, W - 2, 12), DARK_WOOD, radius=1)
    colours = ((60, 130, 70), (150, 60, 40), (200, 170, 90), (90, 60, 110), (220, 220, 200))
    for i, x in enumerate(range(4, W - 4, 5)):
        c = colours[(i * 7 + p.variant) % len(colours)]
        s.fill(c, (x, 2, 3, 8))
        s.fill(shade(c, 1.4), (x + 1, 1, 1, 2))


def paint_pub_table(s: pygame.Surface, p: Paint) -> None:
    """A round dark table with two stools (the pub's floor seating)."""
    shadow(s, (3, 22, 26, 8))
    for x in (1, 22):
        pygame.draw.circle(s, (60, 40, 30), (x + 4, 16), 5)
        pygame.draw.circle(s, LEATHER, (x + 4, 15), 4)
    pygame.draw.circle(s, (60, 38, 26), (16, 15), 10)
    pygame.draw.circle(s, (120, 76, 46), (16, 14), 8)
    box(s, (12, 9, 5, 7), (240, 190, 80), outline=0.6, radius=1, bevel=False)
    s.fill(WHITE, (12, 9, 5, 2))


def paint_booth(s: pygame.Surface, p: Paint) -> None:
    """A leather booth with its table, against a wall."""
    W = p.W
    shadow(s, (2, 22, W - 4, 8))
    box(s, (1, 1, W - 2, 9), shade(LEATHER, 0.8), radius=3)
    box(s, (1, 20, W - 2, 10), shade(LEATHER, 0.8), radius=3)
    box(s, (6, 9, W - 12, 12), (120, 76, 46), radius=2)
    box(s, (12, 11, 6, 7), (240, 190, 80), outline=0.6, radius=1, bevel=False)
    pygame.draw.circle(s, WHITE, (W - 16, 15), 3)


def paint_dartboard(s: pygame.Surface, p: Paint) -> None:
    for r, c in ((11, (40, 30, 30)), (9, (230, 220, 190)), (6, (200, 50, 50)), (3, (40, 120, 60))):
        pygame.draw.circle(s, c, (16, 12), r)
    pygame.draw.circle(s, (200, 50, 50), (16, 12), 1)
    s.fill(BRASS, (22, 7, 4, 1))
    s.fill((60, 40, 30), (10, 26, 12, 3))  # the oche line below it


def paint_fireplace(s: pygame.Surface, p: Paint) -> None:
    W = p.W
    box(s, (1, 0, W - 2, 26), (150, 120, 110), radius=1)
    for y in (6, 13, 20):
        pygame.draw.line(s, (120, 94, 86), (2, y), (W - 3, y))
    box(s, (10, 8, W - 20, 18), (40, 30, 30), radius=4, bevel=False)
    for x, c in ((W // 2 - 6, (240, 140, 40)), (W // 2, (250, 210, 80)), (W // 2 + 5, (230, 90, 40))):
        pygame.draw.polygon(s, c, [(x - 4, 25), (x + 4, 25), (x, 13)])
    box(s, (0, 0, W, 5), DARK_WOOD, radius=1)


def paint_jukebox(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (5, 24, 22, 7))
    box(s, (5, 2, 22, 26), (150, 60, 90), radius=8)
    box(s, (9, 6, 14, 9), (250, 220, 140), radius=4)
    for x, c in ((10, (90, 200, 230)), (15, (240, 120, 60)), (20, (120, 220, 120))):
        s.fill(c, (x, 18, 3, 7))


def paint_menu_board(s: pygame.Surface, p: Paint) -> None:
    """A chalk menu on the wall above a small shelf of cups."""
    box(s, (2, 0, 28, 18), (120, 84, 50), radius=1)
    s.fill((44, 60, 52), (4, 2, 24, 14))
    for y, l in ((5, 14), (8, 18), (11, 10), (14, 16)):
        pygame.draw.line(s, (236, 236, 226), (7, y), (7 + l, y))
    box(s, (4, 20, 24, 5), WOOD, radius=1, bevel=False)
    for x, c in ((6, WHITE), (12, (230, 150, 130)), (18, WHITE), (24, (150, 190, 220))):
        s.fill(c, (x, 16, 4, 4))


def paint_bookcase(s: pygame.Surface, p: Paint) -> None:
    """A low bookcase with books and a jar (the cafe's reading corner)."""
    shadow(s, (2, 24, 28, 8))
    box(s, (2, 2, 28, 26), DARK_WOOD, radius=1)
    for y in (5, 16):
        s.fill(shade(DARK_WOOD, 0.6), (4, y, 24, 9))
        for i, x in enumerate(range(5, 27, 3)):
            s.fill(BOOK_COLS[(i + y + p.variant) % len(BOOK_COLS)], (x, y + 1 + (i % 3), 2, 8 - (i % 3)))


def paint_coat_rack(s: pygame.Surface, p: Paint) -> None:
    shadow(s, (9, 24, 14, 6))
    s.fill(DARK_WOOD, (15, 4, 2, 22))
    box(s, (10, 25, 12, 3), DARK_WOOD, radius=1)
    pygame.draw.line(s, DARK_WOOD, (10, 6), (22, 6), 2)
    box(s, (7, 7, 7, 12), (80, 110, 160), radius=2)
    box(s, (18, 7, 6, 9), (190, 120, 70), radius=2)


def paint_cafe_bench(s: pygame.Surface, p: Paint) -> None:
    """A window bench with cushions, against a wall."""
    W = p.W
    shadow(s, (2, 22, W - 4, 8))
    box(s, (1, 16, W - 2, 13), (170, 110, 70), radius=2)
    for x in range(3, W - 12, 14):
        box(s, (x, 18, 12, 9), (110, 150, 130), radius=3)


def paint_cup_shelf_back(s: pygame.Surface, p: Paint) -> None:
    """Behind the cafe counter: a wall shelf of cups, jars and coffee tins over the floor."""
    W = p.W
    s.fill((184, 132, 88), (0, 14, W, 18))
    for x in range(2, W - 2, 6):
        s.fill((164, 114, 74), (x, 16, 1, 14))
    box(s, (1, 0, W - 2, 12), WOOD, radius=1)
    things = ((250, 248, 240), (120, 80, 50), (236, 150, 130), (250, 248, 240), (150, 190, 220))
    for i, x in enumerate(range(4, W - 6, 7)):
        c = things[(i * 3 + p.variant) % len(things)]
        if c == (120, 80, 50):  # a coffee tin
            box(s, (x, 2, 5, 8), c, radius=1, bevel=False)
        else:  # a cup or a jar
            box(s, (x, 5, 5, 5), c, outline=0.6, radius=1, bevel=False)
            s.fill(shade(c, 0.7), (x + 5, 6, 1, 2))
