"""A layout pass over what floats above agents, so nothing covers anything else.

Input: every drawn agent's sprite rect, its emoji badge size, its name-tag size and its speech
bubble size (when it speaks). Output: where each goes, or None when it cannot be placed without
covering something (a tag is then hidden; a bubble is then shrunk to a short form by the caller
or left out: the line is still in the transcript panel).

Rules (the test in tests/game/test_layout.py checks them on a crowded cafe):
- sprites and emoji badges are fixed obstacles: a badge goes above the head, else beside it,
  never over another agent's sprite or badge; with no free spot it is left out (the action is
  in the tooltip and the inspector);
- name tags never overlap each other, a badge, a bubble or another agent's sprite (a tag that
  cannot be placed is hidden: hovering the agent names it); the selected agent's tag goes first;
- speech bubbles never overlap another agent's sprite, any badge, any tag or another bubble.
Candidates are tried nearest first; the pass is greedy (labels are few: tens, not thousands).
"""

from __future__ import annotations

from dataclasses import dataclass

import pygame

TAG_GAP_PX = 2
BUBBLE_GAP_PX = 4


@dataclass(frozen=True)
class LabelRequest:
    """What one agent wants drawn around it (sizes in screen pixels; (0, 0) = nothing)."""

    name: str
    sprite: pygame.Rect
    emoji_size: tuple[int, int] = (0, 0)
    tag_size: tuple[int, int] = (0, 0)
    bubble_size: tuple[int, int] = (0, 0)
    priority: int = 0  # higher first (the selected agent, speakers)
    owners: tuple[str, ...] = ()  # a conversation's thread: its speakers (not obstacles to it)


@dataclass
class LabelPlacement:
    emoji: pygame.Rect | None = None
    tag: pygame.Rect | None = None
    bubble: pygame.Rect | None = None


def _free(rect: pygame.Rect, taken: list[pygame.Rect], bounds: pygame.Rect | None) -> bool:
    if bounds is not None and not bounds.contains(rect):
        return False
    return rect.collidelist(taken) < 0


def layout(requests: list[LabelRequest], bounds: pygame.Rect | None = None,
           keep_out: list[pygame.Rect] | None = None) -> dict[str, LabelPlacement]:
    """Place every request's emoji, tag and bubble; see the module docstring for the rules.

    `bounds` is the screen area labels may use; `keep_out` are rects nothing may cover (the
    top bar, open panels)."""
    out = {r.name: LabelPlacement() for r in requests}
    ordered = sorted(requests, key=lambda r: (-r.priority, r.sprite.bottom, r.name))
    sprites = {r.name: r.sprite for r in requests if not r.owners}
    fixed = list(keep_out or [])
    badges: list[pygame.Rect] = []
    for request in ordered:  # emoji badges first: small and fixed to the head
        if request.emoji_size[0] <= 0:
            continue
        others = [s for n, s in sprites.items() if n != request.name]
        rect = _place_emoji(request, badges + others + fixed, bounds)
        out[request.name].emoji = rect
        if rect is not None:
            badges.append(rect)
    labels: list[pygame.Rect] = []  # tags and bubbles placed so far
    for request in ordered:
        if request.tag_size[0] <= 0:
            continue
        others = [s for n, s in sprites.items() if n != request.name]
        for rect in _tag_candidates(request, out[request.name].emoji):
            if _free(rect, fixed + badges + labels + others, bounds):
                out[request.name].tag = rect
                labels.append(rect)
                break
    for request in ordered:
        if request.bubble_size[0] <= 0:
            continue
        others = [s for n, s in sprites.items()
                  if n != request.name and n not in request.owners]
        own_badge = out[request.name].emoji
        for rect in _bubble_candidates(request, own_badge):
            if _free(rect, fixed + badges + labels + others, bounds):
                out[request.name].bubble = rect
                labels.append(rect)
                break
    return out


def _place_emoji(request: LabelRequest, taken: list[pygame.Rect],
                 bounds: pygame.Rect | None) -> pygame.Rect | None:
    """Above the head, else beside it (right, left, a little higher): the first spot that
    covers no other agent, badge or panel; None when there is none."""
    w, h = request.emoji_size
    head = request.sprite
    spots = [(head.centerx, head.top - 2), (head.right + w // 2 - 4, head.top + h // 2),
             (head.left - w // 2 + 4, head.top + h // 2),
             (head.right + w // 2 - 4, head.top), (head.left - w // 2 + 4, head.top)]
    for cx, bottom in spots:
        rect = pygame.Rect(0, 0, w, h)
        rect.midbottom = (cx, bottom)
        if _free(rect, taken, bounds):
            return rect
    return None


def _tag_candidates(request: LabelRequest, badge: pygame.Rect | None):
    """Under the feet first, a little lower or sideways next; then (selected) above the head."""
    w, h = request.tag_size
    feet = request.sprite.midbottom
    for dy in (TAG_GAP_PX, TAG_GAP_PX + h, TAG_GAP_PX + 2 * h):
        for dx in (0, -w // 3, w // 3):
            rect = pygame.Rect(0, 0, w, h)
            rect.midtop = (feet[0] + dx, feet[1] + dy)
            yield rect
    if request.priority < 2:
        return  # only the selected agent's tag may go above its head
    top = min(request.sprite.top, badge.top if badge else request.sprite.top)
    for dy in (TAG_GAP_PX, TAG_GAP_PX + h):
        for dx in (0, -w // 2, w // 2):
            rect = pygame.Rect(0, 0, w, h)
            rect.midbottom = (request.sprite.centerx + dx, top - dy)
            yield rect


def _bubble_candidates(request: LabelRequest, own_badge: pygame.Rect | None):
    w, h = request.bubble_size
    top = min(request.sprite.top, own_badge.top if own_badge else request.sprite.top)
    x = request.sprite.centerx
    for rise in range(0, 6 * h + 1, max(8, h // 2)):
        for dx in (0, -w // 2, w // 2, -w, w):
            rect = pygame.Rect(0, 0, w, h)
            rect.midbottom = (x + dx, top - BUBBLE_GAP_PX - rise)
            yield rect


def overlaps(rects: list[pygame.Rect]) -> list[tuple[int, int]]:
    """Index pairs of rects that intersect (for tests and debugging)."""
    return [(i, j) for i in range(len(rects)) for j in range(i + 1, len(rects))
            if rects[i].colliderect(rects[j])]
