"""Terrain and building tiles: grass, paths, water, trees, bushes, fences, floors, walls, doors.

Every painter is deterministic (seeded from its key).  Edge-aware tiles take a 4-bit mask of
which neighbours are the same kind: N=1, E=2, S=4, W=8.
"""

from __future__ import annotations

import pygame

from .atlas import T, Atlas, box, rng_for, shade, shadow, speckle, surface

N, E, S, W = 1, 2, 4, 8
GRASS = (104, 168, 76)
GRASS_TONES = [(92, 154, 68), (116, 180, 84), (84, 142, 62), (124, 186, 92)]
DIRT = (186, 150, 104)
STONE = (168, 164, 156)
WATER = (70, 140, 200)
SAND = (222, 204, 150)


class Tiles:
    def __init__(self) -> None:
        self.terrain = Atlas("ville_terrain", 1, 1024)
        self.build = Atlas("ville_buildings", 1025, 1024)
        self.furn = Atlas("ville_furniture", 2049, 2048)
        self.logic = Atlas("ville_logic", 4097, 16, columns=4)

    def atlases(self) -> list[Atlas]:
        return [self.terrain, self.build, self.furn, self.logic]

    # ---- logic -------------------------------------------------------------------------------
    def collide(self) -> int:
        def draw():
            s = surface()
            s.fill((220, 40, 40, 110))
            pygame.draw.line(s, (160, 0, 0, 200), (0, 0), (31, 31), 2)
            pygame.draw.line(s, (160, 0, 0, 200), (31, 0), (0, 31), 2)
            return s
        return self.logic.tile("collide", draw, collide=True)

    # ---- grass -------------------------------------------------------------------------------
    def _grass_surface(self, variant: int) -> pygame.Surface:
        rng = rng_for("grass", variant)
        s = surface()
        s.fill(GRASS)
        speckle(s, s.get_rect(), GRASS_TONES, 90, rng)
        for _ in range(7 if variant < 4 else 4):  # little blades
            x, y = rng.randrange(1, 30), rng.randrange(2, 30)
            s.fill((72, 126, 54), (x, y, 1, 2))
            s.fill((140, 198, 100), (x + 1, y - 1, 1, 2))
        if variant in (4, 5):  # flowers
            petals = [(250, 240, 120), (255, 255, 255), (236, 110, 130), (190, 140, 230)]
            for _ in range(3):
                x, y = rng.randrange(3, 28), rng.randrange(3, 28)
                c = rng.choice(petals)
                for dx, dy in ((0, -1), (-1, 0), (1, 0), (0, 1)):
                    s.set_at((x + dx, y + dy), c)
                s.set_at((x, y), (240, 180, 60))
        if variant == 6:  # tuft
            x, y = rng.randrange(8, 20), rng.randrange(10, 20)
            for k in range(6):
                pygame.draw.line(s, (70, 130, 56), (x + k * 2, y + 8), (x + k * 2 + rng.choice((-2, 0, 2)), y + rng.randrange(0, 4)))
        return s

    def grass(self, variant: int) -> int:
        return self.terrain.tile(("grass", variant), lambda: self._grass_surface(variant))

    # ---- paths & water -----------------------------------------------------------------------
    def _edge_fringe(self, s: pygame.Surface, mask: int, border, key, depth=(3, 6), line=None) -> None:
        """Paint `border` texture over the sides not connected (wavy edge)."""
        rng = rng_for("fringe", key, mask)
        g = self._grass_surface(0) if border == "grass" else None
        for side in (N, E, S, W):
            if mask & side:
                continue
            for i in range(T):
                d = rng.randint(*depth)
                if side == N:
                    r = pygame.Rect(i, 0, 1, d)
                elif side == S:
                    r = pygame.Rect(i, T - d, 1, d)
                elif side == W:
                    r = pygame.Rect(0, i, d, 1)
                else:
                    r = pygame.Rect(T - d, i, d, 1)
                if g is not None:
                    s.blit(g, r.topleft, r)
                else:
                    s.fill(border, r)
                if line:
                    edge = {N: (i, d), S: (i, T - d - 1), W: (d, i), E: (T - d - 1, i)}[side]
                    s.set_at(edge, line)

    def path(self, kind: str, mask: int) -> int:
        def draw():
            rng = rng_for("path", kind)
            s = surface()
            if kind == "stone":
                s.fill((120, 116, 110))
                for row in range(4):
                    off = 4 if row % 2 else 0
                    for col in range(-1, 4):
                        c = shade(STONE, rng.uniform(0.88, 1.1))
                        box(s, (col * 10 + off + 1, row * 8 + 1, 9, 7), c, outline=0.6, radius=2)
            else:
                s.fill(DIRT)
                speckle(s, s.get_rect(), [shade(DIRT, 0.9), shade(DIRT, 1.1), shade(DIRT, 0.82)], 110, rng)
                speckle(s, s.get_rect(), [(140, 120, 100), (200, 190, 170)], 6, rng, (2, 2))
            self._edge_fringe(s, mask, "grass", kind, line=(70, 110, 50) if kind == "stone" else (120, 140, 70))
            return s
        return self.terrain.tile(("path", kind, mask), draw)

    def water(self, mask: int, frame: int = 0) -> int:
        def draw():
            rng = rng_for("water", mask)
            s = surface()
            s.fill(WATER)
            speckle(s, s.get_rect(), [shade(WATER, 0.92), shade(WATER, 1.08)], 60, rng)
            for _ in range(3):
                x, y = rng.randrange(4, 24), rng.randrange(6, 28)
                pygame.draw.line(s, (170, 214, 240), (x, y), (x + 5, y))
            self._edge_fringe(s, mask, "grass", "shore", depth=(5, 7))
            a = 0 if mask & W else 6
            b = T if mask & E else T - 6
            c = 0 if mask & N else 6
            d = T if mask & S else T - 6
            lines = {N: [((a, 5, b - a, 2), SAND), ((a, 7, b - a, 1), (46, 100, 150))],
                     S: [((a, T - 8, b - a, 2), SAND), ((a, T - 9, b - a, 1), (46, 100, 150))],
                     W: [((5, c, 2, d - c), SAND), ((7, c, 1, d - c), (46, 100, 150))],
                     E: [((T - 8, c, 2, d - c), SAND), ((T - 9, c, 1, d - c), (46, 100, 150))]}
            for side in (N, E, S, W):  # sandy bank line
                if not mask & side:
                    for r, col in lines[side]:
                        s.fill(col, r)
            return s
        return self.terrain.tile(("water", mask), draw)

    def pond(self, tx: int, ty: int, level) -> int:
        """One tile of the pond, drawn from its smooth outline: `level(x_px, y_px)` is >= 0 on
        water (world pixels). Pond tiles are unique (their key is their position), so the shore
        curves freely instead of following the tile grid."""
        def draw():
            rng = rng_for("pond", tx, ty)
            s = self._grass_surface(0).copy()
            water = surface()
            water.fill(WATER)
            speckle(water, water.get_rect(), [shade(WATER, 0.92), shade(WATER, 1.08)], 60, rng)
            for _ in range(2):
                x, y = rng.randrange(4, 24), rng.randrange(6, 28)
                pygame.draw.line(water, (170, 214, 240), (x, y), (x + 5, y))
            for y in range(T):
                for x in range(T):
                    v = level(tx * T + x + 0.5, ty * T + y + 0.5)
                    if v >= 0.12:
                        s.set_at((x, y), water.get_at((x, y)))
                    elif v >= 0.09:
                        s.set_at((x, y), (46, 100, 150))
                    elif v >= 0.0:
                        s.set_at((x, y), SAND)
            return s
        return self.terrain.tile(("pond", tx, ty), draw)

    # ---- vegetation & fences -----------------------------------------------------------------
    def tree(self, variant: int) -> tuple[list[list[int]], int]:
        """Returns (3x2 canopy gids for the Foreground, trunk gid for the ground detail)."""
        leaf = [(58, 128, 62), (72, 140, 58), (50, 116, 78)][variant % 3]

        def canopy():
            rng = rng_for("canopy", variant)
            s = surface(3 * T, 2 * T)
            blobs = [(48, 40, 30), (30, 30, 20), (66, 30, 20), (48, 20, 22), (36, 46, 16), (62, 46, 16)]
            for x, y, r in blobs:
                pygame.draw.circle(s, shade(leaf, 0.55), (x, y), r + 1)
            for x, y, r in blobs:
                pygame.draw.circle(s, leaf, (x, y), r)
            for _ in range(70):
                x, y = rng.randrange(20, 78), rng.randrange(8, 60)
                if s.get_at((x, y)).a:
                    s.fill(shade(leaf, rng.choice((0.8, 1.2, 1.35))), (x, y, 2, 2))
            for x, y, r in blobs[:3]:
                pygame.draw.circle(s, shade(leaf, 1.25), (x - r // 3, y - r // 3), r // 3)
            return s

        def trunk():
            s = surface()
            shadow(s, (3, 18, 26, 12), 70)
            box(s, (12, 0, 8, 24), (110, 76, 48), radius=1)
            s.fill((86, 58, 36), (15, 2, 2, 20))
            pygame.draw.line(s, (96, 66, 40), (10, 24), (13, 20))
            pygame.draw.line(s, (96, 66, 40), (22, 24), (19, 20))
            return s
        return self.terrain.big(("canopy", variant), 3, 2, canopy), self.terrain.tile(("trunk",), trunk)

    def bush(self, variant: int) -> int:
        def draw():
            rng = rng_for("bush", variant)
            s = surface()
            shadow(s, (2, 18, 28, 12), 70)
            c = [(62, 132, 60), (80, 146, 64)][variant % 2]
            for x, y, r in ((10, 16, 9), (21, 15, 9), (16, 10, 9)):
                pygame.draw.circle(s, shade(c, 0.55), (x, y), r + 1)
            for x, y, r in ((10, 16, 9), (21, 15, 9), (16, 10, 9)):
                pygame.draw.circle(s, c, (x, y), r)
            speckle(s, (8, 5, 18, 16), [shade(c, 1.3), shade(c, 0.8)], 20, rng, (2, 2))
            if variant % 2:
                speckle(s, (8, 6, 16, 14), [(240, 90, 110), (250, 230, 110)], 5, rng, (2, 2))
            return s
        return self.terrain.tile(("bush", variant), draw)

    def fence(self, mask: int) -> int:
        def draw():
            s = surface()
            wood, dark = (170, 120, 70), (92, 60, 34)
            if mask & (E | W) or not mask:
                x0 = 0 if mask & W else 14
                x1 = T if mask & E else 18
                for y in (10, 18):
                    s.fill(dark, (x0, y - 1, x1 - x0, 5))
                    s.fill(wood, (x0, y, x1 - x0, 3))
            if mask & (N | S):
                y0 = 0 if mask & N else 8
                y1 = T if mask & S else 24
                s.fill(dark, (12, y0, 8, y1 - y0))
                s.fill(wood, (13, y0, 6, y1 - y0))
            box(s, (12, 4, 8, 22), (184, 132, 80), radius=1)
            s.fill((214, 170, 120), (13, 5, 6, 2))
            return s
        return self.terrain.tile(("fence", mask), draw)

    # ---- floors ------------------------------------------------------------------------------
    def floor(self, kind: str, color: tuple) -> int:
        def draw():
            rng = rng_for("floor", kind, color)
            s = surface()
            if kind == "wood":
                for i in range(4):
                    c = shade(color, rng.uniform(0.92, 1.06))
                    s.fill(c, (0, i * 8, T, 8))
                    s.fill(shade(color, 0.72), (0, i * 8 + 7, T, 1))
                    x = (i * 13) % 24 + 4
                    s.fill(shade(color, 0.72), (x, i * 8, 1, 7))
                    speckle(s, (0, i * 8, T, 7), [shade(c, 0.9)], 6, rng, (2, 1))
            elif kind == "tile":
                s.fill(shade(color, 0.8))
                for y in (0, 16):
                    for x in (0, 16):
                        box(s, (x, y, 16, 16), color, outline=0.85, radius=0)
            elif kind == "checker":
                for y in (0, 16):
                    for x in (0, 16):
                        c = color if (x + y) % 32 == 0 else shade(color, 0.55)
                        s.fill(c, (x, y, 16, 16))
            elif kind == "carpet":
                s.fill(color)
                speckle(s, s.get_rect(), [shade(color, 0.9), shade(color, 1.08)], 120, rng)
            else:  # stone slabs
                s.fill(shade(color, 0.75))
                for y in (0, 16):
                    off = 8 if y else 0
                    for x in (-16, 0, 16):
                        box(s, (x + off, y, 16, 16), shade(color, rng.uniform(0.94, 1.04)), outline=0.8, radius=1)
            return s
        return self.build.tile(("floor", kind, color), draw)

    def rug(self, w: int, h: int, color: tuple) -> list[list[int]]:
        def draw():
            s = surface(w * T, h * T)
            r = pygame.Rect(4, 4, w * T - 8, h * T - 8)
            pygame.draw.rect(s, shade(color, 0.6), r, border_radius=4)
            pygame.draw.rect(s, color, r.inflate(-2, -2), border_radius=4)
            pygame.draw.rect(s, shade(color, 1.35), r.inflate(-10, -10), 2, border_radius=3)
            pygame.draw.rect(s, shade(color, 0.75), r.inflate(-18, -18), 1)
            return s
        return self.build.big(("rug", w, h, color), w, h, draw)

    # ---- walls & doors -----------------------------------------------------------------------
    def wall(self, mask: int, face: tuple | None, cap: tuple, window: bool = False, exterior: bool = False) -> int:
        """Wall cell: a dark cap seen from above; `face` colour paints the wall face on the lower part."""
        def draw():
            s = surface()
            fh = 20 if face else 0
            ch = T - fh
            s.fill(cap, (0, 0, T, ch))
            s.fill(shade(cap, 1.25), (0, 0, T, 2) if not mask & N else (0, 0, 0, 0))
            edge = shade(cap, 0.5)
            if not mask & N:
                s.fill(edge, (0, 0, T, 1))
            if not mask & W:
                s.fill(edge, (0, 0, 1, ch))
                s.fill(shade(cap, 1.15), (1, 0, 1, ch))
            if not mask & E:
                s.fill(edge, (T - 1, 0, 1, ch))
            if not face and not mask & S:
                s.fill(edge, (0, T - 1, T, 1))
            if face:
                s.fill(edge, (0, ch, T, 1))
                s.fill(face, (0, ch + 1, T, fh - 1))
                if exterior:
                    for y in range(ch + 4, T, 5):
                        s.fill(shade(face, 0.86), (0, y, T, 1))
                else:
                    for x in range(2, T, 6):
                        s.fill(shade(face, 0.93), (x, ch + 1, 2, fh - 4))
                s.fill(shade(face, 0.6), (0, T - 3, T, 3))
                if window:
                    box(s, (8, ch + 3, 16, 12), (150, 110, 70), radius=1, bevel=False)
                    s.fill((170, 214, 236), (10, ch + 5, 12, 8))
                    s.fill((230, 246, 255), (11, ch + 6, 4, 2))
                    s.fill((150, 110, 70), (15, ch + 5, 2, 8))
            return s
        return self.build.tile(("wall", mask, face, cap, window, exterior), draw)

    def door(self, horizontal: bool, floor_gid: int, frame: tuple = (120, 80, 46)) -> int:
        """A doorway; horizontal=True for doors in a wall running east-west."""
        def draw():
            s = surface()
            if horizontal:
                s.fill(frame, (0, 10, 4, 22))
                s.fill(frame, (T - 4, 10, 4, 22))
                s.fill(shade(frame, 0.6), (4, 10, 1, 22))
                s.fill(shade(frame, 0.6), (T - 5, 10, 1, 22))
                s.fill((176, 60, 52), (7, 24, 18, 6))
                s.fill((206, 96, 80), (8, 25, 16, 1))
            else:
                s.fill(frame, (10, 0, 12, 3))
                s.fill(frame, (10, T - 3, 12, 3))
            return s
        return self.build.tile(("door", horizontal, frame), draw)

    def lintel(self, cap: tuple) -> int:
        def draw():
            s = surface()
            s.fill(cap, (0, 0, T, 10))
            s.fill(shade(cap, 0.5), (0, 0, T, 1))
            s.fill(shade(cap, 0.5), (0, 9, T, 1))
            return s
        return self.build.tile(("lintel", cap), draw)
