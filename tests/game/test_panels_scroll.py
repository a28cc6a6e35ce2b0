"""Panels a player can use (issue 22) and errors that explain themselves (issue 19 item 8):
the inspector scrolls to Relationships at 1280x720 with a chat open, and the error list shows
who, when and why, in the window and in logs/errors.log."""

from __future__ import annotations

from types import SimpleNamespace

import pygame

from engine.records import ErrorEntry, ErrorKind, StepRecord
from game import hud
from game.fonts import Fonts
from game.panels import ChatLine, ChatState, Inspector, panel_rect
from game.scene import Scene, scene_from_record
from game.side_panels import SidePanel
from game.town_feed import TownFeed
from tests.game.conftest import frames_until, key

PERSONA = SimpleNamespace(name="Klaus Mueller", first_name="Klaus", age=20,
                          occupation="student", innate="kind, curious, passionate")
INSPECT = {
    "schedule": [{"start": f"{h:02d}:00", "activity": f"a long activity number {h} of the day",
                  "current": h == 12} for h in range(6, 23)],
    "memories": [f"memory {i}: something happened at the cafe with a long description"
                 for i in range(6)],
    "reflections": [f"reflection {i}: what it all means, said at some length" for i in range(3)],
    "relationships": {f"Friend {i}": "a good friend from the college" for i in range(6)},
}


def test_the_inspector_scrolls_to_relationships_at_1280x720_with_a_chat_open(screen):
    surface = pygame.Surface((1280, 720))
    inspector, chat = Inspector(Fonts()), ChatState()
    chat.log(PERSONA.name).extend(ChatLine("you" if i % 2 else PERSONA.name, f"line {i}")
                                  for i in range(6))
    agent = SimpleNamespace(action="studying", emoji="📚", address="the Ville:Dorm:room")
    rect = panel_rect((1280, 720))
    inspector.draw(surface, PERSONA, agent, INSPECT, 1, None, chat, 0.0, rect)
    view = inspector.body_rect
    top = inspector.section_tops["Relationships"]
    assert top + 40 > inspector.scroll_px + view.h, "the test needs Relationships out of view"
    assert view.bottom <= rect.bottom - 60, "the chat and the line keep their own area"
    for _ in range(100):
        inspector.scroll_by(1)
        inspector.draw(surface, PERSONA, agent, INSPECT, 1, None, chat, 0.0, rect)
    assert inspector.scroll_px == inspector.max_scroll > 0
    assert inspector.scroll_px <= top and top + 100 <= inspector.scroll_px + view.h
    inspector.page(-1000)
    assert inspector.scroll_px == 0


def test_wheel_and_page_keys_scroll_the_inspector_in_the_window(app):
    app.driver.paused = True
    app.select(app.scene.agents[0].name)
    app.minds.inspect_data = lambda agent: INSPECT  # a mind snapshot's dict, as the window shows it
    app.minds.version += 1
    app.frame(0.0)
    key(app, pygame.K_PAGEDOWN)
    assert app.inspector.scroll_px > 0
    key(app, pygame.K_HOME)
    assert app.inspector.scroll_px == 0
    inside = app.layout.inspector.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=inside, rel=(0, 0),
                                         buttons=(0, 0, 0)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=-2, flipped=False,
                                         precise_x=0.0, precise_y=-2.0))
    app.frame(0.0)
    assert app.inspector.scroll_px > 0


def _record_with_errors(step: int) -> StepRecord:
    return StepRecord(step, "2023-02-13T12:41:00", (), errors=2, last_error="x", error_list=(
        ErrorEntry("Klaus Mueller", ErrorKind.FALLBACK, "the model's answer could not be used"),
        ErrorEntry("Maria Lopez", ErrorKind.ENGINE, "Maria Lopez: cannot reach 'the moon'")))


def test_errors_keep_agent_time_and_cause_through_the_record_and_the_log(tmp_path):
    record = _record_with_errors(7)
    assert StepRecord.from_state(record.to_state()) == record
    assert "error_list" not in StepRecord(1, "t", ()).to_state(), "additive: absent when none"
    from engine.runlog import RunLog
    from engine.runlog_reader import RunLogReader

    path = tmp_path / "runlog.jsonl"
    log = RunLog(path)
    log.append(record)
    log.close()
    with RunLogReader(path) as reader:
        assert reader.record_at(7).error_list == record.error_list


def test_the_error_list_shows_who_when_why_and_colours_faults_red(screen, simulacra_home):
    from engine import paths
    from game.errorlog import LOG_NAME, log_window_error

    feed = TownFeed()
    feed.on_error = lambda line: log_window_error("crowd", line)
    feed.observe(scene_from_record(_record_with_errors(7)))
    feed.observe(scene_from_record(_record_with_errors(7)))  # a repeated step counts once
    assert [(e.agents, e.kind, e.clock_text) for e in feed.errors] == [
        (("Klaus Mueller",), "fallback", "12:41"), (("Maria Lopez",), "engine", "12:41")]
    assert feed.serious == 1
    text = (paths.logs_dir() / LOG_NAME).read_text(encoding="utf-8")
    assert "Klaus Mueller fallback: the model's answer could not be used" in text
    assert "cannot reach 'the moon'" in text and "play crowd" in text
    panel = SidePanel(Fonts())
    panel.toggle("errors")
    surface = pygame.Surface((960, 540))
    empty = Scene(7, "2023-02-13T12:41:00", ())
    assert panel.draw(surface, pygame.Rect(10, 50, 300, 400), empty, {}, feed, None,
                      lambda stem: None) is not None
    hits: dict = {}
    stats = dict(time_text="Mon 12:41", step=7, speed_text="1x", paused=False, thinking=0,
                 model_text="", errors=2, fps=60.0)
    hud.draw_status(surface, Fonts(), hud.HudStats(**stats, serious_errors=1), hits)
    red = _colours_in(surface, hits["errors"])
    hud.draw_status(surface, Fonts(), hud.HudStats(**stats, serious_errors=0), hits)
    amber = _colours_in(surface, hits["errors"])
    from game import ui
    assert ui.WARN in red and ui.WARN not in amber and ui.ACCENT in amber


def test_x_and_a_click_on_the_count_open_the_error_list(app):
    app.driver.paused = True
    key(app, pygame.K_x)
    assert app.side.tab == "errors"
    key(app, pygame.K_x)
    assert app.side.tab is None
    chip = app.hud_hits["errors"]
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=chip.center, button=1))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=chip.center, button=1))
    app.frame(0.0)
    assert app.side.tab == "errors"


def _colours_in(surface: pygame.Surface, rect: pygame.Rect) -> set:
    return {tuple(surface.get_at((x, y)))[:3] for x in range(rect.left, rect.right)
            for y in range(rect.top, rect.bottom)}
