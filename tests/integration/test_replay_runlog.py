"""The run log v2: seeking from keyframes, the sidecar index, v1 logs, bad files, truncation."""

from __future__ import annotations

import json
import os
import random

import pytest

from engine.clock import GameClock, parse_time
from engine.errors import UserError
from engine.runlog import RunLog, index_path, open_runlog, read_runlog, truncate_runlog

CLOCK = GameClock(parse_time("2023-02-13T07:00:00"), 10)


def write_log(path, steps=400, keyframe_every=60, agents=4, seed=3, start=0):
    """A synthetic run: agents wander, talk now and then. Returns the view at every step."""
    rng = random.Random(seed)
    log = RunLog(path, keyframe_every=keyframe_every)
    tiles = {f"Agent {i}": [i, 0] for i in range(agents)}
    truth = {}
    for step in range(start, start + steps):
        views = {}
        for name, tile in tiles.items():
            if rng.random() < 0.4:
                tile[rng.randrange(2)] += rng.choice((-1, 1))
            views[name] = {"xy": list(tile), "action": f"doing {tile[0] % 5}", "emoji": "🙂",
                           "say": "hello" if rng.random() < 0.05 else None}
        truth[step] = {n: {k: v for k, v in view.items() if v is not None}
                       for n, view in views.items()}
        log.record(step, CLOCK.iso_at(step), views, world={"errors": step // 100})
    log.close()
    return truth


def views_of(frame):
    return {name: dict(view) for name, view in frame.agents.items()}


@pytest.fixture
def log_path(tmp_path):
    return tmp_path / "runlog.jsonl"


def test_seek_at_keyframes_and_between_matches_the_run(log_path):
    truth = write_log(log_path)
    keyframes = [json.loads(line)["step"] for line in log_path.read_text("utf-8").splitlines()
                 if json.loads(line).get("key")]
    assert keyframes == [0, 60, 120, 180, 240, 300, 360]
    with open_runlog(log_path) as reader:
        assert reader.steps() == range(0, 400)
        for step in (0, 1, 59, 60, 61, 119, 120, 250, 359, 360, 399, 200, 7):
            frame = reader.frame_at(step)
            assert frame.step == step and frame.time_iso == CLOCK.iso_at(step)
            assert views_of(frame) == truth[step], step
            assert frame.world["errors"] == step // 100
        frames = list(reader.iter_frames(55, 130))
        assert [f.step for f in frames] == list(range(55, 131))
        assert all(views_of(f) == truth[f.step] for f in frames)


def test_index_entries_point_at_keyframes(log_path):
    write_log(log_path)
    data = log_path.read_bytes()
    for raw in index_path(log_path).read_text("utf-8").splitlines():
        step, offset, line_no = (int(v) for v in raw.split())
        line = json.loads(data[offset:data.index(b"\n", offset)])
        assert line["key"] and line["step"] == step and line["v"] == 2
        assert data[:offset].count(b"\n") == line_no


def test_a_stale_or_missing_index_still_seeks_correctly(log_path):
    truth = write_log(log_path)
    index_path(log_path).write_text("0 0 0\n60 17 1\n", encoding="utf-8")  # wrong offset
    with open_runlog(log_path) as reader:
        assert views_of(reader.frame_at(100)) == truth[100]
    index_path(log_path).unlink()
    with open_runlog(log_path) as reader:
        assert views_of(reader.frame_at(333)) == truth[333]


def test_v1_logs_still_read(log_path):
    """The old format: one line per changed step, a keyframe only when a session starts."""
    lines = [
        {"step": 0, "time": CLOCK.iso_at(0), "key": True,
         "agents": {"Ann": {"xy": [1, 1], "action": "sleeping", "emoji": "😴", "address": "a"},
                    "Bob": {"xy": [5, 5], "action": "idle", "emoji": "🙂", "address": "b"}}},
        {"step": 3, "time": CLOCK.iso_at(3), "agents": {"Ann": {"xy": [2, 1]}}},
        {"step": 4, "time": CLOCK.iso_at(4), "agents": {"Bob": {"say": "hi Ann"}},
         "replies": [["Bob", 1, "fine"]]},
        {"step": 9, "time": CLOCK.iso_at(9), "key": True,
         "agents": {"Ann": {"xy": [3, 1], "action": "eating", "emoji": "🍳", "address": "a"},
                    "Bob": {"xy": [5, 6], "action": "idle", "emoji": "🙂", "address": "b"}}},
        {"step": 12, "time": CLOCK.iso_at(12), "agents": {"Bob": {"xy": [5, 7]}}},
    ]
    log_path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    with open_runlog(log_path) as reader:
        assert reader.steps() == range(0, 13)
        assert reader.clock.step_s == 10
        assert reader.frame_at(3).agents["Ann"]["xy"] == [2, 1]
        four = reader.frame_at(4)
        assert four.agents["Bob"]["say"] == "hi Ann" and four.extra["replies"] == [["Bob", 1,
                                                                                  "fine"]]
        assert "say" not in reader.frame_at(5).agents["Bob"]
        assert not reader.frame_at(5).logged
        assert reader.frame_at(11).agents["Ann"]["action"] == "eating"
        assert reader.frame_at(12).agents["Bob"]["xy"] == [5, 7]
    assert len(list(read_runlog(log_path))) == 5


@pytest.mark.parametrize("content, words", [
    (b"", "is empty"),
    (b"\x00\x01\x02binary\n", "binary"),
    (b"\xff\xfe{not utf8}\n", "UTF-8"),
    (b"this is not json\n", "not a JSON record"),
    (b'{"step": 0, "time": "2023-02-13T07:0', "only line is incomplete"),
    (b'[1, 2, 3]\n', "not a run-log record"),
    (b'{"step": 0, "time": "2023-02-13T07:00:00", "agents": {}}\n', "not a keyframe"),
])
def test_malformed_logs_give_one_line(log_path, content, words):
    log_path.write_bytes(content)
    with pytest.raises(UserError) as error:
        open_runlog(log_path)
    message = str(error.value)
    assert words in message and "\n" not in message


def test_an_incomplete_last_line_is_a_line_being_written_and_not_read(log_path):
    """Readers take no lock: the line a run is appending is left out, the rest reads."""
    log_path.write_bytes(b'{"step": 0, "time": "2023-02-13T07:00:00", "key": true, '
                         b'"agents": {}}\n{"step": 1, "ag')
    with open_runlog(log_path) as reader:
        assert reader.steps() == range(0, 1)


def test_damage_in_the_middle_is_a_line_when_read(log_path):
    write_log(log_path, steps=200)
    lines = log_path.read_bytes().splitlines(keepends=True)
    lines[100] = b'{"step": "x"}\n'
    log_path.write_bytes(b"".join(lines))
    index_path(log_path).unlink()
    with open_runlog(log_path) as reader, pytest.raises(UserError, match="not a run-log record"):
        list(reader.iter_frames(0, 199))


def test_steps_out_of_range_and_links_are_refused(log_path, tmp_path):
    write_log(log_path, steps=50)
    with open_runlog(log_path) as reader, pytest.raises(UserError, match="steps 0–49"):
        reader.frame_at(50)
    link = tmp_path / "linked.jsonl"
    os.symlink(log_path, link)
    with pytest.raises(UserError, match="symbolic link"):
        open_runlog(link)


def test_truncate_keeps_lines_and_index_and_leaves_short_files_alone(log_path):
    truth = write_log(log_path, steps=300)
    total = len(log_path.read_bytes().splitlines())
    inode = log_path.stat().st_ino
    truncate_runlog(log_path, total + 5)
    assert log_path.stat().st_ino == inode  # nothing to cut: not rewritten
    truncate_runlog(log_path, 150)
    assert len(log_path.read_bytes().splitlines()) == 150
    entries = [int(raw.split()[2]) for raw in index_path(log_path).read_text().splitlines()]
    assert entries and all(line_no < 150 for line_no in entries)
    with open_runlog(log_path) as reader:
        last = reader.steps()[-1]
        assert views_of(reader.frame_at(last)) == truth[last]
    # a session continuing the cut log appends a keyframe and stays seekable
    log = RunLog(log_path, 150, keyframe_every=60)
    log.record(last + 1, CLOCK.iso_at(last + 1), {"Agent 0": {"xy": [0, 0]}})
    log.close()
    with open_runlog(log_path) as reader:
        assert dict(reader.frame_at(last + 1).agents["Agent 0"]) == {"xy": [0, 0]}


def test_a_v1_log_continued_by_the_v2_writer_reads_as_one_run(log_path):
    """An old save loaded with this version: its v1 lines stay, new lines are v2."""
    old = [{"step": s, "time": CLOCK.iso_at(s), "agents": {"Ann": {"xy": [s, 0]}},
            **({"key": True} if s == 0 else {})} for s in range(0, 30, 3)]
    log_path.write_text("".join(json.dumps(line) + "\n" for line in old), encoding="utf-8")
    log = RunLog(log_path, len(old), keyframe_every=10)
    for step in range(30, 75):
        log.record(step, CLOCK.iso_at(step), {"Ann": {"xy": [step, 1]}})
    log.close()
    with open_runlog(log_path) as reader:
        assert reader.steps() == range(0, 75)
        assert reader.frame_at(13).agents["Ann"]["xy"] == [12, 0]
        assert reader.frame_at(29).agents["Ann"]["xy"] == [27, 0]
        assert reader.frame_at(64).agents["Ann"]["xy"] == [64, 1]
    truncate_runlog(log_path, len(old) + 5)
    with open_runlog(log_path) as reader:
        assert reader.steps() == range(0, 35)
