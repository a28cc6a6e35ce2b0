"""The desktop window: one `App` per session, driven one frame at a time.

`App.frame()` handles queued events, advances the simulation as far as the speed allows
(`SimDriver`, never blocking), draws, and flips. Tests drive it the same way with posted
events and explicit `dt_s`. `run_app(args)` is `simulacra play`: it builds the session, opens
the window (or runs headless when there is no display) and loops until the user quits.
"""

from __future__ import annotations

import argparse
import os
import sys

import pygame

from engine import paths
from engine.agent_api import MessageKind
from engine.session import Session
from game import hud
from game.background import InspectFetcher, Jobs
from game.bubbles import Bubbles
from game.camera import Camera
from game.fonts import Fonts
from game.map_view import MapView
from game.panels import ChatLine, ChatState, Inspector, panel_rect
from game.recorder import Recorder
from game.screenshot import save_async, screenshot_path
from game.sim_driver import ModelRates, SimDriver
from game.sprites import SpriteBank, Walkers
from game.world_view import WorldView

TARGET_FPS = 60
RECORD_FPS = 30
PAN_SPEED_PX_S = 700
PAN_KEYS = {pygame.K_LEFT: (-1, 0), pygame.K_a: (-1, 0), pygame.K_RIGHT: (1, 0),
            pygame.K_d: (1, 0), pygame.K_UP: (0, -1), pygame.K_w: (0, -1),
            pygame.K_DOWN: (0, 1), pygame.K_s: (0, 1)}
SPEED_KEYS = {pygame.K_1: 0, pygame.K_2: 1, pygame.K_3: 2, pygame.K_4: 3, pygame.K_5: 4}
ZOOM_IN_KEYS = (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS)
ZOOM_OUT_KEYS = (pygame.K_MINUS, pygame.K_KP_MINUS)


class App:
    """The window's state and frame loop for one session."""

    def __init__(self, session: Session, screen: pygame.Surface | None = None):
        self.session = session
        self.screen = screen or pygame.display.get_surface()
        self.fonts = Fonts()
        self.map_view = MapView(paths.map_path(session.meta.map, session.loaded.path))
        self.world = WorldView(self.map_view, SpriteBank(), self.fonts)
        self.camera = Camera(self.map_view.size_px, self.screen.get_size())
        self.walkers, self.bubbles = Walkers(), Bubbles()
        self.inspector, self.chat, self.fetcher = Inspector(self.fonts), ChatState(), \
            InspectFetcher()
        self.notices = hud.Notices()
        self.jobs = Jobs()
        self.now_s = 0.0
        self.driver = SimDriver(session, self.jobs, self.notify, on_loaded=self._after_load)
        self.rates = ModelRates(getattr(getattr(session, "minds", None), "call_log", None))
        self.selected: str | None = None
        self.follow = False
        self.show_help = False
        self.quit_dialog = False
        self.running = True
        self.recorder: Recorder | None = None
        self._record_due_s = 0.0
        self._held: set[int] = set()
        self._drag_button: int | None = None
        self._seen_replies = 0
        self.fps = 0.0
        self.frames = 0
        self.walkers.snap(self.sim.bodies)
        first = self.sim.bodies[self.sim.order[0]].tile
        self.camera.center_on(self._tile_center(first))

    @property
    def sim(self):
        return self.session.sim

    def notify(self, text: str) -> None:
        self.notices.show(text, self.now_s)

    def _tile_center(self, tile_xy) -> tuple[float, float]:
        px = self.map_view.tile_px
        return ((tile_xy[0] + 0.5) * px, (tile_xy[1] + 0.5) * px)

    def _after_load(self) -> None:
        self.walkers.snap(self.sim.bodies)
        self.bubbles.clear()
        self.chat.waiting.clear()
        self._seen_replies = 0

    # ------------------------------------------------------------------ frame

    def frame(self, dt_s: float) -> None:
        for event in pygame.event.get():
            self.handle_event(event)
        self.update(dt_s)
        self.draw()
        pygame.display.flip()

    def update(self, dt_s: float) -> None:
        self.now_s += dt_s
        self.frames += 1
        if dt_s > 0:
            self.fps = self.fps * 0.9 + (1.0 / dt_s) * 0.1 if self.fps else 1.0 / dt_s
        self.jobs.poll()
        if self.driver.quit_saved:
            self.running = False
        if self.screen.get_size() != self.camera.viewport_px:
            self.camera.resize(self.screen.get_size())
        self.driver.update(dt_s)
        self.walkers.sync(self.sim.bodies, self.now_s, self.driver.last_step_real_s)
        self.bubbles.sync(self.sim.bodies, self.sim.step, self.now_s)
        self._collect_replies()
        self._pan_held(dt_s)
        if self.follow and self.selected in self.walkers.walkers:
            target = self._tile_center(self.walkers.tile_xy(self.selected, self.now_s))
            # Keep the agent in the middle of the part of the map the inspector leaves free.
            shift_px = (panel_rect(self.screen.get_size()).w + 10) / 2 / self.camera.zoom
            target = (target[0] + shift_px, target[1])
            cx, cy = self.camera.center_world_px
            k = min(1.0, dt_s * 8)
            self.camera.center_on((cx + (target[0] - cx) * k, cy + (target[1] - cy) * k))
        self.fetcher.update(self.selected, self.sim.minds, self.now_s)

    def _collect_replies(self) -> None:
        replies = self.sim.replies
        if len(replies) < self._seen_replies:
            self._seen_replies = 0
        for reply in replies[self._seen_replies:]:
            self.chat.waiting.pop(reply.message_id, None)
            self.chat.log(reply.agent).append(ChatLine(reply.agent, reply.text))
            self.bubbles.say(reply.agent, reply.text, self.now_s)
            self.fetcher.update(self.selected, self.sim.minds, self.now_s, force=True)
        self._seen_replies = len(replies)

    def _pan_held(self, dt_s: float) -> None:
        dx = sum(PAN_KEYS[k][0] for k in self._held if k in PAN_KEYS)
        dy = sum(PAN_KEYS[k][1] for k in self._held if k in PAN_KEYS)
        if dx or dy:
            self.follow = False
            self.camera.pan_screen(dx * PAN_SPEED_PX_S * dt_s, dy * PAN_SPEED_PX_S * dt_s)

    def draw(self, show_agents: bool = True) -> None:
        surface = self.screen
        self.world.draw(surface, self.camera, self.sim, self.walkers, self.bubbles,
                        self.selected, self.now_s, show_agents)
        dots = [(self.walkers.tile_xy(n, self.now_s), n == self.selected)
                for n in self.sim.order if n in self.walkers.walkers]
        self.minimap_rect = None
        if surface.get_height() >= 400:
            self.minimap_rect = hud.draw_minimap(surface, self.map_view.minimap(min(210, surface.get_width() // 5)),
                             self.camera, dots, self.map_view.tile_px)
        stats = hud.HudStats(
            time_text=self.sim.clock.time_at(self.sim.step).strftime("%a %b %d  %H:%M"),
            step=self.sim.step, speed_text=self.driver.speed_text, paused=self.driver.paused,
            thinking=len(self.sim.thinking()), model_text=self.rates.text(self.now_s),
            errors=self.sim.errors, fps=self.fps, recording=self.recorder is not None,
            busy_text=self.driver.busy_text)
        hud.draw_status(surface, self.fonts, stats)
        if self.selected is not None:
            persona = self.sim.personas[self.selected]
            data = self.fetcher.data if self.fetcher.agent == self.selected else {}
            self.inspector.draw(surface, persona, self.sim.bodies[self.selected], data,
                                self.fetcher.version, self.world.bank.portrait(persona.sprite),
                                self.chat, self.now_s)
        self.notices.draw(surface, self.fonts, self.now_s)
        if self.show_help:
            hud.draw_help(surface, self.fonts)
        if self.quit_dialog:
            hud.draw_quit(surface, self.fonts, self.driver.save_request == "quit"
                          or self.driver.saves_in_flight > 0)
        self._record_frame(surface)

    # ------------------------------------------------------------------ recording, shots

    def _record_frame(self, surface: pygame.Surface) -> None:
        if self.recorder is None or self.now_s < self._record_due_s:
            return
        self.recorder.add(surface)
        self._record_due_s = max(self._record_due_s + 1.0 / RECORD_FPS, self.now_s - 0.5)

    def toggle_recording(self) -> None:
        if self.recorder is None:
            self.recorder = Recorder(self.screen.get_size(), RECORD_FPS)
            self._record_due_s = self.now_s
            self.notify(f"Recording to {self.recorder.path}")
        else:
            recorder, self.recorder = self.recorder, None
            recorder.stop()
            self.last_recording = recorder
            self.notify(f"Saved video ({recorder.frames_added} frames) {recorder.path}")

    def screenshot(self) -> None:
        path = screenshot_path()
        self.last_screenshot = save_async(self.screen, path)
        self.notify(f"Screenshot {path}")

    # ------------------------------------------------------------------ input

    def handle_event(self, event: pygame.event.Event) -> None:
        from game.input import dispatch

        dispatch(self, event)

    def select(self, name: str | None) -> None:
        self.selected = name
        if name is None:
            self.follow = False
            self.close_chat()
        else:
            self.fetcher.update(name, self.sim.minds, self.now_s, force=True)

    def open_chat(self) -> None:
        if self.selected is not None:
            self.chat.active = True
            self.chat.input.clear()
            pygame.key.start_text_input()

    def close_chat(self) -> None:
        self.chat.active = False
        pygame.key.stop_text_input()

    def send_chat(self) -> None:
        text = self.chat.input.text.strip()
        if not text or self.selected is None:
            return
        kind = MessageKind.WHISPER if self.chat.whisper else MessageKind.CHAT
        message_id = self.sim.submit_message(self.selected, kind, text)
        who = "whisper" if self.chat.whisper else "you"
        self.chat.log(self.selected).append(ChatLine(who, text))
        if kind is MessageKind.CHAT:
            self.chat.waiting[message_id] = self.selected
        else:
            self.notify(f"Whispered to {self.sim.personas[self.selected].first_name}")
        self.chat.input.clear()

    def minimap_jump(self, pos) -> bool:
        """Centre the view on the minimap point clicked, if the click was on the minimap."""
        rect = getattr(self, "minimap_rect", None)
        if rect is None or not rect.collidepoint(pos):
            return False
        scale = self.map_view.size_px[0] / rect.w
        self.follow = False
        self.camera.center_on(((pos[0] - rect.x) * scale, (pos[1] - rect.y) * scale))
        return True

    def panel_hit(self, pos) -> bool:
        return self.selected is not None and panel_rect(self.screen.get_size()).collidepoint(pos)

    def close(self) -> None:
        if self.recorder is not None:
            self.toggle_recording()
        self.jobs.wait()
        if getattr(self, "last_recording", None) is not None:
            self.last_recording.join()
        self.fetcher.shutdown()
        self.jobs.shutdown()


# ---------------------------------------------------------------------- entry point


def display_available() -> bool:
    """False when there is clearly no screen to open a window on."""
    if os.environ.get("SDL_VIDEODRIVER"):
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def _parse_size(text: str) -> tuple[int, int]:
    """`1280x720` -> (1280, 720); a malformed value is a user error, small ones are raised."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        from engine.errors import UserError

        raise UserError(f"bad --size '{text}': use WIDTHxHEIGHT, e.g. 1280x720") from None
    return max(320, w), max(240, h)


def run_app(args: argparse.Namespace) -> int:
    """`simulacra play`: the window, or a headless run when there is no display."""
    from game.commands.run import start_session

    size = _parse_size(getattr(args, "size", "1280x720"))
    if not display_available() or not _init_display():
        print("simulacra: no display available; running headless instead (Ctrl+C saves)")
        from game.commands import run as run_command

        args.steps, args.quiet = getattr(args, "steps", None) or 8640, False
        args.autosave_min = 60
        return run_command.handle(args)
    session = start_session(args, autosave_min=60)
    screen = pygame.display.set_mode(size, pygame.RESIZABLE)
    pygame.display.set_caption(f"Simulacra — {session.name}")
    app = App(session, screen)
    app.notify("F1 or H: help")
    clock = pygame.time.Clock()
    try:
        while app.running:
            dt_s = clock.tick(TARGET_FPS) / 1000.0
            app.frame(min(dt_s, 0.25))
    except KeyboardInterrupt:
        pass
    finally:
        app.close()
        session.close()
        pygame.quit()
    print(f"simulacra: left {session.name} at step {session.sim.step}")
    return 0


def _init_display() -> bool:
    try:
        pygame.display.init()
        pygame.font.init()
        return pygame.display.get_num_displays() > 0
    except pygame.error:
        return False
