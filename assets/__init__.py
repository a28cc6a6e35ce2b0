"""Shipped map, tilesets and character sheets; installed as the package `simulacra_assets`."""
