"""A ChromaDB vector index over one agent's memory embeddings.

Chroma is only an index: the memory stream (and the save file written from it) is the source of
truth, and after a load the index is rebuilt from the stored embeddings. We always pass our own
embeddings and `embedding_function=None`, so Chroma never loads its default ONNX model (which would
download weights), and telemetry is switched off both by environment and by client settings.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

# Extra safety against phoning home; must be set before chromadb is imported.
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings
from chromadb.errors import ChromaError, NotFoundError

Metadata = Mapping[str, str | int | float | bool]

_MAX_NAME_STEM = 48


def make_client() -> ClientAPI:
    """An in-process, in-memory Chroma client; share one between all agents of a simulation."""
    return chromadb.EphemeralClient(settings=Settings(anonymized_telemetry=False, allow_reset=True))


def make_server_client(url: str) -> NamespacedClient:
    """A client of the Chroma server at `url` (`chroma run`), its collections kept apart.

    Every collection this run makes is named with a prefix unique to the run
    (`sim-<10 hex>-mem-klaus_mueller-1`), so several runs and saves can share one server
    without meeting, and all of them are dropped when the process exits. `UserError` (one line)
    for a malformed URL or a server that does not answer.
    """
    import atexit
    import uuid
    from urllib.parse import urlsplit

    from cognition.llm.server_client import normalise_base_url
    from engine.errors import UserError

    base = normalise_base_url(url, what="chroma server")
    parts = urlsplit(base)
    https = parts.scheme == "https"
    try:
        client = _within(HEARTBEAT_TIMEOUT_S * 2, lambda: chromadb.HttpClient(
            host=str(parts.hostname), port=parts.port or (443 if https else 8000), ssl=https,
            settings=Settings(anonymized_telemetry=False),
        ))  # fmt: skip  (it asks the server before we can give it deadlines)
        session = _bounded_session(client)
        if session is not None:
            session.timeout = _timeout(HEARTBEAT_TIMEOUT_S)
        client.heartbeat()
        if session is not None:
            session.timeout = _timeout(CALL_TIMEOUT_S)
    except Exception as exc:  # noqa: BLE001 - chromadb raises assorted errors when unreachable
        reason = " ".join(str(exc).split())[:120] or type(exc).__name__
        raise UserError(f"chroma server {base}: unreachable ({reason})") from None
    namespaced = NamespacedClient(client, f"sim-{uuid.uuid4().hex[:10]}-")
    atexit.register(namespaced.drop_all)
    return namespaced


HEARTBEAT_TIMEOUT_S = 5.0
CALL_TIMEOUT_S = 30.0


def _within(seconds: float, make: Any) -> Any:
    """`make()` on a daemon thread, or TimeoutError after `seconds` (the thread is left to
    its stuck socket; it cannot keep the process alive)."""
    import threading

    done: list[Any] = []

    def work() -> None:
        try:
            done.append((True, make()))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            done.append((False, exc))

    thread = threading.Thread(target=work, name="chroma-connect", daemon=True)
    thread.start()
    thread.join(seconds)
    if not done:
        raise TimeoutError(f"no answer within {seconds:g} s")
    ok, value = done[0]
    if not ok:
        raise value
    return value


def _timeout(seconds: float):
    import httpx

    return httpx.Timeout(seconds, connect=min(5.0, seconds))


def _bounded_session(client: Any):
    """Give Chroma's HTTP client deadlines and a size cap (it has none: `timeout=None`).

    Chroma offers no setting for this, so its `httpx.Client` (a private attribute) is replaced
    by one with timeouts, a body capped in size and time, and no redirects; None if this
    version of chromadb keeps it elsewhere (then only its own limits apply)."""
    import httpx

    from cognition.llm.http_limits import MAX_ANSWER_BYTES, capped_sync_transport

    server = getattr(client, "_server", None)
    old = getattr(server, "_session", None)
    if not isinstance(old, httpx.Client):
        return None
    session = httpx.Client(
        timeout=_timeout(CALL_TIMEOUT_S), follow_redirects=False, headers=old.headers,
        transport=capped_sync_transport(httpx, MAX_ANSWER_BYTES, CALL_TIMEOUT_S * 2))
    old.close()
    server._session = session
    return session


class NamespacedClient:
    """The part of a Chroma client `ChromaIndex` uses, with every collection name prefixed.

    Names handed in and out are the unprefixed ones, so `ChromaIndex` works unchanged.
    """

    def __init__(self, client: ClientAPI, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    def _full(self, name: str) -> str:
        return name if name.startswith(self.prefix) else self.prefix + name

    def list_collections(self) -> list[str]:
        names = [str(getattr(c, "name", c)) for c in self.client.list_collections()]
        return [n.removeprefix(self.prefix) for n in names if n.startswith(self.prefix)]

    def create_collection(self, name: str, **kwargs: Any) -> Any:
        return self.client.create_collection(self._full(name), **kwargs)

    def delete_collection(self, name: str) -> None:
        self.client.delete_collection(self._full(name))

    def get_max_batch_size(self) -> int:
        return int(self.client.get_max_batch_size())

    def drop_all(self) -> None:
        """Delete every collection of this run (best effort: the server may be gone)."""
        with contextlib.suppress(Exception):
            for name in self.list_collections():
                with contextlib.suppress(NotFoundError):
                    self.delete_collection(name)


def collection_stem(agent: str) -> str:
    """A Chroma-legal collection-name stem for an agent name ("Klaus Mueller" -> "mem-klaus_mueller")."""
    slug = re.sub(r"[^a-z0-9]+", "_", agent.lower()).strip("_")[:_MAX_NAME_STEM] or "agent"
    return f"mem-{slug}"


class ChromaIndex:
    """Cosine-space vector index for one agent, keyed by integer node id.

    The collection name is the sanitised agent name plus the smallest integer suffix not yet used in
    the client, so several streams for the same agent (or a reload) never collide and no randomness
    is involved.
    """

    def __init__(self, client: ClientAPI | NamespacedClient, agent: str) -> None:
        self._client = client
        self.agent = agent
        self._collection = self._create(collection_stem(agent))
        self._batch = max(1, int(client.get_max_batch_size()))

    def _create(self, stem: str) -> Any:
        taken = {getattr(c, "name", c) for c in self._client.list_collections()}
        suffix = 1
        while True:
            name = f"{stem}-{suffix}"
            if name not in taken:
                try:
                    return self._client.create_collection(
                        name,
                        configuration={"hnsw": {"space": "cosine"}},
                        embedding_function=None,
                    )
                except ChromaError:  # a concurrent creator took the name: try the next
                    if suffix > len(taken) + 64:
                        raise
            suffix += 1

    @property
    def name(self) -> str:
        """The Chroma collection name."""
        return str(self._collection.name)

    def add(
        self,
        ids: Sequence[int],
        embeddings: np.ndarray,
        metadatas: Sequence[Metadata] | None = None,
    ) -> None:
        """Add vectors for node ids (batched to the client's maximum batch size)."""
        vectors = np.asarray(embeddings, dtype=np.float32).reshape(len(ids), -1)
        for start in range(0, len(ids), self._batch):
            stop = start + self._batch
            metas = None
            if metadatas is not None:
                metas = [dict(m) if m else {"_": 0} for m in metadatas[start:stop]]
            self._collection.add(
                ids=[str(i) for i in ids[start:stop]],
                embeddings=vectors[start:stop],
                metadatas=metas,
            )

    def query(
        self, embedding: np.ndarray, n: int, where: Mapping[str, Any] | None = None
    ) -> list[tuple[int, float]]:
        """The `n` nearest node ids with their cosine similarity, most similar first."""
        vector = np.asarray(embedding, dtype=np.float32).reshape(1, -1)
        return self.query_many(vector, n, where)[0]

    def query_many(
        self, embeddings: np.ndarray, n: int, where: Mapping[str, Any] | None = None
    ) -> list[list[tuple[int, float]]]:
        """`query` for several query vectors in one call (one result list per row)."""
        vectors = np.asarray(embeddings, dtype=np.float32)
        size = self.count()
        if n <= 0 or size == 0 or len(vectors) == 0:
            return [[] for _ in range(len(vectors))]
        result = self._collection.query(
            query_embeddings=vectors,
            n_results=min(n, size),
            where=dict(where) if where else None,
            include=["distances"],
        )
        out: list[list[tuple[int, float]]] = []
        for ids, dists in zip(result["ids"], result["distances"] or [], strict=True):
            # Chroma's cosine space reports distance = 1 - cosine similarity.
            out.append([(int(i), 1.0 - float(d)) for i, d in zip(ids, dists, strict=True)])
        return out

    def rebuild(
        self,
        ids: Sequence[int],
        embeddings: np.ndarray,
        metadatas: Sequence[Metadata] | None = None,
    ) -> None:
        """Drop every vector and re-add these (after loading a save, the save is the truth)."""
        stem = collection_stem(self.agent)
        self.close()
        self._collection = self._create(stem)
        if len(ids):
            self.add(ids, embeddings, metadatas)

    def count(self) -> int:
        """How many vectors the index holds."""
        return int(self._collection.count())

    def close(self) -> None:
        """Delete the collection from the client (the index is unusable until `rebuild`)."""
        with contextlib.suppress(NotFoundError):  # already gone (client reset or double close)
            self._client.delete_collection(self.name)
