"""Where the shipped data lives: the Ville's map and tilesets, the character sheets, the bases.

In the repository they are the top-level folders `assets/` and `saves/`. An installed wheel
carries them as the packages `simulacra_assets` and `simulacra_bases` (`setup.py` maps the two
folders onto those names), found here through `importlib.resources`, so an installed
`simulacra` works from any directory. A source checkout whose install predates that mapping
falls back to the folders next to the `engine` package.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

PACKAGES = {"assets": "simulacra_assets", "saves": "simulacra_bases"}


def shipped_dir(folder: str) -> Path:
    """The directory holding the shipped `assets` or `saves` data."""
    package = PACKAGES[folder]
    try:
        root = importlib.resources.files(package)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / folder
    if not isinstance(root, Path):  # a zipped install: the map loader needs real files
        raise RuntimeError(f"{package} is not installed as plain files ({root!r})")
    return root
