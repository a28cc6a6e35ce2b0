"""An agent's memory stream: append-only nodes, scored retrieval, the reflection accumulator.

Nodes are immutable `MemoryNode`s; everything that changes (last access) or is scored in bulk
(embedding, importance, kind) lives in numpy `Columns` beside them. An optional `ChromaIndex` narrows
the relevance candidates; without one every node is a candidate. Time is always passed in.
"""

from __future__ import annotations

import re
import sys
from array import array
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np

from cognition.llm.base import Embedder
from cognition.memory.columns import Columns
from cognition.memory.node import MemoryNode, NodeKind
from cognition.memory.retrieval import (
    DEFAULT_DECAY,
    DEFAULT_WEIGHTS,
    RetrievalWeights,
    min_max,
    query_independent,
    score,
    top_k,
)
from cognition.memory.segments import SegmentCache
from cognition.memory.state import STATE_VERSION, parse_state, saved_dimension
from engine.provenance import UNKNOWN, Provenance

if TYPE_CHECKING:  # chromadb is only imported by whoever builds an index
    from cognition.memory.chroma_index import ChromaIndex

DEFAULT_EPOCH = datetime(2023, 2, 13)
RETRIEVAL_KINDS = (NodeKind.EVENT, NodeKind.THOUGHT, NodeKind.CHAT)
RECENT_POOL = 50
IMPORTANT_POOL = 50
MIN_RELEVANT_POOL = 100
# Share of relevance that comes from keyword overlap rather than the embedding's cosine; the
# retrieval-quality set (cognition/memory/quality.py) chose it.
DEFAULT_KEYWORD_WEIGHT = 0.8
_WORD = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    "a an the and or but of to in on at for with by from about into is are was were be been "
    "being am do does did has have had i you he she it we they me him her them my your his its "
    "our their this that these those what who whom which when where why how there here not no "
    "as so if than then too very can will would should could may might must just also".split()
)


def content_words(text: str) -> frozenset[str]:
    """Lower-case words without stopwords, plural/possessive "s" dropped ("parties" -> "party")."""
    out = set()
    for word in _WORD.findall(text.lower()):
        if word in STOPWORDS or len(word) < 3:
            continue
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            word = word[:-1]
        out.add(word)
    return frozenset(out)


class MemoryStream:
    """One agent's memories with the paper's recency/importance/relevance retrieval."""

    def __init__(
        self,
        agent: str,
        embedder: Embedder,
        index: ChromaIndex | None = None,
        *,
        weights: RetrievalWeights = DEFAULT_WEIGHTS,
        decay: float = DEFAULT_DECAY,
        epoch: datetime = DEFAULT_EPOCH,
        keyword_weight: float = DEFAULT_KEYWORD_WEIGHT,
    ) -> None:
        self.agent = agent
        self.keyword_weight = keyword_weight
        self.embedder = embedder
        self.index = index
        self.weights = weights
        self.decay = decay
        self.epoch = epoch
        self._nodes: list[MemoryNode] = []
        self._cols = Columns(embedder.dimension)
        # keyword overlap: content word -> rows whose embedding key holds it, ascending (4 bytes
        # per word of a node, and scoring touches only the rows that share a word with the query)
        self._postings: dict[str, array] = {}
        self._pending_index: list[int] = []
        self._segments = SegmentCache(self._nodes, lambda: self._cols.embeddings)
        self.importance_since_reflection = 0

    # -- time and embeddings -------------------------------------------------------------------
    def hours(self, when: datetime) -> float:
        """Game hours from the stream's epoch to `when`."""
        return (when - self.epoch).total_seconds() / 3600.0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """(len(texts), dimension) float32; each distinct text is sent to the embedder once.

        Vectors are cached by the embedder itself (one cache shared by every agent), not here.
        """
        if not texts:
            return np.zeros((0, self._cols.dimension), dtype=np.float32)
        distinct = list(dict.fromkeys(texts))
        vectors = np.asarray(self.embedder.embed(distinct), dtype=np.float32)
        if vectors.shape != (len(distinct), self._cols.dimension):
            raise ValueError(f"embedder returned shape {vectors.shape} for {len(distinct)} texts")
        row = {text: i for i, text in enumerate(distinct)}
        return vectors[[row[t] for t in texts]]

    # -- writing -------------------------------------------------------------------------------
    def add(
        self,
        kind: NodeKind | str,
        description: str,
        created: datetime,
        importance: int,
        *,
        triple: tuple[str, str, str] | None = None,
        keywords: Iterable[str] = (),
        evidence: Iterable[int] = (),
        filling: Iterable[tuple[str, str]] = (),
        embedding_key: str | None = None,
        by: Provenance = UNKNOWN,
        importance_by: Provenance = UNKNOWN,
    ) -> MemoryNode:
        """Append a memory created at game time `created`; importance is clamped to 1-10.
        `by` / `importance_by`: who made its text and who rated its importance."""
        kind = NodeKind(kind)
        evidence = tuple(int(e) for e in evidence)
        for node_id in evidence:
            if not 1 <= node_id <= len(self._nodes):
                raise ValueError(f"evidence node {node_id} is not in {self.agent}'s stream")
        depth = 0
        if kind is NodeKind.THOUGHT:
            depth = 1 + max((self._nodes[e - 1].depth for e in evidence), default=0)
        subject, predicate, obj = (sys.intern(str(t)) for t in (triple or ("", "", "")))
        description = sys.intern(description)  # repeated scenes share one string
        node = MemoryNode(
            node_id=len(self._nodes) + 1,
            kind=kind,
            created=created,
            description=description,
            importance=min(10, max(1, int(importance))),
            subject=subject,
            predicate=predicate,
            object=obj,
            keywords=tuple(
                dict.fromkeys(sys.intern(k.strip().lower()) for k in keywords if k.strip())
            ),
            evidence=evidence,
            filling=tuple((str(s), str(line)) for s, line in filling),
            depth=depth,
            embedding_key=sys.intern(embedding_key) if embedding_key else description,
            by=by,
            importance_by=importance_by,
        )
        vector = self.embed([node.embedding_key])[0]
        self._append(node, vector, self.hours(created))
        if kind is not NodeKind.THOUGHT:
            self.importance_since_reflection += node.importance
        return node

    def _append(self, node: MemoryNode, vector: np.ndarray, accessed_h: float) -> None:
        self._nodes.append(node)
        row = len(self._nodes) - 1
        for word in content_words(node.embedding_key):
            posting = self._postings.get(word)
            if posting is None:
                posting = self._postings[sys.intern(word)] = array("i")
            posting.append(row)
        retrievable = not node.is_idle
        self._cols.append(vector, accessed_h, node.importance, node.kind, retrievable)
        if retrievable:
            # Index writes are batched until the next retrieval: bulk loads stay fast.
            self._pending_index.append(node.node_id)

    def _flush_index(self) -> None:
        if self.index is None or not self._pending_index:
            return
        ids = self._pending_index
        rows = np.asarray(ids) - 1
        metas = [{"kind": self._nodes[i - 1].kind.value} for i in ids]
        self.index.add(ids, self._cols.embeddings[rows], metas)
        self._pending_index = []

    # -- retrieval -----------------------------------------------------------------------------
    def retrieve(
        self,
        queries: Sequence[str],
        now: datetime,
        k: int,
        *,
        kinds: Sequence[NodeKind | str] = RETRIEVAL_KINDS,
        without: Iterable[str] = (),
    ) -> list[MemoryNode]:
        """Top-`k` memories per query, unioned in order of first appearance; marks them accessed.

        Candidates per query: the top max(4k, 100) by relevance from the index (all nodes without
        one) plus the 50 most recently accessed and the 50 most important; "is idle" events never.
        `without`: keywords whose memories are withheld ("plan", "reflection": the paper's
        ablations, `simulacra evaluate`).
        """
        if isinstance(queries, str):
            queries = [queries]
        kinds = tuple(NodeKind(kd) for kd in kinds)
        allowed = self._cols.allowed(kinds)
        withheld = frozenset(without)
        if withheld:
            allowed = allowed.copy()
            for row in np.flatnonzero(allowed):
                if withheld.intersection(self._nodes[row].keywords):
                    allowed[row] = False
        if k <= 0 or not queries or not allowed.any():
            return []
        now_h = self.hours(now)
        query_vecs = self.embed(list(queries))
        pool = np.flatnonzero(allowed)
        hits = self._relevant_rows(query_vecs, max(4 * k, MIN_RELEVANT_POOL), kinds, allowed)
        if hits is None:
            # Every allowed node is a candidate: one matmul and one recency/importance pass in all.
            relevance = self._relevance(query_vecs, list(queries), pool)
            hours = now_h - self._cols.last_accessed_h[pool]
            shared = query_independent(hours, self._cols.importance[pool], self.weights, self.decay)
        else:
            node_ids = pool + 1
            recent = top_k(self._cols.last_accessed_h[pool], RECENT_POOL, -node_ids)
            important = top_k(self._cols.importance[pool], IMPORTANT_POOL, -node_ids)
            base = np.union1d(pool[recent], pool[important])
        chosen: dict[int, None] = {}
        for q, query_vec in enumerate(query_vecs):
            if hits is None:
                rows = pool
                scores = shared + self.weights.relevance * min_max(relevance[:, q])
            else:
                rows = np.union1d(base, hits[q])
                hours = now_h - self._cols.last_accessed_h[rows]
                rel = self._relevance(query_vec[None, :], [queries[q]], rows)[:, 0]
                scores = score(hours, self._cols.importance[rows], rel, self.weights, self.decay)
            chosen.update((int(r), None) for r in rows[top_k(scores, k, rows + 1)])
        rows = np.fromiter(chosen, dtype=np.intp, count=len(chosen))
        self._cols.last_accessed_h[rows] = now_h
        return [self._nodes[r] for r in rows]

    def _relevance(
        self, query_vecs: np.ndarray, queries: list[str], rows: np.ndarray
    ) -> np.ndarray:
        """(len(rows), len(queries)): cosine blended with keyword overlap by `keyword_weight`."""
        cosine = self._cols.embeddings[rows].astype(np.float32) @ query_vecs.T
        if self.keyword_weight <= 0:
            return cosine
        overlap = np.zeros_like(cosine)
        for q, text in enumerate(queries):
            wanted = content_words(text)
            if wanted:
                shared = np.zeros(len(self._nodes), dtype=np.float64)  # words shared, per row
                for word in wanted:
                    posting = self._postings.get(word)
                    if posting:
                        shared[np.array(posting, dtype=np.intp)] += 1.0  # rows are distinct
                overlap[:, q] = shared[rows] / len(wanted)
        return (1 - self.keyword_weight) * cosine + self.keyword_weight * overlap

    def _relevant_rows(
        self, query_vecs: np.ndarray, n: int, kinds: tuple[NodeKind, ...], allowed: np.ndarray
    ) -> list[np.ndarray] | None:
        """Rows the index finds most similar to each query, or None when every node is a candidate."""
        if self.index is None:
            return None
        self._flush_index()
        where = (
            None if set(kinds) == set(NodeKind) else {"kind": {"$in": [kd.value for kd in kinds]}}
        )
        out = []
        for hits in self.index.query_many(query_vecs, n, where):
            rows = np.asarray([node_id - 1 for node_id, _ in hits], dtype=np.intp)
            rows = rows[(rows >= 0) & (rows < len(self._nodes))]
            out.append(rows[allowed[rows]])
        return out

    # -- reading -------------------------------------------------------------------------------
    @property
    def nodes(self) -> tuple[MemoryNode, ...]:
        """Every node, oldest first (position i holds node id i + 1)."""
        return tuple(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)

    def by_id(self, node_id: int) -> MemoryNode:
        """The node with this 1-based id (KeyError if absent)."""
        if not 1 <= node_id <= len(self._nodes):
            raise KeyError(node_id)
        return self._nodes[node_id - 1]

    def last_accessed(self, node_id: int) -> datetime:
        """Game time at which the node was created or last retrieved."""
        return self.epoch + timedelta(hours=float(self._cols.last_accessed_h[node_id - 1]))

    def recent(self, n: int, kinds: Sequence[NodeKind | str] | None = None) -> list[MemoryNode]:
        """The `n` newest nodes (optionally of `kinds`), newest first."""
        wanted = None if kinds is None else {NodeKind(kd) for kd in kinds}
        out: list[MemoryNode] = []
        for node in reversed(self._nodes):
            if len(out) >= n:
                break
            if wanted is None or node.kind in wanted:
                out.append(node)
        return out

    # -- reflection accumulator ----------------------------------------------------------------
    def should_reflect(self, threshold: int) -> bool:
        """True once events and chats since the last reflection sum to `threshold` importance."""
        return bool(self._nodes) and self.importance_since_reflection >= threshold

    def reset_reflection_counter(self, keep: int = 0) -> None:
        """Start accumulating again from `keep` (call after reflecting)."""
        self.importance_since_reflection = max(0, int(keep))

    # -- persistence ---------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        """JSON-able dict except for numpy `last_accessed` and the `segments`' sealed files.

        The nodes and their embeddings are in `segments` (`cognition.memory.segments`): sealed
        files named after their bytes, made only for segments not sealed before, so a snapshot
        costs what is new since the last one."""
        count = len(self._nodes)
        return {
            "version": STATE_VERSION,
            "agent": self.agent,
            "epoch": self.epoch.isoformat(),
            "embedder": getattr(self.embedder, "name", ""),
            "dimension": self._cols.dimension,
            "count": count,
            "segments": self._segments.segments(count),
            "last_accessed": self._cols.last_accessed_h[:count].copy(),
            "importance_since_reflection": self.importance_since_reflection,
        }

    @classmethod
    def from_state(
        cls,
        agent: str,
        state: dict[str, Any],
        embedder: Embedder,
        index: ChromaIndex | None = None,
        *,
        weights: RetrievalWeights = DEFAULT_WEIGHTS,
        decay: float = DEFAULT_DECAY,
        keyword_weight: float = DEFAULT_KEYWORD_WEIGHT,
    ) -> MemoryStream:
        """Restore a stream from `to_state` output (or a version 1 state); rebuilds `index`.

        Saved embeddings are used as they are when the save names this embedder; a save made
        with another embedder (another name, or the old default of the bundled model's pooled
        states) is read with its own dimension and its memories are embedded again."""
        saved_name = state.get("embedder")
        name = getattr(embedder, "name", "")
        other = isinstance(saved_name, str) and bool(saved_name) and saved_name != name
        dimension = saved_dimension(state) if other else embedder.dimension
        parsed = parse_state(state, dimension)
        vectors = parsed.vectors
        if other or vectors.shape[1] != embedder.dimension:
            keys = [node.embedding_key for node in parsed.nodes]
            vectors = embedder.embed(keys) if keys else np.zeros((0, embedder.dimension))
        stream = cls(
            agent, embedder, index, weights=weights, decay=decay, epoch=parsed.epoch,
            keyword_weight=keyword_weight,
        )  # fmt: skip
        for node, vector, accessed_h in zip(parsed.nodes, vectors, parsed.accessed, strict=True):
            stream._append(node, vector, accessed_h)
        if not other:  # re-embedded segments are sealed anew at the next save
            for start, rows, nodes_file, vectors_file in parsed.sealed:
                stream._segments.seed(start, rows, nodes_file, vectors_file)
        stream.importance_since_reflection = int(state.get("importance_since_reflection", 0))
        if index is not None:
            # The save is the source of truth: whatever the index held is dropped and refilled.
            index.rebuild((), np.zeros((0, embedder.dimension), dtype=np.float32))
            stream._flush_index()
        return stream
