"""Draws the town: map layers, agent shadows and sprites, then labels and bubbles on top."""

from __future__ import annotations

import pygame

from game import bubbles as bubble_draw
from game import ui
from game.bubbles import Bubbles
from game.camera import Camera
from game.fonts import Fonts
from game.map_view import ABOVE, BELOW, MapView
from game.sprites import SpriteBank, Walkers, sprite_rect, walk_frame


class WorldView:
    """Map + agents; remembers where each agent was drawn for mouse picking."""

    def __init__(self, map_view: MapView, bank: SpriteBank, fonts: Fonts):
        self.map = map_view
        self.bank = bank
        self.fonts = fonts
        self.agent_rects: dict[str, pygame.Rect] = {}

    def draw(self, surface: pygame.Surface, camera: Camera, sim, walkers: Walkers,
             bubbles: Bubbles, selected: str | None, now_s: float,
             show_agents: bool = True) -> None:
        surface.fill(ui.BACKDROP)
        self.map.draw(surface, camera, BELOW)
        self.agent_rects = {}
        drawn: list[tuple[str, pygame.Rect]] = []
        if show_agents:
            drawn = self._draw_sprites(surface, camera, sim, walkers, selected, now_s)
        self.map.draw(surface, camera, ABOVE)
        if show_agents:
            self._draw_overlays(surface, camera, sim, bubbles, selected, now_s, drawn)

    def _draw_sprites(self, surface, camera, sim, walkers, selected, now_s):
        view = surface.get_rect().inflate(200, 200)
        zoom = camera.zoom
        placed = []
        for name in sim.order:
            walker = walkers.walkers.get(name)
            if walker is None:
                continue
            rect = sprite_rect(camera, walker.position(now_s), self.map.tile_px)
            self.agent_rects[name] = rect
            if rect.colliderect(view):
                placed.append((rect.bottom, name, rect, walker))
        placed.sort()
        shadow = self.bank.shadow(zoom)
        for _, name, rect, walker in placed:
            persona = sim.personas[name]
            if name == selected:
                ring = pygame.Rect(0, 0, round(28 * zoom), round(11 * zoom))
                ring.center = (rect.centerx, rect.bottom - round(2 * zoom))
                pygame.draw.ellipse(surface, ui.ACCENT, ring, width=max(1, round(zoom)))
            surface.blit(shadow, shadow.get_rect(center=(rect.centerx,
                                                          rect.bottom - round(2 * zoom))))
            frame = self.bank.frame(persona.sprite, walker.facing, walk_frame(walker, now_s), zoom)
            surface.blit(frame, rect)
        return [(name, rect) for _, name, rect, _ in placed]

    def _draw_overlays(self, surface, camera, sim, bubbles, selected, now_s, drawn) -> None:
        zoom = camera.zoom
        thinking = set(sim.thinking())
        label_size = 11 if zoom < 1.5 else 13
        emoji_px = max(12, min(26, round(12 * zoom)))
        show_text = zoom >= 1.0
        taken: list[pygame.Rect] = []
        for name, rect in drawn:
            body = sim.bodies[name]
            first = sim.personas[name].first_name
            if show_text or name == selected:
                draw_name = first if zoom < 2 else name
                bubble_draw.draw_label(surface, self.fonts, draw_name, rect.midbottom,
                                       name == selected, label_size)
            head = (rect.centerx, rect.top - round(1 * zoom))
            top = head[1]
            if body.action is not None and show_text:
                bubble_draw.draw_emoji(surface, self.fonts, body.action.emoji,
                                       body.action.description, head, emoji_px)
                top = head[1] - emoji_px - 14
            if name in thinking:
                bubble_draw.draw_thinking(surface, (rect.right - round(6 * zoom), rect.top + 4),
                                          now_s, zoom)
            bubble = bubbles.by_agent.get(name)
            if bubble is not None:
                bubble_draw.draw_speech(surface, self.fonts, bubble, (head[0], top - 2), now_s,
                                        14 if zoom >= 1.5 else 12, taken=taken)

    def pick(self, screen_px: tuple[int, int]) -> str | None:
        """The agent drawn at a screen point (front-most first), if any."""
        hits = [(rect.bottom, name) for name, rect in self.agent_rects.items()
                if rect.inflate(-rect.w // 4, 0).collidepoint(screen_px)]
        return max(hits)[1] if hits else None
