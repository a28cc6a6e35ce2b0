"""`render`: a recorded run becomes an MP4 of the expected length and size, whose first frame
is what the window's drawing code paints for the live run at that step."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pygame

from engine.persistence import SaveStore
from game.view.layout import BAR_H
from game.view.camera import DEFAULT_ZOOM
from game.replay.render import FrameSource, init_headless
from game.replay.source import open_recorded_run
from game.view.scene import scene_from_record

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))
from sim_helpers import routine_session  # noqa: E402

SIZE = (320, 240)
FIRST, LAST = 40, 339  # 300 steps


def read_video(path: Path) -> tuple[tuple[int, int], list[np.ndarray]]:
    reader = imageio_ffmpeg.read_frames(str(path))
    meta = reader.__next__()
    size = tuple(meta["size"])
    frames = [np.frombuffer(raw, np.uint8).reshape(size[1], size[0], 3) for raw in reader]
    return size, frames


def pixels(surface: pygame.Surface) -> np.ndarray:
    w, h = surface.get_size()
    return np.frombuffer(pygame.image.tobytes(surface, "RGB"), np.uint8).reshape(h, w, 3)


def live_screenshot(size, at_step: int, steps: int) -> tuple[np.ndarray, dict]:
    """Run the 3-agent base in the live window (`App`) to the end of step `at_step` and take
    its screen there, camera on the first agent at the default zoom (as `render` starts),
    nothing selected; go on to `steps` steps and save. Returns the pixels and the live records."""
    from game.window.app import App
    from game.commands.run import start_session

    pygame.display.init()
    pygame.font.init()
    screen = pygame.display.set_mode(size)
    args = argparse.Namespace(fork="base_the_ville_isabella_maria_klaus", load=None,
                              name="filmed", mind="routine", model=None, server=None,
                              server_model="default", embed_model=None, workers=0, seed=None)
    session = start_session(args)
    live = {}
    session.sim.add_listener(lambda record: live.__setitem__(record.step, record))
    app = App(session, screen)
    try:
        app.driver.paused = True
        session.sim.run(at_step + 1)
        app.frame(0.0)
        app.frame(10.0)  # the window takes the new scenes; every glide has finished
        app.select(None)
        app.follow = False
        # The window's own scene takes "thinking" from the futures in flight (none inline);
        # the record holds the engine's "decision pending" flag, which replay shows.
        app.scenes.pin(scene_from_record(session.sim.last_record))
        app.walkers.snap(app.scene.agents)  # standing on their tiles, as a render's first
        app.now_s = 0.0  # frame at video time 0 (the thinking dots bob with time)
        app.notices.items.clear()
        app.camera.zoom = DEFAULT_ZOOM
        app.camera.center_on(app.tile_center(app.scene.agents[0].tile_xy))
        app.draw()
        shot = pixels(screen).copy()
        assert app.scene.step == at_step
        session.sim.run(steps - at_step - 1)
        session.save()
    finally:
        app.close()
        session.close()
    return shot, live


def test_render_300_steps_to_mp4_whose_first_frame_is_the_live_window(tmp_path, capsys):
    """The window at the end of step FIRST, and frame 0 of a render from FIRST: the same
    picture below the top bar (whose numbers differ: fps, model, steps/s)."""
    from game.cli import main

    shot, live = live_screenshot(SIZE, FIRST, LAST + 1)
    assert all(not agent.said for agent in live[FIRST].agents)  # no bubble timing involved
    out = tmp_path / "day1.mp4"
    code = main(["render", "filmed", "-o", str(out), "--from-step", str(FIRST), "--to-step",
                 str(LAST), "--speed", "30", "--fps", "30", "--size", f"{SIZE[0]}x{SIZE[1]}",
                 "--quiet"])
    assert code == 0
    assert "wrote 300 frames" in capsys.readouterr().out
    size, frames = read_video(out)
    assert size == SIZE and len(frames) == 300

    init_headless()
    run = open_recorded_run("filmed", SaveStore())
    try:
        assert run.reader.record_at(FIRST) == live[FIRST]
        source = FrameSource(run, FIRST, LAST, 30.0, 30, SIZE)
        first = pixels(source.frame(0))
    finally:
        run.close()
    below = slice(BAR_H, None)
    assert np.array_equal(first[below], shot[below])  # the same drawing, the same pixels
    diff = np.abs(frames[0][below].astype(int) - shot[below].astype(int))
    assert diff.mean() < 6.0, diff.mean()  # H.264 + yuv420p loses a little, no more


def test_render_follows_an_agent(tmp_path, simulacra_home):
    from game.replay.render import render_video

    session = routine_session(simulacra_home, "followed")
    session.sim.run(120)
    session.save()
    session.close()
    init_headless()
    run = open_recorded_run("followed", SaveStore())
    try:
        name = run.agent_name("maria")
        source = FrameSource(run, 0, 119, 10.0, 30, SIZE, follow=name)
        for index in range(0, source.frames, 30):
            source.frame(index)
        tile = source.painter.walkers.tile_xy(name, (source.frames - 1) / 30)
        center = source.painter.camera.world_to_screen(source.painter.tile_center(tile))
        assert abs(center[0] - SIZE[0] / 2) < 40 and abs(center[1] - SIZE[1] / 2) < 40
        result = render_video(run, tmp_path / "m.mp4", 0, 29, speed=30.0, fps=30, size=SIZE,
                              follow=name, progress=False)
    finally:
        run.close()
    assert result.frames == 30 and len(read_video(result.path)[1]) == 30


def test_a_log_damaged_mid_run_stops_render_with_a_line_and_no_video(tmp_path, capsys,
                                                                      simulacra_home):
    from game.cli import main

    session = routine_session(simulacra_home, "damaged")
    session.sim.run(200)
    session.save()
    session.close()
    log = simulacra_home / "saves" / "damaged" / "runlog.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    lines[len(lines) // 2] = b'{"step": 1, "time": "x", "agents": {"A": {"xy": "no"}}}\n'
    log.write_bytes(b"".join(lines))
    videos = tmp_path / "videos"
    videos.mkdir()
    out = videos / "broken.mp4"
    code = main(["render", "damaged", "-o", str(out), "--speed", "200", "--size", "320x240",
                 "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "run log" in err, err
    assert list(videos.iterdir()) == []  # neither the video nor a partial file
