"""Character sprite sheets (4 rows: down, left, right, up x 4 walk frames of 32x32) and 64x64 portraits.

Every resident gets a distinct look: skin tone, hair colour and style, clothes and age cues.
"""

from __future__ import annotations

import numpy as np
import pygame

from .atlas import T, shade, surface

SKIN = {"pale": (248, 220, 196), "light": (236, 196, 160), "tan": (206, 156, 112), "olive": (196, 150, 100),
        "brown": (150, 100, 66), "dark": (106, 70, 46)}
HAIR = {"black": (34, 30, 34), "brown": (96, 60, 36), "chestnut": (140, 76, 40), "blond": (226, 196, 110),
        "red": (186, 80, 40), "grey": (170, 170, 176), "white": (232, 232, 236), "salt": (120, 118, 120),
        "auburn": (130, 50, 40), "blue": (70, 110, 200), "pink": (230, 120, 170)}

# name -> (age, skin, hair colour, hair style, top, bottom, dress, extras)
LOOKS: dict[str, tuple] = {
    "Latoya Williams": (25, "dark", "black", "curly", (240, 200, 60), (60, 70, 110), False, ()),
    "Rajiv Patel": (27, "brown", "black", "short", (200, 90, 60), (80, 80, 90), False, ()),
    "Abigail Chen": (25, "light", "black", "bob", (150, 110, 200), (50, 50, 60), False, ("glasses",)),
    "Francisco Lopez": (23, "tan", "brown", "spiky", (60, 170, 120), (60, 90, 160), False, ()),
    "Hailey Johnson": (30, "pale", "red", "long", (90, 160, 210), (110, 70, 60), True, ()),
    "Arthur Burton": (42, "light", "brown", "short", (120, 40, 40), (40, 40, 50), False, ("beard",)),
    "Ryan Park": (29, "light", "black", "short", (80, 80, 90), (70, 90, 130), False, ("glasses",)),
    "Isabella Rodriguez": (34, "olive", "chestnut", "long", (220, 80, 90), (40, 40, 50), True, ()),
    "Giorgio Rossi": (41, "olive", "salt", "receding", (90, 120, 90), (110, 90, 70), False, ("glasses", "beard")),
    "Carlos Gomez": (32, "tan", "black", "spiky", (30, 30, 36), (60, 60, 70), False, ("beard",)),
    "Klaus Mueller": (20, "pale", "blond", "short", (70, 130, 200), (70, 60, 50), False, ()),
    "Maria Lopez": (21, "tan", "brown", "ponytail", (240, 140, 60), (60, 80, 140), False, ()),
    "Ayesha Khan": (20, "brown", "black", "long", (120, 60, 130), (50, 50, 70), True, ()),
    "Wolfgang Schulz": (21, "pale", "brown", "short", (220, 60, 60), (40, 40, 48), False, ()),
    "Mei Lin": (44, "light", "black", "bun", (200, 120, 160), (80, 70, 110), True, ()),
    "John Lin": (45, "light", "black", "receding", (240, 240, 236), (60, 70, 90), False, ("glasses",)),
    "Eddy Lin": (19, "light", "black", "spiky", (60, 60, 150), (90, 90, 96), False, ()),
    "Tom Moreno": (52, "tan", "salt", "short", (150, 110, 60), (70, 60, 50), False, ("beard",)),
    "Jane Moreno": (46, "tan", "auburn", "bob", (110, 170, 150), (90, 70, 90), True, ()),
    "Tamara Taylor": (30, "dark", "black", "bun", (250, 170, 100), (90, 60, 110), True, ()),
    "Carmen Ortiz": (33, "olive", "black", "ponytail", (60, 140, 90), (50, 60, 90), False, ()),
    "Sam Moore": (65, "pale", "white", "receding", (70, 90, 140), (120, 110, 90), False, ("beard",)),
    "Jennifer Moore": (68, "pale", "grey", "bun", (160, 120, 190), (110, 90, 120), True, ("glasses",)),
    "Yuriko Yamamoto": (28, "light", "black", "bob", (40, 50, 80), (40, 50, 80), False, ()),
    "Adam Smith": (36, "light", "blond", "short", (180, 160, 120), (70, 70, 80), False, ("glasses",)),
}
# Looks no resident has, for the player's character (`simulacra play --player-sprite`).
VISITORS: dict[str, tuple] = {
    "Visitor Teal": (30, "tan", "blue", "spiky", (40, 170, 170), (50, 50, 60), False, ()),
    "Visitor Rose": (28, "light", "pink", "long", (245, 245, 240), (70, 60, 110), True, ()),
}
LOOKS.update(VISITORS)
DIRS = ("down", "left", "right", "up")


def slug(name: str) -> str:
    return name.lower().replace(" ", "_")


def _outline(s: pygame.Surface, color=(30, 24, 28)) -> None:
    alpha = pygame.surfarray.array_alpha(s) > 0
    grown = alpha.copy()
    grown[1:, :] |= alpha[:-1, :]
    grown[:-1, :] |= alpha[1:, :]
    grown[:, 1:] |= alpha[:, :-1]
    grown[:, :-1] |= alpha[:, 1:]
    for x, y in zip(*np.nonzero(grown & ~alpha)):
        s.set_at((int(x), int(y)), color)


def _frame(look: tuple, direction: str, step: int) -> pygame.Surface:
    age, skin_k, hair_k, style, top, bottom, dress, extras = look
    skin, hair = SKIN[skin_k], HAIR[hair_k]
    s = surface()
    phase = (0, 1, 0, -1)[step]  # leg swing
    bob = 1 if step in (1, 3) else 0
    oy = -bob
    # legs
    shoe = (50, 40, 36)
    if direction in ("down", "up"):
        for lx, sw in ((12, phase), (17, -phase)):
            s.fill(bottom, (lx, 22 + oy, 3, 5 + sw))
            s.fill(shoe, (lx, 26 + oy + sw, 3, 2))
    else:
        s.fill(bottom, (14 + phase, 22 + oy, 3, 5))
        s.fill(bottom, (15 - phase, 22 + oy, 3, 5))
        s.fill(shoe, (14 + phase * 2, 26 + oy, 4, 2))
        s.fill(shoe, (15 - phase * 2, 26 + oy, 4, 2))
    # body
    body_w = 12 if direction in ("down", "up") else 8
    bx = 16 - body_w // 2
    pygame.draw.rect(s, top, (bx, 14 + oy, body_w, 9), border_radius=2)
    if dress:
        pygame.draw.polygon(s, top, [(bx, 20 + oy), (bx + body_w - 1, 20 + oy), (bx + body_w + 1, 25 + oy),
                                     (bx - 2, 25 + oy)])
        s.fill(shade(top, 0.8), (bx - 1, 24 + oy, body_w + 2, 1))
    else:
        s.fill(shade(bottom, 0.8), (bx, 21 + oy, body_w, 1))
    s.fill(shade(top, 1.2), (bx + 1, 15 + oy, body_w - 2, 1))
    # arms
    if direction in ("down", "up"):
        for ax, sw in ((bx - 2, -phase), (bx + body_w, phase)):
            s.fill(shade(top, 0.85), (ax, 15 + oy + sw, 2, 5))
            s.fill(skin, (ax, 20 + oy + sw, 2, 2))
    else:
        ax = 15 + phase * 2
        s.fill(shade(top, 0.85), (ax, 15 + oy, 3, 5))
        s.fill(skin, (ax, 20 + oy, 3, 2))
    # head
    hx, hy = 10, 3 + oy
    pygame.draw.rect(s, skin, (hx, hy, 12, 12), border_radius=4)
    if direction in ("left", "right"):
        nose_x = hx - 1 if direction == "left" else hx + 12
        s.fill(skin, (nose_x, hy + 7, 1, 2))
    # hair
    hc, hd = hair, shade(hair, 0.7)
    if style != "receding" or direction == "up":
        pygame.draw.rect(s, hc, (hx - 1, hy - 1, 14, 5), border_top_left_radius=5, border_top_right_radius=5)
    else:
        s.fill(hc, (hx - 1, hy + 2, 2, 5))
        s.fill(hc, (hx + 11, hy + 2, 2, 5))
        s.fill(shade(skin, 1.1), (hx + 3, hy, 6, 1))
    side_len = {"long": 13, "bob": 8, "curly": 9, "bun": 5, "ponytail": 5, "short": 4, "spiky": 4, "receding": 5}[style]
    if direction == "up":
        pygame.draw.rect(s, hc, (hx - 1, hy - 1, 14, 6 + side_len), border_radius=4)
    elif direction == "down":
        s.fill(hc, (hx - 1, hy + 2, 2, side_len))
        s.fill(hc, (hx + 11, hy + 2, 2, side_len))
    else:
        back = hx + 8 if direction == "left" else hx - 1
        s.fill(hc, (back, hy + 1, 5, side_len + 1))
    if style == "spiky":
        for k in range(4):
            s.fill(hc, (hx + k * 3, hy - 2, 2, 2))
    if style == "curly":
        for k in range(5):
            pygame.draw.circle(s, hc, (hx + k * 3, hy), 3)
    if style == "bun":
        pygame.draw.circle(s, hc, (16 if direction in ("down", "up") else (hx + 11 if direction == "left" else hx + 1), hy - 2), 3)
    if style == "ponytail" and direction != "down":
        px = 16 if direction == "up" else (hx + 13 if direction == "left" else hx - 3)
        s.fill(hc, (px - 1, hy + 4, 3, 8))
    s.fill(hd, (hx, hy + 3, 12, 1)) if direction != "up" and style != "receding" else None
    # face
    eye = (30, 30, 40)
    if "glasses" in extras and direction != "up":
        # Thin round-ish rims with the skin showing through a faint lens tint and a gap for the
        # bridge, so the face stays readable (solid dark boxes read as a mask).
        g = (92, 70, 60)
        lens = tuple(min(255, int(c * 0.8 + t * 0.2)) for c, t in zip(skin, (200, 230, 245)))
        lenses = [(hx + 1, hy + 5), (hx + 7, hy + 5)] if direction == "down" else \
            [(hx if direction == "left" else hx + 8, hy + 5)]
        for lx, ly in lenses:
            s.fill(lens, (lx + 1, ly + 1, 2, 2))
            s.fill(g, (lx + 1, ly, 2, 1))
            s.fill(g, (lx + 1, ly + 3, 2, 1))
            s.fill(g, (lx, ly + 1, 1, 2))
            s.fill(g, (lx + 3, ly + 1, 1, 2))
        if direction == "down":
            s.fill(g, (hx + 5, hy + 6, 2, 1))
        else:
            temple = hx + 4 if direction == "left" else hx + 4
            s.fill(g, (temple, hy + 6, 4, 1))
    if direction == "down":
        s.fill(eye, (hx + 3, hy + 6, 1, 2) if "glasses" in extras else (hx + 3, hy + 6, 2, 2))
        s.fill(eye, (hx + 8, hy + 6, 1, 2) if "glasses" in extras else (hx + 7, hy + 6, 2, 2))
        s.fill(shade(skin, 0.75), (hx + 5, hy + 10, 2, 1))
        if age >= 60:
            s.fill(shade(skin, 0.85), (hx + 2, hy + 4, 3, 1))
            s.fill(shade(skin, 0.85), (hx + 7, hy + 4, 3, 1))
    elif direction in ("left", "right"):
        ex = hx + 1 if direction == "left" else hx + 9
        s.fill(eye, (ex, hy + 6, 1 if "glasses" in extras else 2, 2))
    if "beard" in extras and direction != "up":
        bc = shade(hair, 0.9)
        if direction == "down":
            s.fill(bc, (hx + 1, hy + 9, 10, 3))
            s.fill(shade(skin, 0.7), (hx + 5, hy + 9, 2, 1))
        else:
            s.fill(bc, (hx + (1 if direction == "left" else 5), hy + 9, 6, 3))
    _outline(s)
    shadow = surface()
    pygame.draw.ellipse(shadow, (0, 0, 0, 70), (9, 26, 14, 5))
    shadow.blit(s, (0, 0))
    return shadow


def sheet(name: str) -> pygame.Surface:
    out = surface(4 * T, 4 * T)
    for row, d in enumerate(DIRS):
        for col in range(4):
            out.blit(_frame(LOOKS[name], d, col), (col * T, row * T))
    return out


def portrait(name: str) -> pygame.Surface:
    look = LOOKS[name]
    out = surface(64, 64)
    bg = shade(look[4], 1.5)
    pygame.draw.rect(out, bg, (0, 0, 64, 64), border_radius=8)
    pygame.draw.rect(out, shade(bg, 0.6), (0, 0, 64, 64), 2, border_radius=8)
    face = _frame(look, "down", 0)
    crop = face.subsurface((6, 0, 20, 22)).copy()
    big = pygame.transform.scale(crop, (60, 66))
    out.blit(big, (2, 4))
    pygame.draw.rect(out, shade(bg, 0.6), (0, 0, 64, 64), 2, border_radius=8)
    return out
