"""The camera: which part of the town the window shows, and at what zoom.

Coordinates: `world_px` are map pixels at zoom 1 (a tile is `tile_px` wide); `screen_px` are
window pixels. Zoom only takes values from `ZOOM_LEVELS` so every tile is scaled by a fixed
factor that the map and sprite caches can prepare (no blurry arbitrary scaling).
"""

from __future__ import annotations

from dataclasses import dataclass

ZOOM_LEVELS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
DEFAULT_ZOOM_INDEX = 3


@dataclass
class Camera:
    """Center of view in world pixels, zoom level index and viewport size in screen pixels."""

    map_size_px: tuple[int, int]
    viewport_px: tuple[int, int]
    center_world_px: tuple[float, float] = (0.0, 0.0)
    zoom_index: int = DEFAULT_ZOOM_INDEX

    @property
    def zoom(self) -> float:
        return ZOOM_LEVELS[self.zoom_index]

    def world_to_screen(self, world_px: tuple[float, float]) -> tuple[float, float]:
        cx, cy = self.center_world_px
        vw, vh = self.viewport_px
        return ((world_px[0] - cx) * self.zoom + vw / 2, (world_px[1] - cy) * self.zoom + vh / 2)

    def screen_to_world(self, screen_px: tuple[float, float]) -> tuple[float, float]:
        cx, cy = self.center_world_px
        vw, vh = self.viewport_px
        return ((screen_px[0] - vw / 2) / self.zoom + cx, (screen_px[1] - vh / 2) / self.zoom + cy)

    def top_left_world_px(self) -> tuple[float, float]:
        return self.screen_to_world((0, 0))

    def pan_screen(self, dx_screen: float, dy_screen: float) -> None:
        """Move the view by a distance in screen pixels (drag, keys)."""
        cx, cy = self.center_world_px
        self.center_on((cx + dx_screen / self.zoom, cy + dy_screen / self.zoom))

    def center_on(self, world_px: tuple[float, float]) -> None:
        self.center_world_px = (float(world_px[0]), float(world_px[1]))
        self.clamp()

    def zoom_by(self, steps: int, anchor_screen_px: tuple[float, float] | None = None) -> bool:
        """Change zoom level, keeping the world point under `anchor_screen_px` in place."""
        index = max(0, min(len(ZOOM_LEVELS) - 1, self.zoom_index + steps))
        if index == self.zoom_index:
            return False
        vw, vh = self.viewport_px
        anchor = anchor_screen_px or (vw / 2, vh / 2)
        before = self.screen_to_world(anchor)
        self.zoom_index = index
        after = self.screen_to_world(anchor)
        cx, cy = self.center_world_px
        self.center_on((cx + before[0] - after[0], cy + before[1] - after[1]))
        return True

    def resize(self, viewport_px: tuple[int, int]) -> None:
        self.viewport_px = viewport_px
        self.clamp()

    def clamp(self) -> None:
        """Keep the map in view; center it when it is smaller than the window."""
        mw, mh = self.map_size_px
        half_w = self.viewport_px[0] / 2 / self.zoom
        half_h = self.viewport_px[1] / 2 / self.zoom
        cx, cy = self.center_world_px
        cx = mw / 2 if half_w * 2 >= mw else min(max(cx, half_w), mw - half_w)
        cy = mh / 2 if half_h * 2 >= mh else min(max(cy, half_h), mh - half_h)
        self.center_world_px = (cx, cy)
