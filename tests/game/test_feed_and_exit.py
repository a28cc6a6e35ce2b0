"""The event feed's reflections, hover tooltips, and leaving without saving a new fork."""

from __future__ import annotations

from engine.mind_snapshot import MindSnapshot
from game.mind_book import MindBook


def _snap(agent, *reflections):
    return MindSnapshot(agent, 0, reflections=tuple(reflections))


def test_new_reflections_reach_the_feed_once():
    book = MindBook([_snap("A", "old insight"), _snap("B")])  # what was there is not news
    assert book.take_in(_snap("B", "Klaus cares about his research")) == [
        "Klaus cares about his research"]
    assert book.take_in(_snap("B", "Klaus cares about his research")) == []
    assert book.take_in(_snap("C", "first sight")) == []  # an agent's first snapshot
    assert book.inspect_data("B")["reflections"] == ["Klaus cares about his research"]
    assert book.inspect_data("Nobody") == {}


def test_tooltips_name_the_agent_the_object_and_the_building(app):
    from game.app_draw import tooltip_lines

    app.driver.paused = True
    name = app.sim.order[0]
    app.camera.center_on(app.tile_center(app.scene.agent(name).tile_xy))
    app.frame(0.0)
    lines = tooltip_lines(app, app.world.agent_rects[name].center)
    assert lines[0] == name and len(lines) >= 3
    obj = next(o for o in app.world.places.objects if o.name == "bed")
    app.camera.center_on(app.tile_center((obj.x, obj.y)))
    app.frame(0.0)
    app.world.agent_rects = {}
    pos = app.camera.world_to_screen(app.tile_center((obj.x, obj.y)))
    lines = tooltip_lines(app, (int(pos[0]), int(pos[1])))
    assert lines[0] == "bed" and lines[1]


def test_quitting_without_saving_removes_a_fork_never_saved(simulacra_home):
    from game.commands.run import start_session
    from game.window_main import _Fork
    from tests.game.conftest import routine_args

    session = start_session(routine_args(name="never-saved"))
    fork = _Fork(session, made_here=True)
    session.sim.run(3)
    session.close()
    assert session.path.is_dir() and fork.never_saved()
    fork.remove()
    assert not session.path.exists()

    saved = start_session(routine_args(name="saved-once"))
    fork = _Fork(saved, made_here=True)
    saved.sim.run(3)
    saved.save()
    saved.close()
    assert not fork.never_saved()
    loaded = _Fork(saved, made_here=False)
    assert not loaded.never_saved()


def test_the_load_browser_lists_saves_and_switches_to_one(app, simulacra_home):
    import argparse

    from engine.persistence import SaveStore
    from game.app_menu import apply_menu_action
    from game.commands.run import start_session
    from game.menus import MenuAction
    from game.save_browser import list_saves
    from tests.game.conftest import frames_until, routine_args

    other = start_session(routine_args(name="other-town"))
    other.sim.run(6)
    other.save()
    other.close()
    app.list_saves = lambda: list_saves(SaveStore())
    app.open_save = lambda name: start_session(argparse.Namespace(
        **{**vars(routine_args()), "load": name, "fork": None, "name": None}))
    app.open_menu("load")
    entry = next(s for s in app.menu.saves if s.name == "other-town")
    assert entry.agents == 3 and entry.time_text.startswith("Mon Feb 13")
    apply_menu_action(app, MenuAction("load", "other-town"))
    frames_until(app, lambda: app.session.name == "other-town")
    assert app.sim.step == 6 and not app.menu.open
    app.frame(0.1)
    assert app.scene.agents and app.walkers.walkers
    app.session.close()
