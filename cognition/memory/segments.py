"""How a memory stream is saved: fixed, aligned segments of nodes in content-named files.

Nodes never change once added, so a stream's nodes are cut into segments whose boundaries depend
only on the node count: as many aligned blocks of 4,096 nodes as fit, then of 512, then of 64,
then the rest (under 64). A full block is the same bytes in every later save, so it is written
once, named after its digest (`engine.sealed.SealedFile`) and carried by every later save; only
the rest and newly completed blocks are written. Each node is written at most three times in its
life plus once per save while it is among the last 63, so a save costs what is new, not what is
held. The boundaries do not depend on when saves happened, so the state (and its hash) depends only
on the memories.

Each segment is two files: the nodes as JSON lines (`mem-<first>-<last>.<digest>.jsonl`) and
their embeddings as a float16 .npy, as they are held (`vec-<first>-<last>.<digest>.npy`).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from cognition.memory.node import MemoryNode
from engine import safe_json
from engine.sealed import SealedFile

BLOCKS = (4096, 512, 64)


def layout(count: int) -> list[tuple[int, int]]:
    """(first row, rows) of each segment for a stream of `count` nodes, oldest first."""
    out: list[tuple[int, int]] = []
    start = 0
    for size in BLOCKS:
        while start + size <= count:
            out.append((start, size))
            start += size
    if start < count:
        out.append((start, count - start))
    return out


def node_bytes(nodes: Sequence[MemoryNode]) -> bytes:
    """The nodes as UTF-8 JSON lines (compact, stable key order)."""
    lines = (json.dumps(n.to_dict(), ensure_ascii=False, separators=(",", ":")) for n in nodes)
    return "".join(line + "\n" for line in lines).encode("utf-8")


def vector_bytes(vectors: np.ndarray) -> bytes:
    """A (rows, dimension) array as .npy bytes, in the dtype it is held in."""
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(vectors), allow_pickle=False)
    return buffer.getvalue()


def parse_nodes(data: bytes) -> list[MemoryNode]:
    """Inverse of `node_bytes` (ValueError/KeyError/TypeError on a malformed file)."""
    text = data.decode("utf-8")
    return [MemoryNode.from_dict(_interned(safe_json.loads(line)))
            for line in text.splitlines() if line]


def parse_vectors(data: bytes, rows: int, dimension: int) -> np.ndarray:
    """Inverse of `vector_bytes`: float16/float32 of shape (rows, dimension) only, never pickle.

    The header is checked before any data is read, so a lying header cannot make us allocate;
    anything numpy's parser raises on bad bytes becomes ValueError."""
    stream = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(stream)
        header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                  else np.lib.format.read_array_header_2_0)
        shape, fortran, dtype = header(stream)
    except Exception as exc:  # numpy parses the header with ast: it raises all sorts
        raise ValueError(f"memory vectors are not a .npy array ({type(exc).__name__})") from None
    if dtype not in (np.dtype("<f2"), np.dtype("<f4")) or shape != (rows, dimension) or fortran:
        raise ValueError(
            f"memory vectors have {dtype} shape {shape}; expected ({rows}, {dimension}) floats"
        )
    body = data[stream.tell():]
    if len(body) != rows * dimension * dtype.itemsize:
        raise ValueError("memory vectors are shorter or longer than their header says")
    vectors = np.frombuffer(body, dtype=dtype).reshape(rows, dimension)
    if not np.isfinite(vectors).all():  # the vector index (Chroma) cannot hold them
        raise ValueError("memory vectors hold NaN or infinity")
    return vectors


_SHARED = ("description", "subject", "predicate", "object", "embedding_key")


def _interned(value: Any) -> dict[str, Any]:
    """The line's object with its repeated strings interned (as `MemoryStream.add` does)."""
    if not isinstance(value, dict):
        raise ValueError("a memory line must be a JSON object")
    for key in _SHARED:
        if isinstance(value.get(key), str):
            value[key] = sys.intern(value[key])
    keywords = value.get("keywords")
    if isinstance(keywords, list):
        value["keywords"] = [sys.intern(k) if isinstance(k, str) else k for k in keywords]
    return value


class SegmentCache:
    """The sealed files of the segments already made, so a save only makes the new ones.

    Holds names and lazy producers only (never the bytes), for at most the current layout.
    `nodes` is the stream's node list (it only grows) and `embeddings()` gives the current
    (count, dimension) view of its vectors (rows never change once written)."""

    def __init__(self, nodes: list[MemoryNode], embeddings: Callable[[], np.ndarray]) -> None:
        self._nodes = nodes
        self._embeddings = embeddings
        self._files: dict[tuple[int, int], tuple[SealedFile, SealedFile]] = {}

    def seed(self, start: int, rows: int, nodes: SealedFile, vectors: SealedFile) -> None:
        """Remember a segment read from a save (its files are in the folder it came from)."""
        self._files[(start, rows)] = self._lazy(start, rows, nodes.name, vectors.name)

    def segments(self, count: int) -> list[dict[str, Any]]:
        """The state's `segments` for the first `count` nodes."""
        wanted = layout(count)
        embeddings = self._embeddings()
        out = []
        for start, rows in wanted:
            files = self._files.get((start, rows))
            if files is None:
                nodes = SealedFile.of_bytes(f"mem-{start + 1}-{start + rows}", "jsonl",
                                            node_bytes(self._nodes[start : start + rows]))
                vectors = SealedFile.of_bytes(f"vec-{start + 1}-{start + rows}", "npy",
                                              vector_bytes(embeddings[start : start + rows]))
                files = (nodes, vectors)  # the bytes travel with this snapshot only
                self._files[(start, rows)] = self._lazy(start, rows, nodes.name, vectors.name)
            out.append({"first": start + 1, "count": rows, "nodes": files[0],
                        "vectors": files[1]})
        keep = set(wanted)
        for key in [k for k in self._files if k not in keep]:
            del self._files[key]
        return out

    def _lazy(self, start: int, rows: int, nodes_name: str,
              vectors_name: str) -> tuple[SealedFile, SealedFile]:
        nodes, embeddings = self._nodes, self._embeddings
        return (
            SealedFile.lazy(nodes_name, lambda: node_bytes(nodes[start : start + rows])),
            SealedFile.lazy(vectors_name, lambda: vector_bytes(embeddings()[start : start + rows])),
        )
