"""Furniture pictures for every object kind, drawn top-down at 32 px per tile."""

from __future__ import annotations

import pygame

from .atlas import T, box, rng_for, shade, shadow, speckle, surface

WOOD, DARK_WOOD, WHITE, METAL = (176, 122, 72), (118, 78, 46), (236, 238, 240), (150, 156, 164)
BOOK_COLS = [(200, 60, 60), (60, 110, 190), (230, 190, 70), (70, 150, 90), (150, 90, 170), (230, 130, 60)]

# kind -> (width, height) in tiles
FOOTPRINT = {
    "cooking area": (2, 1), "common room table": (2, 2), "common room sofa": (2, 1), "piano": (2, 1),
    "blackboard": (2, 1), "library sofa": (2, 1), "library table": (2, 1), "pool table": (2, 1),
    "grocery store shelf": (2, 1), "pharmacy store shelf": (2, 1), "supply store product shelf": (2, 1),
    "grocery store counter": (2, 1), "pharmacy store counter": (2, 1), "supply store counter": (2, 1),
    "behind the grocery counter": (2, 1), "behind the pharmacy counter": (2, 1),
    "behind the supply store counter": (2, 1), "behind the bar counter": (3, 1), "behind the cafe counter": (3, 1),
    "bar customer seating": (3, 1), "park garden": (2, 2), "house garden": (2, 2), "dorm garden": (2, 2),
    "bed": (1, 2),
}


def footprint(kind: str, double_bed: bool = False) -> tuple[int, int]:
    if kind == "bed" and double_bed:
        return (2, 2)
    return FOOTPRINT.get(kind, (1, 1))


def _shelf(s, r, items, rng, body=WOOD):
    box(s, r, body)
    inner = pygame.Rect(r).inflate(-4, -4)
    s.fill(shade(body, 0.6), inner)
    for x in range(inner.x + 1, inner.right - 2, 3):
        h = rng.randrange(inner.h // 2, inner.h)
        s.fill(rng.choice(items), (x, inner.bottom - h, 2, h))
    s.fill(shade(body, 1.2), (r[0] + 1, r[1] + 1, r[2] - 2, 2))


def _chair(s, x, y, c=DARK_WOOD):
    box(s, (x, y, 10, 10), c, radius=2)
    s.fill(shade(c, 0.7), (x + 1, y + 1, 8, 3))


def _counter(s, r, top=(214, 196, 170), front=(120, 82, 50)):
    r = pygame.Rect(r)
    box(s, r, front, radius=1)
    box(s, (r.x, r.y, r.w, r.h - 8), top, radius=1)


def draw(kind: str, w: int, h: int, variant: int = 0) -> pygame.Surface:
    rng = rng_for("furn", kind, w, h, variant)
    s = surface(w * T, h * T)
    W, H = w * T, h * T
    hue = [(90, 140, 210), (210, 100, 110), (110, 180, 120), (220, 170, 80), (160, 110, 200)][variant % 5]
    if kind == "bed":
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
    elif kind in ("desk", "computer desk", "computer"):
        shadow(s, (2, 24, 28, 8))
        box(s, (1, 4, 30, 20), WOOD)
        s.fill(DARK_WOOD, (3, 23, 3, 6))
        s.fill(DARK_WOOD, (26, 23, 3, 6))
        _chair(s, 11, 21, (70, 70, 90) if kind != "desk" else DARK_WOOD)
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
    elif kind == "closet":
        shadow(s, (1, 24, 30, 8))
        box(s, (2, 0, 28, 28), DARK_WOOD)
        s.fill(shade(DARK_WOOD, 0.6), (15, 3, 2, 24))
        s.fill((230, 200, 120), (12, 12, 2, 4))
        s.fill((230, 200, 120), (18, 12, 2, 4))
    elif kind in ("shelf", "bookshelf"):
        shadow(s, (1, 24, 30, 8))
        for y in (0, 14):
            _shelf(s, (2, y, 28, 14), BOOK_COLS, rng, DARK_WOOD if kind == "bookshelf" else WOOD)
    elif kind in ("grocery store shelf", "pharmacy store shelf", "supply store product shelf"):
        items = {"grocery store shelf": [(230, 80, 60), (250, 200, 60), (110, 190, 80), (240, 150, 60)],
                 "pharmacy store shelf": [(255, 255, 255), (120, 200, 230), (240, 120, 140), (160, 230, 180)],
                 "supply store product shelf": [(150, 150, 160), (200, 80, 60), (80, 120, 200), (230, 190, 60)]}[kind]
        shadow(s, (1, 24, W - 2, 8))
        for y in (0, 14):
            _shelf(s, (2, y, W - 4, 14), items, rng, METAL if kind != "supply store product shelf" else WOOD)
    elif kind in ("grocery store counter", "pharmacy store counter", "supply store counter"):
        _counter(s, (1, 4, W - 2, 26), top=(226, 220, 206))
        box(s, (W - 24, 6, 14, 10), (70, 70, 78), radius=1)
        s.fill((140, 220, 150), (W - 22, 8, 10, 3))
        if kind == "pharmacy store counter":
            s.fill((230, 60, 60), (8, 8, 10, 3))
            s.fill((230, 60, 60), (11, 5, 3, 9))
    elif kind.startswith("behind the"):
        s.fill(shade((150, 90, 60), 1.0), (2, 4, W - 4, 24))
        for x in range(4, W - 4, 4):
            s.fill((120, 70, 46), (x, 6, 2, 20))
        pygame.draw.rect(s, (96, 56, 36), (2, 4, W - 4, 24), 1)
    elif kind == "bar customer seating":
        for x in range(0, W, T):
            shadow(s, (x + 8, 20, 16, 8))
            pygame.draw.circle(s, (60, 40, 30), (x + 16, 16), 9)
            pygame.draw.circle(s, (170, 50, 50), (x + 16, 15), 7)
            pygame.draw.circle(s, (210, 90, 80), (x + 14, 13), 2)
    elif kind in ("cafe customer seating", "classroom student seating"):
        shadow(s, (3, 22, 26, 8))
        if kind == "cafe customer seating":
            _chair(s, 1, 11, (150, 80, 60))
            _chair(s, 21, 11, (150, 80, 60))
            pygame.draw.circle(s, (90, 60, 40), (16, 15), 10)
            pygame.draw.circle(s, (236, 226, 206), (16, 14), 9)
            pygame.draw.circle(s, WHITE, (13, 12), 3)
            s.fill((120, 70, 40), (12, 11, 2, 2))
        else:
            box(s, (3, 2, 26, 14), WOOD)
            box(s, (7, 5, 10, 7), (246, 244, 232), outline=0.7, radius=0)
            _chair(s, 11, 19)
    elif kind in ("refrigerator",):
        shadow(s, (2, 24, 28, 8))
        box(s, (4, 0, 24, 30), (226, 232, 238))
        s.fill((180, 190, 200), (5, 11, 22, 1))
        s.fill((150, 160, 170), (22, 4, 2, 5))
        s.fill((150, 160, 170), (22, 14, 2, 8))
    elif kind in ("kitchen sink", "toaster", "cooking area"):
        _counter(s, (1, 2, W - 2, 28))
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
    elif kind in ("bathroom sink", "toilet", "shower"):
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
    elif kind in ("common room sofa", "library sofa"):
        c = (120, 140, 190) if kind == "common room sofa" else (150, 70, 60)
        shadow(s, (2, 24, W - 4, 8))
        box(s, (2, 2, W - 4, 26), shade(c, 0.8), radius=4)
        box(s, (5, 9, W - 10, 16), c, radius=3)
        s.fill(shade(c, 0.7), (W // 2, 10, 1, 14))
        box(s, (2, 6, 6, 22), shade(c, 0.9), radius=2)
        box(s, (W - 8, 6, 6, 22), shade(c, 0.9), radius=2)
    elif kind in ("common room table", "library table"):
        shadow(s, (4, H - 10, W - 8, 10))
        if kind == "common room table":
            for x, y in ((W // 2 - 5, 0), (W // 2 - 5, H - 10), (0, H // 2 - 5), (W - 10, H // 2 - 5)):
                _chair(s, x, y)
        box(s, (8, 8, W - 16, H - 16) if h > 1 else (2, 4, W - 4, 22), WOOD, radius=3)
        if kind == "library table":
            for x in (10, 38):
                box(s, (x, 8, 12, 9), BOOK_COLS[x % 5], radius=1)
        else:
            pygame.draw.circle(s, (240, 240, 236), (W // 2, H // 2), 6)
            pygame.draw.circle(s, (230, 90, 110), (W // 2, H // 2), 3)
    elif kind == "piano":
        shadow(s, (2, 24, W - 4, 8))
        box(s, (2, 0, W - 4, 22), (36, 30, 34), radius=3)
        s.fill(WHITE, (6, 14, W - 12, 7))
        for x in range(8, W - 8, 4):
            s.fill((20, 20, 20), (x, 14, 2, 4))
        _chair(s, W // 2 - 8, 22, (36, 30, 34))
    elif kind == "blackboard":
        box(s, (1, 2, W - 2, 22), (140, 100, 60), radius=1)
        s.fill((40, 74, 56), (4, 5, W - 8, 16))
        for y, l in ((8, 30), (12, 40), (16, 22)):
            pygame.draw.line(s, (230, 235, 230), (8, y), (8 + l, y))
        s.fill((220, 220, 220), (W - 16, 22, 6, 2))
    elif kind == "classroom podium":
        shadow(s, (5, 22, 22, 8))
        box(s, (6, 4, 20, 22), DARK_WOOD)
        box(s, (8, 6, 16, 8), (246, 244, 232), outline=0.7, radius=0)
    elif kind == "game console":
        box(s, (2, 0, 28, 14), (40, 40, 46), radius=1)
        s.fill((80, 140, 220), (4, 2, 24, 10))
        s.fill((200, 230, 120), (8, 5, 6, 4))
        box(s, (6, 16, 20, 8), WOOD, radius=1)
        box(s, (9, 24, 6, 5), (30, 30, 34), radius=2)
        box(s, (17, 24, 6, 5), (200, 40, 40), radius=2)
    elif kind in ("guitar", "harp"):
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
    elif kind == "microphone":
        shadow(s, (9, 24, 14, 6))
        pygame.draw.line(s, (60, 60, 66), (16, 10), (16, 27), 2)
        pygame.draw.line(s, (60, 60, 66), (11, 28), (21, 28), 2)
        pygame.draw.circle(s, (80, 80, 90), (16, 8), 5)
        pygame.draw.circle(s, (170, 170, 180), (15, 7), 2)
    elif kind == "easel":
        shadow(s, (6, 24, 20, 8))
        pygame.draw.line(s, DARK_WOOD, (9, 29), (16, 2), 2)
        pygame.draw.line(s, DARK_WOOD, (23, 29), (16, 2), 2)
        box(s, (6, 5, 20, 15), (250, 248, 236), outline=0.6, radius=0)
        pygame.draw.circle(s, (240, 170, 60), (12, 10), 3)
        pygame.draw.line(s, (80, 140, 200), (9, 16), (22, 13), 2)
    elif kind == "pool table":
        shadow(s, (2, 24, W - 4, 8))
        box(s, (1, 2, W - 2, 26), (110, 66, 36), radius=4)
        s.fill((40, 130, 80), (5, 6, W - 10, 18))
        for x, y, c in ((20, 12, WHITE), (40, 14, (220, 40, 40)), (44, 11, (240, 200, 40)), (46, 17, (30, 30, 30))):
            pygame.draw.circle(s, c, (x, y), 2)
        pygame.draw.line(s, (220, 190, 130), (8, 20), (30, 14), 1)
    elif kind in ("park garden", "house garden", "dorm garden"):
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
    elif kind == "garden chair":
        shadow(s, (3, 22, 26, 8))
        box(s, (2, 6, 28, 8), (160, 110, 66), radius=1)
        box(s, (2, 15, 28, 8), (176, 122, 72), radius=1)
        s.fill((70, 60, 56), (4, 23, 3, 6))
        s.fill((70, 60, 56), (25, 23, 3, 6))
    elif kind == "lifting weight":
        shadow(s, (3, 22, 26, 8))
        box(s, (6, 10, 20, 16), (70, 70, 80), radius=2)
        pygame.draw.line(s, METAL, (2, 8), (30, 8), 2)
        for x in (3, 6, 24, 27):
            box(s, (x, 2, 3, 12), (40, 40, 44), radius=1, bevel=False)
    elif kind == "counter":
        _counter(s, (0, 2, W, 28), top=(180, 130, 86), front=(110, 70, 44))
        if variant % 2:
            box(s, (8, 5, 14, 9), (80, 80, 90), radius=2)
            s.fill((200, 200, 210), (10, 7, 4, 2))
    elif kind == "plant":
        shadow(s, (6, 22, 20, 8))
        box(s, (10, 18, 12, 11), (180, 100, 70), radius=2)
        for x, y in ((16, 10), (10, 13), (22, 13), (16, 15)):
            pygame.draw.circle(s, (60, 130, 60), (x, y), 6)
        speckle(s, (8, 5, 16, 12), [(100, 170, 80)], 12, rng, (2, 2))
    else:
        raise KeyError(f"no picture for object kind {kind!r}")
    return s
