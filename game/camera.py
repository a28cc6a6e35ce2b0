"""The camera: which part of the town the window shows, and at what zoom.

Coordinates: `world_px` are map pixels at zoom 1 (a tile is `tile_px` wide); `screen_px` are
window pixels. Zoom takes values from `ZOOM_LEVELS` so every tile is scaled by a fixed factor
that the map and sprite caches can prepare (no blurry arbitrary scaling), plus one level below
them: the zoom at which the whole town fits the window (`fit_zoom`, recomputed on resize).
`top_margin_px` is the strip the top bar holds: the map is drawn only below it (`map_rect`),
so the bar never covers a map row, and the view's centre is the centre of that area;
`side_insets_px` are the widths the side panel and the inspector cover (left, right): the whole town fits, and is
centred in, the part of the window between them.
"""

from __future__ import annotations

from dataclasses import dataclass

ZOOM_LEVELS = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0)
DEFAULT_ZOOM = 2.0
TOP_MARGIN_PX = 48


@dataclass
class Camera:
    """Center of view in world pixels, zoom level index and viewport size in screen pixels."""

    map_size_px: tuple[int, int]
    viewport_px: tuple[int, int]
    center_world_px: tuple[float, float] = (0.0, 0.0)
    zoom: float = DEFAULT_ZOOM
    top_margin_px: int = TOP_MARGIN_PX
    side_insets_px: tuple[int, int] = (0, 0)

    @property
    def fit_zoom(self) -> float:
        """The zoom at which the whole map fits below the top bar (two decimals)."""
        vw, vh = self.viewport_px
        mw, mh = self.map_size_px
        fit = min(max(1, vw - sum(self.side_insets_px)) / mw, (vh - self.top_margin_px) / mh)
        return max(0.05, int(fit * 100) / 100)

    def levels(self) -> tuple[float, ...]:
        fit = self.fit_zoom
        return (fit,) + tuple(z for z in ZOOM_LEVELS if z > fit * 1.1)

    @property
    def zoom_index(self) -> int:
        levels = self.levels()
        return min(range(len(levels)), key=lambda i: abs(levels[i] - self.zoom))

    @property
    def whole_town(self) -> bool:
        return self.zoom_index == 0

    @property
    def map_rect(self) -> tuple[int, int, int, int]:
        """The screen area the map is drawn in (x, y, w, h): the window below the top bar."""
        vw, vh = self.viewport_px
        top = min(self.top_margin_px, max(0, vh - 1))
        return (0, top, vw, vh - top)

    def _view_centre(self) -> tuple[float, float]:
        _, top, vw, h = self.map_rect
        return vw / 2, top + h / 2

    def world_to_screen(self, world_px: tuple[float, float]) -> tuple[float, float]:
        cx, cy = self.center_world_px
        ox, oy = self._view_centre()
        return ((world_px[0] - cx) * self.zoom + ox, (world_px[1] - cy) * self.zoom + oy)

    def screen_to_world(self, screen_px: tuple[float, float]) -> tuple[float, float]:
        cx, cy = self.center_world_px
        ox, oy = self._view_centre()
        return ((screen_px[0] - ox) / self.zoom + cx, (screen_px[1] - oy) / self.zoom + cy)

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
        levels = self.levels()
        index = max(0, min(len(levels) - 1, self.zoom_index + steps))
        if levels[index] == self.zoom:
            return False
        anchor = anchor_screen_px or self._view_centre()
        before = self.screen_to_world(anchor)
        self.zoom = levels[index]
        after = self.screen_to_world(anchor)
        cx, cy = self.center_world_px
        self.center_on((cx + before[0] - after[0], cy + before[1] - after[1]))
        return True

    def show_whole_town(self) -> None:
        self.zoom = self.fit_zoom
        self.center_on((self.map_size_px[0] / 2, self.map_size_px[1] / 2))

    def set_side_insets(self, left_px: int, right_px: int) -> None:
        """The screen widths panels cover on each side; a whole-town view is fitted again."""
        insets = (max(0, int(left_px)), max(0, int(right_px)))
        if insets == self.side_insets_px:
            return
        was_whole = self.whole_town
        self.side_insets_px = insets
        if was_whole or self.zoom < self.fit_zoom:
            self.zoom = self.fit_zoom
        self.clamp()

    def resize(self, viewport_px: tuple[int, int]) -> None:
        was_whole = self.whole_town
        self.viewport_px = viewport_px
        if was_whole or self.zoom < self.fit_zoom:
            self.zoom = self.fit_zoom
        self.clamp()

    def clamp(self) -> None:
        """Keep the map in view below the top bar; center it when it is smaller than that."""
        mw, mh = self.map_size_px
        half_w = self.viewport_px[0] / 2 / self.zoom
        half_h = self.map_rect[3] / 2 / self.zoom
        cx, cy = self.center_world_px
        left, right = (inset / self.zoom for inset in self.side_insets_px)
        if half_w * 2 - left - right >= mw:  # the map fits between the panels: centre it there
            cx = mw / 2 + (right - left) / 2
        else:  # either edge of the map may come out from under its panel
            cx = min(max(cx, half_w - left), mw - half_w + right)
        if half_h * 2 >= mh:
            cy = mh / 2
        else:
            cy = min(max(cy, half_h), mh - half_h)
        self.center_world_px = (cx, cy)
