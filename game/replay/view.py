"""The town as the window draws it, fed from step records instead of a live simulation.

`TownPainter` owns the window's drawing parts (map chunks, sprite bank, `WorldView`, camera,
walkers, bubbles) and paints exactly what the window paints for the town — map, agents, emoji,
name tags, speech bubbles, minimap, status bar — through the window's own functions. Replay
and `render` both use it, so there is no second renderer.
"""

from __future__ import annotations

from pathlib import Path

import pygame

from game.view import hud
from game.view.layout import ScreenLayout
from game.view.bubbles import Bubbles
from game.view.camera import Camera
from game.view.fonts import Fonts
from game.view.map_view import MapView
from game.view.scene import Scene, cast_of, scene_from_record
from game.view.sprites import SpriteBank, Walkers
from game.view.world_view import ViewState, WorldView

class TownPainter:
    """Draws one frame of a recorded town onto any surface (a window or an off-screen one)."""

    def __init__(self, map_path: Path, personas: dict, viewport_px: tuple[int, int],
                 fonts: Fonts | None = None, player=None):
        self.fonts = fonts or Fonts()
        self.personas = personas
        self.map_view = MapView(map_path)
        self.world = WorldView(self.map_view, SpriteBank(), self.fonts)
        self.camera = Camera(self.map_view.size_px, viewport_px)
        self.walkers, self.bubbles = Walkers(), Bubbles()
        self.cast = cast_of(personas, player)  # the player is drawn with its own sprite
        self.scene: Scene | None = None
        self.minimap_rect: pygame.Rect | None = None
        self.layout = ScreenLayout()

    def show(self, record, now_s: float, step_real_s: float, jump: bool = False) -> Scene:
        """Make `record` the shown step. Agents glide from where they were drawn over
        `step_real_s`, unless `jump` (a seek): then they stand on their tiles at once."""
        scene = scene_from_record(record)
        if jump or self.scene is None:
            self.walkers.snap(scene.agents)
            self.bubbles.clear()
            # A frame shown after a seek (or paused at the start) shows what is being said:
            # the last line of each conversation under way, older line first.
            for conversation in scene.conversations:
                people = conversation.participants
                for i, line in enumerate(conversation.lines[-2:]):
                    partner = next((p for p in people if p != line.speaker), None)
                    self.bubbles.say(line.speaker, line.text, now_s - 0.01 * (2 - i), partner)
        else:
            self.walkers.sync(scene.agents, now_s, step_real_s)
        self.bubbles.sync(scene, now_s)
        self.scene = scene
        return scene

    def tile_center(self, tile_xy) -> tuple[float, float]:
        px = self.map_view.tile_px
        return ((tile_xy[0] + 0.5) * px, (tile_xy[1] + 0.5) * px)

    def center_on_agent(self, name: str, now_s: float, smooth: float = 1.0,
                        shift_px: float = 0.0) -> None:
        """Move the camera towards an agent (`smooth` 1 = at once); `shift_px` keeps it in
        the middle of the part of the view a side panel leaves free."""
        if name not in self.walkers.walkers:
            return
        target = self.tile_center(self.walkers.tile_xy(name, now_s))
        target = (target[0] + shift_px / self.camera.zoom, target[1])
        cx, cy = self.camera.center_world_px
        k = max(0.0, min(1.0, smooth))
        self.camera.center_on((cx + (target[0] - cx) * k, cy + (target[1] - cy) * k))

    def paint(self, surface: pygame.Surface, now_s: float, stats: hud.HudStats,
              selected: str | None = None, inspector_open: bool = False,
              keep_out: list[pygame.Rect] | None = None,
              side_open: bool = False) -> ScreenLayout:
        """The window's town picture — map, agents, overlays, minimap, top bar — laid out by
        the window's `ScreenLayout` (labels keep off the bar, minimap and inspector) and drawn
        in the window's order (`app_draw.draw_frame`). Returns the layout used."""
        if surface.get_size() != self.camera.viewport_px:
            self.camera.resize(surface.get_size())
        assert self.scene is not None, "show() a record before painting"
        layout = self.layout
        layout.plan(surface.get_size(), side_open, inspector_open, False)
        self.camera.set_side_insets(layout.free_area.left,
                                    surface.get_width() - layout.free_area.right)
        minimap = self.map_view.minimap(layout.minimap_w) \
            if layout.minimap_w and not self.camera.whole_town else None
        if minimap is not None:
            layout.minimap = minimap.get_rect(
                bottomleft=(12, surface.get_height() - 12)).inflate(10, 10)
        view = ViewState(now_s, selected, True, True, layout.keep_out() + list(keep_out or []))
        self.world.draw(surface, self.camera, self.scene, self.cast, self.walkers, self.bubbles,
                        view)
        self.minimap_rect = None
        if minimap is not None:
            dots = [(self.walkers.tile_xy(a.name, now_s), a.name == selected)
                    for a in self.scene.agents if a.name in self.walkers.walkers]
            self.minimap_rect = hud.draw_minimap(surface, minimap, self.camera, dots,
                                                 self.map_view.tile_px)
        hud.draw_status(surface, self.fonts, stats)
        return layout


def replay_stats(scene: Scene, clock, speed_text: str, paused: bool, fps: float,
                 steps_s: float) -> hud.HudStats:
    """The top bar of a recorded run: its game time and step, the playback speed."""
    return hud.HudStats(
        time_text=clock.time_at(scene.step).strftime("%a %b %d  %H:%M"), step=scene.step,
        speed_text=speed_text, paused=paused, thinking=len(scene.thinking),
        model_text="recorded run · no model", errors=scene.errors, fps=fps,
        steps_s=0.0 if paused else steps_s)
