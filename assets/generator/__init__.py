"""Deterministic generator for the Ville's map, tilesets and character sprites.

Run `python -m assets.generator` from the repository root.
"""
