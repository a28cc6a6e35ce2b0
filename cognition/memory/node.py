"""One memory in an agent's memory stream, as an immutable value.

Mirrors the original's `ConceptNode` (node id, type, depth, created, SPO triple, description,
embedding key, poignancy, keywords, filling) with the runtime-only `last_accessed` moved out: the
stream keeps access times in a parallel numpy array so recency can be scored in one vectorised pass.
Plans are stored as thoughts carrying the keyword "plan", as in the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from engine.provenance import UNKNOWN, Provenance

IDLE_MARKER = "is idle"


class NodeKind(StrEnum):
    """The three node types of the original's associative memory."""

    EVENT = "event"
    THOUGHT = "thought"
    CHAT = "chat"


@dataclass(frozen=True, slots=True)
class MemoryNode:
    """An observation, reflection/plan (thought) or conversation (chat).

    `node_id` is 1-based and equals the node's position in its stream plus one. `created` is game
    time. `importance` is the paper's 1-10 poignancy. `evidence` holds the node ids a reflection
    cites; `filling` the (speaker, line) pairs of a chat. `depth` is 0 for events and chats and
    1 + max depth of the evidence for thoughts. `embedding_key` is the text that was embedded.
    `by` says who made the text (the engine's perception, the model, a template, the user) and
    `importance_by` who rated its importance (the model's level, the fail-safe, a fixed value);
    memories saved before provenance was kept read as UNKNOWN.
    """

    node_id: int
    kind: NodeKind
    created: datetime
    description: str
    importance: int
    subject: str = ""
    predicate: str = ""
    object: str = ""
    keywords: tuple[str, ...] = ()
    evidence: tuple[int, ...] = ()
    filling: tuple[tuple[str, str], ...] = ()
    depth: int = 0
    embedding_key: str = ""
    by: Provenance = UNKNOWN
    importance_by: Provenance = UNKNOWN

    @property
    def triple(self) -> tuple[str, str, str]:
        """The (subject, predicate, object) event triple."""
        return (self.subject, self.predicate, self.object)

    @property
    def is_idle(self) -> bool:
        """True for "<thing> is idle" events, which the original never retrieves."""
        text = f"{self.embedding_key} {self.description}".lower()
        return IDLE_MARKER in text or (self.predicate, self.object) == ("is", "idle")

    def mentions(self, name: str) -> bool:
        """Whether `name` appears (case-insensitively) in the text, triple or keywords."""
        needle = name.lower()
        fields = (self.description, self.subject, self.object, *self.keywords)
        return any(needle in f.lower() for f in fields)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (datetimes as ISO strings, tuples as lists)."""
        return {
            "node_id": self.node_id,
            "kind": self.kind.value,
            "created": self.created.isoformat(),
            "description": self.description,
            "importance": self.importance,
            "subject": self.subject,
            "predicate": self.predicate,
            "object": self.object,
            "keywords": list(self.keywords),
            "evidence": list(self.evidence),
            "filling": [list(pair) for pair in self.filling],
            "depth": self.depth,
            "embedding_key": self.embedding_key,
            "by": self.by.to_state(),
            "importance_by": self.importance_by.to_state(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MemoryNode:
        """Inverse of `to_dict`."""
        return cls(
            node_id=int(data["node_id"]),
            kind=NodeKind(data["kind"]),
            created=datetime.fromisoformat(data["created"]),
            description=str(data["description"]),
            importance=int(data["importance"]),
            subject=str(data.get("subject", "")),
            predicate=str(data.get("predicate", "")),
            object=str(data.get("object", "")),
            keywords=tuple(str(k) for k in data.get("keywords", ())),
            evidence=tuple(int(e) for e in data.get("evidence", ())),
            filling=tuple((str(s), str(line)) for s, line in data.get("filling", ())),
            depth=int(data.get("depth", 0)),
            embedding_key=str(data.get("embedding_key", "")),
            by=Provenance.read(data.get("by")),
            importance_by=Provenance.read(data.get("importance_by")),
        )

