"""Replay panels a player can use (issue 22): the replay opens following an agent, after a
seek its Events and Talk panels hold the conversations logged before that step (not only what
was played since opening), and a paused frame mid-conversation shows what is being said."""

from __future__ import annotations

import sys
from pathlib import Path

import pygame
import pytest

from engine.persistence import SaveStore
from game.replay_source import open_recorded_run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from sim_helpers import routine_session  # noqa: E402

N25 = "base_the_ville_n25"
LUNCH_STEP = 2080  # 12:46: the cafe is full and people talk


@pytest.fixture(scope="module")
def lunch_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("lunch")
    session = routine_session(root, "lunch", base=N25)
    session.sim.run(LUNCH_STEP + 10)
    session.save()
    session.close()
    run = open_recorded_run("lunch", SaveStore(saves_root=root / "saves"))
    yield run
    run.close()


@pytest.fixture
def screen():
    pygame.display.init()
    pygame.font.init()
    yield pygame.display.set_mode((1280, 720))
    pygame.event.clear()


def _talks_before(run, step: int) -> set[int]:
    return {c.conversation_id for r in run.reader.iter_records(max(0, step - 600), step - 1)
            for c in r.conversations}


def test_replay_opens_following_an_agent(lunch_run, screen):
    from game.replay import ReplayApp

    app = ReplayApp(lunch_run, 100, 2, screen, paused=True)
    app.frame(1 / 60)
    assert app.selected is not None and app.follow


def test_after_a_seek_the_panels_hold_earlier_conversations(lunch_run, screen):
    from game.replay import ReplayApp

    app = ReplayApp(lunch_run, 100, 2, screen, paused=True)
    app.frame(1 / 60)
    app.seek(LUNCH_STEP)
    app.frame(1 / 60)
    earlier = _talks_before(lunch_run, LUNCH_STEP)
    assert earlier, "the test needs conversations before the seek"
    assert earlier <= set(app.feed.transcripts), "Talk lists the talks logged before the seek"
    assert sum(e.kind == "talk-start" for e in app.feed.events) >= len(earlier) // 2
    talker = next(iter(sorted(p for cid in earlier
                              for p in app.feed.transcripts[cid].participants)))
    assert app.feed.transcripts_for(talker), "no 'No conversations of … yet' after a seek"


def test_a_paused_frame_mid_conversation_shows_its_bubbles(lunch_run, screen):
    from game.replay import ReplayApp

    step = next(r.step for r in lunch_run.reader.iter_records(LUNCH_STEP - 200, LUNCH_STEP)
                if any(c.lines for c in r.conversations) and not any(a.said for a in r.agents))
    app = ReplayApp(lunch_run, step, 2, screen, paused=True)
    for _ in range(120):  # two seconds paused: the bubbles stay
        app.frame(1 / 60)
    assert app.painter.bubbles.by_agent, "the frame shows what is being said"
    assert app.painter.world.placements, "and it is drawn"
