"""`render`: a recorded run becomes an MP4 of the expected length and size, whose first frame
is what the window's drawing code paints for the live run at that step."""

from __future__ import annotations

import sys
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pygame

from engine.persistence import SaveStore
from game.render import FrameSource, init_headless
from game.replay_source import open_recorded_run
from game.replay_view import TownPainter, replay_stats

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


def live_frame(live_record, run, follow: str) -> np.ndarray:
    """What the window's drawing code paints for the live simulation's record at a step."""
    painter = TownPainter(run.map_path, run.personas, SIZE)
    scene = painter.show(live_record, 0.0, 1 / 30, jump=True)
    painter.center_on_agent(follow, 0.0)
    surface = pygame.Surface(SIZE)
    painter.paint(surface, 0.0, replay_stats(scene, run.clock, "30 steps/s", False, 30, 30.0),
                  selected=follow)
    return pixels(surface)


def test_render_300_steps_to_mp4_matching_the_live_run(tmp_path, capsys, simulacra_home):
    from game.cli import main

    session = routine_session(simulacra_home, "filmed")
    live = {}
    session.sim.add_listener(lambda record: live.__setitem__(record.step, record))
    session.sim.run(LAST + 1)
    session.save()
    session.close()
    out = tmp_path / "day1.mp4"
    follow = "Klaus Mueller"
    code = main(["render", "filmed", "-o", str(out), "--from-step", str(FIRST), "--to-step",
                 str(LAST), "--speed", "30", "--fps", "30", "--follow", "Klaus",
                 "--size", f"{SIZE[0]}x{SIZE[1]}", "--quiet"])
    assert code == 0
    assert "wrote 300 frames" in capsys.readouterr().out
    size, frames = read_video(out)
    assert size == SIZE and len(frames) == 300

    init_headless()
    run = open_recorded_run("filmed", SaveStore())
    try:
        expected = live_frame(live[FIRST], run, follow)
        source = FrameSource(run, FIRST, LAST, 30.0, 30, SIZE, follow)
        assert np.array_equal(pixels(source.frame(0)), expected)  # same drawing, same pixels
    finally:
        run.close()
    diff = np.abs(frames[0].astype(int) - expected.astype(int))
    assert diff.mean() < 6.0, diff.mean()  # H.264 + yuv420p loses a little, no more


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
