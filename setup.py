"""What pyproject.toml cannot say on its own: the shipped data folders become packages.

`assets/` (map, tilesets, character sheets) and `saves/` (base simulations) stay top-level
folders in the repository and are installed as `simulacra_assets` and `simulacra_bases`, read
through `importlib.resources` (engine/resources.py). Everything else is in pyproject.toml.
"""

from setuptools import find_packages, setup

DATA_PACKAGES = {"simulacra_assets": "assets", "simulacra_bases": "saves"}

setup(
    packages=find_packages(include=["engine*", "cognition*", "game*"]) + list(DATA_PACKAGES),
    package_dir=DATA_PACKAGES,
)
