"""The player on the command line: `run` adds one only when asked, a save keeps it, `--no-player`
leaves it out, and a bad flag or a hand-edited bad player entry is one error line, exit 2, with
the save left byte for byte."""

from __future__ import annotations

import json

from reliability_helpers import N3, assert_refused, cli, fingerprint


def _run(home, *extra):
    return cli(home, "run", "--steps", "5", "--mind", "routine", "--quiet", "--autosave-min", "0",
               *extra)


def _world(home, name):
    return json.loads((home / "saves" / name / "world.json").read_text(encoding="utf-8"))


def test_headless_run_has_no_player_unless_asked_and_a_save_keeps_it(tmp_path):
    home = tmp_path / "home"
    assert _run(home, "--fork", N3, "--name", "plain").code == 0
    assert "player" not in _world(home, "plain")  # headless: no player by default
    done = _run(home, "--fork", N3, "--name", "played", "--player-name", "Robin Hood",
                "--player-sprite", "klaus_mueller")
    assert done.code == 0, done.err
    assert _world(home, "played")["player"]["name"] == "Robin Hood"
    meta = json.loads((home / "saves" / "played" / "meta.json").read_text(encoding="utf-8"))
    assert meta["extra"]["player"] == {"name": "Robin Hood", "sprite": "klaus_mueller"}
    assert _run(home, "--load", "played").code == 0  # kept on load
    assert _world(home, "played")["player"]["sprite"] == "klaus_mueller"
    assert _run(home, "--load", "played", "--no-player").code == 0  # left out, saved without
    assert "player" not in _world(home, "played")


def test_bad_player_flags_are_one_line(tmp_path):
    home = tmp_path / "home"
    assert_refused(_run(home, "--fork", N3, "--player-sprite", "nobody"), "--player-sprite",
                   "nobody")
    assert_refused(_run(home, "--fork", N3, "--name", "twin", "--player-name", "Klaus Mueller"),
                   "player")
    assert_refused(_run(home, "--fork", N3, "--no-player", "--player-name", "Robin"),
                   "--no-player")


def test_a_hand_edited_bad_player_entry_is_one_line_and_the_save_is_untouched(tmp_path):
    home = tmp_path / "home"
    assert _run(home, "--fork", N3, "--name", "edited", "--player-name", "Robin Hood").code == 0
    path = home / "saves" / "edited" / "world.json"
    for bad in ({"name": "", "sprite": "x"}, "Robin", {"name": "Robin Hood", "sprite": "x",
                                                       "body": 3}):
        world = json.loads(path.read_text(encoding="utf-8"))
        world["player"] = bad
        path.write_text(json.dumps(world), encoding="utf-8")
        before = fingerprint(home / "saves" / "edited")
        assert_refused(_run(home, "--load", "edited"), "edited", "player")
        assert fingerprint(home / "saves" / "edited") == before
