"""Headless rendering of a recorded run to MP4.

Frames are painted off-screen (SDL's dummy video driver, a plain `pygame.Surface`) by the
window's drawing code (`TownPainter`), and handed to the window's `Recorder`, which encodes
them with imageio-ffmpeg on its own thread — the drawing loop only copies pixels.

Timing: the video shows `speed` steps per second. Frame `i` is at video time `i / fps`; the
step shown is `first + floor(i * speed / fps)`, and agents glide between tiles over the real
time a step takes, exactly as in the window at that speed.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import pygame
from tqdm import tqdm

from engine.errors import UserError
from engine.safe_write import output_path
from game.view.camera import DEFAULT_ZOOM
from game.view.recorder import Recorder
from game.replay.clock import frame_count
from game.replay.source import RecordCursor, RecordedRun
from game.replay.view import TownPainter, replay_stats

FOLLOW_SMOOTH_PER_S = 8.0  # as the window's follow camera
ENCODE_QUEUE_FRAMES = 24


@dataclass(frozen=True)
class RenderResult:
    frames: int
    wall_s: float
    path: Path


def init_headless() -> None:
    """Start pygame without a screen (dummy driver) unless a display is already up."""
    if pygame.display.get_surface() is None:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
        os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
        pygame.display.init()
        pygame.display.set_mode((1, 1))  # lets sprite sheets convert to the fast format
    pygame.font.init()


class FrameSource:
    """The frames of a video of steps `first`..`last`: `frame(i)` paints frame `i`."""

    def __init__(self, run: RecordedRun, first: int, last: int, speed: float, fps: int,
                 size: tuple[int, int], follow: str | None = None,
                 zoom: float | None = DEFAULT_ZOOM):
        self.run, self.first, self.last = run, first, last
        self.zoom = zoom
        self.speed, self.fps, self.follow = speed, fps, follow
        self.frames = frame_count(last - first + 1, speed, fps)
        self.painter = TownPainter(run.map_path, run.personas, size, player=run.player)
        self.cursor = RecordCursor(run.reader)
        self.surface = pygame.Surface(size).convert() if pygame.display.get_surface() \
            else pygame.Surface(size)
        self._shown: int | None = None

    def step_of(self, index: int) -> int:
        return min(self.last, self.first + int(index * self.speed / self.fps + 1e-9))

    def frame(self, index: int) -> pygame.Surface:
        now_s = index / self.fps
        step = self.step_of(index)
        if step != self._shown:
            jump = self._shown is None or step - self._shown > 2
            self.painter.show(self.cursor.at(step), now_s, 1.0 / self.speed, jump=jump)
            if self._shown is None:
                self._place_camera()
            self._shown = step
        if self.follow:
            self.painter.center_on_agent(self.follow, now_s, FOLLOW_SMOOTH_PER_S / self.fps)
        scene = self.painter.scene
        stats = replay_stats(scene, self.run.clock, f"{self.speed:g} steps/s", False, self.fps,
                             self.speed)
        self.painter.paint(self.surface, now_s, stats, selected=self.follow)
        return self.surface

    def _place_camera(self) -> None:
        """The whole town (`zoom` None), else at `zoom` on the followed agent or on the first
        agent (as the window opens)."""
        camera = self.painter.camera
        if self.zoom is None:
            camera.show_whole_town()
            return
        camera.zoom = self.zoom
        scene = self.painter.scene
        name = self.follow or (scene.agents[0].name if scene.agents else None)
        if name is not None:
            self.painter.center_on_agent(name, 0.0)


def render_video(run: RecordedRun, output: Path, first: int, last: int, *, speed: float,
                 fps: int, size: tuple[int, int], follow: str | None = None,
                 progress: bool = True, zoom: float | None = DEFAULT_ZOOM) -> RenderResult:
    """Write steps `first`..`last` of `run` to `output` as an MP4; returns frames and time."""
    init_headless()
    started = time.perf_counter()
    source = FrameSource(run, first, last, speed, fps, size, follow, zoom)
    # The video is encoded inside a private folder beside `output` (unguessable name, ours
    # alone) and renamed over it at the end: nothing planted there is ever written through,
    # and an interrupted render (a bad log line, Ctrl+C, SIGTERM) leaves no partial file.
    with output_path(output) as tmp:
        # Encoding is the job here: ffmpeg gets its threads and normal priority, and a short
        # queue keeps memory down (the window's long one absorbs hiccups while playing).
        recorder = Recorder(size, fps, tmp, encoder_threads=0, low_priority=False,
                            queue_frames=ENCODE_QUEUE_FRAMES)
        try:
            with tqdm(total=source.frames, unit="frame", disable=not progress,
                      dynamic_ncols=True) as bar:
                for index in range(source.frames):
                    recorder.add(source.frame(index))
                    bar.update(1)
                    if index % 30 == 0:
                        bar.set_postfix_str(run.clock.time_at(source.step_of(index))
                                            .strftime("%a %H:%M"), refresh=False)
                    if recorder.error:
                        break
        except BaseException:
            recorder.stop()
            recorder.join(timeout_s=60.0)
            raise
        recorder.stop()
        recorder.join(timeout_s=600.0)
        if recorder.error or recorder.frames_written != source.frames:
            raise UserError(f"the video encoder failed: {recorder.error or 'frames lost'}")
    return RenderResult(source.frames, time.perf_counter() - started, output)
