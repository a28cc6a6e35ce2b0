"""Keys and mouse of the replay window (the keys are listed in `replay_panel.HELP_LINES`)."""

from __future__ import annotations

import pygame

from game.view.side_panels import SIDE_KEYS

PAN_KEYS = {pygame.K_a: (-1, 0), pygame.K_d: (1, 0), pygame.K_w: (0, -1), pygame.K_s: (0, 1)}
SPEED_KEYS = {pygame.K_1: 1, pygame.K_2: 2, pygame.K_3: 3, pygame.K_4: 4, pygame.K_5: 5}
ZOOM_IN_KEYS = (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS)
ZOOM_OUT_KEYS = (pygame.K_MINUS, pygame.K_KP_MINUS)
STEPS_PER_MINUTE = 6
STEPS_PER_HOUR = 360


def dispatch(app, event: pygame.event.Event) -> None:
    if event.type == pygame.QUIT:
        app.running = False
    elif event.type == pygame.KEYDOWN:
        _key_down(app, event)
    elif event.type == pygame.KEYUP:
        app.held.discard(event.key)
    elif event.type == pygame.TEXTINPUT and app.jump_input is not None:
        if app.skip_text and event.text == app.skip_text:
            app.skip_text = ""
        else:
            app.skip_text = ""
            app.jump_input.handle(event)
    elif event.type == pygame.MOUSEBUTTONDOWN:
        _mouse_down(app, event)
    elif event.type == pygame.MOUSEBUTTONUP:
        app.timeline.dragging = False
        app.drag_button = None
    elif event.type == pygame.MOUSEMOTION:
        _mouse_motion(app, event)
    elif event.type == pygame.MOUSEWHEEL:
        if app.side.contains(pygame.mouse.get_pos()):
            app.side.scroll_by(-event.y)
        else:
            app.painter.camera.zoom_by(1 if event.y > 0 else -1, pygame.mouse.get_pos())


def _key_down(app, event) -> None:
    key = event.key
    if app.jump_input is not None:
        if key in (pygame.K_RETURN, pygame.K_KP_ENTER):
            app.close_jump(accept=True)
        elif key == pygame.K_ESCAPE:
            app.close_jump(accept=False)
        else:
            app.jump_input.handle(event)
        return
    shift = bool(event.mod & pygame.KMOD_SHIFT)
    if key in PAN_KEYS:
        app.held.add(key)
    elif key == pygame.K_SPACE:
        app.playback.toggle()
    elif key in (pygame.K_RIGHT, pygame.K_PERIOD):
        app.step_by(STEPS_PER_MINUTE if shift else 1)
    elif key in (pygame.K_LEFT, pygame.K_COMMA):
        app.step_by(-(STEPS_PER_MINUTE if shift else 1))
    elif key == pygame.K_PAGEDOWN:
        app.seek(app.playback.step + STEPS_PER_HOUR)
    elif key == pygame.K_PAGEUP:
        app.seek(app.playback.step - STEPS_PER_HOUR)
    elif key == pygame.K_HOME:
        app.seek(app.playback.steps[0])
    elif key == pygame.K_END:
        app.seek(app.playback.steps[-1])
    elif key in SPEED_KEYS:
        app.playback.set_speed(SPEED_KEYS[key])
    elif key == pygame.K_g:
        app.open_jump(event.unicode)
    elif key in SIDE_KEYS:
        app.side.toggle(SIDE_KEYS[key])
    elif key == pygame.K_TAB:
        app.select_next()
    elif key == pygame.K_f and app.selected:
        app.follow = not app.follow
    elif key == pygame.K_z:
        app.toggle_whole_town()
    elif key in ZOOM_IN_KEYS:
        app.painter.camera.zoom_by(1)
    elif key in ZOOM_OUT_KEYS:
        app.painter.camera.zoom_by(-1)
    elif key in (pygame.K_F1, pygame.K_h):
        app.show_help = not app.show_help
    elif key == pygame.K_F12:
        app.screenshot()
    elif key == pygame.K_ESCAPE:
        if app.show_help:
            app.show_help = False
        elif app.side.open:
            app.side.toggle(app.side.tab)
        elif app.selected:
            app.select(None)
        else:
            app.running = False


def _mouse_down(app, event) -> None:
    if event.button == 1:
        if app.timeline.hit(event.pos):
            app.timeline.dragging = True
            app.seek(app.playback.step_at_fraction(app.timeline.fraction_at(event.pos[0])))
            return
        if app.timeline.rect.collidepoint(event.pos):
            app.playback.toggle()  # the bar outside the track: play / pause
            return
        minimap = app.painter.minimap_rect
        if minimap is not None and minimap.collidepoint(event.pos):
            scale = app.painter.map_view.size_px[0] / minimap.w
            app.follow = False
            app.painter.camera.center_on(((event.pos[0] - minimap.x) * scale,
                                          (event.pos[1] - minimap.y) * scale))
            return
        rect = app.inspector.rect
        if app.selected and rect is not None and rect.collidepoint(event.pos):
            return
        if app.side.contains(event.pos):
            hit = app.side.hit(event.pos)
            if hit is not None and hit.kind == "tab" and hit.value != app.side.tab:
                app.side.toggle(hit.value)
            elif hit is not None and hit.kind == "agent":
                app.select(hit.value, jump=True)
            return
        app.select(app.painter.world.pick(event.pos))
    elif event.button in (2, 3):
        app.drag_button = event.button


def _mouse_motion(app, event) -> None:
    if app.timeline.dragging:
        app.seek(app.playback.step_at_fraction(app.timeline.fraction_at(event.pos[0])))
    elif app.drag_button is not None:
        app.follow = False
        app.painter.camera.pan_screen(-event.rel[0], -event.rel[1])
