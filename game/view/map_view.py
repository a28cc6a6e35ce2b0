"""Draws the Tiled map: visible tile layers in file order, in cached chunks per zoom level.

The map is cut into square chunks of `CHUNK_TILES` tiles. Each chunk is rendered once at
zoom 1 from the tiles (two passes: layers below the sprites, and layers whose name starts with
`Foreground`, drawn above them), then scaled per zoom level with nearest-neighbour sampling
(smooth sampling only when shrinking) and kept in a small LRU cache. A frame blits only the
chunks that intersect the viewport, so the cost does not grow with the map. Hidden layers
(`Collisions`, visible=0) and object layers are never drawn.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame
import pytmx
from pytmx.util_pygame import load_pygame

from game.view.camera import Camera

CHUNK_TILES = 16
SCALED_CACHE_PX = 16_000_000  # scaled chunks kept, in pixels (~64 MB); raised to what one
# frame shows, twice over, so a view that needs more chunks than that never thrashes
BELOW, ABOVE = "below", "above"


def _layer_pass(layer) -> str | None:
    if not isinstance(layer, pytmx.TiledTileLayer) or not getattr(layer, "visible", True):
        return None
    return ABOVE if str(layer.name).startswith("Foreground") else BELOW


class MapView:
    """A pytmx map rendered through per-zoom chunk caches."""

    def __init__(self, tmx_path: Path):
        self.tmx = load_pygame(str(tmx_path))
        self.tile_px = int(self.tmx.tilewidth)
        self.size_tiles = (int(self.tmx.width), int(self.tmx.height))
        self.size_px = (self.size_tiles[0] * self.tile_px, self.size_tiles[1] * self.tile_px)
        chunk_px = CHUNK_TILES * self.tile_px
        self.chunk_px = chunk_px
        self.chunks_xy = (-(-self.size_px[0] // chunk_px), -(-self.size_px[1] // chunk_px))
        self._base: dict[tuple[str, int, int], pygame.Surface | None] = {}
        self._scaled: OrderedDict[tuple, pygame.Surface | None] = OrderedDict()
        self._scaled_px = 0
        self._budget_px = SCALED_CACHE_PX
        self._minimap: pygame.Surface | None = None
        self._blocked = _collision_grid(self.tmx)

    def walkable(self, tile_xy) -> bool:
        """False for blocked tiles (the hidden `Collisions` layer) and tiles off the map."""
        x, y = int(tile_xy[0]), int(tile_xy[1])
        if not (0 <= x < self.size_tiles[0] and 0 <= y < self.size_tiles[1]):
            return False
        return (x, y) not in self._blocked

    # -------------------------------------------------------------------- chunk building

    def _base_chunk(self, which: str, cx: int, cy: int) -> pygame.Surface | None:
        key = (which, cx, cy)
        if key in self._base:
            return self._base[key]
        chunk = pygame.Surface((self.chunk_px, self.chunk_px), pygame.SRCALPHA)
        drew = False
        x0, y0 = cx * CHUNK_TILES, cy * CHUNK_TILES
        x1 = min(x0 + CHUNK_TILES, self.size_tiles[0])
        y1 = min(y0 + CHUNK_TILES, self.size_tiles[1])
        for index, layer in enumerate(self.tmx.layers):
            if _layer_pass(layer) != which:
                continue
            for ty in range(y0, y1):
                for tx in range(x0, x1):
                    image = self.tmx.get_tile_image(tx, ty, index)
                    if image is not None:
                        chunk.blit(image, ((tx - x0) * self.tile_px, (ty - y0) * self.tile_px))
                        drew = True
        result = chunk if drew else None
        if result is not None and which == BELOW:
            result = result.convert() if pygame.display.get_surface() else result
        self._base[key] = result
        return result

    def _chunk_at_zoom(self, which: str, cx: int, cy: int, zoom: float) -> pygame.Surface | None:
        key = (which, cx, cy, zoom)
        if key in self._scaled:
            self._scaled.move_to_end(key)
            return self._scaled[key]
        base = self._base_chunk(which, cx, cy)
        scaled = base
        if base is not None and zoom != 1.0:
            size = (round(self.chunk_px * zoom), round(self.chunk_px * zoom))
            scale = pygame.transform.scale if zoom > 1 else pygame.transform.smoothscale
            scaled = scale(base, size)
        self._scaled[key] = scaled
        self._scaled_px += _area(scaled)
        while self._scaled_px > self._budget_px and len(self._scaled) > 1:
            self._scaled_px -= _area(self._scaled.popitem(last=False)[1])
        return scaled

    # -------------------------------------------------------------------- drawing

    def draw(self, surface: pygame.Surface, camera: Camera, which: str = BELOW) -> int:
        """Blit the chunks of one pass that intersect the view; returns how many were drawn."""
        zoom = camera.zoom
        left, top = camera.top_left_world_px()
        vw, vh = camera.viewport_px
        right, bottom = left + vw / zoom, top + vh / zoom
        first_cx, last_cx = max(0, int(left // self.chunk_px)), int(right // self.chunk_px)
        first_cy, last_cy = max(0, int(top // self.chunk_px)), int(bottom // self.chunk_px)
        step_px = round(self.chunk_px * zoom)
        origin = camera.world_to_screen((0, 0))
        ox, oy = round(origin[0]), round(origin[1])
        drawn = 0
        shown_px = (last_cx - first_cx + 1) * (last_cy - first_cy + 1) * step_px * step_px
        self._budget_px = max(self._budget_px, 4 * shown_px)  # both passes, twice over
        for cy in range(first_cy, min(last_cy + 1, self.chunks_xy[1])):
            for cx in range(first_cx, min(last_cx + 1, self.chunks_xy[0])):
                chunk = self._chunk_at_zoom(which, cx, cy, zoom)
                if chunk is not None:
                    surface.blit(chunk, (ox + cx * step_px, oy + cy * step_px))
                    drawn += 1
        return drawn

    def minimap(self, width_px: int) -> pygame.Surface:
        """The whole map shrunk to `width_px` wide (cached; built from the zoom-1 chunks)."""
        if self._minimap is not None and self._minimap.get_width() == width_px:
            return self._minimap
        scale = width_px / self.size_px[0]
        small_chunk = self.chunk_px * scale
        out = pygame.Surface((width_px, round(self.size_px[1] * scale)))
        for cy in range(self.chunks_xy[1]):
            for cx in range(self.chunks_xy[0]):
                for which in (BELOW, ABOVE):
                    base = self._base_chunk(which, cx, cy)
                    if base is None:
                        continue
                    x0, y0 = round(cx * small_chunk), round(cy * small_chunk)
                    x1, y1 = round((cx + 1) * small_chunk), round((cy + 1) * small_chunk)
                    out.blit(pygame.transform.smoothscale(base, (x1 - x0, y1 - y0)), (x0, y0))
        self._minimap = out
        return out


def _collision_grid(tmx) -> set[tuple[int, int]]:
    try:
        layer = tmx.get_layer_by_name("Collisions")
    except (ValueError, KeyError):
        return set()
    return {(x, y) for y, row in enumerate(layer.data) for x, gid in enumerate(row) if gid}


def _area(surface: pygame.Surface | None) -> int:
    return surface.get_width() * surface.get_height() if surface is not None else 0
