"""Importing the LLM layer pulls in neither pygame nor the heavy model libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

CODE = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "pygame":
            raise ImportError("pygame is blocked")
sys.meta_path.insert(0, Block())
import cognition.llm
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"llama_cpp", "chromadb", "game"})
print(",".join(heavy))
"""


def test_cognition_llm_imports_without_pygame_or_llama_cpp():
    done = subprocess.run(
        [sys.executable, "-c", CODE], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == ""
