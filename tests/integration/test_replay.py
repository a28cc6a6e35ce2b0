"""Replay: a recorded run read back from any step equals the live run; the replay window
plays, pauses, steps, seeks and jumps on the records; no model is loaded."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pygame
import pytest

from engine.clock import GameClock, parse_time
from engine.errors import UserError
from engine.persistence import SaveStore
from game.replay_clock import Playback, frame_count, step_for_time
from game.replay_source import open_recorded_run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from sim_helpers import routine_session  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def record_run(root: Path, name: str, steps: int, resume_at: int | None = None) -> dict:
    """Run the 3-agent base with routine minds, keeping every live record by step. With
    `resume_at`, save there, close, load the save and go on (a second session in the log)."""
    live = {}
    first = resume_at if resume_at is not None else steps
    session = routine_session(root, name)
    session.sim.add_listener(lambda record: live.__setitem__(record.step, record))
    session.sim.run(first)
    session.save()
    session.close()
    if first < steps:
        session = routine_session(root, name, load=True)
        session.sim.add_listener(lambda record: live.__setitem__(record.step, record))
        session.sim.run(steps - first)
        session.save()
        session.close()
    return live


def store(root: Path) -> SaveStore:
    return SaveStore(saves_root=root / "saves")


def test_replay_from_any_step_equals_the_live_run(tmp_path):
    live = record_run(tmp_path, "recorded", 420, resume_at=130)
    run = open_recorded_run("recorded", store(tmp_path))
    try:
        assert run.steps == range(0, 421)  # through the saved step: 420 steps done
        final = run.reader.record_at(420)  # the town as saved, before step 420 runs
        assert {a.name: a.tile_xy for a in final.agents} == {
            a.name: a.tile_xy for a in live[419].agents}
        for step in (0, 1, 59, 60, 61, 129, 130, 131, 200, 359, 360, 419):
            replayed = run.reader.record_at(step)
            assert replayed == live[step], step
            tiles = {a.name: a.tile_xy for a in replayed.agents}
            assert tiles == {a.name: a.tile_xy for a in live[step].agents}
        assert list(run.reader.iter_records(100, 180)) == [live[s] for s in range(100, 181)]
    finally:
        run.close()


@pytest.fixture
def replay_app(tmp_path):
    from game.replay import ReplayApp

    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode((960, 540))
    live = record_run(tmp_path, "watched", 200)
    run = open_recorded_run("watched", store(tmp_path))
    app = ReplayApp(run, 50, 2, screen, paused=True)
    yield app, live
    run.close()
    pygame.event.clear()


def press(app, key: int, unicode: str = "", mod: int = 0) -> None:
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode=unicode,
                                         scancode=0))
    pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=mod, unicode=unicode,
                                         scancode=0))
    app.frame(1 / 60)


def shown_tiles(app) -> dict:
    return {a.name: a.tile_xy for a in app.scene.agents}


def live_tiles(live, step) -> dict:
    return {a.name: a.tile_xy for a in live[step].agents}


def test_the_replay_window_starts_where_asked_and_steps_plays_seeks_and_jumps(replay_app):
    app, live = replay_app
    app.frame(1 / 60)
    assert app.playback.step == 50 and shown_tiles(app) == live_tiles(live, 50)
    for name, walker in app.painter.walkers.walkers.items():  # sprites stand on their tiles
        assert walker.position(app.now_s) == live_tiles(live, 50)[name]
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_RIGHT)
    press(app, pygame.K_LEFT)
    assert app.playback.step == 51 and shown_tiles(app) == live_tiles(live, 51)
    press(app, pygame.K_SPACE)
    for _ in range(30):  # half a second at 4 steps/s
        app.frame(1 / 60)
    assert app.playback.playing and app.playback.step == 53
    assert shown_tiles(app) == live_tiles(live, 53)
    press(app, pygame.K_SPACE)
    track = app.timeline.track
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1,
                                         pos=(track.right, track.centery)))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1,
                                         pos=(track.right, track.centery)))
    app.frame(1 / 60)
    # the end of the track is the saved step, 200: the town as step 199 left it
    assert app.playback.step == 200 and shown_tiles(app) == live_tiles(live, 199)
    press(app, pygame.K_g, "g")
    for char in "07:10":
        pygame.event.post(pygame.event.Event(pygame.TEXTINPUT, text=char))
    app.frame(1 / 60)
    press(app, pygame.K_RETURN)
    assert app.playback.step == 60 and shown_tiles(app) == live_tiles(live, 60)
    assert app.cursor.record == live[60]


def test_clicking_an_agent_shows_what_it_was_doing(replay_app):
    app, live = replay_app
    app.frame(1 / 60)
    app.select(None)  # the replay opens following someone (issue 22): start from no one
    assert not app.follow
    name = live[50].agents[0].name
    app.painter.center_on_agent(name, app.now_s)
    app.frame(1 / 60)
    rect = app.painter.world.agent_rects[name]
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=rect.center))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, button=1, pos=rect.center))
    app.frame(1 / 60)
    assert app.selected == name and app.inspector.rect is not None
    press(app, pygame.K_f)
    assert app.follow
    press(app, pygame.K_TAB)
    assert app.selected == live[50].agents[1].name
    press(app, pygame.K_l)  # the window's agents list, from the record
    assert app.side.open and app.side.tab == "agents"
    row = next(rect for rect, hit in app.side._hits if hit.kind == "agent"
               and hit.value == live[50].agents[2].name)
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, button=1, pos=row.center))
    app.frame(1 / 60)
    assert app.selected == live[50].agents[2].name
    press(app, pygame.K_ESCAPE)
    assert not app.side.open and app.running


def test_replay_never_loads_a_model(tmp_path):
    """Opening a recorded run and drawing frames imports no model or vector-store library."""
    record_run(tmp_path, "nomodel", 30)
    code = (
        "import sys, pygame\n"
        "from engine.persistence import SaveStore\n"
        "from game.replay_source import open_recorded_run\n"
        "from game.replay import ReplayApp\n"
        "import game.commands.replay, game.commands.render, game.render\n"
        "pygame.display.init(); pygame.font.init()\n"
        "screen = pygame.display.set_mode((640, 360))\n"
        f"run = open_recorded_run('nomodel', SaveStore(saves_root=__import__('pathlib')"
        f".Path({str(tmp_path / 'saves')!r})))\n"
        "app = ReplayApp(run, 0, 5, screen)\n"
        "[app.frame(1 / 30) for _ in range(10)]\n"
        "bad = [m for m in ('llama_cpp', 'chromadb', 'cognition.llm', 'cognition.generative')"
        " if m in sys.modules]\n"
        "print('loaded:', bad); sys.exit(1 if bad else 0)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_playback_and_time_jumps():
    playback = Playback(range(100, 400), 50, speed=3)
    assert playback.step == 100 and playback.steps_per_s == 15.0
    assert playback.update(0.5) == 7 and playback.step == 107
    playback.seek(399)
    assert not playback.playing or playback.update(1.0) == 0
    assert playback.at_end and playback.fraction() == 1.0
    playback.toggle()  # at the end: plays again from the start
    assert playback.playing and playback.step == 100
    clock = GameClock(parse_time("2023-02-13T07:00:00"), 10)
    steps = range(0, 17280)
    assert step_for_time("08:00", clock, steps, 0) == 360
    assert step_for_time("day 2 07:00", clock, steps, 0) == 8640
    assert step_for_time("2 06:59:50", clock, steps, 0) == 8639
    assert step_for_time("2023-02-13T07:00:10", clock, steps, 0) == 1
    for bad in ("06:00", "25:00", "lunch", "day 3 08:00"):
        with pytest.raises(UserError):
            step_for_time(bad, clock, steps, 0)
    assert frame_count(300, 30.0, 30) == 300 and frame_count(300, 10.0, 30) == 900


def test_replay_and_render_refuse_bad_arguments_with_one_line(tmp_path, capsys,
                                                               simulacra_home):
    from game.cli import main

    record_run(simulacra_home, "cli-run", 20)
    routine_session(simulacra_home, "never-run").close()
    out = tmp_path / "v.mp4"
    cases = [
        (["replay", "no-such-save"], "no save named"),
        (["replay", "cli-run", "--speed", "9"], "--speed 9 must be 1 to 5"),
        (["replay", "cli-run", "--from-step", "999"], "outside the run"),
        (["replay", "never-run"], "has no run log yet"),
        (["render", "cli-run", "-o", str(out), "--size", "big"], "bad --size"),
        (["render", "cli-run", "-o", str(out), "--size", "641x360"], "must be even"),
        (["render", "cli-run", "-o", str(tmp_path / "v.avi")], ".mp4"),
        (["render", "cli-run", "-o", str(tmp_path / "nodir" / "v.mp4")], "does not exist"),
        (["render", "cli-run", "-o", str(out), "--speed", "0"], "must be above 0"),
        (["render", "cli-run", "-o", str(out), "--from-step", "9", "--to-step", "3"],
         "before --from-step"),
        (["render", "cli-run", "-o", str(out), "--follow", "Nobody"], "no agent named"),
        (["render", "cli-run", "-o", str(out), "--zoom", "7"], "--zoom 7: use one of"),
        (["render", "cli-run", "-o", str(out), "--to-step", "x"], "invalid int"),
    ]
    for argv, words in cases:
        try:
            code = main(argv)
        except SystemExit as exit_:
            code = exit_.code
        err = capsys.readouterr().err.strip()
        assert code == 2, (argv, err)
        assert words in err and len(err.splitlines()) == 1, (argv, err)
    assert not out.exists()


def test_after_a_quickload_the_log_replays_the_run_that_went_on(tmp_path):
    """F9 cuts the log back to the quicksave; what follows is the run after the load."""
    from engine.agent_api import MessageKind

    session = routine_session(tmp_path, "rewound")
    live = {}
    session.sim.add_listener(lambda record: live.__setitem__(record.step, record))
    session.sim.run(100)
    session.quicksave()
    session.sim.run(100)
    session.quickload()
    name = session.sim.order[0]
    session.sim.submit_message(name, MessageKind.WHISPER, "go for a walk")  # a different run
    session.sim.run(150)
    session.save()
    session.close()
    run = open_recorded_run("rewound", store(tmp_path))
    try:
        assert run.steps == range(0, 251)  # through the saved step, 250
        for step in (99, 100, 150, 199, 249):
            assert run.reader.record_at(step) == live[step], step
    finally:
        run.close()
