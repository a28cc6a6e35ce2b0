"""Walk mode in the window: P toggles it, the arrows move the player one tile a step (not the
camera), the camera follows the player, and the chat line talks face to face."""

from __future__ import annotations

import pygame
import pytest

from tests.game.conftest import frames_until, key, routine_args


@pytest.fixture
def walking(screen, simulacra_home):
    from game.commands.run import start_session
    from game.window.app import App

    session = start_session(routine_args(player_default=True, name="walk-test"))
    application = App(session, screen)
    yield application
    application.close()
    session.close()


def test_the_default_player_is_in_the_town_and_the_help(walking):
    from engine.player import DEFAULT_NAME

    player = walking.sim.world.player
    assert player is not None and player.name == DEFAULT_NAME
    assert player.sprite not in {p.sprite for p in walking.sim.personas.values()}
    assert walking.cast[player.name].sprite == player.sprite
    assert DEFAULT_NAME in walking.walk.help_rows()[0][1]


def test_walk_mode_moves_the_player_not_the_camera(walking):
    app = walking
    app.set_speed(1)
    name = app.sim.world.player.name
    frames_until(app, lambda: app.sim.step >= 2)
    key(app, pygame.K_p)
    assert app.walk.on
    start = app.sim.bodies[name].tile
    free = [k for k, (dx, dy) in ((pygame.K_RIGHT, (1, 0)), (pygame.K_LEFT, (-1, 0)),
                                  (pygame.K_DOWN, (0, 1)), (pygame.K_UP, (0, -1)))
            if app.sim.town.is_walkable((start[0] + dx, start[1] + dy))]
    assert free
    step = app.sim.step
    key(app, free[0])
    frames_until(app, lambda: app.sim.step > step + 1)
    assert app.sim.bodies[name].tile != start  # one tile
    moved = app.sim.bodies[name].tile
    assert abs(moved[0] - start[0]) + abs(moved[1] - start[1]) == 1
    assert any(a.name == name for a in app.scene.agents)  # drawn from the records
    key(app, pygame.K_p)
    assert not app.walk.on


def test_selecting_the_player_is_refused_and_the_chat_line_talks_face_to_face(walking):
    app = walking
    name = app.sim.world.player.name
    app.select(name)
    assert app.selected is None
    key(app, pygame.K_p)
    agent = app.sim.order[0]
    app.select(agent)
    key(app, pygame.K_RETURN)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="Hello there"))
    key(app, pygame.K_RETURN)
    assert app.sim.player_desk.take_line() == ("Hello there", agent)  # a line for the engine
    assert not app.chat.waiting  # not a question answered from afar


def test_tab_cycles_the_agents_past_the_player(walking):
    app = walking
    seen = set()
    for _ in range(len(app.sim.order) + 1):
        key(app, pygame.K_TAB)
        seen.add(app.selected)
    assert seen == set(app.sim.order)  # every agent, never the player, never stuck
