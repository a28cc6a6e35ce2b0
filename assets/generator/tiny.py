"""Writes the tiny 30x20 test map used by engine tests (tests/fixtures/tiny_town*.tmx)."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame  # noqa: E402

from .tmx_writer import (  # noqa: E402
    ObjectGroup,
    TileLayer,
    Tileset,
    empty_grid,
    tile_point,
    tile_rect,
    write_png,
    write_tmx,
)

W, H, T = 30, 20, 32
# local tile ids in the little tileset
GRASS, ROAD, FLOOR, WALL, DOOR, BED, DESK, FRIDGE, SHOWER, COUNTER, TABLE, BLOCK, TILEFLOOR = range(13)


def _tileset_image() -> pygame.Surface:
    sheet = pygame.Surface((T * 13, T), pygame.SRCALPHA)

    def tile(i: int) -> pygame.Rect:
        return pygame.Rect(i * T, 0, T, T)

    sheet.fill((88, 150, 72), tile(GRASS))
    for k in range(6):
        sheet.fill((70, 128, 58), (GRASS * T + 3 + k * 5, 5 + (k * 11) % 22, 2, 3))
    sheet.fill((170, 160, 140), tile(ROAD))
    pygame.draw.rect(sheet, (140, 130, 115), tile(ROAD), 1)
    sheet.fill((176, 124, 76), tile(FLOOR))
    for k in range(4):
        pygame.draw.line(sheet, (150, 100, 60), (FLOOR * T, k * 8 + 7), (FLOOR * T + 31, k * 8 + 7))
    sheet.fill((200, 210, 215), tile(TILEFLOOR))
    pygame.draw.rect(sheet, (160, 170, 180), tile(TILEFLOOR), 1)
    sheet.fill((96, 72, 60), tile(WALL))
    sheet.fill((150, 120, 100), (WALL * T, 18, T, 14))
    sheet.fill((176, 124, 76), tile(DOOR))
    pygame.draw.rect(sheet, (110, 70, 40), (DOOR * T + 4, 0, 24, 6))
    for idx, colour in ((BED, (230, 230, 240)), (DESK, (140, 90, 50)), (FRIDGE, (235, 240, 245)),
                        (SHOWER, (150, 200, 230)), (COUNTER, (120, 80, 50)), (TABLE, (160, 110, 70))):
        pygame.draw.rect(sheet, colour, tile(idx).inflate(-6, -6), border_radius=3)
        pygame.draw.rect(sheet, (40, 30, 30), tile(idx).inflate(-6, -6), 1, border_radius=3)
    pygame.draw.rect(sheet, (200, 60, 60), (BED * T + 5, 12, 22, 16))
    sheet.fill((255, 0, 0, 120), tile(BLOCK))
    return sheet


def build(out_dir: str) -> None:
    sheet = _tileset_image()
    write_png(os.path.join(out_dir, "tiny_town_tiles.png"), sheet.get_width(), sheet.get_height(),
              pygame.image.tobytes(sheet, "RGBA"))
    g = lambda local: local + 1  # noqa: E731  (firstgid 1)
    ground = [[g(GRASS)] * W for _ in range(H)]
    walls, furniture, coll = empty_grid(W, H), empty_grid(W, H), empty_grid(W, H)
    for y in (9, 10):
        for x in range(W):
            ground[y][x] = g(ROAD)

    def building(x0: int, y0: int, x1: int, y1: int, floor: int, doors: list[tuple[int, int]]) -> None:
        for y in range(y0, y1 + 1):
            for x in range(x0, x1 + 1):
                if x in (x0, x1) or y in (y0, y1):
                    walls[y][x], coll[y][x] = g(WALL), g(BLOCK)
                else:
                    ground[y][x] = g(floor)
        for x, y in doors:
            walls[y][x], coll[y][x] = g(DOOR), 0
            ground[y][x] = g(FLOOR)

    building(1, 1, 10, 7, FLOOR, [(5, 7)])  # Hobbs Cafe
    building(12, 1, 21, 7, FLOOR, [(15, 7)])  # Isabella's apartment
    for y in range(2, 7):  # wall between main room and bathroom
        walls[y][18], coll[y][18] = g(WALL), g(BLOCK)
    walls[4][18], coll[4][18] = g(DOOR), 0
    for y in range(2, 7):
        for x in (19, 20):
            ground[y][x] = g(TILEFLOOR)
    building(8, 12, 16, 18, FLOOR, [(12, 12)])  # Klaus Mueller's house
    ground[8][5] = ground[11][12] = g(ROAD)  # door paths to the road

    objs = [
        ("behind the cafe counter", 2, 2, 3, 1, COUNTER), ("cafe customer seating", 6, 4, 2, 1, TABLE),
        ("bed", 13, 2, 1, 2, BED), ("desk", 15, 2, 1, 1, DESK), ("refrigerator", 17, 2, 1, 1, FRIDGE),
        ("shower", 20, 2, 1, 1, SHOWER), ("bed", 9, 13, 1, 2, BED), ("desk", 11, 13, 1, 1, DESK),
    ]
    for _, x, y, w, h, tid in objs:
        for yy in range(y, y + h):
            for xx in range(x, x + w):
                furniture[yy][xx] = g(tid)

    tileset = Tileset("tiny_town_tiles", "tiny_town_tiles.png", sheet.get_width(), T, 13, 13,
                      tile_properties={BLOCK: {"collide": True}})
    sectors = ObjectGroup("Sectors", [
        tile_rect("Hobbs Cafe", 1, 1, 10, 7),
        tile_rect("Isabella Rodriguez's apartment", 12, 1, 10, 7),
        tile_rect("Klaus Mueller's house", 8, 12, 9, 7),
    ])
    arenas = ObjectGroup("Arenas", [
        tile_rect("cafe", 2, 2, 8, 5),
        tile_rect("main room", 13, 2, 5, 5),
        tile_rect("bathroom", 19, 2, 2, 5),
        tile_rect("main room", 9, 13, 7, 5),
    ])
    objects = ObjectGroup("Objects", [tile_rect(n, x, y, w, h) for n, x, y, w, h, _ in objs])
    spawns = ObjectGroup("Spawns", [tile_point("Isabella Rodriguez", 14, 3), tile_point("Klaus Mueller", 10, 14)])
    visual = [TileLayer("Ground", ground), TileLayer("Walls", walls), TileLayer("Furniture", furniture)]
    collisions = TileLayer("Collisions", coll, visible=False)
    props = {"world": "the Ville"}
    full = visual + [collisions, sectors, arenas, objects, spawns]
    write_tmx(os.path.join(out_dir, "tiny_town.tmx"), W, H, [tileset], full, props)
    no_sectors = visual + [collisions, arenas, objects, spawns]
    write_tmx(os.path.join(out_dir, "tiny_town_no_sectors.tmx"), W, H, [tileset], no_sectors, props)


if __name__ == "__main__":
    build(os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures"))
