"""A save from someone else cannot run code, read or write outside its folder, or damage other
saves: links, special files, odd names, a meta that names another save, persona names used as
paths, maps outside the folder, pickled arrays and huge files are all refused with one line."""

from __future__ import annotations

import json
import os
import shutil
import threading

import numpy as np
import pytest
from reliability_helpers import assert_refused, cli, copy_home, fingerprint, make_template

from engine import safe_io
from engine.errors import UserError


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("sharing"))


@pytest.fixture
def home(template, tmp_path):
    return copy_home(template, tmp_path / "home")


@pytest.fixture
def outside(tmp_path):
    """A file outside every save, standing in for the user's shell start-up file."""
    path = tmp_path / "bashrc"
    path.write_text("export SAFE=1\n", encoding="utf-8")
    return path


def save_dir(home):
    return home / "saves" / "keep"


def run_keep(home, *extra):
    return cli(home, "run", "--load", "keep", "--steps", "5", "--mind", "routine", "--quiet",
               "--autosave-min", "0", *extra)


def edit_meta(home, save="keep", **changes):
    path = home / "saves" / save / "meta.json"
    meta = json.loads(path.read_text(encoding="utf-8"))
    meta.update(changes)
    path.write_text(json.dumps(meta), encoding="utf-8")


# ------------------------------------------------------------------ links and special files

@pytest.mark.parametrize("link", ["runlog.jsonl.tmp", "runlog.jsonl", "world.json",
                                  "minds/klaus_mueller.json", "personas/maria_lopez.json",
                                  "history.csv", "extra/notes.txt"])
def test_a_link_anywhere_in_a_save_is_refused_and_its_target_untouched(home, outside, link):
    target = save_dir(home) / link
    target.parent.mkdir(exist_ok=True)
    if target.exists():
        target.unlink()
    target.symlink_to(outside)
    before = fingerprint(home / "saves"), outside.read_bytes()
    done = run_keep(home)
    assert_refused(done, "symbolic link", link.split("/")[-1])
    assert (fingerprint(home / "saves"), outside.read_bytes()) == before


def test_a_linked_folder_inside_a_save_is_refused(home, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    shutil.move(str(save_dir(home) / "minds"), elsewhere)
    (save_dir(home) / "minds").symlink_to(elsewhere, target_is_directory=True)
    before = fingerprint(elsewhere)
    assert_refused(run_keep(home), "symbolic link", "minds")
    assert fingerprint(elsewhere) == before


def test_a_save_that_is_itself_a_link_is_refused(home, tmp_path):
    moved = tmp_path / "real-keep"
    shutil.move(str(save_dir(home)), moved)
    save_dir(home).symlink_to(moved, target_is_directory=True)
    before = fingerprint(moved)
    assert_refused(run_keep(home), "symbolic link")
    assert fingerprint(moved) == before


def test_a_named_pipe_in_a_save_is_refused_without_blocking(home):
    os.mkfifo(save_dir(home) / "world.json.fifo")
    done = {}
    worker = threading.Thread(target=lambda: done.setdefault("r", run_keep(home)), daemon=True)
    worker.start()
    worker.join(30)
    assert "r" in done, "loading a save with a FIFO blocked"
    assert_refused(done["r"], "named pipe")


def test_a_link_planted_after_the_check_is_not_followed(tmp_path, outside):
    folder = tmp_path / "save"
    folder.mkdir()
    (folder / "meta.json").symlink_to(outside)
    with pytest.raises(UserError, match="symbolic link"):
        safe_io.read_bytes(folder, "meta.json", "save", 1000)
    with pytest.raises(FileExistsError):
        safe_io.write_new(folder, "meta.json", b"overwritten")
    (folder / "sub").symlink_to(tmp_path, target_is_directory=True)
    with pytest.raises(UserError, match="not a plain folder"):
        safe_io.write_new(folder, "sub/new.json", b"x")
    assert not (tmp_path / "new.json").exists()
    assert outside.read_text(encoding="utf-8") == "export SAFE=1\n"


@pytest.mark.parametrize("relative", ["../x", "/etc/passwd", "a/../../b", "", "a//b", "C:x"])
def test_relative_paths_that_leave_the_folder_are_refused(tmp_path, relative):
    with pytest.raises(UserError, match="inside its folder"):
        safe_io.read_bytes(tmp_path, relative, "save", 10)


# ------------------------------------------------------------------ identity and names

def test_a_copied_save_writes_only_into_its_own_folder(home):
    shutil.copytree(save_dir(home), home / "saves" / "keep-backup")
    before = fingerprint(save_dir(home))
    done = cli(home, "run", "--load", "keep-backup", "--steps", "5", "--mind", "routine",
               "--quiet", "--autosave-min", "0")
    assert done.code == 0, done.err
    assert fingerprint(save_dir(home)) == before
    meta = json.loads((home / "saves" / "keep-backup" / "meta.json").read_text("utf-8"))
    assert meta["name"] == "keep-backup" and meta["step"] == 25


def test_a_meta_naming_another_save_cannot_overwrite_it(home):
    shutil.copytree(save_dir(home), home / "saves" / "victim")
    shutil.copytree(save_dir(home), home / "saves" / "intruder")
    edit_meta(home, "intruder", name="victim")
    before = fingerprint(home / "saves" / "victim")
    done = cli(home, "run", "--load", "intruder", "--steps", "5", "--mind", "routine",
               "--quiet", "--autosave-min", "0")
    assert done.code == 0, done.err
    assert fingerprint(home / "saves" / "victim") == before


@pytest.mark.parametrize("persona", ["../../outside", "/tmp/outside", "..", "a/../../b", "   "])
def test_persona_names_are_never_paths(home, persona):
    # A valid persona file where "personas/../../outside.json" would lead: once read by path,
    # the save then wrote "minds/../../outside.json" over it.
    outside = home / "saves" / "outside.json"
    klaus = json.loads((save_dir(home) / "personas" / "klaus_mueller.json").read_text("utf-8"))
    klaus["name"] = persona
    outside.write_text(json.dumps(klaus), encoding="utf-8")
    edit_meta(home, personas=[persona, "Maria Lopez", "Isabella Rodriguez"])
    before = fingerprint(home / "saves")
    assert_refused(run_keep(home), "save 'keep'")
    assert fingerprint(home / "saves") == before


@pytest.mark.parametrize("name", ["../../outside", "/etc/passwd", "a\\b", "C:x", "..", "x\x00y",
                                  "Zoë O'Brien", "∕etc∕x"])
def test_persona_file_names_are_safe_slugs(name):
    from engine.personas import persona_slug

    try:
        stem = persona_slug(name)
    except UserError as exc:
        assert "cannot be used" in str(exc)
        return
    assert stem and "/" not in stem and "\\" not in stem and ".." not in stem
    assert ":" not in stem and "\x00" not in stem and not stem.startswith(".")


def _ville_copy(folder):
    from engine import paths

    shutil.copytree(paths.maps_dir() / "the_ville", folder)
    return folder


@pytest.mark.parametrize("map_ref,problem", [
    ("/etc/passwd.tmx", "inside the save folder"),
    ("../../other/the_ville.tmx", "inside the save folder"),
    ("a/../../x.tmx", "inside the save folder"),
    ("../the_ville", "is not a map name"),
    ("/abs", "is not a map name"),
])
def test_a_map_outside_the_save_folder_is_refused(home, map_ref, problem):
    _ville_copy(home / "other")  # a readable map where "../../other/the_ville.tmx" leads
    edit_meta(home, map=map_ref)
    assert_refused(run_keep(home), "meta.json", "map", problem)


def test_a_map_whose_tileset_lives_outside_the_folder_is_refused(home, tmp_path):
    from engine import paths

    tmx = (paths.maps_dir() / "the_ville" / "the_ville.tmx").read_text(encoding="utf-8")
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG not really")
    tmx = tmx.replace('source="tilesets/ville_terrain.png"', f'source="{secret}"')
    (save_dir(home) / "town.tmx").write_text(tmx, encoding="utf-8")
    edit_meta(home, map="town.tmx")
    assert_refused(run_keep(home), "tileset image", "inside the map's folder")


def test_a_map_with_entities_is_refused(home):
    (save_dir(home) / "town.tmx").write_text(
        '<?xml version="1.0"?><!DOCTYPE map [<!ENTITY a "aaaa">]><map>&a;</map>',
        encoding="utf-8")
    edit_meta(home, map="town.tmx")
    assert_refused(run_keep(home), "DOCTYPE")


# ------------------------------------------------------------------ arrays and sizes

def test_a_pickled_object_array_never_runs_code(home, tmp_path):
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    array = np.empty(1, dtype=object)
    array[0] = Evil()
    with open(save_dir(home) / "minds" / "evil.0.npy", "wb") as handle:
        np.save(handle, array, allow_pickle=True)
    path = save_dir(home) / "minds" / "klaus_mueller.json"
    mind = json.loads(path.read_text(encoding="utf-8"))
    mind["planted"] = {"__npy__": "evil.0.npy"}
    path.write_text(json.dumps(mind), encoding="utf-8")
    assert_refused(run_keep(home), "evil.0.npy", "object")
    assert not marker.exists()


def test_an_array_whose_header_lies_about_its_size_is_refused(home):
    array_path = save_dir(home) / "minds" / "huge.0.npy"
    header = {"descr": "<f4", "fortran_order": False, "shape": (10**9, 10**3)}
    with open(array_path, "wb") as handle:
        np.lib.format.write_array_header_1_0(handle, header)
        handle.write(b"\0" * 64)
    path = save_dir(home) / "minds" / "klaus_mueller.json"
    mind = json.loads(path.read_text(encoding="utf-8"))
    mind["planted"] = {"__npy__": "huge.0.npy"}
    path.write_text(json.dumps(mind), encoding="utf-8")
    assert_refused(run_keep(home), "huge.0.npy", "shorter than its header")


@pytest.mark.parametrize("header", [b"{'descr': '<f8', 'fortran_order': False, 'shape': (4,",
                                    b"{'descr': '<f8', 'fortran_order': False, 'shape': (4,), '"])
def test_an_array_with_a_broken_header_is_refused_with_one_line(home, header):
    padded = header + b" " * (118 - len(header)) + b"\n"  # unbalanced: numpy's tokenizer fails
    (save_dir(home) / "minds" / "broken.0.npy").write_bytes(
        b"\x93NUMPY\x01\x00" + len(padded).to_bytes(2, "little") + padded + b"\0" * 32)
    path = save_dir(home) / "minds" / "klaus_mueller.json"
    mind = json.loads(path.read_text(encoding="utf-8"))
    mind["planted"] = {"__npy__": "broken.0.npy"}
    path.write_text(json.dumps(mind), encoding="utf-8")
    assert_refused(run_keep(home), "broken.0.npy", "not a .npy array")


@pytest.mark.parametrize("name,size_mib", [("meta.json", 2), ("world.json", 600)])
def test_huge_files_are_refused_not_read(home, name, size_mib):
    with open(save_dir(home) / name, "r+b") as handle:
        handle.truncate(size_mib * 1024 * 1024)  # sparse: costs no disk
    assert_refused(run_keep(home), name, "limit")


def test_a_broken_shared_save_leaves_every_other_save_alone(home, outside):
    shutil.copytree(save_dir(home), home / "saves" / "shared")
    (home / "saves" / "shared" / "runlog.jsonl.tmp").symlink_to(outside)
    before = fingerprint(save_dir(home)), outside.read_bytes()
    assert_refused(cli(home, "run", "--load", "shared", "--steps", "3", "--mind", "routine",
                       "--quiet"), "symbolic link")
    listing = cli(home, "list")
    assert listing.code == 0 and "shared" in listing.out and "broken" in listing.out
    assert (fingerprint(save_dir(home)), outside.read_bytes()) == before
