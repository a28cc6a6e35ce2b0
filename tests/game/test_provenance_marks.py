"""The window marks who made what it shows: the scene carries the records' provenance, the
inspector draws a dot and words beside the action, chat answers carry a tag."""

from __future__ import annotations

import pygame
from tests.game.conftest import key

from engine.provenance import UNKNOWN, model_choice, model_text, repaired, rule
from game import marks
from game.scene import scene_from_record


def test_marks_name_the_maker():
    assert marks.mark(model_text("dialogue.turn.v4"))[0] == "model"
    assert marks.mark(model_choice("place.arena.v1"))[0] == "model's choice"
    assert marks.mark(repaired("plan.decompose.v3"))[0] == "model, repaired"
    assert marks.mark(rule("interim")) == ("rule: interim", marks.RULE_COLOR)
    assert marks.mark(UNKNOWN) is None and marks.tag(None) == "" and marks.tag(UNKNOWN) == ""
    assert marks.tag(rule("fallback.interview")) == "[rule: fallback.interview] "
    assert marks.provenance(["model", "x"]) == model_text("x")
    assert marks.provenance(["nonsense"]) == UNKNOWN and marks.provenance(None) == UNKNOWN


def test_a_logged_view_keeps_its_maker_in_the_scene():
    class Record:
        step, time_iso = 3, "2023-02-13T07:00:30"
        agents = {"A B": {"name": "A B", "xy": [1, 2], "action": "reading",
                          "by": ["rule", "routine"], "say": "Hello there you",
                          "say_by": ["model", "dialogue.turn.v4"]}}
        replies = ()

    agent = scene_from_record(Record()).agent("A B")
    assert agent.action_by == rule("routine") and agent.said_by == model_text("dialogue.turn.v4")


def test_the_inspector_marks_the_action_and_the_chat(app, screen):
    app.frame(0.1)
    agent = app.scene.agents[0]
    assert agent.action_by.source.value == "rule"  # routine minds make everything by rule
    surface = pygame.Surface((300, 60), pygame.SRCALPHA)
    inspector = app.inspector
    assert inspector._mark(surface, 0, 0, 300, marks.mark(model_text("x"))) == 20
    assert surface.get_at((5, 8))[:3] == marks.MODEL_COLOR
    assert inspector._mark(surface, 0, 30, 300, None) == 0
    app.select(agent.name)
    key(app, pygame.K_RETURN)
    pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text="What are you doing?"))
    key(app, pygame.K_RETURN, dt_s=0.5)
    log = app.chat.log(app.selected)
    for _ in range(20):
        app.frame(0.1)
        if any(line.who == app.selected for line in log):
            break
    answer = next(line for line in log if line.who == app.selected)
    assert answer.by == rule("routine.chat")
