"""Round three, writes outside a save (issue 23): every writer makes a fresh file with an
unguessable name and renames it into place, so a hard link or a symbolic link planted where a
writer writes is replaced, never written through."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from reliability_helpers import cli, copy_home, make_template
from test_import_original import write_original

from engine.safe_write import output_path, private_dir, replace_file

VICTIM = "precious: must never change\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("escape"))


def _victim(tmp_path: Path) -> Path:
    victim = tmp_path / "victim.txt"
    victim.write_text(VICTIM, encoding="utf-8")
    return victim


def test_analyze_replaces_a_hard_linked_report_and_leaves_the_linked_file_alone(
        template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    victim = _victim(tmp_path)
    analysis = home / "saves" / "keep" / "analysis"
    analysis.mkdir()
    for name in ("report.md", "report.json", "density.png"):
        os.link(victim, analysis / name)  # a shared save can carry hard links
    done = cli(home, "analyze", "keep")
    assert done.code == 0, done.err
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert os.stat(victim).st_nlink == 1  # every report name now has a file of its own
    assert (analysis / "report.md").read_text(encoding="utf-8").startswith("# Analysis")


def test_render_never_writes_through_a_link_planted_beside_the_output(template, tmp_path):
    home = copy_home(template, tmp_path / "home")
    victim = _victim(tmp_path)
    out_dir = tmp_path / "videos"
    out_dir.mkdir()
    for planted in (".out.partial.mp4", ".out.partial-x.mp4"):  # the old and a guessed name
        os.symlink(victim, out_dir / planted)
    done = cli(home, "render", "keep", "-o", str(out_dir / "out.mp4"), "--size", "320x240",
               "--speed", "100", "--quiet")
    assert done.code == 0, done.err
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert (out_dir / "out.mp4").is_file() and not (out_dir / "out.mp4").is_symlink()
    assert (out_dir / "out.mp4").stat().st_size > 1000
    left = sorted(p.name for p in out_dir.iterdir())
    assert left == [".out.partial-x.mp4", ".out.partial.mp4", "out.mp4"], left


def test_import_never_writes_through_a_planted_temporary_folder(tmp_path, simulacra_home):
    folder = write_original(tmp_path / "orig")
    saves = simulacra_home / "saves"
    saves.mkdir(parents=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    os.symlink(elsewhere, saves / ".tmp-import-mine")  # the old, guessable temporary name
    done = cli(simulacra_home, "import-original", str(folder), "--name", "mine",
               "--mind", "routine")
    assert done.code == 0, done.err
    assert list(elsewhere.iterdir()) == []  # nothing landed in the link's target
    assert (saves / "mine").is_dir() and not (saves / "mine").is_symlink()
    assert os.path.islink(saves / ".tmp-import-mine")  # not ours: left alone, not renamed
    assert not [p for p in os.listdir(saves) if p.startswith(".tmp-import-mine-")]


def test_replace_file_replaces_links_and_leaves_no_temporary_file(tmp_path):
    victim = _victim(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    os.link(victim, folder / "hard.txt")
    os.symlink(victim, folder / "soft.txt")
    for name in ("hard.txt", "soft.txt", "new.txt"):
        replace_file(folder / name, b"new")
        assert (folder / name).read_bytes() == b"new" and not (folder / name).is_symlink()
    assert victim.read_text(encoding="utf-8") == VICTIM
    assert sorted(os.listdir(folder)) == ["hard.txt", "new.txt", "soft.txt"]


def test_output_path_is_private_and_removed_when_the_writer_fails(tmp_path):
    target = tmp_path / "video.mp4"
    with pytest.raises(RuntimeError), output_path(target) as inner:
        assert oct(os.stat(inner.parent).st_mode & 0o777) == "0o700"
        inner.write_bytes(b"half")
        raise RuntimeError("encoder died")
    assert os.listdir(tmp_path) == []
    a, b = private_dir(tmp_path, ".x-"), private_dir(tmp_path, ".x-")
    assert a != b  # unguessable, never reused
