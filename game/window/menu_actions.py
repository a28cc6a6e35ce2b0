"""What the pause menu's choices do to the app: save, load another save, settings, quit."""

from __future__ import annotations

from game.window.menus import MenuAction, next_scale
from game.window.sim_driver import SPEEDS


def apply_menu_action(app, action: MenuAction) -> None:
    kind = action.kind
    if kind == "resume":
        app.menu.close()
    elif kind == "page" and action.value == "load":
        app.open_menu("load")
    elif kind == "save":
        app.driver.save()
        app.menu.close()
    elif kind == "load":
        _load(app, str(action.value))
    elif kind == "quit-save":
        if app.driver.save_request is None:
            app.driver.save_for_quit()
    elif kind == "quit-now":
        app.quit_now()
    elif kind == "setting":
        _setting(app, str(action.value))


def _setting(app, which: str) -> None:
    settings = app.settings
    if which == "name_tags":
        settings.name_tags = not settings.name_tags
    elif which == "ui_scale":
        settings.ui_scale = next_scale(settings.ui_scale)
        app.fonts.set_scale(settings.ui_scale)
    elif which == "speed":
        settings.speed_index = (settings.speed_index + 1) % len(SPEEDS)
        app.driver.set_speed(settings.speed_index)


def _load(app, name: str) -> None:
    """Open another save on the disk worker; the window switches to it when it is ready."""
    if app.open_save is None:
        app.notify("Loading other saves is not available here")
        return
    app.menu.close()
    app.notify(f"Loading {name}…")

    def done(session, error) -> None:
        if error is not None:
            app.notify(f"Could not load {name}: {error}")
            return
        app.switch_session(session)
        app.notify(f"Loaded {name} at step {session.sim.step}")

    app.jobs.submit(app.open_save, done, name)
