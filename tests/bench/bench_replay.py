"""Replay and render over a long log: seek time, render frames per second, peak memory.

    PYTHONPATH=. python tests/bench/bench_replay.py [--days 2] [--keep DIR] [--frames 300]

Builds once (into a temporary folder, or DIR with --keep, reused when it already holds it) a
run of the 25-agent base with the routine mind: `--days` game days (8,640 steps a day). Then,
each in its own process so that peak memory (RSS) is its own:

- seek: open the log and `record_at` the middle step (cold), then 20 seeks to random steps;
- read: stream every record of the run from the first step to the last (replay reading);
- render: `--frames` frames at 1280x720 from the middle of the run, through `render_video`
  (drawing + encoding), reported as frames per second; at the window's default zoom (2) and
  with the whole town in view (render_town).

Prints numbers; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
SAVE = "bench-replay"
BASE = "base_the_ville_n25"


def build(home: Path, steps: int) -> float:
    """Run the 25-agent base for `steps` steps with routine minds; returns wall seconds."""
    from cognition.routine import RoutineMindFactory
    from engine.dispatcher import InlineDispatcher
    from engine.persistence import SaveStore
    from engine.session import open_session

    store = SaveStore(saves_root=home / "saves")
    if store.exists(SAVE) and store.read(SAVE).meta.step >= steps:
        return 0.0
    seed = store.read_base(BASE).meta.seed
    session = open_session(store, fork=BASE, load=None, name=SAVE,
                           factory=RoutineMindFactory(seed), dispatcher=InlineDispatcher())
    started = time.perf_counter()
    done = 0
    while done < steps:
        chunk = min(1440, steps - done)
        session.sim.run(chunk)
        done += chunk
        print(f"  built {done}/{steps} steps", file=sys.stderr, flush=True)
    session.save()
    session.close()
    return time.perf_counter() - started


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def measure_seek(home: Path) -> dict:
    from engine.persistence import SaveStore
    from game.replay.source import open_recorded_run

    before = peak_rss_mb()
    started = time.perf_counter()
    run = open_recorded_run(SAVE, SaveStore(saves_root=home / "saves"))
    opened_s = time.perf_counter() - started
    middle = run.steps[len(run.steps) // 2]
    started = time.perf_counter()
    record = run.reader.record_at(middle)
    cold_s = time.perf_counter() - started
    rng = random.Random(1)
    times = []
    for _ in range(20):
        step = rng.choice(run.steps)
        started = time.perf_counter()
        run.reader.record_at(step)
        times.append(time.perf_counter() - started)
    run.close()
    times.sort()
    return {"open_ms": opened_s * 1e3, "seek_middle_ms": cold_s * 1e3,
            "seek_random_p50_ms": times[len(times) // 2] * 1e3, "seek_random_max_ms":
            times[-1] * 1e3, "middle_step": middle, "agents": len(record.agents),
            "peak_rss_mb": peak_rss_mb(), "rss_before_mb": before}


def measure_read(home: Path) -> dict:
    from engine.persistence import SaveStore
    from game.replay.source import open_recorded_run

    run = open_recorded_run(SAVE, SaveStore(saves_root=home / "saves"))
    after_open = peak_rss_mb()
    started = time.perf_counter()
    count = sum(1 for _ in run.reader.iter_records(run.steps[0], run.steps[-1]))
    wall = time.perf_counter() - started
    run.close()
    return {"records": count, "read_s": wall, "records_per_s": count / wall,
            "rss_after_open_mb": after_open, "peak_rss_mb": peak_rss_mb()}


def measure_render(home: Path, frames: int, zoom: float | None = 2.0) -> dict:
    from engine.persistence import SaveStore
    from game.replay.render import render_video
    from game.replay.source import open_recorded_run

    run = open_recorded_run(SAVE, SaveStore(saves_root=home / "saves"))
    middle = run.steps[len(run.steps) // 2]
    speed, fps = 10.0, 30
    last = min(run.steps[-1], middle + int(frames * speed / fps) - 1)
    out = home / "bench.mp4"
    result = render_video(run, out, middle, last, speed=speed, fps=fps, size=(1280, 720),
                          follow=None, progress=False, zoom=zoom)
    run.close()
    return {"frames": result.frames, "render_s": result.wall_s,
            "fps": result.frames / result.wall_s, "size": "1280x720",
            "zoom": "town" if zoom is None else zoom,
            "video_bytes": out.stat().st_size, "peak_rss_mb": peak_rss_mb()}


def child(kind: str, home: Path, frames: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "SDL_VIDEODRIVER": "dummy",
           "SDL_AUDIODRIVER": "dummy", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
    done = subprocess.run([sys.executable, __file__, "--measure", kind, "--keep", str(home),
                           "--frames", str(frames)], env=env, capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=float, default=2.0)
    parser.add_argument("--keep", type=Path, help="build into / reuse this folder")
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--measure", choices=("seek", "read", "render", "render_town"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        home = args.keep
        result = {"seek": lambda: measure_seek(home), "read": lambda: measure_read(home),
                  "render": lambda: measure_render(home, args.frames),
                  "render_town": lambda: measure_render(home, args.frames, None),
                  }[args.measure]()
        print(json.dumps(result))
        return
    home = args.keep or Path(tempfile.mkdtemp(prefix="bench-replay-"))
    steps = int(args.days * 8640)
    build_s = build(home, steps)
    log = home / "saves" / SAVE / "runlog.jsonl"
    index = log.with_suffix(".idx")
    print(f"log: {steps} steps, 25 agents, {log.stat().st_size / 1e6:.1f} MB, "
          f"{sum(1 for _ in open(log, 'rb'))} lines, index {index.stat().st_size} bytes "
          f"(built in {build_s:.0f} s)")
    try:
        for kind in ("seek", "read", "render", "render_town"):
            print(kind, json.dumps({k: round(v, 2) if isinstance(v, float) else v
                                    for k, v in child(kind, home, args.frames).items()}))
    finally:
        if args.keep is None:
            shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
