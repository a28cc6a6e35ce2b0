"""The bundled model's Q8_0 working copy: made once, named by content, used instead of the
shipped file; any failure to make it falls back to the shipped file with one warning line."""

from __future__ import annotations

from pathlib import Path

import pytest

from cognition.llm import working_copy
from cognition.llm import requantize as module
from cognition.llm.bundled import bundled_model_path


def read_type(path: Path) -> int:
    """general.file_type of a GGUF, read through llama-cpp-python's metadata."""
    import llama_cpp

    llm = llama_cpp.Llama(model_path=str(path), vocab_only=True, verbose=False)
    try:
        return int(llm.metadata["general.file_type"])
    finally:
        llm.close()


def test_shipped_is_the_source_itself(tmp_path):
    source = bundled_model_path()
    assert working_copy(source, tmp_path / "models", "shipped") == source
    assert not (tmp_path / "models").exists()


def test_unknown_weights_are_refused(tmp_path):
    with pytest.raises(ValueError, match="weights"):
        working_copy(bundled_model_path(), tmp_path, "q2_k")


def test_q8_0_copy_is_made_once_and_reused(tmp_path, monkeypatch):
    import llama_cpp

    source = bundled_model_path()
    notes: list[str] = []
    first = working_copy(source, tmp_path / "models", notice=notes.append, warn=notes.append)
    assert len(notes) == 1 and notes[0].startswith("making a q8_0 copy")
    assert first.parent == tmp_path / "models" and first != source
    assert first.read_bytes()[:4] == b"GGUF"
    assert read_type(first) == llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0
    assert [p.name for p in (tmp_path / "models").iterdir()] == [first.name]  # no temp left

    def refuse(*args, **kwargs):
        raise AssertionError("quantized again")

    monkeypatch.setattr(module, "_quantize", refuse)
    assert working_copy(source, tmp_path / "models", warn=notes.append) == first
    assert len(notes) == 1


def test_a_changed_source_gets_its_own_copy(tmp_path):
    a = tmp_path / "a.gguf"
    a.write_bytes(b"GGUF one")
    b = tmp_path / "b.gguf"
    b.write_bytes(b"GGUF two")
    assert module.file_digest(a) != module.file_digest(b)
    assert module.copy_name(a, "q8_0", module.file_digest(a), "1") != module.copy_name(
        a, "q8_0", module.file_digest(b), "1"
    )


def test_failure_falls_back_to_the_shipped_file_with_one_line(tmp_path):
    blocked = tmp_path / "models"
    blocked.write_text("a file where the folder should be")
    lines: list[str] = []
    source = bundled_model_path()
    assert working_copy(source, blocked, warn=lines.append, notice=lambda line: None) == source
    assert len(lines) == 1 and "using the shipped" in lines[0] and "\n" not in lines[0]


def test_a_broken_source_leaves_no_file_behind(tmp_path):
    source = tmp_path / "broken.gguf"
    source.write_bytes(b"GGUF" + b"\0" * 64)
    lines: list[str] = []
    assert working_copy(source, tmp_path / "models", warn=lines.append,
                        notice=lambda line: None) == source
    assert len(lines) == 1
    assert list((tmp_path / "models").iterdir()) == []
