"""Draws the town from a `Scene`: map layers, building names, agents in their poses, then
emoji, name tags and speech bubbles placed by the layout pass so none covers another.

`WorldView.draw(surface, camera, scene, cast, walkers, bubbles, view)` reads nothing live: the
window, the replay and the headless render all call it with a scene. It needs no open window
(pygame surfaces only), so it imports and runs under SDL's dummy driver.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pygame

from game import bubbles as bubble_draw
from game import ui
from game.bubbles import Bubbles
from game.camera import Camera
from game.fonts import Fonts, ellipsize
from game.label_layout import LabelPlacement, LabelRequest, layout
from game.map_places import MapPlaces, pose_for
from game.map_view import ABOVE, BELOW, MapView
from game.scene import CastMember, Scene
from game.sprites import SpriteBank, Walkers, sprite_rect, walk_frame
from game.threads import threads

WHOLE_TOWN_HEAD_PX = 18
NEIGHBOURS = ((0, 1), (0, -1), (-1, 0), (1, 0))
FACE_UP_KINDS = ("desk", "computer", "piano", "game console", "blackboard")
FACING_TOWARDS = {(0, 1): "up", (0, -1): "down", (-1, 0): "right", (1, 0): "left"}


@dataclass
class ViewState:
    """The window's choices that change the picture (not the town)."""

    now_s: float = 0.0
    selected: str | None = None
    show_tags: bool = True
    show_agents: bool = True
    keep_out: list[pygame.Rect] = field(default_factory=list)  # bars and open panels


@dataclass
class Drawn:
    """Where an agent went on screen this frame."""

    name: str
    rect: pygame.Rect  # the sprite as drawn
    pose: str


class WorldView:
    """Map + agents; remembers where each agent was drawn for mouse picking."""

    def __init__(self, map_view: MapView, bank: SpriteBank, fonts: Fonts):
        self.map = map_view
        self.bank = bank
        self.fonts = fonts
        self.places = MapPlaces(map_view.tmx, map_view.tile_px)
        self.agent_rects: dict[str, pygame.Rect] = {}
        self.placements: dict[str, LabelPlacement] = {}
        self.tails: dict[str, bubble_draw.Tail] = {}  # each placed bubble's pointer
        self.label_rects: list[pygame.Rect] = []  # building names drawn this frame
        self._speech_cache: dict[tuple, pygame.Surface] = {}
        self._small_cache: dict[tuple, pygame.Surface | None] = {}  # tags, emoji, names
        self._buildings = self.places.building_labels()

    def draw(self, surface: pygame.Surface, camera: Camera, scene: Scene,
             cast: dict[str, CastMember], walkers: Walkers, bubbles: Bubbles,
             view: ViewState) -> None:
        surface.fill(ui.BACKDROP)
        clip = surface.get_clip()
        surface.set_clip(pygame.Rect(camera.map_rect).clip(clip))  # never under the top bar
        self.map.draw(surface, camera, BELOW)
        self.agent_rects = {}
        drawn: list[Drawn] = []
        if view.show_agents:
            drawn = self._draw_sprites(surface, camera, scene, cast, walkers, view)
        self.map.draw(surface, camera, ABOVE)
        # Names keep off agents and the badge spot above each head, so no emoji covers one.
        heads = [d.rect.inflate(8, 0).union(d.rect.move(0, -round(16 * max(1.0, camera.zoom))))
                 for d in drawn]
        self._draw_building_names(surface, camera, view.keep_out + heads)
        self.placements, self.tails = {}, {}
        if view.show_agents:
            self._draw_overlays(surface, camera, scene, cast, bubbles, view, drawn)
        surface.set_clip(clip)

    # ------------------------------------------------------------------ sprites and poses

    def bed_for(self, agent):
        """The bed a sleeper lies in: the one under it, else one beside it (still arriving)."""
        tx, ty = agent.tile_xy
        for dx, dy in ((0, 0),) + NEIGHBOURS:
            obj = self.places.object_at((tx + dx, ty + dy))
            if obj is not None and pose_for(obj.name) == "lie":
                return obj
        return None

    def pose_of(self, agent, moving: bool) -> tuple[str, tuple[int, int] | None]:
        """How an agent rests on its tile: pose and, for "beside", the direction it stands off."""
        if moving:
            return "stand", None
        if agent.sleeping and self.bed_for(agent) is not None:
            return "lie", None
        obj = self.places.object_at(agent.tile_xy)
        pose = pose_for(obj.name if obj else None)
        if pose == "lie" and not agent.sleeping:
            pose = "sit"
        if agent.sleeping and pose != "lie":
            pose = "stand"
        if pose == "beside":
            tx, ty = agent.tile_xy
            for dx, dy in NEIGHBOURS:
                spot = (tx + dx, ty + dy)
                if self.map.walkable(spot) and self.places.object_at(spot) is None:
                    return "beside", (dx, dy)
            return "stand", None
        return pose, None

    def _faces_work(self, agent) -> bool:
        obj = self.places.object_at(agent.tile_xy)
        return obj is not None and any(w in obj.name for w in FACE_UP_KINDS)

    def _draw_sprites(self, surface, camera, scene, cast, walkers, view) -> list[Drawn]:
        screen = surface.get_rect().inflate(200, 200)
        zoom, tile_px = camera.zoom, self.map.tile_px
        placed = []
        for agent in scene.agents:
            walker = walkers.walkers.get(agent.name)
            member = cast.get(agent.name)
            if walker is None or member is None:
                continue
            moving = walker.moving(view.now_s)
            pose, off = self.pose_of(agent, moving)
            x, y = walker.position(view.now_s)
            facing = walker.facing
            if off is not None:
                x, y = x + off[0] * 0.45, y + off[1] * 0.45
                facing = FACING_TOWARDS[off]
            elif pose == "sit" and self._faces_work(agent):
                facing = "up"  # at a desk, a piano or a console: back to the viewer
            rect = sprite_rect(camera, (x, y), tile_px)
            self.agent_rects[agent.name] = rect
            if rect.colliderect(screen):
                placed.append((rect.bottom, agent.name, rect, walker, member, pose, facing))
        placed.sort(key=lambda item: (item[0], item[1]))
        shadow = self.bank.shadow(zoom)
        out = []
        for _, name, rect, walker, member, pose, facing in placed:
            if name == view.selected and pose != "lie":
                ring = pygame.Rect(0, 0, round(28 * zoom), round(11 * zoom))
                ring.center = (rect.centerx, rect.bottom - round(2 * zoom))
                pygame.draw.ellipse(surface, ui.ACCENT, ring, width=max(1, round(zoom)))
            drawn_rect = rect
            if pose == "lie":
                head = self.bank.posed(member.sprite, "lie", "down", zoom)
                agent = scene.agent(name)
                bed = self.bed_for(agent)
                column = min(max(agent.tile_xy[0], bed.x), bed.x + bed.w - 1)
                left, top = camera.world_to_screen((column * tile_px, bed.y * tile_px))
                drawn_rect = head.get_rect(midtop=(round(left + tile_px * zoom / 2),
                                                   round(top - 3 * zoom)))
                surface.blit(head, drawn_rect)
            elif pose == "sit":
                body = self.bank.posed(member.sprite, "sit", facing, zoom)
                drawn_rect = body.get_rect(midbottom=(rect.centerx, rect.bottom - round(zoom)))
                surface.blit(body, drawn_rect)
            else:
                surface.blit(shadow, shadow.get_rect(center=(rect.centerx,
                                                              rect.bottom - round(2 * zoom))))
                frame = self.bank.frame(member.sprite, facing, walk_frame(walker, view.now_s),
                                        zoom)
                surface.blit(frame, rect)
            # The figure's own box (the frame has empty margins) for picking and labels.
            if zoom < 0.6:  # the whole town: the portrait's head makes each agent known
                head = self.bank.head(member.sprite, WHOLE_TOWN_HEAD_PX, name == view.selected)
                drawn_rect = head.get_rect(midbottom=(drawn_rect.centerx, drawn_rect.bottom))
                surface.blit(head, drawn_rect)
                self.agent_rects[name] = drawn_rect
                out.append(Drawn(name, drawn_rect, pose))
                continue
            trimmed = pygame.Rect(drawn_rect.x + drawn_rect.w // 6, drawn_rect.y + drawn_rect.h // 8,
                                  drawn_rect.w - drawn_rect.w // 3, drawn_rect.h - drawn_rect.h // 8)
            self.agent_rects[name] = trimmed
            out.append(Drawn(name, trimmed, pose))
        return out

    # ------------------------------------------------------------------ names on the map

    def _draw_building_names(self, surface: pygame.Surface, camera: Camera,
                             keep_out: list[pygame.Rect]) -> None:
        zoom, tile_px = camera.zoom, self.map.tile_px
        size = 11 if zoom < 0.75 else 13 if zoom < 1.5 else 15
        self.label_rects = []
        bounds = pygame.Rect(camera.map_rect)
        for place in self._buildings:
            left, top = camera.world_to_screen((place.x * tile_px, place.y * tile_px))
            width, height = place.w * tile_px * zoom, place.h * tile_px * zoom
            room = width + 40 * max(1.0, zoom)
            sign = self._cached(("sign", place.name, size, round(room), self.fonts.scale),
                                lambda: _sign(self.fonts, _fit_name(self.fonts, place.name, size,
                                                                    room), size))
            centre_x = round(left + width / 2)
            # One sign per building, on its top (roof) edge, else its bottom edge; an edge out
            # of view is brought to the view's border while the building is still on screen.
            # Never mid-floor, and never under an agent or its emoji (`keep_out`).
            sign_h = sign.get_height()
            shown_top = max(top + 2 * zoom, bounds.top + 2)
            shown_bottom = min(top + height - sign_h - 2 * zoom, bounds.bottom - sign_h - 2)
            outside = (top - sign_h - 2, top + height + 2)  # just above or below its walls
            for y in (top + 2 * zoom, top + height - sign_h - 2 * zoom, shown_top, shown_bottom,
                      *outside):
                if not top - sign_h - 2 <= y <= top + height + 2:
                    continue
                back = sign.get_rect(midtop=(centre_x, round(y)))
                if bounds.contains(back) and back.collidelist(self.label_rects) < 0 \
                        and back.collidelist(keep_out) < 0:
                    surface.blit(sign, back)
                    self.label_rects.append(back)
                    break

    # ------------------------------------------------------------------ labels and bubbles

    def _draw_overlays(self, surface, camera, scene, cast, bubbles, view, drawn) -> None:
        zoom = camera.zoom
        label_size = 11 if zoom < 1.5 else 13
        emoji_px = max(12, min(26, round(12 * zoom)))
        speech_size = 14 if zoom >= 1.5 else 12
        show_text = zoom >= 1.0
        talks, singles = threads([d.name for d in drawn], scene, bubbles, view.now_s) \
            if zoom >= 0.5 else ([], {})
        requests, parts, thinking_rects = [], {}, []
        sprites = {item.name: item.rect for item in drawn}
        for item in drawn:
            agent = scene.agent(item.name)
            selected = item.name == view.selected
            first = cast[item.name].first_name
            tag = emoji = speech = None
            if (show_text and view.show_tags) or selected:
                text = first if zoom < 2 else item.name
                tag = self._cached(("tag", text, selected, label_size, self.fonts.scale),
                                   lambda: bubble_draw.tag_surface(self.fonts, text, selected,
                                                                   label_size))
            if show_text and (agent.emoji or agent.action):
                emoji = self._cached(("emoji", agent.emoji, agent.action if not agent.emoji
                                      else "", emoji_px),
                                     lambda: bubble_draw.emoji_surface(
                                         self.fonts, agent.emoji, agent.action, emoji_px))
            bubble = singles.get(item.name)
            if bubble is not None:
                speech = self._speech(bubble, speech_size)
            if item.name in scene.thinking and zoom >= 0.6:
                cloud = _thinking_rect(item.rect, zoom)
                if cloud.collidelist([r for n, r in sprites.items() if n != item.name]) < 0:
                    thinking_rects.append((item.name, cloud))
            parts[item.name] = (tag, emoji, speech, bubble)
            requests.append(LabelRequest(
                item.name, item.rect, _size(emoji), _size(tag), _size(speech),
                priority=2 if selected else 1 if speech is not None else 0))
        cards = {}
        for talk in talks:
            names = [cast[n].first_name if n in cast else n for n, _ in talk.lines]
            lines = [(first, text) for first, (_, text) in zip(names, talk.lines)]
            card = self._cached(("thread", tuple(lines), talk.started_s, speech_size,
                                 self.fonts.scale),
                                lambda: bubble_draw.thread_surface(self.fonts, lines,
                                                                   speech_size))
            cards[talk.key] = (talk, card)
            pair = sprites[talk.owners[0]].union(sprites[talk.owners[1]])
            requests.append(LabelRequest(talk.key, pair, bubble_size=card.get_size(),
                                         priority=1, owners=talk.owners))
        keep_out = list(view.keep_out) + self.label_rects + [r for _, r in thinking_rects]
        self.placements = layout(requests, surface.get_rect(), keep_out)
        speaking = [(item.name, self.placements[item.name].bubble, [item])
                    for item in drawn
                    if parts[item.name][2] is not None and self.placements[item.name].bubble]
        by_name = {item.name: item for item in drawn}
        speaking += [(key, self.placements[key].bubble, [by_name[n] for n in talk.owners])
                     for key, (talk, _) in cards.items() if self.placements[key].bubble]
        self.tails = {}
        for key, rect, heads in speaking:  # one pointer per speaker, under the labels
            tails = [bubble_draw.tail_for(rect, _head_box(h, self.placements[h.name]))
                     for h in heads]
            self.tails[key] = tails[0]
            alpha = cards[key][0].alpha if key in cards else singles[key].alpha(view.now_s)
            for tail in tails:
                bubble_draw.draw_leader(surface, tail, alpha)
        for _, rect in thinking_rects:
            bubble_draw.draw_thinking(surface, rect, view.now_s, zoom)
        for item in drawn:
            tag, emoji, speech, bubble = parts[item.name]
            placed = self.placements[item.name]
            if emoji is not None and placed.emoji is not None:
                surface.blit(emoji, placed.emoji)
            if tag is not None and placed.tag is not None:
                surface.blit(tag, placed.tag)
        for key, rect, heads in speaking:
            if key in cards:
                talk, layer = cards[key]
                alpha, whisper = talk.alpha, False
            else:
                layer, bubble = parts[key][2], parts[key][3]
                alpha, whisper = bubble.alpha(view.now_s), bubble.whisper
            for head in heads:
                tail = bubble_draw.tail_for(rect, _head_box(head, self.placements[head.name]))
                bubble_draw.draw_wedge(surface, tail, alpha, whisper)
            bubble_draw.blit_speech(surface, layer, rect, alpha)

    def _cached(self, key: tuple, make):
        if key not in self._small_cache:
            if len(self._small_cache) > 1000:
                self._small_cache.clear()
            self._small_cache[key] = make()
        return self._small_cache[key]

    def _speech(self, bubble, size: int) -> pygame.Surface:
        key = (bubble.text, bubble.started_s, bubble.whisper, size)
        layer = self._speech_cache.get(key)
        if layer is None:
            if len(self._speech_cache) > 200:
                self._speech_cache.clear()
            layer = bubble_draw.speech_surface(self.fonts, bubble, size)
            self._speech_cache[key] = layer
        return layer

    def pick(self, screen_px: tuple[int, int]) -> str | None:
        """The agent drawn at a screen point (front-most first), if any."""
        hits = [(rect.bottom, name) for name, rect in self.agent_rects.items()
                if rect.collidepoint(screen_px)]
        return max(hits)[1] if hits else None


def _size(surface: pygame.Surface | None) -> tuple[int, int]:
    return surface.get_size() if surface is not None else (0, 0)


def _head_box(item: Drawn, placed: LabelPlacement) -> pygame.Rect:
    """What a tail points at: the speaker's head and its emoji badge."""
    head = pygame.Rect(item.rect.x, item.rect.y, item.rect.w, max(4, item.rect.h // 3))
    return head.union(placed.emoji) if placed.emoji is not None else head


def _thinking_rect(sprite: pygame.Rect, zoom: float) -> pygame.Rect:
    radius = max(2, round(2.5 * max(1.0, zoom / 1.5)))
    gap = radius * 3
    rect = pygame.Rect(0, 0, gap * 3 + 4, radius * 2 + 12)
    rect.bottomleft = (sprite.right - round(2 * zoom), sprite.top + rect.h // 2)
    return rect


def _sign(fonts: Fonts, name: str, size: int) -> pygame.Surface:
    text = fonts.text(name, size, ui.TEXT, bold=True)
    out = pygame.Surface((text.get_width() + 10, text.get_height() + 4), pygame.SRCALPHA)
    ui.pill(out, out.get_rect(), (58, 40, 36, 190), radius=5)
    out.blit(text, (5, 2))
    return out


def _fit_name(fonts: Fonts, name: str, size: int, width_px: float) -> str:
    font = fonts.get(size, True)
    if font.size(name)[0] <= width_px:
        return name
    short = _short(name)
    return short if font.size(short)[0] <= width_px else ellipsize(font, short, int(width_px))


def _short(name: str) -> str:
    """"Isabella Rodriguez's apartment" → "Isabella R.'s apartment" for narrow buildings."""
    words = name.split(" ")
    if len(words) >= 3 and words[1].endswith("'s"):
        return f"{words[0]} {words[1][0]}.'s {' '.join(words[2:])}"
    if " and " in name and name.endswith("'s house"):  # "A B and C D's house" → "B & D house"
        first, second = name[: -len("'s house")].split(" and ", 1)
        return f"{first.split(' ')[-1]} & {second.split(' ')[-1]} house"
    return name
