"""A hard link inside a save (a file with other names, st_nlink > 1, perhaps outside the save)
is never written through: the run log, the one file appended in place, first gets a copy of
its own; every other file of a save is only ever replaced, never rewritten."""

from __future__ import annotations

import os

import pytest
from reliability_helpers import cli, copy_home, make_template

from engine.runlog import RunLog, break_hard_link


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("hardlinks"))


@pytest.fixture
def home(template, tmp_path):
    return copy_home(template, tmp_path / "home")


@pytest.mark.parametrize("name", ["runlog.jsonl", "runlog.idx", "world.json", "meta.json",
                                  "minds/klaus_mueller.json", "personas/maria_lopez.json",
                                  "history.csv"])
def test_a_hard_link_in_a_save_never_changes_the_file_outside(home, tmp_path, name):
    inside = home / "saves" / "keep" / name
    if not inside.exists():
        pytest.skip(f"the template save has no {name}")
    outside = tmp_path / "outside-copy"
    os.link(inside, outside)  # e.g. a backup made with `cp -al`, or a planted link
    before = outside.read_bytes()
    done = cli(home, "run", "--load", "keep", "--steps", "5", "--mind", "routine", "--quiet",
               "--autosave-min", "0")
    assert done.code == 0, done.err
    assert outside.read_bytes() == before
    if name.startswith("runlog"):
        assert not inside.samefile(outside)  # the save's log got a copy of its own
    if name == "runlog.jsonl":
        assert inside.stat().st_size > len(before)  # the save's own log went on growing


def test_run_log_appends_only_to_a_file_of_its_own(tmp_path):
    log = tmp_path / "runlog.jsonl"
    log.write_bytes(b"")
    outside = tmp_path / "bashrc"
    os.link(log, outside)
    runlog = RunLog(log)
    runlog.record(0, "2023-02-13T00:00:00", {"A": {"xy": [1, 2]}})
    runlog.close()
    assert outside.read_bytes() == b"" and log.stat().st_size > 0
    assert not log.samefile(outside)


def test_break_hard_link_keeps_contents_and_leaves_single_files_alone(tmp_path):
    single = tmp_path / "single"
    single.write_bytes(b"x")
    inode = single.stat().st_ino
    break_hard_link(single)
    assert single.stat().st_ino == inode
    other = tmp_path / "other"
    os.link(single, other)
    break_hard_link(single)
    assert single.read_bytes() == other.read_bytes() == b"x"
    assert single.stat().st_nlink == other.stat().st_nlink == 1
    break_hard_link(tmp_path / "absent")  # nothing to do
