"""`simulacra replay`: the window on a recorded run.

`ReplayApp.frame(dt_s)` handles input (`replay_input`), advances the playback (`Playback`),
fetches the record of the shown step (`RecordCursor`: the next step from an open stream, any
other by a seek in the run log), and paints it with the window's drawing code
(`TownPainter`), then the timeline, the inspector and notices. No model and no simulation.
It opens following the first agent to move; after any seek the Events and Talk panels are
filled again from the log (the last `BACKFILL_STEPS`), and the town's animation clock stands
still while paused, so a paused frame keeps the bubbles of the talks under way.
"""

from __future__ import annotations


import pygame

from game.view.display import display_ready
from game.view import hud
from game.view.layout import MINIMAP_MAX_W
from game.view.camera import DEFAULT_ZOOM
from game.view.fonts import Fonts
from game.replay.clock import SPEED_NAMES, Playback, step_for_time
from game.replay.panel import ReplayInspector, SaidLog, draw_replay_help
from game.replay.source import RecordCursor, RecordedRun, talk_records
from game.replay.timeline import Timeline
from game.replay.view import TownPainter, replay_stats
from game.view.scene import scene_from_record
from game.view.side_panels import SidePanel
from game.view.text_input import TextInput
from game.view.town_feed import TownFeed

TARGET_FPS = 60
PAN_SPEED_PX_S = 700
BACKFILL_STEPS = 2160  # after a seek the panels are filled from the last 6 game hours
FOLLOW_LOOKAHEAD_STEPS = 360  # replay opens following the first agent to move in an hour


def first_mover(run: RecordedRun, step: int) -> str | None:
    """The first agent whose tile changes after `step` (within the lookahead), if any."""
    last = min(run.steps.stop - 1, step + FOLLOW_LOOKAHEAD_STEPS)
    start: dict[str, tuple[int, int]] = {}
    for record in run.reader.iter_records(step, last) if last > step else ():
        for agent in record.agents:
            if start.setdefault(agent.name, agent.tile_xy) != agent.tile_xy:
                return agent.name
    return None


class ReplayApp:
    """Window state and frame loop of one replay."""

    def __init__(self, run: RecordedRun, first_step: int, speed: int, screen: pygame.Surface,
                 paused: bool = False):
        self.run = run
        self.screen = screen
        self.fonts = Fonts()
        self.painter = TownPainter(run.map_path, run.personas, screen.get_size(), self.fonts,
                                   run.player)
        self.cursor = RecordCursor(run.reader)
        self.playback = Playback(run.steps, first_step, speed, playing=not paused)
        self.timeline = Timeline(self.fonts)
        self.inspector = ReplayInspector(self.fonts)
        self.said = SaidLog()
        self.side = SidePanel(self.fonts)  # the window's agents / events / talk panel
        self.feed = TownFeed()
        self.first_names = {n: c.first_name for n, c in self.painter.cast.items()}
        self.notices = hud.Notices()
        self.selected: str | None = None
        self.follow = False
        self.show_help = False
        self.running = True
        self.jump_input: TextInput | None = None
        self.skip_text = ""
        self.held: set[int] = set()
        self.drag_button: int | None = None
        self.now_s = 0.0
        self.play_s = 0.0  # the town's animation clock: stands still while paused (bubbles stay)
        self.fps = 0.0
        self._shown: int | None = None
        self._show(jump=True)
        first = first_mover(run, first_step)
        if first not in run.personas:  # none, or the player (nothing to inspect): the first agent
            first = next((a.name for a in self.painter.scene.agents if a.name in run.personas),
                         None)
        if first is not None:  # open following someone who is about to do something
            self.select(first, jump=True)
            self.follow = True
            self.notify(f"Following {self.first_names.get(first, first)} (F stops, Tab: next)")

    @property
    def scene(self):
        return self.painter.scene

    def notify(self, text: str) -> None:
        self.notices.show(text, self.now_s)

    # ------------------------------------------------------------------ frame

    def frame(self, dt_s: float) -> None:
        from game.replay.input import dispatch

        for event in pygame.event.get():
            dispatch(self, event)
        self.update(dt_s)
        self.draw()
        pygame.display.flip()

    def update(self, dt_s: float) -> None:
        self.now_s += dt_s
        if self.playback.playing:
            self.play_s += dt_s
        if dt_s > 0:
            self.fps = self.fps * 0.9 + 0.1 / dt_s if self.fps else 1.0 / dt_s
        if self.screen.get_size() != self.painter.camera.viewport_px:
            self.painter.camera.resize(self.screen.get_size())
        self.playback.update(dt_s)
        if self.playback.step != self._shown:
            self._show(jump=abs(self.playback.step - (self._shown or 0)) > 2
                       or self.playback.step < (self._shown or 0))
        self._pan_held(dt_s)
        if self.follow and self.selected:
            from game.view.panels import panel_rect

            shift = (panel_rect(self.screen.get_size()).w + 10) / 2
            self.painter.center_on_agent(self.selected, self.play_s, dt_s * 8, shift)

    def _show(self, jump: bool) -> None:
        record = self.cursor.at(self.playback.step)
        scene = self.painter.show(record, self.play_s, 1.0 / self.playback.steps_per_s, jump)
        if jump:  # a seek: the panels are filled again from the log up to this step
            self.said.clear()
            self.feed.reset()
            first = max(self.run.steps.start, self.playback.step - BACKFILL_STEPS)
            if first < self.playback.step:
                for earlier in talk_records(self.run.reader, first, self.playback.step - 1):
                    past = scene_from_record(earlier)
                    self.said.observe(past)
                    self.feed.observe(past, self.first_names)
        self.said.observe(scene)
        self.feed.observe(scene, self.first_names)
        self._shown = self.playback.step

    def _pan_held(self, dt_s: float) -> None:
        from game.replay.input import PAN_KEYS

        dx = sum(PAN_KEYS[k][0] for k in self.held if k in PAN_KEYS)
        dy = sum(PAN_KEYS[k][1] for k in self.held if k in PAN_KEYS)
        if dx or dy:
            self.follow = False
            self.painter.camera.pan_screen(dx * PAN_SPEED_PX_S * dt_s, dy * PAN_SPEED_PX_S * dt_s)

    def draw(self) -> None:
        surface = self.screen
        pb = self.playback
        stats = replay_stats(self.scene, self.run.clock, SPEED_NAMES[pb.speed - 1],
                             not pb.playing, self.fps, pb.steps_per_s)
        self.timeline.layout(surface.get_size(), self._timeline_left(surface))
        layout = self.painter.paint(surface, self.play_s, stats, self.selected,
                                    self.selected is not None, [self.timeline.rect],
                                    side_open=self.side.open)
        self.timeline.draw(surface, pb, self.run.clock, self._timeline_left(surface))
        if layout.side is not None:
            self.side.draw(surface, layout.side, self.scene, self.painter.cast, self.feed,
                           self.selected, self.painter.world.bank.portrait)
        if self.selected is not None:
            persona = self.run.personas[self.selected]
            portrait = self.painter.world.bank.portrait(persona.sprite)
            self.inspector.draw(surface, self.scene, persona, portrait, self.said,
                                self.run.clock, reserved_bottom_px=self.timeline.rect.h + 12)
        area = layout.notice_area()
        area.h = max(1, self.timeline.rect.top - 8 - area.top)
        self.notices.draw(surface, self.fonts, self.now_s, area)
        if self.jump_input is not None:
            self._draw_jump(surface)
        if self.show_help:
            draw_replay_help(surface, self.fonts)

    def _timeline_left(self, surface: pygame.Surface) -> int:
        w, h = surface.get_size()
        minimap_w = min(MINIMAP_MAX_W, w // 5) if h >= 400 else 0  # as ScreenLayout plans it
        return minimap_w + 34 if minimap_w else 12

    def _draw_jump(self, surface: pygame.Surface) -> None:
        from game.view import ui

        rect = pygame.Rect(0, 0, min(460, surface.get_width() - 40), 84)
        rect.center = (surface.get_width() // 2, surface.get_height() // 3)
        ui.panel(surface, rect, radius=12, color=(43, 33, 44, 240))
        surface.blit(self.fonts.text("Jump to game time (HH:MM, day 2 HH:MM):", 15, ui.ACCENT,
                                     bold=True), (rect.x + 16, rect.y + 12))
        field = pygame.Rect(rect.x + 16, rect.y + 42, rect.w - 32, 28)
        ui.pill(surface, field, (255, 250, 240, 40), radius=8)
        self.jump_input.draw(surface, self.fonts.get(15), field.inflate(-16, -6), ui.TEXT,
                             self.now_s)

    # ------------------------------------------------------------------ actions

    def seek(self, step: int) -> None:
        self.playback.seek(step)

    def step_by(self, steps: int) -> None:
        self.playback.step_by(steps)

    def open_jump(self, opened_with: str = "") -> None:
        self.jump_input = TextInput()
        self.skip_text = opened_with  # the key that opened the field also arrives as text
        pygame.key.start_text_input()

    def close_jump(self, accept: bool) -> None:
        text = self.jump_input.text if self.jump_input else ""
        self.jump_input = None
        pygame.key.stop_text_input()
        if not accept or not text.strip():
            return
        from engine.errors import UserError

        try:
            step = step_for_time(text, self.run.clock, self.run.steps, self.playback.step)
        except UserError as exc:
            self.notify(str(exc))
            return
        self.seek(step)
        self.notify(f"Jumped to {self.run.clock.time_at(step):%a %H:%M} (step {step})")

    def select(self, name: str | None, jump: bool = False) -> None:
        if name is not None and name not in self.run.personas:
            return  # the player: no mind to inspect
        self.selected = name
        if name is None:
            self.follow = False
        elif jump:
            self.painter.center_on_agent(name, self.play_s)

    def select_next(self) -> None:
        names = [a.name for a in self.scene.agents if a.name in self.run.personas]
        if not names:
            return
        at = names.index(self.selected) + 1 if self.selected in names else 0
        self.select(names[at % len(names)], jump=True)

    def toggle_whole_town(self) -> None:
        """Z: the whole town, and back to the close-up (on the selected agent, if any)."""
        camera = self.painter.camera
        if not camera.whole_town:
            camera.show_whole_town()
            return
        camera.zoom = DEFAULT_ZOOM
        name = self.selected or (self.scene.agents[0].name if self.scene.agents else None)
        if name is not None:
            self.painter.center_on_agent(name, self.play_s)

    def screenshot(self) -> None:
        from game.view.screenshot import save_async, screenshot_path

        path = screenshot_path()
        self.last_screenshot = save_async(self.screen, path)
        self.notify(f"Screenshot {path}")


def run_replay(run: RecordedRun, first_step: int, speed: int, size: tuple[int, int],
               paused: bool = False) -> int:
    """Open the window on a recorded run and loop until the user quits."""
    from engine.errors import UserError

    if not display_ready():
        raise UserError("replay needs a display (for a video without one: simulacra render "
                        f"{run.name} -o {run.name}.mp4)")
    screen = pygame.display.set_mode(size, pygame.RESIZABLE)
    pygame.display.set_caption(f"Simulacra replay — {run.name}")
    app = ReplayApp(run, first_step, speed, screen, paused=paused)
    app.notify("Space: play / pause · G: jump to a time · F1: help")
    clock = pygame.time.Clock()
    try:
        while app.running:
            app.frame(min(clock.tick(TARGET_FPS) / 1000.0, 0.25))
    except KeyboardInterrupt:
        pass
    finally:
        pygame.quit()
    print(f"simulacra: replay of {run.name} closed at step {app.playback.step}")
    return 0


