"""Validation of a saved memory stream before it is restored (see `MemoryStream.from_state`).

Version 2 (written now) keeps the nodes and embeddings in sealed segment files
(`cognition.memory.segments`); version 1 (older saves) held every node in the JSON and one
embeddings array. Both are read; the next save writes version 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np

from cognition.memory import segments
from cognition.memory.node import MemoryNode
from engine.sealed import SealedFile

STATE_VERSION = 2


@dataclass(frozen=True)
class ParsedState:
    """A checked stream state: nodes aligned with vectors and last-access hours, and the sealed
    segments that can be reused as they are ((first row, rows, nodes file, vectors file))."""

    epoch: datetime
    nodes: list[MemoryNode]
    vectors: np.ndarray
    accessed: list[float]
    sealed: list[tuple[int, int, SealedFile, SealedFile]]


MAX_DIMENSION = 16384


def saved_dimension(state: dict[str, Any]) -> int:
    """The embedding dimension a saved stream says it was made with (ValueError if absurd)."""
    value = state.get("dimension")
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_DIMENSION:
        raise ValueError(
            f"saved embedding dimension {value!r} is not a whole number 1..{MAX_DIMENSION}"
        )
    return value


def parse_state(state: dict[str, Any], dimension: int) -> ParsedState:
    """The checked contents of a `to_state` dict (either version).

    Raises ValueError when the embeddings do not match `dimension` or the node count, when the
    node ids do not run 1..n in order (positions and ids must agree for the numpy columns), or
    when a memory file cannot be read (a number too large, a truncated array, ...); KeyError or
    TypeError for a state of the wrong shape.
    """
    try:
        return _parse(state, dimension)
    except (OverflowError, RecursionError, EOFError, OSError) as exc:
        raise ValueError(f"a saved memory cannot be read ({type(exc).__name__}: {exc})") from None


def _parse(state: dict[str, Any], dimension: int) -> ParsedState:
    version = int(state.get("version", 1))
    if version > STATE_VERSION:
        raise ValueError(f"memory state version {version} is newer than {STATE_VERSION}")
    if version >= 2:
        nodes, vectors, sealed = _read_segments(state["segments"], dimension)
    else:
        nodes = [MemoryNode.from_dict(d) for d in state["nodes"]]
        vectors = np.asarray(state["embeddings"], dtype=np.float32)
        sealed = []
    if vectors.size == 0:
        vectors = vectors.reshape(0, dimension)
    if vectors.ndim != 2 or vectors.shape != (len(nodes), dimension):
        raise ValueError(
            f"saved embeddings have shape {vectors.shape}; expected ({len(nodes)}, {dimension})"
        )
    accessed = [float(h) for h in np.asarray(state["last_accessed"], dtype=np.float64).ravel()]
    if len(accessed) != len(nodes):
        raise ValueError("last_accessed is not aligned with nodes")
    for position, node in enumerate(nodes, start=1):
        if node.node_id != position:
            raise ValueError(f"node ids must run 1..n in order; found {node.node_id} at {position}")
    return ParsedState(datetime.fromisoformat(state["epoch"]), nodes, vectors, accessed, sealed)


def _read_segments(
    items: Any, dimension: int
) -> tuple[list[MemoryNode], np.ndarray, list[tuple[int, int, SealedFile, SealedFile]]]:
    if not isinstance(items, list):
        raise ValueError("segments must be a list")
    nodes: list[MemoryNode] = []
    blocks: list[np.ndarray] = []
    spans: list[tuple[int, int, SealedFile, SealedFile]] = []
    for item in items:
        files = item["nodes"], item["vectors"]
        if not all(isinstance(f, SealedFile) for f in files):
            raise ValueError("a memory segment must name its nodes and vectors files")
        start, rows = int(item["first"]) - 1, int(item["count"])
        if start != len(nodes):
            raise ValueError(f"memory segment starting at node {start + 1} is out of order")
        block = segments.parse_nodes(files[0].produce())
        if len(block) != rows:
            raise ValueError(f"memory segment at node {start + 1} holds {len(block)} of {rows}")
        nodes.extend(block)
        blocks.append(segments.parse_vectors(files[1].produce(), rows, dimension))
        spans.append((start, rows, files[0], files[1]))
    vectors = np.concatenate(blocks) if blocks else np.zeros((0, dimension), np.float32)
    wanted = set(segments.layout(len(nodes)))
    return nodes, vectors, [s for s in spans if (s[0], s[1]) in wanted]


def node_dicts(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The nodes of a saved stream state as plain dicts (`MemoryNode.to_dict`), either version."""
    if int(state.get("version", 1)) < 2:
        return list(state.get("nodes", []))
    out: list[dict[str, Any]] = []
    for item in state.get("segments", []):
        out.extend(node.to_dict() for node in segments.parse_nodes(item["nodes"].produce()))
    return out
