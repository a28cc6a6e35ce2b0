"""The desktop window: one `App` per session, driven one frame at a time.

`App.frame()` handles queued events (`game.window.input`), advances the simulation as far as the
speed allows (`SimDriver`, never blocking), takes in the scenes of the steps that finished,
draws, and flips. Everything drawn comes from `Scene` values (`scene_source`), never from the
engine's objects; what the inspector and the feed show of minds comes from the snapshots in
the records (`MindBook`), never from a live mind. While the pause menu is open the town is
held. Tests drive the app the same
way with posted events and explicit `dt_s`. `run_app(args)` (in `game.window.main`) is
`simulacra play`.
"""

from __future__ import annotations

import pygame

from engine import paths
from engine.agent_api import MessageKind
from engine.session import Session
from game.view import hud
from game.window.draw import draw_frame
from game.view.layout import ScreenLayout
from game.window.background import Jobs
from game.view.bubbles import Bubbles
from game.view.camera import Camera
from game.errorlog import log_window_error
from game.view.fonts import Fonts
from game.window.input import Controller
from game.view.map_view import MapView
from game.window.menus import PauseMenu, Settings
from game.view.mind_book import MindBook
from game.view.panels import ChatLine, ChatState, Inspector
from game.window.paused_chat import PausedChat
from game.view.recorder import Recorder
from game.view.scene import cast_of
from game.window.scene_source import SceneSource
from game.view.screenshot import save_async, screenshot_path
from game.view.side_panels import SidePanel
from game.window.sim_driver import ModelRates, SimDriver
from game.view.sprites import SpriteBank, Walkers
from game.view.town_feed import TownFeed
from game.view.world_view import ViewState, WorldView
from game.window.walk import Walk
from game.window.watch import Watcher

TARGET_FPS = 60
RECORD_FPS = 30


class App:
    """The window's state and frame loop for one session."""

    def __init__(self, session: Session, screen: pygame.Surface | None = None,
                 open_save=None, list_saves=None):
        self.screen = screen or pygame.display.get_surface()
        self.fonts = Fonts()
        self.map_view = MapView(paths.map_path(session.meta.map, session.loaded.path))
        self.world = WorldView(self.map_view, SpriteBank(), self.fonts)
        self.camera = Camera(self.map_view.size_px, self.screen.get_size())
        self.inspector, self.chat = Inspector(self.fonts), ChatState()
        self.jobs, self.notices = Jobs(), hud.Notices()
        self.side, self.menu = SidePanel(self.fonts), PauseMenu(self.fonts)
        self.input = Controller(self)
        self.layout = ScreenLayout()
        self.open_save, self.list_saves = open_save, list_saves
        self.now_s = 0.0
        self.selected: str | None = None
        self.follow = False
        self.show_help = False
        self.running = True
        self.exit_note = ""
        self.recorder: Recorder | None = None
        self.last_recording: Recorder | None = None
        self.last_screenshot = None
        self._record_due_s = 0.0
        self.fps = 0.0
        self.frames = 0
        self._attach(session)
        self.settings = Settings(speed_index=self.driver.speed_index)

    def _attach(self, session: Session) -> None:
        """Point the window at a (new) session: driver, scenes, cast, feed, camera."""
        self.session = session
        self.driver = SimDriver(session, self.jobs, self.notify, on_loaded=self._after_load)
        minds = getattr(session, "minds", None)
        self.rates = ModelRates(getattr(minds, "call_log", None), getattr(minds, "health", None))
        self.scenes = SceneSource(session.sim)
        self.cast = cast_of(session.sim.personas, session.sim.world.player)
        self.walk = Walk(session.sim)
        self.feed = TownFeed()
        self.feed.on_error = lambda line: log_window_error(session.name, line)
        self.hud_hits: dict = {}  # top-bar parts a click acts on (the error count)
        self.paused_chat = PausedChat(session.sim)
        self.watcher = Watcher(self.scenes.current)
        self.minds = MindBook(self.scenes.take_snapshots())
        self.walkers, self.bubbles = Walkers(), Bubbles()
        self.walkers.snap(self.scene.agents)
        self.selected, self.follow = None, False
        self.chat.waiting.clear()
        first = self.scene.agents[0].tile_xy
        self.camera.center_on(self.tile_center(first))

    def switch_session(self, session: Session) -> None:
        """Leave the current session (closed, not saved) for another one (the load browser)."""
        old = self.session
        self.scenes.close()
        self.paused_chat.shutdown()
        self.close_chat()
        old.close()
        self._attach(session)
        self.on_switch(old, session)

    def on_switch(self, old: Session, new: Session) -> None:
        """Hook for the entry point (it closes what it opened for `old`)."""

    @property
    def sim(self):
        return self.session.sim

    @property
    def scene(self):
        return self.scenes.current

    @property
    def quit_dialog(self) -> bool:
        return self.menu.page == "quit"

    @property
    def holding(self) -> bool:
        """The town stands still while a menu or the quit dialog is open, and while a chat
        sent during a pause is being answered."""
        return self.menu.open or self.paused_chat.busy

    def notify(self, text: str) -> None:
        self.notices.show(text, self.now_s)

    def tile_center(self, tile_xy) -> tuple[float, float]:
        px = self.map_view.tile_px
        return ((tile_xy[0] + 0.5) * px, (tile_xy[1] + 0.5) * px)

    def _after_load(self) -> None:
        self.scenes.reset()
        self.minds = MindBook(self.scenes.take_snapshots())
        self.feed.reset()
        self.walkers.snap(self.scene.agents)
        self.bubbles.clear()
        self.chat.waiting.clear()

    # ------------------------------------------------------------------ frame

    def frame(self, dt_s: float) -> None:
        for event in pygame.event.get():
            self.input.handle(event)
        self.update(dt_s)
        self.draw()
        pygame.display.flip()

    def update(self, dt_s: float) -> None:
        self.now_s += dt_s
        self.frames += 1
        if dt_s > 0:
            self.fps = self.fps * 0.9 + (1.0 / dt_s) * 0.1 if self.fps else 1.0 / dt_s
        self.jobs.poll()
        if self.driver.quit_saved and self.running:
            self.exit_note = f"saved {self.session.name} at step {self.sim.step}"
            self.running = False
        if self.screen.get_size() != self.camera.viewport_px:
            self.camera.resize(self.screen.get_size())
        if not self.holding or self.driver.save_request is not None:
            self.driver.update(dt_s)
        self.paused_chat.poll()
        for scene in self.scenes.pull():
            self._take_in(scene)
        self.walkers.sync(self.scene.agents, self.now_s, self.driver.last_step_real_s)
        self._collect_replies()
        self.input.tick(dt_s)
        self._follow_camera(dt_s)
        for snapshot in self.scenes.take_snapshots():
            for text in self.minds.take_in(snapshot):
                agent = snapshot.agent
                self.feed.note(self.scene, "reflection",
                               f"{self.cast[agent].first_name} reflects: {text}", (agent,))

    def _take_in(self, scene) -> None:
        if (note := self.walk.news(scene)) is not None:
            self.notify(note)
        for line in self.walk.heard(scene):  # what the partner said to the player, face to face
            self.chat.log(line.speaker).append(ChatLine(line.speaker, line.text, line.by))
        first = {n: c.first_name for n, c in self.cast.items()}
        self.feed.observe(scene, first)
        self.bubbles.sync(scene, self.now_s)
        mover = self.watcher.first_mover(scene)
        if mover is not None and self.selected is None and mover != self.walk.name:
            self.select(mover)
            self.follow = True
            self.notify(f"Following {self.cast[mover].first_name} (F stops)")

    def _collect_replies(self) -> None:
        for reply in self.paused_chat.take_replies() + [
                r for r in self.scene.replies if r.message_id in self.chat.waiting]:
            if reply.message_id not in self.chat.waiting:
                continue
            self.chat.waiting.pop(reply.message_id, None)
            self.chat.log(reply.agent).append(ChatLine(reply.agent, reply.text, reply.by))
            self.bubbles.say(reply.agent, reply.text, self.now_s)
            self.feed.note(self.scene, "reply",
                           f"{self.cast[reply.agent].first_name}: {reply.text}", (reply.agent,))

    def _follow_camera(self, dt_s: float) -> None:
        who = self.walk.name if self.walk.on else self.selected if self.follow else None
        if who not in self.walkers.walkers:
            return
        target = self.tile_center(self.walkers.tile_xy(who, self.now_s))
        # Keep the agent in the middle of the part of the map the panels leave free.
        free = self.layout.free_area
        if free is not None:
            shift = (self.screen.get_width() / 2 - free.centerx) / self.camera.zoom
            target = (target[0] + shift, target[1])
        cx, cy = self.camera.center_world_px
        k = min(1.0, dt_s * 8)
        self.camera.center_on((cx + (target[0] - cx) * k, cy + (target[1] - cy) * k))

    def draw(self, show_agents: bool = True) -> None:
        draw_frame(self, show_agents)
        self._record_frame(self.screen)

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

    # ------------------------------------------------------------------ commands (input)

    def select(self, name: str | None, jump: bool = False) -> None:
        if name is not None and name == self.walk.name:
            self.notify(f"That is you, {self.walk.player.first_name} (P: walk mode)")
            return
        self.selected = name
        self.watcher.stop()
        if name is None:
            self.follow = False
            self.close_chat()
            return
        if jump and name in self.walkers.walkers:
            self.camera.center_on(self.tile_center(self.walkers.tile_xy(name, self.now_s)))

    def cycle_selection(self, step: int) -> None:
        order = [a.name for a in self.scene.agents if a.name != self.walk.name]
        index = order.index(self.selected) + step if self.selected in order else 0
        self.select(order[index % len(order)], jump=True)

    def toggle_follow(self) -> None:
        if self.selected is None:
            self.notify("Select an agent to follow")
            return
        self.follow = not self.follow
        self.notify(("Following " if self.follow else "Stopped following ")
                    + self.cast[self.selected].first_name)

    def camera_moved_by_user(self) -> None:
        self.follow = False
        self.watcher.stop()

    def toggle_help(self) -> None:
        self.show_help = not self.show_help

    def toggle_pause(self) -> None:
        self.driver.paused = not self.driver.paused
        self.notify("Paused" if self.driver.paused else "Resumed")

    def set_speed(self, index: int) -> None:
        self.driver.set_speed(index)
        self.settings.speed_index = self.driver.speed_index
        self.driver.paused = False
        self.notify(f"Speed {index + 1}: {self.driver.speed_text}")

    def toggle_whole_town(self) -> None:
        self.camera_moved_by_user()
        if self.camera.whole_town:
            self.camera.zoom = 2.0
            target = self.selected or self.scene.agents[0].name
            self.camera.center_on(self.tile_center(self.walkers.tile_xy(target, self.now_s)))
        else:
            self.camera.show_whole_town()

    def open_chat(self) -> None:
        if self.selected is None and self.walk.partner(self.scene) is None:
            self.notify("Click an agent (or press Tab) to chat")
            return
        self.chat.active = True
        self.chat.input.clear()
        pygame.key.start_text_input()

    def close_chat(self) -> None:
        self.chat.active = False
        pygame.key.stop_text_input()

    def toggle_whisper(self) -> None:
        self.chat.whisper = not self.chat.whisper

    def send_chat(self) -> None:
        text = self.chat.input.text.strip()
        if text and not self.chat.whisper and (to := self.walk.say(self.scene, self.selected,
                                                                  text)) is not None:
            self.chat.log(to).append(ChatLine("you", text))  # said face to face, in the talk
            self.feed.note(self.scene, "user", f"You → {self.cast[to].first_name}: {text}", (to,))
            self.chat.input.clear()
            return
        if not text or self.selected is None:
            return
        kind = MessageKind.WHISPER if self.chat.whisper else MessageKind.CHAT
        first = self.cast[self.selected].first_name
        if self.driver.paused and self.paused_chat.available:
            message_id = self.paused_chat.send(self.selected, kind, text)
        else:
            message_id = self.sim.submit_message(self.selected, kind, text)
        who = "whisper" if self.chat.whisper else "you"
        self.chat.log(self.selected).append(ChatLine(who, text))
        self.feed.note(self.scene, "user", f"You → {first}: {text}", (self.selected,))
        if kind is MessageKind.CHAT:
            self.chat.waiting[message_id] = self.selected
        else:
            self.notify(f"Whispered to {first}")
        self.chat.input.clear()

    def minimap_jump(self, pos) -> bool:
        """Centre the view on the minimap point clicked, if the click was on the minimap."""
        rect = self.layout.minimap
        if rect is None or not rect.collidepoint(pos):
            return False
        scale = self.map_view.size_px[0] / rect.w
        self.camera_moved_by_user()
        self.camera.center_on(((pos[0] - rect.x) * scale, (pos[1] - rect.y) * scale))
        return True

    def panel_hit(self, pos) -> bool:
        rect = self.layout.inspector
        return self.selected is not None and rect is not None and rect.collidepoint(pos)

    def open_menu(self, page: str = "main") -> None:
        self.close_chat()
        if page == "load":
            self.menu.saves = self.list_saves() if self.list_saves else []
        self.menu.show(page)

    def request_quit(self) -> None:
        """The window's close button: the quit dialog, or quit when it is already open."""
        if self.quit_dialog:
            self.quit_now()
        else:
            self.open_menu("quit")

    def quit_now(self) -> None:
        self.exit_note = f"left {self.session.name} at step {self.sim.step} without saving"
        self.running = False

    def close(self) -> None:
        if self.recorder is not None:
            self.toggle_recording()
        self.jobs.wait()
        if self.last_recording is not None:
            self.last_recording.join()
        self.scenes.close()
        self.paused_chat.shutdown()
        self.jobs.shutdown()
