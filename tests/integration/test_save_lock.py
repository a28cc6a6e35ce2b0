"""One writer per save (issue 23): a second writer is refused with one line naming the holder,
a lock left by a dead process is taken over with a note, a planted link at the lock's name is
never written through, and meta.json's run-log count never disagrees with the log."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_helpers import assert_refused, cli, copy_home, dead_pid, make_template

from engine.persistence import SaveStore
from engine.save_lock import SaveLock

ROOT = Path(__file__).resolve().parents[2]
KILL_ROUNDS = int(os.environ.get("SIMULACRA_KILL_ROUNDS", "3"))


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("lock"))


def _spawn(home: Path, *argv: str) -> subprocess.Popen:
    env = {**os.environ, "SIMULACRA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "game.cli", *argv], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_lock(home: Path, name: str, process: subprocess.Popen) -> dict:
    lock = home / "saves" / f".lock-{name}"
    for _ in range(300):
        if lock.is_file() and lock.stat().st_size and process.poll() is None:
            return json.loads(lock.read_text(encoding="utf-8"))
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    raise AssertionError("the writer never took the lock")


def _log_lines(save: Path) -> int:
    log = save / "runlog.jsonl"
    return sum(1 for _ in log.open("rb")) if log.exists() else 0


def test_a_second_writer_is_refused_with_one_line_naming_the_holder(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    first = _spawn(home, "run", "--load", "keep", "--steps", "1000000", "--mind", "routine",
                   "--quiet", "--autosave-min", "0")
    try:
        csv = tmp_path / "history.csv"
        csv.write_text("Name,Whisper\nKlaus Mueller,Klaus likes tea\n", encoding="utf-8")
        holder = _wait_for_lock(home, "keep", first)
        assert holder["pid"] == first.pid
        for argv in (("run", "--load", "keep", "--steps", "3", "--mind", "routine"),
                     ("load-history", "keep", str(csv), "--mind", "routine"),
                     ("make-base", "keep", "base_copy")):
            assert_refused(cli(home, *argv), "save 'keep' is being written by process",
                           str(first.pid), "run --load keep")
        # readers need no lock
        assert cli(home, "list").code == 0
        assert "starting at step" in first.stdout.readline()  # running now, not loading
        time.sleep(1.0)
    finally:
        first.send_signal(signal.SIGTERM)  # stops like Ctrl+C: saves its last step
        out, err = first.communicate(timeout=60)
    assert first.returncode == 130, err
    assert "saved to" in out, (out, err)
    save = home / "saves" / "keep"
    meta = json.loads((save / "meta.json").read_text(encoding="utf-8"))
    assert meta["runlog_lines"] == _log_lines(save)
    assert not (home / "saves" / ".lock-keep").exists()  # released on the way out
    assert cli(home, "run", "--load", "keep", "--steps", "3", "--mind", "routine",
               "--quiet").code == 0


def test_a_lock_left_by_a_dead_process_is_taken_over_with_a_note(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    gone = dead_pid()
    (home / "saves" / ".lock-keep").write_text(json.dumps(
        {"pid": gone, "command": "simulacra run --load keep", "host": "x", "since": "then"}))
    done = cli(home, "run", "--load", "keep", "--steps", "3", "--mind", "routine", "--quiet")
    assert done.code == 0, done.err
    assert f"took over the lock left by process {gone}" in done.err
    assert "no longer running" in done.err


def test_a_link_planted_at_the_lock_is_never_written_through(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    os.link(victim, home / "saves" / ".lock-keep")
    assert cli(home, "run", "--load", "keep", "--steps", "2", "--mind", "routine",
               "--quiet").code == 0
    os.symlink(victim, home / "saves" / ".lock-keep")
    assert cli(home, "run", "--load", "keep", "--steps", "2", "--mind", "routine",
               "--quiet").code == 0
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_the_lock_is_reentrant_in_one_process_and_exclusive_across_opens(tmp_path):
    outer = SaveLock(tmp_path, "x").acquire()
    inner = SaveLock(tmp_path, "x").acquire()  # the import's session, inside the import
    inner.release()
    assert (tmp_path / ".lock-x").exists()
    outer.release()
    assert not (tmp_path / ".lock-x").exists()


def test_a_run_log_count_meta_cannot_back_is_repaired_from_the_log_and_said(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    save = home / "saves" / "keep"
    held = _log_lines(save)
    meta = json.loads((save / "meta.json").read_text(encoding="utf-8"))
    meta["runlog_lines"] = 2620  # the case: the log was replaced by a shorter one
    (save / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    done = cli(home, "run", "--load", "keep", "--steps", "5", "--mind", "routine", "--quiet")
    assert done.code == 0, done.err
    assert f"meta.json counts 2620 run-log lines but runlog.jsonl holds {held}" in done.err
    meta = json.loads((save / "meta.json").read_text(encoding="utf-8"))
    assert meta["runlog_lines"] == _log_lines(save) > held


def test_kills_during_saves_with_two_writers_leave_a_whole_save(template, tmp_path):
    """Two writers started together on one save, one of them killed at a random moment (often
    mid-save: autosave every game minute), then the other: every round the save loads, its
    run-log count matches the log, and no temporary folder or lock is left."""
    home = copy_home(template, tmp_path / "home")
    rng = random.Random(23)
    outcomes = {"refused": 0, "killed": 0, "finished": 0}
    argv = ("run", "--load", "keep", "--steps", "3000", "--mind", "routine", "--quiet",
            "--autosave-min", "1", "--autosave-keep", "1")
    for _ in range(KILL_ROUNDS):
        first = _spawn(home, *argv)
        _wait_for_lock(home, "keep", first)
        second = _spawn(home, *argv)  # refused while the first holds the save
        time.sleep(rng.uniform(0.3, 5.0))
        first.kill()  # autosaving every 6 steps: most likely mid-save
        first.wait(timeout=60)
        outcomes["killed"] += 1
        try:
            second.wait(timeout=rng.uniform(5, 15))
        except subprocess.TimeoutExpired:  # it took the save over: kill it too
            second.kill()
            outcomes["killed"] += 1
            second.wait(timeout=60)
        err = second.stderr.read()
        if second.returncode == 2:
            assert "is being written by process" in err, err
            outcomes["refused"] += 1
        elif second.returncode == 0:
            outcomes["finished"] += 1
        for writer in (first, second):
            writer.stdout.close()
            writer.stderr.close()
        store = SaveStore(home / "saves", user_bases_root=home / "bases")
        loaded = store.read("keep")
        assert loaded.meta.runlog_lines <= _log_lines(loaded.path)
        leftovers = [p for p in os.listdir(home / "saves") if p.startswith((".tmp", ".old"))]
        assert leftovers == []
    done = cli(home, "run", "--load", "keep", "--steps", "2", "--mind", "routine", "--quiet")
    assert done.code == 0, done.err
    assert "counts" not in done.err  # never more lines counted than the log holds
    print(f"two writers, {KILL_ROUNDS} rounds: {outcomes}")
