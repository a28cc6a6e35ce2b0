"""Keyboard and mouse handling for the window (see the help overlay for the keys).

`Controller` owns the key tables and the input-only state (held pan keys, the drag button,
the mouse position) and turns each pygame event into a call of one of the app's public
command methods (`select`, `toggle_pause`, `open_menu`, …). It never writes the app's fields.
"""

from __future__ import annotations

import pygame

from game.view.side_panels import SIDE_KEYS
from game.window.menu_actions import apply_menu_action
from game.window.menus import MenuAction
from game.window.sim_driver import SPEED_NAMES
from game.window.walk import WALK_KEY

KEY_HELP = (pygame.K_F1, pygame.K_h)
PAN_SPEED_PX_S = 700
PAN_KEYS = {pygame.K_LEFT: (-1, 0), pygame.K_a: (-1, 0), pygame.K_RIGHT: (1, 0),
            pygame.K_d: (1, 0), pygame.K_UP: (0, -1), pygame.K_w: (0, -1),
            pygame.K_DOWN: (0, 1), pygame.K_s: (0, 1)}
SPEED_KEYS = {pygame.K_1: 0, pygame.K_2: 1, pygame.K_3: 2, pygame.K_4: 3, pygame.K_5: 4}
ZOOM_IN_KEYS = (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS)
ZOOM_OUT_KEYS = (pygame.K_MINUS, pygame.K_KP_MINUS)


class Controller:
    """Routes events to the app; keeps which pan keys are held and what is being dragged."""

    def __init__(self, app):
        self.app = app
        self.held: set[int] = set()
        self.drag_button: int | None = None
        self.mouse_pos: tuple[int, int] | None = None

    def handle(self, event: pygame.event.Event) -> None:
        app, kind = self.app, event.type
        if kind == pygame.QUIT:
            app.request_quit()
        elif kind == pygame.KEYDOWN:
            self._key_down(event)
        elif kind == pygame.KEYUP:
            self.held.discard(event.key)
        elif kind == pygame.TEXTINPUT:
            if app.chat.active:
                app.chat.input.handle(event)
        elif kind == pygame.MOUSEBUTTONDOWN:
            self._mouse_down(event)
        elif kind == pygame.MOUSEBUTTONUP:
            if event.button == self.drag_button:
                self.drag_button = None
        elif kind == pygame.MOUSEMOTION:
            self.mouse_pos = event.pos
            if self.drag_button is not None:
                app.camera_moved_by_user()
                app.camera.pan_screen(-event.rel[0], -event.rel[1])
        elif kind == pygame.MOUSEWHEEL:
            self._wheel(event)
        elif kind == pygame.WINDOWFOCUSLOST:
            self.held.clear()
        elif kind == pygame.WINDOWLEAVE:
            self.mouse_pos = None

    def tick(self, dt_s: float) -> None:
        """Pan while arrow / WASD keys are held (called once per frame); walk in walk mode."""
        if self.app.walk.on:
            self.app.walk.tick(self.held)
            return
        dx = sum(PAN_KEYS[k][0] for k in self.held if k in PAN_KEYS)
        dy = sum(PAN_KEYS[k][1] for k in self.held if k in PAN_KEYS)
        if dx or dy:
            self.app.camera_moved_by_user()
            self.app.camera.pan_screen(dx * PAN_SPEED_PX_S * dt_s, dy * PAN_SPEED_PX_S * dt_s)

    # ------------------------------------------------------------------ keys

    def _key_down(self, event) -> None:
        app, key = self.app, event.key
        ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
        if app.menu.open:
            self._menu_action(app.menu.key(key, app.settings, _speed_names()))
            return
        if app.chat.active:
            self._chat_key(event, ctrl)
            return
        if key == pygame.K_ESCAPE:
            if app.show_help:
                app.toggle_help()
            elif app.selected is not None:
                app.select(None)
            elif app.side.open:
                app.side.toggle(app.side.tab)
            else:
                app.open_menu("main")
        elif key in KEY_HELP:
            app.toggle_help()
        elif key == pygame.K_w and ctrl:
            app.toggle_whisper()
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            app.open_chat()
        elif key == WALK_KEY:
            app.notify(app.walk.toggle())
        else:
            self._command_key(key, event.mod)

    def _command_key(self, key: int, mod: int) -> None:
        app = self.app
        if app.walk.key_down(key) or key in PAN_KEYS:
            self.held.add(key)
        elif key == pygame.K_SPACE:
            app.toggle_pause()
        elif key in SPEED_KEYS:
            app.set_speed(SPEED_KEYS[key])
        elif key in ZOOM_IN_KEYS or key in ZOOM_OUT_KEYS:
            app.camera_moved_by_user()
            app.camera.zoom_by(1 if key in ZOOM_IN_KEYS else -1)
        elif key == pygame.K_z:
            app.toggle_whole_town()
        elif key in SIDE_KEYS:
            app.side.toggle(SIDE_KEYS[key])
        elif key == pygame.K_TAB:
            app.cycle_selection(-1 if mod & pygame.KMOD_SHIFT else 1)
        elif key == pygame.K_f:
            app.toggle_follow()
        elif key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN, pygame.K_HOME, pygame.K_END):
            self._scroll_key(key)
        elif key == pygame.K_F5:
            app.driver.quicksave()
        elif key == pygame.K_F9:
            app.driver.quickload()
        elif key == pygame.K_F10:
            app.toggle_recording()
        elif key == pygame.K_F12:
            app.screenshot()

    def _scroll_key(self, key: int) -> None:
        """Page Up / Page Down / Home / End scroll the inspector, else the side panel."""
        app = self.app
        pages = {pygame.K_PAGEUP: -1, pygame.K_PAGEDOWN: 1, pygame.K_HOME: -1000,
                 pygame.K_END: 1000}[key]
        if app.selected is not None:
            app.inspector.page(pages)
        elif app.side.open:
            app.side.scroll_by(pages * 5)

    def _chat_key(self, event, ctrl) -> None:
        app, key = self.app, event.key
        if key == pygame.K_ESCAPE:
            app.close_chat()
        elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            app.send_chat()
        elif key == pygame.K_TAB or (key == pygame.K_w and ctrl):
            app.toggle_whisper()
        elif key == pygame.K_F12:
            app.screenshot()
        elif key == pygame.K_F10:
            app.toggle_recording()
        elif key in (pygame.K_PAGEUP, pygame.K_PAGEDOWN):
            self._scroll_key(key)
        else:
            app.chat.input.handle(event)

    def _menu_action(self, action: MenuAction | None) -> None:
        if action is not None:
            apply_menu_action(self.app, action)

    # ------------------------------------------------------------------ mouse

    def _wheel(self, event) -> None:
        app = self.app
        pos = self.mouse_pos or pygame.mouse.get_pos()
        if app.side.contains(pos):
            app.side.scroll_by(-event.y)
        elif app.panel_hit(pos):
            app.inspector.scroll_by(-event.y)
        elif not app.panel_hit(pos) and event.y and not app.menu.open:
            app.camera_moved_by_user()
            app.camera.zoom_by(1 if event.y > 0 else -1, pos)

    def _mouse_down(self, event) -> None:
        app = self.app
        self.mouse_pos = event.pos
        if event.button in (4, 5):
            return  # old-style wheel events; MOUSEWHEEL handles these
        if app.menu.open:
            if event.button == 1:
                self._menu_action(app.menu.click(event.pos, app.settings, _speed_names()))
            return
        if event.button in (2, 3):
            self.drag_button = event.button
            return
        if event.button != 1:
            return
        chip = app.inspector.whisper_chip
        if app.selected is not None and chip is not None and chip.collidepoint(event.pos):
            app.toggle_whisper()
            return
        errors_chip = app.hud_hits.get("errors")
        if errors_chip is not None and errors_chip.collidepoint(event.pos):
            app.side.toggle("errors")
            return
        hit = app.side.hit(event.pos)
        if hit is not None:
            if hit.kind == "tab":
                if hit.value != app.side.tab:
                    app.side.toggle(hit.value)
            else:
                app.select(hit.value, jump=True)
            return
        if app.side.contains(event.pos) or app.minimap_jump(event.pos):
            return
        if app.panel_hit(event.pos):
            if not app.chat.active:
                app.open_chat()
            return
        name = app.world.pick(event.pos)
        if name is not None:
            app.select(name)
        elif app.selected is not None and not app.chat.active:
            app.select(None)


def _speed_names():
    return SPEED_NAMES
