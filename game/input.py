"""Keyboard and mouse handling for the window (see the help overlay for the keys)."""

from __future__ import annotations

import pygame

KEY_HELP = (pygame.K_F1, pygame.K_h)


def dispatch(app, event: pygame.event.Event) -> None:
    """Route one pygame event to the part of the app that owns it."""
    kind = event.type
    if kind == pygame.QUIT:
        if app.quit_dialog:
            app.running = False
        app.quit_dialog = True
    elif kind == pygame.KEYDOWN:
        _key_down(app, event)
    elif kind == pygame.KEYUP:
        app._held.discard(event.key)
    elif kind == pygame.TEXTINPUT:
        if app.chat.active:
            app.chat.input.handle(event)
    elif kind == pygame.MOUSEBUTTONDOWN:
        _mouse_down(app, event)
    elif kind == pygame.MOUSEBUTTONUP:
        if event.button == app._drag_button:
            app._drag_button = None
    elif kind == pygame.MOUSEMOTION:
        if app._drag_button is not None:
            app.follow = False
            app.camera.pan_screen(-event.rel[0], -event.rel[1])
    elif kind == pygame.MOUSEWHEEL:
        pos = pygame.mouse.get_pos()
        if not app.panel_hit(pos) and event.y:
            app.camera.zoom_by(1 if event.y > 0 else -1, pos)
    elif kind == pygame.WINDOWFOCUSLOST:
        app._held.clear()


def _key_down(app, event) -> None:
    key = event.key
    ctrl = event.mod & (pygame.KMOD_CTRL | pygame.KMOD_META)
    if app.quit_dialog:
        _quit_dialog_key(app, key)
        return
    if app.chat.active:
        _chat_key(app, event, ctrl)
        return
    if key == pygame.K_ESCAPE:
        if app.show_help:
            app.show_help = False
        elif app.selected is not None:
            app.select(None)
        else:
            app.quit_dialog = True
    elif key in KEY_HELP:
        app.show_help = not app.show_help
    elif key == pygame.K_w and ctrl:
        app.chat.whisper = not app.chat.whisper
    elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
        if app.selected is None:
            app.notify("Click an agent (or press Tab) to chat")
        else:
            app.open_chat()
    else:
        _command_key(app, key, event.mod)


def _command_key(app, key: int, mod: int) -> None:
    from game.app import PAN_KEYS, SPEED_KEYS, ZOOM_IN_KEYS, ZOOM_OUT_KEYS

    if key in PAN_KEYS:
        app._held.add(key)
    elif key == pygame.K_SPACE:
        app.driver.paused = not app.driver.paused
        app.notify("Paused" if app.driver.paused else "Resumed")
    elif key in SPEED_KEYS:
        app.driver.set_speed(SPEED_KEYS[key])
        app.driver.paused = False
        app.notify(f"Speed {SPEED_KEYS[key] + 1}: {app.driver.speed_text}")
    elif key in ZOOM_IN_KEYS:
        app.camera.zoom_by(1)
    elif key in ZOOM_OUT_KEYS:
        app.camera.zoom_by(-1)
    elif key == pygame.K_TAB:
        order = app.sim.order
        step = -1 if mod & pygame.KMOD_SHIFT else 1
        index = order.index(app.selected) + step if app.selected in order else 0
        app.select(order[index % len(order)])
        app.camera.center_on(app._tile_center(app.sim.bodies[app.selected].tile))
    elif key == pygame.K_f:
        if app.selected is None:
            app.notify("Select an agent to follow")
        else:
            app.follow = not app.follow
            app.notify(("Following " if app.follow else "Stopped following ")
                       + app.sim.personas[app.selected].first_name)
    elif key == pygame.K_F5:
        app.driver.quicksave()
    elif key == pygame.K_F9:
        app.driver.quickload()
    elif key == pygame.K_F10:
        app.toggle_recording()
    elif key == pygame.K_F12:
        app.screenshot()


def _quit_dialog_key(app, key: int) -> None:
    if key == pygame.K_ESCAPE:
        app.quit_dialog = False
    elif key == pygame.K_q:
        app.running = False
    elif key == pygame.K_s and app.driver.save_request is None:
        app.driver.save_for_quit()


def _chat_key(app, event, ctrl) -> None:
    key = event.key
    if key == pygame.K_ESCAPE:
        app.close_chat()
    elif key in (pygame.K_RETURN, pygame.K_KP_ENTER):
        app.send_chat()
    elif key == pygame.K_TAB or (key == pygame.K_w and ctrl):
        app.chat.whisper = not app.chat.whisper
    elif key == pygame.K_F12:
        app.screenshot()
    elif key == pygame.K_F10:
        app.toggle_recording()
    else:
        app.chat.input.handle(event)


def _mouse_down(app, event) -> None:
    if event.button in (2, 3):
        app._drag_button = event.button
        return
    if event.button != 1 or app.quit_dialog:
        return
    chip = app.inspector.whisper_chip
    if app.selected is not None and chip is not None and chip.collidepoint(event.pos):
        app.chat.whisper = not app.chat.whisper
        return
    if app.minimap_jump(event.pos):
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
