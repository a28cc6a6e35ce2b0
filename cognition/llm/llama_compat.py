"""What this project needs from llama-cpp-python beyond its public API, checked in one place.

`cognition/llm/` reaches into llama-cpp-python's private fields (the context pointer for
logits and saved states, the vocabulary for grammars, the evaluated tokens for prefix reuse)
and sets one model parameter its `Llama` does not take (`use_extra_bufts`, see
`cognition.llm.cpu`). These change between releases, so pyproject.toml pins the range the
project is tested with (`TESTED`), and `check_private_api` turns a missing field into one line
naming it and the version to install, instead of an AttributeError deep inside a model call.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

TESTED = ">=0.3.36,<0.3.37"  # keep equal to pyproject.toml's pin
TESTED_LOW, TESTED_BELOW = (0, 3, 36), (0, 3, 37)

# (where, name): attributes of a loaded `Llama` (or of the module) the project relies on.
LLAMA_FIELDS = (
    ("Llama", "_ctx"), ("Llama._ctx", "ctx"), ("Llama._ctx", "kv_cache_seq_rm"),
    ("Llama", "_model"), ("Llama._model", "vocab"), ("Llama._model", "token_get_text"),
    ("Llama", "input_ids"), ("Llama", "n_tokens"), ("Llama", "_requires_eval"),
    ("Llama", "model_params"),
)
MODULE_FIELDS = (
    "llama_model_default_params", "llama_get_logits_ith", "llama_vocab_is_eog",
    "llama_sampler_init_grammar", "llama_sampler_apply", "llama_sampler_accept",
    "llama_sampler_free", "llama_token_data", "llama_token_data_array", "llama_state_get_size",
    "llama_state_get_data", "llama_state_set_data", "llama_model_quantize",
    "llama_model_quantize_default_params", "llama_print_system_info",
)
PARAM_FIELDS = ("use_extra_bufts",)

_PATCH_LOCK = threading.Lock()


class IncompatibleLlamaCpp(RuntimeError):
    """The installed llama-cpp-python lacks something this project uses."""


def in_tested_range(version: str) -> bool:
    """Whether a llama-cpp-python version is in `TESTED` (release numbers only)."""
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit()) if piece[:1].isdigit() else ""
        if not digits:
            return False
        parts.append(int(digits))
    return TESTED_LOW <= tuple(parts) < TESTED_BELOW


def _remedy(version: str) -> str:
    return (f"llama-cpp-python {version} is not the tested version; "
            f"pip install 'llama-cpp-python{TESTED}'")


def missing_module_fields(module: Any) -> list[str]:
    """Names in `MODULE_FIELDS` and `PARAM_FIELDS` that `module` (llama_cpp) lacks."""
    missing = [name for name in MODULE_FIELDS if not hasattr(module, name)]
    params = getattr(module, "llama_model_params", None)
    names = {f[0] for f in getattr(params, "_fields_", ())}
    missing += [f"llama_model_params.{name}" for name in PARAM_FIELDS if name not in names]
    return missing


def missing_llama_fields(llm: Any) -> list[str]:
    """Dotted names in `LLAMA_FIELDS` that a loaded `Llama` lacks."""
    missing = []
    for where, name in LLAMA_FIELDS:
        owner: Any = llm
        for part in where.split(".")[1:]:
            owner = getattr(owner, part, None)
        if owner is None or not hasattr(owner, name):
            missing.append(f"{where}.{name}")
    return missing


def check_module(module: Any) -> None:
    """`IncompatibleLlamaCpp` (one line) when the llama_cpp module lacks a field we use."""
    missing = missing_module_fields(module)
    if missing:
        version = getattr(module, "__version__", "?")
        raise IncompatibleLlamaCpp(f"missing {', '.join(missing)}: {_remedy(version)}")


def check_llama(llm: Any, version: str) -> None:
    """`IncompatibleLlamaCpp` (one line) when a loaded `Llama` lacks a field we use."""
    missing = missing_llama_fields(llm)
    if missing:
        raise IncompatibleLlamaCpp(f"missing {', '.join(missing)}: {_remedy(version)}")


@contextlib.contextmanager
def model_params_patch(module: Any, **fields: Any) -> Iterator[None]:
    """While open, `llama_model_default_params()` returns params with `fields` set.

    `Llama.__init__` builds its model parameters from that function and loads the model in the
    same call, so this is the only way to set a parameter its signature lacks. A lock keeps two
    loads from patching at once (the pool loads its contexts one after another anyway)."""
    with _PATCH_LOCK:
        original = module.llama_model_default_params

        def patched() -> Any:
            params = original()
            for name, value in fields.items():
                setattr(params, name, value)
            return params

        module.llama_model_default_params = patched
        try:
            yield
        finally:
            module.llama_model_default_params = original


def load_llama(path: str, *, use_extra_bufts: bool, **kwargs: Any) -> Any:
    """A `llama_cpp.Llama` for `path` with `use_extra_bufts` set, after checking the fields we
    use (`IncompatibleLlamaCpp`); errors loading the file propagate as llama_cpp raises them."""
    import llama_cpp
    import llama_cpp.llama_cpp as low

    check_module(low)
    with model_params_patch(low, use_extra_bufts=use_extra_bufts):
        llm = llama_cpp.Llama(model_path=path, **kwargs)
    try:
        if bool(llm.model_params.use_extra_bufts) != use_extra_bufts:
            raise IncompatibleLlamaCpp(
                f"use_extra_bufts was not applied: {_remedy(llama_cpp.__version__)}")
        check_llama(llm, llama_cpp.__version__)
    except IncompatibleLlamaCpp:
        llm.close()
        raise
    return llm
