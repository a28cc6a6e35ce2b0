"""Bringing simulations of the original Generative Agents project over (see README.md)."""
