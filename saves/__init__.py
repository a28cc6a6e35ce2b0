"""Shipped base simulations; installed as the package `simulacra_bases`."""
