"""The window on the live clock: the town goes on past due decisions, "planning n/N" shows
until the first plans are in whatever the camera follows, and the speed shown is measured."""

from __future__ import annotations

import time

from game.watch import planning_text


def test_the_town_goes_on_past_due_plans_and_planning_progress_stays_shown(screen, tmp_path):
    from engine.persistence import SaveStore
    from engine.settings import DecisionLatency
    from game.app import App
    from game.frame_bench import open_bench_session

    store = SaveStore(saves_root=tmp_path / "saves")
    session = open_bench_session(store, "live", slow_decide_s=30.0, workers=3,
                                 base="base_the_ville_isabella_maria_klaus", clock="live")
    app = App(session, screen)
    try:
        app.set_speed(4)  # max
        started = time.perf_counter()
        while app.sim.step <= DecisionLatency().start + 10 and time.perf_counter() - started < 20:
            app.frame(1 / 60)
        assert app.sim.step > DecisionLatency().start + 10  # past the due plans: no wait
        assert not app.watcher.active  # the camera follows someone by now
        assert planning_text(app.sim) == "planning 0/3"
        assert all(a.name in app.scene.thinking for a in app.scene.agents)
    finally:
        app.close()
        session.close()


def test_the_speed_shown_at_max_is_the_measured_one(app):
    app.set_speed(4)
    for _ in range(3):
        app.frame(1 / 60)  # the first step computes path fields: not part of the measure
    marks = []
    started = last = time.perf_counter()
    while time.perf_counter() - started < 3.0:
        now = time.perf_counter()
        app.frame(now - last)
        last = now
        marks.append((time.perf_counter(), app.sim.step))
    end, step = marks[-1]
    window = [s for t, s in marks if end - t <= 2.0]
    measured = (step - window[0]) / 2.0
    assert step - marks[0][1] >= 3
    shown = app.driver.steps_per_s()
    assert shown > 0 and 0.5 * measured <= shown <= 2.0 * measured + 1.0
