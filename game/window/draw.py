"""One frame of the window, in layers: the town (from the scene), the minimap, the top bar,
the side panel, the inspector, tooltips, notices, help and the pause menu. Each part draws
inside the rectangle `ScreenLayout` gave it, so none draws over another."""

from __future__ import annotations

from dataclasses import replace

import pygame

from engine.agent_api import HERE
from game.view import hud
from game.view import ui
from game.window.sim_driver import SPEED_NAMES
from game.window.watch import planning_text
from game.view.world_view import ViewState


def draw_frame(app, show_agents: bool = True) -> None:
    surface = app.screen
    layout = app.layout
    layout.plan(surface.get_size(), app.side.open, app.selected is not None, app.show_help)
    app.camera.set_side_insets(layout.free_area.left,
                               surface.get_width() - layout.free_area.right)
    # The whole town is the minimap already: it is hidden there, so it covers no house.
    minimap = app.map_view.minimap(layout.minimap_w) \
        if layout.minimap_w and not app.camera.whole_town else None
    if minimap is not None:
        layout.minimap = minimap.get_rect(bottomleft=(12, surface.get_height() - 12)).inflate(
            10, 10)
    view = ViewState(app.now_s, app.selected, app.settings.name_tags, show_agents,
                     layout.keep_out())
    app.world.draw(surface, app.camera, app.scene, app.cast, app.walkers, app.bubbles, view)
    if minimap is not None:
        dots = [(app.walkers.tile_xy(a.name, app.now_s), a.name == app.selected)
                for a in app.scene.agents if a.name in app.walkers.walkers]
        hud.draw_minimap(surface, minimap, app.camera, dots, app.map_view.tile_px)
    app.hud_hits = {}
    hud.draw_status(surface, app.fonts, _stats(app), app.hud_hits)
    if layout.side is not None:
        app.side.draw(surface, layout.side, app.scene, app.cast, app.feed, app.selected,
                      app.world.bank.portrait)
    if layout.inspector is not None:
        persona = app.sim.personas[app.selected]
        data = app.minds.inspect_data(app.selected)  # the snapshot from the records
        app.inspector.draw(surface, persona, _placed(app, app.scene.agent(app.selected)), data,
                           app.minds.version, app.world.bank.portrait(persona.sprite),
                           app.chat, app.now_s, layout.inspector)
    if not app.menu.open and not app.show_help:
        _tooltip(app, surface)
    app.notices.draw(surface, app.fonts, app.now_s, layout.notice_area())
    app.help_rect = hud.draw_help(surface, app.fonts, layout.free_area, app.walk.help_rows()) \
        if app.show_help else None
    if app.menu.open:
        app.menu.busy_text = "Saving…" if app.driver.busy_text == "saving…" else ""
        app.menu.draw(surface, app.settings, _speed_names())


def _speed_names():
    return SPEED_NAMES


def _stats(app) -> hud.HudStats:
    scene = app.scene
    step = app.sim.step  # steps done (what saves report), one past the newest record's step
    return hud.HudStats(
        time_text=app.sim.clock.time_at(step).strftime("%a %b %d  %H:%M"),
        step=step, speed_text=app.driver.speed_text,
        paused=app.driver.paused or app.holding, thinking=len(scene.thinking),
        model_text=app.rates.text(app.now_s), errors=scene.errors, fps=app.fps,
        serious_errors=app.feed.serious,
        recording=app.recorder is not None, busy_text=_busy(app),
        steps_s=app.driver.steps_per_s(), planning_text=planning_text(app.sim))


def _busy(app) -> str:
    if app.paused_chat.busy:
        return "answering…"
    return app.driver.busy_text


def _tooltip(app, surface: pygame.Surface) -> None:
    pos = app.input.mouse_pos
    if pos is None or not surface.get_rect().collidepoint(pos):
        return
    layout = app.layout
    if any(r.collidepoint(pos) for r in layout.keep_out()):
        return
    lines = tooltip_lines(app, pos)
    hud.draw_tooltip(surface, app.fonts, lines, pos, layout.keep_out())


def tooltip_lines(app, pos) -> list[str]:
    """What is under the mouse: an agent (name, action, place), else the object and room."""
    name = app.world.pick(pos)
    if name is not None:
        agent = app.scene.agent(name)
        lines = [name, f"{agent.emoji} {agent.action}".strip() or "—",
                 ui.place_name(agent.address)]
        if agent.talking_to:
            lines.append(f"talking with {agent.talking_to}")
        return lines
    world = app.camera.screen_to_world(pos)
    tile = (int(world[0] // app.map_view.tile_px), int(world[1] // app.map_view.tile_px))
    sector, arena, obj = app.world.places.at(tile)
    if obj:
        return [obj, " · ".join(p for p in (sector, arena) if p)]
    if sector:
        return [sector] + ([arena] if arena else [])
    return []


def _placed(app, agent):
    """The agent with an action done "here" (chatting, waiting) placed in the room it stands
    in, so the inspector names where that is."""
    if agent is None or agent.address != HERE:
        return agent
    return replace(agent, address=app.sim.town.area_of(agent.tile_xy))
