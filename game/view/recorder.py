"""Screen recording to MP4, encoded off the render thread.

The main thread only copies the frame's pixels (`pygame.image.tobytes`, ~1 ms at 720p) and
queues them; a worker thread feeds `imageio_ffmpeg.write_frames` (H.264, yuv420p). The video
keeps the size the window had when recording started (rounded down to even numbers, which
yuv420p needs): if the window is resized meanwhile, frames are scaled to that size.

ffmpeg writes into a private folder beside the video (`engine.safe_write.private_dir`: an
unguessable name, ours alone) and the finished file is renamed into place, so nothing planted
at the video's name is written through and a failed recording leaves no partial file.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
from pathlib import Path

import imageio_ffmpeg
import pygame

from engine import paths
from engine.safe_write import private_dir

QUEUE_FRAMES = 240  # ~8 s at 30 fps of slack before the encoder applies back-pressure


def even_size(size: tuple[int, int]) -> tuple[int, int]:
    return (max(2, size[0] - size[0] % 2), max(2, size[1] - size[1] % 2))


class Recorder:
    """One recording: `add(surface)` on the main thread, `stop()` to finish the file."""

    def __init__(self, size: tuple[int, int], fps: int, path: Path | None = None, *,
                 encoder_threads: int = 1, low_priority: bool = True,
                 queue_frames: int = QUEUE_FRAMES):
        self.size = even_size(size)
        self.fps = fps
        stamp = time.strftime("%Y%m%d-%H%M%S")
        self.path = path or paths.videos_dir() / f"simulacra-{stamp}.mp4"
        self._private = private_dir(self.path.parent, f".{self.path.stem[:60]}.partial-")
        self._inner = self._private / self.path.name
        self.frames_added = 0
        self.encoder_threads = encoder_threads  # 0 = as many as ffmpeg likes
        self.low_priority = low_priority  # False when encoding is the job (headless render)
        self.frames_written = 0
        self.error: str | None = None
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=queue_frames)
        self._thread = threading.Thread(target=self._encode, name="recorder", daemon=True)
        self._thread.start()

    def add(self, surface: pygame.Surface) -> None:
        """Queue a copy of the frame (scaled to the recording size if the window changed)."""
        if self.error:
            return
        if surface.get_size() != self.size:
            surface = pygame.transform.scale(surface, self.size)
        self._queue.put(pygame.image.tobytes(surface, "RGB"))
        self.frames_added += 1

    def stop(self) -> None:
        """Finish the file on the worker thread; returns at once. `done` tells when it is."""
        self._queue.put(None)

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def join(self, timeout_s: float = 30.0) -> None:
        self._thread.join(timeout_s)

    def _encode(self) -> None:
        writer = imageio_ffmpeg.write_frames(
            str(self._inner), self.size, fps=self.fps, codec="libx264", pix_fmt_in="rgb24",
            pix_fmt_out="yuv420p", macro_block_size=1, quality=7,
            output_params=["-preset", "ultrafast", "-tune", "zerolatency", "-threads",
                           str(self.encoder_threads)],
        )
        if self.low_priority:
            _lower_priority()  # ffmpeg, started by the first send, inherits it: frames come first
        try:
            writer.send(None)
            while True:
                frame = self._queue.get()
                if frame is None:
                    break
                writer.send(frame)
                self.frames_written += 1
        except Exception as exc:  # a broken encoder must not take the window down
            self.error = f"{type(exc).__name__}: {exc}"
            while self._queue.get() is not None:  # drain so add() never blocks forever
                pass
        finally:
            try:
                writer.close()
                if self.error is None:
                    os.replace(self._inner, self.path)  # the finished video, whole
            except Exception as exc:  # noqa: BLE001 - reported, never raised on this thread
                self.error = self.error or f"{type(exc).__name__}: {exc}"
            finally:
                shutil.rmtree(self._private, ignore_errors=True)


def _lower_priority(niceness: int = 10) -> None:
    """Make this thread (and processes it starts) yield the CPU to the render thread.

    On Linux a thread has its own nice value; elsewhere this is a no-op.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError):
        pass
