"""The memory stream: what an agent observed, said and concluded, and how it recalls it.

See README.md for the retrieval formula and why ChromaDB is only an index.
"""

from cognition.memory.chroma_index import ChromaIndex, make_client
from cognition.memory.node import MemoryNode, NodeKind
from cognition.memory.retrieval import RetrievalWeights, min_max, recency, score, top_k
from cognition.memory.stream import RETRIEVAL_KINDS, MemoryStream

__all__ = [
    "RETRIEVAL_KINDS",
    "ChromaIndex",
    "MemoryNode",
    "MemoryStream",
    "NodeKind",
    "RetrievalWeights",
    "make_client",
    "min_max",
    "recency",
    "score",
    "top_k",
]
