"""Fuzzers for issue 23's new attack classes, 1,000 examples each (cheap ones: no session per
example): hostile JSON values, run-log index files, hostile run-log lines, planted entries where
a file is written, lock files left behind, and clocks at the ends of the calendar. Each checks
the rule: one `UserError` (one line) or success, nothing else, and nothing outside written."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from mutations import FUZZ

from engine.errors import UserError

HOSTILE_NUMBERS = ["1" + "0" * 5000, "-" + "9" * 4400, "1e400", "-1e400", "NaN", "Infinity",
                   "-Infinity", "1" * 41, "0.0", "1e-400", "9" * 40]
nested = st.integers(1, 3000).map(lambda n: "[" * n + "]" * n)
hostile_value = st.one_of(st.sampled_from(HOSTILE_NUMBERS), nested,
                          st.integers().map(str), st.floats().map(repr))


def _one_line_or_success(action):
    try:
        return action()
    except UserError as exc:
        text = str(exc)
        assert "\n" not in text and len(text) <= 1100, text[:200]
        return exc


@FUZZ
@given(key=st.sampled_from(["seed", "step", "step_s", "runlog_lines", "format_version",
                            "start_time", "personas", "extra", "map", "name"]),
       value=hostile_value)
def test_fuzzed_hostile_values_in_meta(template_home, tmp_path_factory, key, value):
    from engine.persistence import read_meta
    from engine.clock import GameClock, parse_time

    text = (template_home / "saves" / "keep" / "meta.json").read_text(encoding="utf-8")
    data = json.loads(text)
    data[key] = 0
    raw = json.dumps(data).replace(f'"{key}": 0', f'"{key}": {value}', 1)
    folder = tmp_path_factory.mktemp("meta")
    (folder / "meta.json").write_text(raw, encoding="utf-8")

    def load():
        meta = read_meta(folder, "save 'x'")
        GameClock(parse_time(meta.start_time), meta.step_s).time_at(meta.step)  # list does
        return meta

    _one_line_or_success(load)
    shutil.rmtree(folder)


index_lines = st.lists(st.one_of(
    st.tuples(st.integers(-5, 10**20), st.integers(-5, 10**20), st.integers(-5, 10**20))
    .map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
    st.sampled_from(["", "x y z", "1 2", "0 " + "9" * 5000 + " 0", "²  ³ ¹", "\x00\x00"]),
), max_size=8).map(lambda lines: "\n".join(lines) + "\n")


@FUZZ
@given(index=index_lines, lines=st.integers(0, 40))
def test_fuzzed_run_log_indexes(template_home, tmp_path_factory, index, lines):
    from engine.runlog import open_runlog, truncate_runlog

    folder = tmp_path_factory.mktemp("idx")
    log = folder / "runlog.jsonl"
    shutil.copy(template_home / "saves" / "keep" / "runlog.jsonl", log)
    (folder / "runlog.idx").write_text(index, encoding="utf-8")
    original = log.read_bytes()

    def read():
        with open_runlog(log) as reader:
            steps = reader.steps()
            for step in (steps[0], steps[-1], steps[len(steps) // 2]):
                reader.record_at(step)

    _one_line_or_success(read)
    kept = _one_line_or_success(lambda: truncate_runlog(log, lines))
    if not isinstance(kept, UserError):
        assert original.startswith(log.read_bytes())  # a prefix of whole lines
        assert kept <= lines
    shutil.rmtree(folder)


@FUZZ
@given(field=st.sampled_from(["step", "time", "agents", "world", "key", "replies"]),
       value=hostile_value, where=st.sampled_from(["end", "middle"]))
def test_fuzzed_hostile_run_log_lines(template_home, tmp_path_factory, field, value, where):
    from engine.runlog import open_runlog, read_runlog

    folder = tmp_path_factory.mktemp("line")
    log = folder / "runlog.jsonl"
    lines = (template_home / "saves" / "keep" / "runlog.jsonl").read_bytes().splitlines(True)
    bad = json.dumps({"step": 25, "time": "2023-02-13T07:04:10", "agents": {}, field: 0})
    bad = bad.replace(f'"{field}": 0', f'"{field}": {value}', 1).encode() + b"\n"
    at = len(lines) if where == "end" else len(lines) // 2
    log.write_bytes(b"".join(lines[:at] + [bad] + lines[at:]))

    def replay():  # the first 300 steps and the last (a huge step must not mean huge work)
        with open_runlog(log) as reader:
            steps = reader.steps()
            for _ in zip(range(300), reader.iter_records(steps[0], steps[-1])):
                pass
            reader.record_at(steps[-1])

    _one_line_or_success(replay)
    _one_line_or_success(lambda: list(read_runlog(log)))
    shutil.rmtree(folder)


@FUZZ
@given(planted=st.lists(st.tuples(
    st.sampled_from(["report.md", ".report.md.tmp", ".report.md.0000000000000000.tmp",
                     ".out.partial.mp4", "sub"]),
    st.sampled_from(["symlink", "hardlink", "folder", "file", "dangling"])),
    max_size=3, unique_by=lambda t: t[0]))
def test_fuzzed_planted_entries_where_a_file_is_written(tmp_path_factory, planted):
    from engine.safe_write import output_path, replace_file

    root = tmp_path_factory.mktemp("plant")
    victim = root / "victim.txt"
    victim.write_text("victim", encoding="utf-8")
    folder = root / "out"
    folder.mkdir()
    for name, kind in planted:
        target = folder / name
        if kind == "symlink":
            os.symlink(victim, target)
        elif kind == "hardlink":
            os.link(victim, target)
        elif kind == "folder":
            (target / "x").mkdir(parents=True)
        elif kind == "file":
            target.write_text("old", encoding="utf-8")
        else:
            os.symlink(root / "nowhere", target)
    done = _one_line_or_success(lambda: replace_file(folder / "report.md", b"new"))
    if not isinstance(done, UserError):
        assert (folder / "report.md").read_bytes() == b"new"

    def video():
        with output_path(folder / "out.mp4") as inner:
            inner.write_bytes(b"mp4")

    _one_line_or_success(video)
    assert victim.read_text(encoding="utf-8") == "victim"
    assert not (root / "nowhere").exists()
    names = {name for name, _ in planted}
    assert not [p for p in os.listdir(folder)
                if (p.endswith(".tmp") or ".partial-" in p) and p not in names]
    shutil.rmtree(root)


@FUZZ
@given(content=st.one_of(st.binary(max_size=300), hostile_value.map(str.encode),
                         st.dictionaries(st.sampled_from(["pid", "command", "host", "since"]),
                                         st.one_of(st.integers(), st.text(max_size=30)))
                         .map(lambda d: json.dumps(d).encode())))
def test_fuzzed_lock_files_left_behind(tmp_path_factory, content):
    from engine.save_lock import SaveLock

    root = tmp_path_factory.mktemp("lock")
    (root / ".lock-keep").write_bytes(content)
    lock = SaveLock(root, "keep").acquire()  # nobody holds it: always taken over
    assert lock.note is None or "no longer running" in lock.note
    lock.release()
    assert not (root / ".lock-keep").exists()
    shutil.rmtree(root)


@FUZZ
@given(start=st.datetimes(), step=st.integers(0, 10**12), step_s=st.integers(1, 3600))
def test_fuzzed_clocks_at_the_ends_of_the_calendar(start, step, step_s):
    from engine.clock import TIME_FORMAT, GameClock, format_game_time, parse_time
    from engine.save_meta import SaveMeta

    data = {"map": "the_ville", "start_time": start.strftime(TIME_FORMAT), "step_s": step_s,
            "seed": 1, "personas": ["Klaus Mueller"], "step": step}

    def load():
        meta = SaveMeta.from_json(data, "save 'x'")
        clock = GameClock(parse_time(meta.start_time), meta.step_s)
        format_game_time(clock.time_at(meta.step + 10_000_000))  # and a long run after it

    _one_line_or_success(load)


def test_the_fuzzers_stay_cheap():
    """A marker for the note: these six fuzzers run 6,000 examples without a session each."""
    assert Path(__file__).stat().st_size < 16_000
