"""Where Simulacra keeps user data, and where the shipped base simulations live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from engine import resources

APP_NAME = "simulacra"
HOME_ENV = "SIMULACRA_HOME"
BASES_ENV = "SIMULACRA_BASES"


def data_dir() -> Path:
    """The user data root: `$SIMULACRA_HOME` if set, else the platform's user data dir."""
    override = os.environ.get(HOME_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME))


def saves_dir() -> Path:
    return data_dir() / "saves"


def videos_dir() -> Path:
    return data_dir() / "videos"


def screenshots_dir() -> Path:
    return data_dir() / "screenshots"


def logs_dir() -> Path:
    return data_dir() / "logs"


def models_dir() -> Path:
    """Model files Simulacra makes itself (the bundled model's faster Q8_0 working copy)."""
    return data_dir() / "models"


def repo_root() -> Path:
    """The folder holding the `engine` package: the source checkout when run from one."""
    return Path(__file__).resolve().parent.parent


def bases_dir() -> Path:
    """The shipped base simulations (`saves/` in the repository), or `$SIMULACRA_BASES`."""
    override = os.environ.get(BASES_ENV)
    return Path(override) if override else resources.shipped_dir("saves")


def user_bases_dir() -> Path:
    """Bases the user made with `simulacra make-base`; forked and listed like shipped ones."""
    return data_dir() / "bases"


def maps_dir() -> Path:
    """The shipped maps and character sheets (`assets/` in the repository)."""
    return resources.shipped_dir("assets")


def map_path(map_name: str, save_dir: Path | None = None) -> Path:
    """The .tmx file a save's `map` field names.

    A bare name (`the_ville`) is a shipped map under `assets/<name>/<name>.tmx`; a value ending
    in `.tmx` is a user's own map file inside the save folder. A map outside the save folder (an
    absolute path, `..`) is refused: a shared save must not read files elsewhere.
    """
    from engine.errors import UserError
    from engine.safe_io import plain_parts

    if map_name.endswith(".tmx"):
        if save_dir is None:
            raise UserError(f"map '{map_name}': a save's own map needs its save folder")
        return save_dir.joinpath(*plain_parts(map_name, f"map '{map_name}'"))
    if not map_name or any(c in map_name for c in "/\\:\x00") or map_name.startswith("."):
        raise UserError(f"map '{map_name}': not a shipped map name")
    return maps_dir() / map_name / f"{map_name}.tmx"
