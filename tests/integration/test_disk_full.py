"""A full disk or a file-size limit (issue 23): every writer gives one line naming the file and
what ran out, exit 2; the save is left loadable (a run log cut back to whole lines), and no
temporary file or folder is left behind.

The limit is a real one: each command runs in a child process under `RLIMIT_FSIZE` (what
`ulimit -f` sets), so every write past it fails with EFBIG; a full disk (ENOSPC) goes through the
same code and is simulated for the primitive itself."""

from __future__ import annotations

import errno
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from reliability_helpers import N3, copy_home, make_template
from test_import_original import write_original

from engine.errors import UserError
from engine.persistence import SaveStore
from engine.safe_write import replace_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("full"), steps=60)


def _limited(home: Path, limit: int, *argv: str) -> subprocess.CompletedProcess:
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "SIMULACRA_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "game.cli", *argv], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=300, preexec_fn=cap)


def _leftovers(home: Path) -> list[str]:
    return [str(p.relative_to(home)) for p in home.rglob("*")
            if p.name.startswith((".tmp", ".old", ".del", ".lock")) or p.name.endswith(".tmp")]


@pytest.mark.parametrize("argv", [
    ("run", "--load", "keep", "--steps", "400", "--mind", "routine", "--quiet",
     "--autosave-min", "0"),
    ("run", "--load", "keep", "--steps", "30", "--mind", "routine", "--quiet",
     "--autosave-min", "1"),
    ("run", "--fork", N3, "--name", "other", "--steps", "30", "--mind", "routine", "--quiet"),
    ("analyze", "keep"),
    ("make-base", "keep", "base_mine"),
], ids=["run", "autosave", "fork", "analyze", "make-base"])
def test_a_file_size_limit_is_one_line_and_the_save_stays_whole(template, tmp_path, argv):
    home = copy_home(template, tmp_path / "home")
    done = _limited(home, 4096, *argv)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert len(lines) == 1 and "cannot write" in lines[0], lines
    assert "file-size limit" in lines[0]
    assert _leftovers(home) == []
    store = SaveStore(home / "saves", user_bases_root=home / "bases")
    loaded = store.read("keep")
    log = loaded.path / "runlog.jsonl"
    assert log.read_bytes().endswith(b"\n")  # cut back to whole lines
    assert loaded.meta.runlog_lines <= sum(1 for _ in log.open("rb"))
    again = _limited(home, resource.RLIM_INFINITY, "run", "--load", "keep", "--steps", "2",
                     "--mind", "routine", "--quiet")
    assert again.returncode == 0, again.stderr


def test_import_under_a_file_size_limit_leaves_no_temporary_folder(tmp_path):
    folder = write_original(tmp_path / "orig")
    home = tmp_path / "home"
    done = _limited(home, 2048, "import-original", str(folder), "--name", "mine",
                    "--mind", "routine")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert "file-size limit" in done.stderr
    saves = home / "saves"
    assert not (saves / "mine").exists()
    assert _leftovers(home) == []


def test_a_full_disk_in_the_write_primitive_keeps_the_old_file_and_no_temporary(
        tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    real_write = os.write

    def full(fd, data):  # a disk that fills up after the first few bytes
        if len(data) > 4:
            real_write(fd, bytes(data[:4]))
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(UserError, match=r"cannot write .*report\.md: the disk is full"):
        replace_file(target, b"a much longer new report")
    monkeypatch.undo()
    assert target.read_text(encoding="utf-8") == "old"
    assert os.listdir(tmp_path) == ["report.md"]
