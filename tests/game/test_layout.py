"""Nothing the window draws covers anything else: a crowded cafe scene, help vs inspector,
and screenshots of the cafe, the whole town, the agent list and the transcript panel."""

from __future__ import annotations

import os
import shutil
from dataclasses import replace
from pathlib import Path

import pygame
import pytest

from game.label_layout import overlaps
from game.scene import Line, Scene, SceneAgent, SceneConversation
from tests.game.conftest import key

LINES = ("Good morning! Have you heard about the party at Hobbs Cafe on Valentine's Day?",
         "I have, Isabella told me yesterday.", "Coffee first, then the news.",
         "Do you want to come along? We could bring Klaus.", "Sounds lovely.",
         "I'm writing about it for the paper.")
SHOTS = Path("/work/coord/shots")


def _save(screen, tmp_path: Path, name: str) -> Path:
    path = tmp_path / f"{name}.png"
    pygame.image.save(screen, str(path))
    if SHOTS.parent.is_dir() and os.environ.get("SIMULACRA_SHOTS", "1") != "0":
        SHOTS.mkdir(exist_ok=True)
        shutil.copy(path, SHOTS / path.name)
    return path


def _cafe_tiles(app) -> list[tuple[int, int]]:
    rect = next(r for r in app.world.places.arenas if r.name == "cafe"
                and app.world.places.at((r.x + 1, r.y + 1))[0] == "Hobbs Cafe")
    tiles = [(x, y) for y in range(rect.y + 2, rect.y + rect.h - 1)
             for x in range(rect.x + 2, rect.x + rect.w - 1) if app.map_view.walkable((x, y))]
    return tiles


def crowded_cafe(app, count: int = 12) -> Scene:
    """`count` agents on neighbouring cafe tiles, all with an action, most of them talking."""
    tiles = _cafe_tiles(app)
    start = tiles[len(tiles) // 3]
    near = sorted(tiles, key=lambda t: (abs(t[0] - start[0]) + abs(t[1] - start[1]), t))
    names = [a.name for a in app.scene.agents][:count]
    agents = tuple(SceneAgent(name, near[i], "down", "drinking coffee", "☕",
                              "the Ville:Hobbs Cafe:cafe:cafe customer seating",
                              said=LINES[i % len(LINES)] if i % 4 != 3 else None)
                   for i, name in enumerate(names))
    talk = SceneConversation(1, (names[0], names[1]),
                             tuple(Line(names[i % 2], LINES[i]) for i in range(4)),
                             "the Ville:Hobbs Cafe:cafe")
    return Scene(app.scene.step + 1, app.scene.time_iso, agents, conversations=(talk,))


def _show(app, scene: Scene) -> None:
    """Put a scene on screen as the window would take it in from the simulation."""
    app.scenes.pin(scene)
    app._take_in(scene)
    app.walkers.snap(scene.agents)
    for agent in scene.agents:
        if agent.said:
            app.bubbles.say(agent.name, agent.said, app.now_s)


@pytest.fixture
def town(screen, simulacra_home):
    from game.app import App
    from game.commands.run import start_session
    from tests.game.conftest import routine_args

    pygame.display.set_mode((1280, 720))
    session = start_session(routine_args(fork="base_the_ville_n25"))
    application = App(session, pygame.display.get_surface())
    application.driver.paused = True
    yield application
    application.close()
    session.close()


def test_crowded_cafe_labels_never_overlap(town, tmp_path):
    """Issue 22: in a crowd no emoji or name tag covers another agent, bubbles cover nobody,
    and the two speakers of a conversation share one thread card pointing at both."""
    scene = crowded_cafe(town)
    _show(town, scene)
    town.camera.zoom = 2.0
    center = scene.agents[0].tile_xy
    town.camera.center_on(town.tile_center(center))
    town.frame(0.0)
    placed = town.world.placements
    sprites = town.world.agent_rects
    tags = {n: p.tag for n, p in placed.items() if p.tag is not None}
    bubbles = {n: p.bubble for n, p in placed.items() if p.bubble is not None}
    emoji = {n: p.emoji for n, p in placed.items() if p.emoji is not None}
    assert len(tags) >= 4 and len(bubbles) >= 4 and len(emoji) >= 4  # 12 on a packed block
    assert overlaps(list(tags.values()) + list(bubbles.values())) == []
    assert overlaps(list(emoji.values())) == []
    for name, rect in list(tags.items()) + list(emoji.items()):
        others = [r for n, r in sprites.items() if n != name]
        assert rect.collidelist(others) < 0, f"{name}'s tag or emoji covers another agent"
    pair = scene.conversations[0].participants
    thread = f"talk:{min(pair)}|{max(pair)}"
    assert thread in bubbles and not set(pair) & set(bubbles), "one card for the pair"
    for name, bubble in bubbles.items():
        assert bubble.collidelist(list(emoji.values())) < 0, name
        owners = pair if name == thread else (name,)
        others = [r for n, r in sprites.items() if n not in owners]
        assert bubble.collidelist(others) < 0, name
        assert bubble.collidelist(town.layout.keep_out()) < 0, name
    for tag in tags.values():
        assert tag.collidelist(list(emoji.values())) < 0
    tails = town.world.tails  # every bubble, however far the layout moved it, points home
    assert set(tails) == set(bubbles)
    for name, tail in tails.items():
        speaker = pair[0] if name == thread else name
        _assert_tail_reaches(tail, bubbles[name], _head(town, speaker, placed[speaker]))
    _save(town.screen, tmp_path, "crowded_cafe")
    town.camera.zoom = 1.0
    town.frame(0.0)
    placed = town.world.placements.values()
    rects = [p.tag for p in placed if p.tag] + [p.bubble for p in placed if p.bubble]
    assert overlaps(rects) == []


def test_ui_never_covers_the_map_and_signs_keep_clear(town):
    """The map is drawn only below the top bar; at whole-town zoom no minimap covers it;
    building names never overlap each other or an agent."""
    scene = crowded_cafe(town)
    _show(town, scene)
    for zoom in (2.0, 1.0):
        town.camera.zoom = zoom
        town.camera.center_on(town.tile_center(scene.agents[0].tile_xy))
        town.frame(0.0)
        _, top, _, _ = town.camera.map_rect
        assert top >= town.layout.bar.bottom
        assert town.camera.world_to_screen((0, 0))[1] >= top - 0.5 or \
            town.camera.center_world_px[1] > 0
        signs = town.world.label_rects
        assert overlaps(signs) == []
        for sign in signs:
            assert sign.collidelist(list(town.world.agent_rects.values())) < 0
            assert not sign.colliderect(town.layout.bar)
    key(town, pygame.K_z)
    town.frame(0.0)
    assert town.camera.whole_town and town.layout.minimap is None
    mw, mh = town.map_view.size_px
    assert town.camera.world_to_screen((0, 0))[1] >= town.layout.bar.bottom - 0.5
    heads = list(town.world.agent_rects.values())
    assert heads and all(h.w >= 14 for h in heads), "portrait heads, not dots"


def _head(town, name, placement) -> pygame.Rect:
    sprite = town.world.agent_rects[name]
    head = pygame.Rect(sprite.x, sprite.y, sprite.w, max(4, sprite.h // 3))
    return head.union(placement.emoji) if placement.emoji is not None else head


def _assert_tail_reaches(tail, bubble: pygame.Rect, head: pygame.Rect) -> None:
    """The wedge sits on the bubble's edge and the tail ends on the speaker's head."""
    inner = bubble.inflate(-2, -2)
    base = [(p[0], p[1]) for p in tail.wedge[:2]]
    assert all(bubble.collidepoint(p) for p in base), (tail, bubble)
    assert not inner.inflate(-4, -4).collidepoint(tail.tip), "the wedge points out of the bubble"
    end = tail.leader[1] if tail.leader else tail.tip
    assert head.inflate(6, 6).collidepoint(end), (tail, head)
    if not head.inflate(4, 4).colliderect(bubble):
        assert tail.leader is not None or head.inflate(6, 6).collidepoint(tail.tip)


@pytest.mark.parametrize("direction", [(0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1),
                                       (-1, 0), (-1, -1)])
def test_a_bubble_keeps_a_visible_tail_at_every_displacement(screen, direction):
    from game import bubbles as draw
    from game import ui

    head = pygame.Rect(0, 0, 20, 30)
    head.center = (480, 270)
    grass = (70, 130, 60)
    for distance in (0, 6, 20, 60, 140, 240):
        bubble = pygame.Rect(0, 0, 150, 42)
        bubble.center = head.center
        bubble.move_ip(direction[0] * (bubble.w // 2 + head.w // 2 + distance),
                       direction[1] * (bubble.h // 2 + head.h // 2 + distance))
        tail = draw.tail_for(bubble, head)
        _assert_tail_reaches(tail, bubble, head)
        canvas = pygame.Surface((960, 540))
        canvas.fill(grass)
        draw.draw_leader(canvas, tail, 1.0)
        pygame.draw.rect(canvas, ui.BUBBLE_BG, bubble)
        draw.draw_wedge(canvas, tail, 1.0, False)
        end = tail.leader[1] if tail.leader else tail.tip
        assert canvas.get_at(end)[:3] != grass, (direction, distance)
        assert canvas.get_at(tail.tip)[:3] != grass, (direction, distance)
        if tail.leader is not None:  # the whole line shows, not just its ends
            (ax, ay), (bx, by) = tail.leader
            for f in (0.25, 0.5, 0.75):
                point = (round(ax + (bx - ax) * f), round(ay + (by - ay) * f))
                assert canvas.get_at(point)[:3] != grass, (direction, distance, f)


def test_help_and_inspector_never_overlap(town):
    for size in ((1280, 720), (800, 600), (640, 480)):
        pygame.display.set_mode(size)
        town.screen = pygame.display.get_surface()
        town.select(town.scene.agents[0].name)
        if not town.show_help:
            key(town, pygame.K_F1)
        town.frame(0.0)
        assert town.help_rect is not None
        if town.layout.inspector is not None:
            assert not town.help_rect.colliderect(town.layout.inspector), size
        assert town.layout.inspector is None or town.layout.inspector.right <= size[0]
        key(town, pygame.K_F1)
        assert town.help_rect is None and town.layout.inspector is not None
        assert town.screen.get_rect().contains(town.layout.inspector), size


def test_whole_town_agent_list_and_transcript_shots(town, tmp_path):
    scene = crowded_cafe(town, count=6)
    _show(town, scene)
    later = replace(scene, step=scene.step + 1, conversations=(), by_name={})
    town.scenes.pin(later)
    town._take_in(later)  # the conversation ended: the feed has a start and an end
    kinds = [e.kind for e in town.feed.events]
    assert kinds.count("talk-start") == 1 and kinds.count("talk-end") == 1
    key(town, pygame.K_z)
    assert town.camera.whole_town
    mw, mh = town.map_view.size_px
    left, top = town.camera.top_left_world_px()
    assert left <= 0 and top <= 0
    assert (mw - left) * town.camera.zoom <= 1280 + 1
    free = town.layout.free_area  # the inspector is open: the town fits beside it
    assert town.camera.world_to_screen((mw, mh))[0] <= free.right + 1
    assert town.camera.world_to_screen((0, 0))[0] >= free.left - 1
    assert town.world.label_rects, "building names are drawn at the whole-town zoom"
    _save(town.screen, tmp_path, "whole_town")
    key(town, pygame.K_z)
    key(town, pygame.K_l)
    assert town.side.tab == "agents"
    row = next(r for r, hit in town.side._hits if hit.kind == "agent"
               and hit.value == scene.agents[2].name)
    for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
        pygame.event.post(pygame.event.Event(kind, button=1, pos=row.center))
    town.frame(0.0)
    assert town.selected == scene.agents[2].name
    _save(town.screen, tmp_path, "agent_list")
    town.select(scene.agents[0].name)
    key(town, pygame.K_t)
    assert town.side.tab == "talk"
    transcript = town.feed.transcripts_for(scene.agents[0].name)
    assert transcript and len(transcript[0].lines) == 4
    _save(town.screen, tmp_path, "transcript")


def test_long_notices_stay_off_the_chat_line_and_the_top_bar_off_agents(town, tmp_path):
    pygame.display.set_mode((800, 600))
    town.screen = pygame.display.get_surface()
    name = town.scene.agents[0].name
    town.select(name)
    town.notify("Saved video (1234 frames) /home/someone/.local/share/simulacra/videos/"
                "the_ville_n25-1-2023-02-13-07-00-00-a-very-long-name.mp4")
    town.frame(0.0)
    drawn = town.notices.draw(town.screen, town.fonts, town.now_s, town.layout.notice_area())
    assert drawn and all(not r.colliderect(town.layout.inspector) for r in drawn)
    assert all(town.screen.get_rect().contains(r) for r in drawn)
    _save(town.screen, tmp_path, "inspector_800x600")
    top = replace(town.scene.agents[0], tile_xy=(20, 0))  # on the map's top row
    _show(town, replace(town.scene, agents=(top,) + town.scene.agents[1:], by_name={}))
    town.select(None)
    town.camera.center_on(town.tile_center(top.tile_xy))
    town.camera.center_on((town.camera.center_world_px[0], 0))  # as far up as it goes
    town.frame(0.0)
    assert town.world.agent_rects[top.name].top >= town.layout.bar.bottom
