"""The window draws agents where they stand, and mouse and keys drive it."""

from __future__ import annotations

import pygame

from game.view.sprites import sprite_rect
from tests.game.conftest import key


def _pause(app):
    app.driver.paused = True


def test_every_agent_is_drawn_at_its_tile(app, screen):
    _pause(app)
    for name in app.sim.order:
        app.camera.center_on(app.tile_center(app.sim.bodies[name].tile))
        app.draw(show_agents=False)
        empty = screen.copy()
        app.draw()
        rect = sprite_rect(app.camera, app.sim.bodies[name].tile, app.map_view.tile_px)
        assert screen.get_rect().contains(rect), name
        changed = sum(
            screen.get_at((x, y)) != empty.get_at((x, y))
            for x in range(rect.left, rect.right, 2)
            for y in range(rect.top, rect.bottom, 2)
        )
        assert changed > 20, f"{name} not visible"


def test_click_selects_an_agent_and_escape_closes(app):
    _pause(app)
    name = app.sim.order[-1]
    app.camera.center_on(app.tile_center(app.sim.bodies[name].tile))
    app.frame(0.0)
    center = app.world.agent_rects[name].center
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, button=1, pos=center))
    app.frame(0.0)
    assert app.selected == name
    key(app, pygame.K_ESCAPE)
    assert app.selected is None and not app.menu.open
    key(app, pygame.K_ESCAPE)
    assert app.menu.page == "main" and app.holding
    key(app, pygame.K_ESCAPE)
    assert not app.menu.open and app.running


def test_keys_pan_zoom_pause_speed_and_cycle(app):
    app.camera.center_on((1500, 1500))
    x0 = app.camera.center_world_px[0]
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode=""))
    app.frame(0.1)
    app.frame(0.1)
    assert app.camera.center_world_px[0] > x0
    key(app, pygame.K_RIGHT)  # release
    x1 = app.camera.center_world_px[0]
    app.frame(0.1)
    assert app.camera.center_world_px[0] == x1
    zoom = app.camera.zoom
    key(app, pygame.K_EQUALS)
    assert app.camera.zoom > zoom
    key(app, pygame.K_MINUS)
    key(app, pygame.K_MINUS)
    assert app.camera.zoom < zoom
    key(app, pygame.K_SPACE)
    assert app.driver.paused
    step = app.sim.step
    app.frame(1.0)
    assert app.sim.step == step
    key(app, pygame.K_SPACE)
    key(app, pygame.K_3)
    assert app.driver.speed_index == 2 and not app.driver.paused
    app.frame(1.0)
    assert app.sim.step > step
    app.select(None)
    key(app, pygame.K_TAB)
    assert app.selected == app.sim.order[0]
    key(app, pygame.K_f)
    assert app.follow
    key(app, pygame.K_F1)
    assert app.show_help


def test_chat_reply_shows_in_panel_and_bubble(app):
    app.select(app.sim.order[0])
    key(app, pygame.K_RETURN)
    assert app.chat.active
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Hi, how is the café?"))
    key(app, pygame.K_RETURN, dt_s=0.5)
    log = app.chat.log(app.selected)
    assert log[0].who == "you" and log[0].text == "Hi, how is the café?"
    for _ in range(20):
        app.frame(0.1)
        if any(line.who == app.selected for line in log):
            break
    assert any(line.who == app.selected for line in log)
    assert app.selected in app.bubbles.by_agent
    key(app, pygame.K_TAB)  # inside the chat line: switch to whisper
    assert app.chat.whisper and app.chat.active


def test_text_input_edits_unicode_and_cursor():
    from game.view.text_input import TextInput

    field = TextInput()
    field.handle(pygame.event.Event(pygame.TEXTINPUT, text="héllo 🙂"))
    assert field.text == "héllo 🙂" and field.cursor == 7
    field.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_BACKSPACE, mod=0, unicode=""))
    field.handle(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_HOME, mod=0, unicode=""))
    field.handle(pygame.event.Event(pygame.TEXTINPUT, text="¡"))
    assert field.text == "¡héllo " and field.cursor == 1


def test_the_inspector_names_the_room_of_an_action_done_here(app):
    from dataclasses import replace

    from engine.agent_api import HERE
    from game.window.draw import _placed

    agent = app.scene.agents[0]
    chatting = replace(agent, action="chatting with someone", address=HERE)
    placed = _placed(app, chatting)
    assert placed.address == app.sim.town.area_of(agent.tile_xy) and placed.address.count(":") == 2
    assert _placed(app, replace(agent, address="the Ville:Hobbs Cafe:cafe")).address \
        == "the Ville:Hobbs Cafe:cafe"
    assert _placed(app, None) is None


def test_a_missing_or_tiny_sheet_is_drawn_as_a_figure_and_named(tmp_path, capsys):
    """A character sheet that is missing or smaller than 4 x 4 frames is not accepted silently:
    the figure stands in and one note names the file."""
    import pygame

    from game.view.sprites import SpriteBank

    pygame.image.save(pygame.Surface((10, 10)), str(tmp_path / "tiny.png"))
    bank = SpriteBank(tmp_path)
    for stem in ("tiny", "gone"):
        assert bank.frame(stem, "down", 0, 1.0).get_size() == (32, 32)
    err = capsys.readouterr().err
    assert "tiny.png cannot be used" in err and "gone.png cannot be used" in err
