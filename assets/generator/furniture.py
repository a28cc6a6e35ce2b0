"""Furniture pictures for every object kind, drawn top-down at 32 px per tile.

`PAINTERS` maps each kind to a small painter function (`furniture_home`, `furniture_public`);
`draw` looks the kind up and hands the painter a fresh surface and a `Paint`.
"""

from __future__ import annotations

from typing import Callable

import pygame

from . import furniture_decor as decor
from . import furniture_home as home
from . import furniture_public as public
from . import furniture_venue as venue
from .atlas import T, rng_for, surface
from .furniture_kit import Paint

# kind -> (width, height) in tiles
FOOTPRINT = {
    "cooking area": (2, 1), "common room table": (2, 2), "common room sofa": (2, 1), "piano": (2, 1),
    "blackboard": (2, 1), "library sofa": (2, 1), "library table": (2, 1), "pool table": (2, 1),
    "grocery store shelf": (2, 1), "pharmacy store shelf": (2, 1), "supply store product shelf": (2, 1),
    "grocery store counter": (2, 1), "pharmacy store counter": (2, 1), "supply store counter": (2, 1),
    "behind the grocery counter": (2, 1), "behind the pharmacy counter": (2, 1),
    "behind the supply store counter": (2, 1), "behind the bar counter": (5, 1), "behind the cafe counter": (4, 1),
    "bar customer seating": (5, 1), "park garden": (2, 2), "house garden": (2, 2), "dorm garden": (2, 2),
    "bed": (1, 2),
}


def footprint(kind: str, double_bed: bool = False) -> tuple[int, int]:
    if kind == "bed" and double_bed:
        return (2, 2)
    return FOOTPRINT.get(kind, (1, 1))


PAINTERS: dict[str, Callable[[pygame.Surface, Paint], None]] = {
    "bed": home.paint_bed,
    "desk": home.paint_desk,
    "computer desk": home.paint_desk,
    "computer": home.paint_desk,
    "closet": home.paint_closet,
    "shelf": home.paint_shelf,
    "bookshelf": home.paint_shelf,
    "grocery store shelf": public.paint_grocery_store_shelf,
    "pharmacy store shelf": public.paint_grocery_store_shelf,
    "supply store product shelf": public.paint_grocery_store_shelf,
    "grocery store counter": public.paint_grocery_store_counter,
    "pharmacy store counter": public.paint_grocery_store_counter,
    "supply store counter": public.paint_grocery_store_counter,
    "bar customer seating": public.paint_bar_customer_seating,
    "cafe customer seating": public.paint_cafe_customer_seating,
    "classroom student seating": public.paint_cafe_customer_seating,
    "refrigerator": home.paint_refrigerator,
    "kitchen sink": home.paint_kitchen_sink,
    "toaster": home.paint_kitchen_sink,
    "cooking area": home.paint_kitchen_sink,
    "bathroom sink": home.paint_bathroom_sink,
    "toilet": home.paint_bathroom_sink,
    "shower": home.paint_bathroom_sink,
    "common room sofa": home.paint_common_room_sofa,
    "library sofa": home.paint_common_room_sofa,
    "common room table": home.paint_common_room_table,
    "library table": home.paint_common_room_table,
    "piano": public.paint_piano,
    "blackboard": public.paint_blackboard,
    "classroom podium": public.paint_classroom_podium,
    "game console": home.paint_game_console,
    "guitar": home.paint_guitar,
    "harp": home.paint_guitar,
    "microphone": public.paint_microphone,
    "easel": home.paint_easel,
    "pool table": public.paint_pool_table,
    "park garden": home.paint_park_garden,
    "house garden": home.paint_park_garden,
    "dorm garden": home.paint_park_garden,
    "garden chair": home.paint_garden_chair,
    "lifting weight": public.paint_lifting_weight,
    "counter": home.paint_counter,
    "plant": home.paint_plant,
    "bathtub": decor.paint_bathtub,
    "towel shelf": decor.paint_towel_shelf,
    "laundry basket": decor.paint_laundry_basket,
    "cabinet": decor.paint_cabinet,
    "trash bin": decor.paint_trash_bin,
    "display table": decor.paint_display_table,
    "crates": decor.paint_crates,
    "plant stand": decor.paint_plant_stand,
    "barrel": decor.paint_barrel,
    "side table": decor.paint_side_table,
    "armchair": decor.paint_armchair,
    "floor lamp": decor.paint_floor_lamp,
    "notice board": decor.paint_notice_board,
    "water cooler": decor.paint_water_cooler,
    "bench": decor.paint_bench,
    "globe": decor.paint_globe,
    "cafe counter": venue.paint_cafe_counter,
    "bar counter": venue.paint_bar_counter,
    "behind the bar counter": venue.paint_bottle_shelf_back,
    "behind the cafe counter": venue.paint_cup_shelf_back,
    "booth": venue.paint_booth,
    "dartboard": venue.paint_dartboard,
    "fireplace": venue.paint_fireplace,
    "jukebox": venue.paint_jukebox,
    "menu board": venue.paint_menu_board,
    "bookcase": venue.paint_bookcase,
    "coat rack": venue.paint_coat_rack,
    "cafe bench": venue.paint_cafe_bench,
}


def draw(kind: str, w: int, h: int, variant: int = 0) -> pygame.Surface:
    """The picture of one object kind, `w` x `h` tiles."""
    painter = PAINTERS.get(kind) or (public.paint_behind_counter if kind.startswith("behind the") else None)
    if painter is None:
        raise KeyError(f"no picture for object kind {kind!r}")
    s = surface(w * T, h * T)
    painter(s, Paint(kind, w, h, variant, rng_for("furn", kind, w, h, variant)))
    return s
