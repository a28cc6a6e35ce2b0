"""Validation of a saved memory stream before it is restored (see `MemoryStream.from_state`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np

from cognition.memory.node import MemoryNode

STATE_VERSION = 1


def parse_state(
    state: dict[str, Any], dimension: int
) -> tuple[datetime, list[MemoryNode], np.ndarray, list[float]]:
    """(epoch, nodes, embeddings, last-access hours) from a `to_state` dict, checked for alignment.

    Raises ValueError when the embeddings do not match `dimension` or the node count, or when the
    node ids do not run 1..n in order (positions and ids must agree for the numpy columns).
    """
    version = int(state.get("version", STATE_VERSION))
    if version > STATE_VERSION:
        raise ValueError(f"memory state version {version} is newer than {STATE_VERSION}")
    nodes = [MemoryNode.from_dict(d) for d in state["nodes"]]
    vectors = np.asarray(state["embeddings"], dtype=np.float32)
    if vectors.size == 0:
        vectors = vectors.reshape(0, dimension)
    if vectors.ndim != 2 or vectors.shape != (len(nodes), dimension):
        raise ValueError(
            f"saved embeddings have shape {vectors.shape}; expected ({len(nodes)}, {dimension})"
        )
    accessed = [float(h) for h in state["last_accessed"]]
    if len(accessed) != len(nodes):
        raise ValueError("last_accessed is not aligned with nodes")
    for position, node in enumerate(nodes, start=1):
        if node.node_id != position:
            raise ValueError(f"node ids must run 1..n in order; found {node.node_id} at {position}")
    return datetime.fromisoformat(state["epoch"]), nodes, vectors, accessed
