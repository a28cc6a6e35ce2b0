"""A stable fingerprint of any JSON-like state (numpy arrays hashed by their bytes, sealed files
by their names, which are digests of their bytes)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

from engine.sealed import SealedFile


def _canonical(value: Any) -> Any:
    if isinstance(value, SealedFile):  # its name is a digest of its bytes
        return {"__sealed__": value.name}
    if isinstance(value, np.ndarray):
        digest = hashlib.sha256(np.ascontiguousarray(value).tobytes()).hexdigest()
        return {"__ndarray__": [str(value.dtype), list(value.shape), digest]}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    return value


def state_hash(state: Any) -> str:
    """SHA-256 of the canonical JSON of a state tree."""
    text = json.dumps(_canonical(state), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
