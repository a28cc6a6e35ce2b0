"""Pausing to question an agent: the answer comes while the town stands still, and the town
afterwards is the one where the same chat was sent at that step while running."""

from __future__ import annotations

import pygame

from engine.agent_api import MessageKind
from tests.game.conftest import frames_until, key, routine_args

QUESTION = "What are you doing today?"
AFTER_STEPS = 30


def test_chat_while_paused_is_answered_at_the_same_step_and_replays_the_same(app):
    from game.commands.run import start_session

    app.set_speed(4)
    frames_until(app, lambda: app.sim.step >= 12)
    key(app, pygame.K_SPACE)
    assert app.driver.paused
    step = app.sim.step
    agent = app.sim.order[1]
    app.select(agent)
    key(app, pygame.K_RETURN)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=QUESTION))
    key(app, pygame.K_RETURN)
    log = app.chat.log(agent)
    frames_until(app, lambda: any(line.who == agent for line in log))
    assert app.sim.step == step, "no step advanced while answering"
    answer = next(line.text for line in log if line.who == agent)
    assert answer and not app.chat.waiting
    assert any(e.kind == "user" for e in app.feed.events)
    assert any(e.kind == "reply" for e in app.feed.events)
    app.sim.run(AFTER_STEPS)  # resume (as the window would, without frame timing)

    other = start_session(routine_args(name="window-test-running"))
    try:
        other.sim.run(step)
        other.sim.submit_message(agent, MessageKind.CHAT, QUESTION)
        other.sim.run(AFTER_STEPS)
        assert [r.text for r in other.sim.replies] == [answer]
        assert other.sim.step == app.sim.step
        assert other.sim.world_hash() == app.sim.world_hash()
    finally:
        other.close()


def test_the_town_stands_still_behind_the_menu_and_quit_dialog(app):
    app.set_speed(4)
    app.frame(0.5)
    key(app, pygame.K_ESCAPE)
    if app.menu.page != "main":  # that Esc closed the inspector following the first mover opened
        key(app, pygame.K_ESCAPE)
    assert app.menu.page == "main"
    step = app.sim.step
    for _ in range(5):
        app.frame(0.5)
    assert app.sim.step == step
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    app.frame(0.5)
    assert app.quit_dialog and app.sim.step == step
    key(app, pygame.K_s, dt_s=0.1)
    frames_until(app, lambda: not app.running)
    assert app.sim.step == step and app.exit_note.endswith(f"at step {step}")
