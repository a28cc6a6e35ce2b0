"""The private llama-cpp-python fields this project relies on, and the pinned version range."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from cognition.llm.llama_compat import (
    LLAMA_FIELDS,
    MODULE_FIELDS,
    TESTED,
    IncompatibleLlamaCpp,
    check_llama,
    check_module,
    in_tested_range,
    missing_llama_fields,
)

ROOT = Path(__file__).resolve().parents[3]


def test_pyproject_pins_llama_cpp_python_to_the_tested_range():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    pins = [d for d in data["project"]["dependencies"] if d.startswith("llama-cpp-python")]
    assert pins == [f"llama-cpp-python{TESTED}"]


@pytest.mark.parametrize("version, ok", [("0.3.36", True), ("0.3.36.post1", True),
                                         ("0.3.35", False), ("0.3.37", False), ("0.4.0", False),
                                         ("garbage", False)])
def test_tested_range(version, ok):
    assert in_tested_range(version) is ok


def fake_llama(**drop: bool) -> SimpleNamespace:
    ctx = SimpleNamespace(ctx=1, kv_cache_seq_rm=print)
    model = SimpleNamespace(vocab=1, token_get_text=print)
    llm = SimpleNamespace(_ctx=ctx, _model=model, input_ids=[], n_tokens=0,
                          _requires_eval=False, model_params=SimpleNamespace())
    for dotted in drop:
        owner_path, _, name = dotted.rpartition("__")
        owner = getattr(llm, owner_path) if owner_path else llm
        delattr(owner, name)
    return llm


def test_a_complete_llama_passes():
    assert missing_llama_fields(fake_llama()) == []


@pytest.mark.parametrize("drop, named", [("_ctx__ctx", "Llama._ctx.ctx"),
                                         ("_model__vocab", "Llama._model.vocab"),
                                         ("input_ids", "Llama.input_ids"),
                                         ("n_tokens", "Llama.n_tokens"),
                                         ("_ctx__kv_cache_seq_rm", "Llama._ctx.kv_cache_seq_rm")])
def test_a_missing_private_field_fails_with_its_name_and_the_remedy(drop, named):
    with pytest.raises(IncompatibleLlamaCpp) as caught:
        check_llama(fake_llama(**{drop: True}), "9.9.9")
    message = str(caught.value)
    assert named in message and "9.9.9" in message and TESTED in message
    assert "\n" not in message


def test_a_module_without_use_extra_bufts_is_refused():
    class Params:
        _fields_ = [("vocab_only", bool)]

    module = SimpleNamespace(**{name: print for name in MODULE_FIELDS},
                             llama_model_params=Params, __version__="0.1.0")
    with pytest.raises(IncompatibleLlamaCpp, match="llama_model_params.use_extra_bufts"):
        check_module(module)


def test_the_installed_library_has_every_field_we_use():
    """Fails, naming the field, when an upgrade of llama-cpp-python removed one."""
    llama_cpp = pytest.importorskip("llama_cpp")
    import llama_cpp.llama_cpp as low

    check_module(low)
    assert in_tested_range(llama_cpp.__version__), (
        f"llama-cpp-python {llama_cpp.__version__} is installed; tested range {TESTED}")


@pytest.mark.llm
@pytest.mark.parametrize("extra", [False, True])
def test_a_real_model_loads_with_the_chosen_extra_buffers_and_has_every_field(extra):
    from cognition.llm import bundled_model_path
    from cognition.llm.llama_compat import load_llama

    llm = load_llama(str(bundled_model_path()), use_extra_bufts=extra, n_ctx=128, verbose=False)
    try:
        assert bool(llm.model_params.use_extra_bufts) is extra
        assert missing_llama_fields(llm) == [], [f"{w}.{n}" for w, n in LLAMA_FIELDS]
        assert re.search(r"\w", llm.detokenize(llm.tokenize(b"hello")).decode())
    finally:
        llm.close()
