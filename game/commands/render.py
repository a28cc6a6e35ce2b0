"""`simulacra render`: a saved run to an MP4, headless, with the window's look."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from engine.errors import UserError

DEFAULT_SPEED = 10.0  # steps per second of video
MAX_SIZE = (3840, 2160)
MAX_FRAMES = 30 * 3600 * 24  # a day of video at 30 fps


def register(sub) -> None:
    parser = sub.add_parser(
        "render", help="render a saved run to an MP4 video (headless)",
        description="Draw a save's run log frame by frame without a window, with the same "
        "drawing code as the window, and encode it to MP4 (H.264) with imageio-ffmpeg. "
        "No model is loaded.",
    )
    parser.add_argument("save", help="the save whose run log to render (see simulacra list)")
    parser.add_argument("-o", "--output", required=True, metavar="FILE.mp4",
                        help="the video file to write (overwritten if it exists)")
    parser.add_argument("--from-step", type=int, default=None, metavar="N",
                        help="first step to show (default: the run's first)")
    parser.add_argument("--to-step", type=int, default=None, metavar="M",
                        help="last step to show (default: the run's last)")
    parser.add_argument("--speed", type=float, default=DEFAULT_SPEED, metavar="S",
                        help=f"steps of game time per second of video (default "
                        f"{DEFAULT_SPEED:g}; 1 step = 10 game seconds)")
    parser.add_argument("--fps", type=int, default=30, help="video frames per second "
                        "(default 30)")
    parser.add_argument("--follow", metavar="NAME", help="keep this agent in the middle "
                        "(full or first name)")
    parser.add_argument("--zoom", default="2", metavar="Z",
                        help="2 (default, as the window opens), 0.5, 1, 1.5, 3, 4, or 'town' "
                        "for the whole town")
    parser.add_argument("--size", default="1280x720", metavar="WxH",
                        help="video size in pixels (default 1280x720)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(handler=handle)


def parse_size(text: str) -> tuple[int, int]:
    """`1280x720` -> (1280, 720); even sizes from 320x240 to 3840x2160, else a UserError."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise UserError(f"bad --size '{text}': use WIDTHxHEIGHT, e.g. 1280x720") from None
    if not (320 <= w <= MAX_SIZE[0] and 240 <= h <= MAX_SIZE[1]):
        raise UserError(f"--size {text} is out of range (320x240 to 3840x2160)")
    if w % 2 or h % 2:
        raise UserError(f"--size {text}: width and height must be even (H.264 needs it)")
    return w, h


def parse_zoom(text: str) -> float | None:
    """A zoom level of the window's camera, or None for the whole town."""
    from game.view.camera import ZOOM_LEVELS

    if text.strip().lower() == "town":
        return None
    try:
        zoom = float(text)
    except ValueError:
        zoom = -1.0
    if zoom not in ZOOM_LEVELS:
        levels = ", ".join(f"{z:g}" for z in ZOOM_LEVELS)
        raise UserError(f"--zoom {text}: use one of {levels} or 'town'")
    return zoom


def check_output(text: str) -> Path:
    path = Path(text).expanduser()
    if path.suffix.lower() != ".mp4":
        raise UserError(f"-o {text}: the video must be an .mp4 file")
    if path.is_dir():
        raise UserError(f"-o {text} is a folder; name a file, e.g. {path / 'day1.mp4'}")
    if path.is_symlink():
        raise UserError(f"-o {text} is a symbolic link; refusing to write through it")
    if not path.parent.is_dir():
        raise UserError(f"-o {text}: the folder {path.parent} does not exist")
    return path


def handle(args: argparse.Namespace) -> int:
    size = parse_size(args.size)
    zoom = parse_zoom(args.zoom)
    output = check_output(args.output)
    if not (args.speed > 0 and math.isfinite(args.speed)) or args.speed > 10000:
        raise UserError(f"--speed {args.speed:g} must be above 0 and at most 10000 steps/s")
    if not 1 <= args.fps <= 120:
        raise UserError(f"--fps {args.fps} must be between 1 and 120")
    from game.replay.clock import frame_count
    from game.replay.render import render_video
    from game.replay.source import open_recorded_run

    run = open_recorded_run(args.save)
    try:
        first, last = run.check_steps(args.from_step, args.to_step)
        frames = frame_count(last - first + 1, args.speed, args.fps)
        if frames > MAX_FRAMES:
            raise UserError(f"steps {first}–{last} at {args.speed:g} steps/s make {frames:,} "
                            f"frames, over the {MAX_FRAMES:,} of a day of video; choose a part "
                            "with --from-step/--to-step or raise --speed")
        follow = run.agent_name(args.follow) if args.follow else None
        result = render_video(run, output, first, last, speed=args.speed, fps=args.fps,
                              follow=follow, size=size, progress=not args.quiet, zoom=zoom)
    finally:
        run.close()
    print(f"simulacra: wrote {result.frames} frames ({result.frames / args.fps:.1f} s, "
          f"steps {first}–{last}) at {size[0]}x{size[1]} to {output} "
          f"in {result.wall_s:.1f} s ({result.frames / max(result.wall_s, 1e-9):.1f} fps)")
    return 0
