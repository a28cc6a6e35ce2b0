"""Saving, loading, recording and screenshots happen off the frame loop, and slow minds never
stall it."""

from __future__ import annotations

import time

import imageio_ffmpeg
import pygame

from engine import paths
from engine.state_hash import state_hash
from tests.game.conftest import frames_until, key


def test_quicksave_then_quickload_restores_that_moment(app):
    app.driver.set_speed(3)
    for _ in range(5):
        app.frame(0.1)
    key(app, pygame.K_F5, dt_s=0.1)
    frames_until(app, lambda: app.driver.last_quicksave is not None
                 and app.driver.saves_in_flight == 0)
    assert any("Quicksaved" in text for text in app.notices.texts())
    saved = app.driver.last_quicksave
    saved_hash = state_hash(saved.state)
    for _ in range(5):
        app.frame(0.1)
    assert app.sim.step > saved.meta.step
    key(app, pygame.K_SPACE)  # pause so the restored moment stays put
    key(app, pygame.K_F9)
    frames_until(app, lambda: not app.driver.loading)
    assert app.sim.step == saved.meta.step
    assert app.sim.world_hash() == saved_hash
    assert any("Quickloaded" in text for text in app.notices.texts())


def test_recording_and_screenshot_match_the_window(app, screen):
    key(app, pygame.K_F10)
    recorder = app.recorder
    assert recorder is not None and str(paths.videos_dir()) in recorder.path.as_posix()
    for _ in range(24):
        app.frame(1 / 30)
    key(app, pygame.K_F10)
    assert app.recorder is None
    recorder.join()
    assert recorder.error is None and recorder.frames_written == recorder.frames_added >= 24
    frames, _ = imageio_ffmpeg.count_frames_and_secs(str(recorder.path))
    assert frames == recorder.frames_added
    reader = imageio_ffmpeg.read_frames(str(recorder.path))
    meta = next(reader)
    reader.close()
    assert tuple(meta["size"]) == screen.get_size()

    key(app, pygame.K_F12)
    app.last_screenshot.join(10)
    shots = list(paths.screenshots_dir().glob("*.png"))
    assert len(shots) == 1
    assert pygame.image.load(str(shots[0])).get_size() == screen.get_size()


def test_frames_keep_coming_while_minds_think(screen, tmp_path):
    from engine.persistence import SaveStore
    from game.window.app import App
    from game.bench.frames import open_bench_session

    store = SaveStore(saves_root=tmp_path / "saves")
    session = open_bench_session(store, "slow", slow_decide_s=2.0, workers=3,
                                 base="base_the_ville_isabella_maria_klaus")
    app = App(session, screen)
    try:
        app.frame(0.02)
        app.frame(1.0)  # first step due: all three minds start their 2 s decisions
        step = app.sim.step
        started = time.perf_counter()
        frames = 0
        last = started
        while time.perf_counter() - started < 1.0:
            now = time.perf_counter()
            app.frame(now - last)
            last = now
            frames += 1
        assert frames > 20
        assert app.sim.step > step  # thinking does not stop the town (decisions due later)
        assert len(app.sim.thinking()) == 3
        app.select(app.sim.order[0])  # the inspector must not wait on a busy mind either
        t0 = time.perf_counter()
        app.frame(0.02)
        assert time.perf_counter() - t0 < 1.0
    finally:
        app.close()
        session.close()
