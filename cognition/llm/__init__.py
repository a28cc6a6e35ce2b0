"""Language-model and embedding ports, their backends, fakes, structured calls and accounting.

See README.md in this package for how the pieces fit together.
"""

from cognition.llm.accounting import (
    AccountedModel,
    CallLog,
    CallRecord,
    CallStats,
    CallSummary,
    Usage,
)
from cognition.llm.base import (
    Completion,
    Embedder,
    LanguageModel,
    ModelError,
    Request,
    approx_tokens,
)
from cognition.llm.bundled import bundled_model_path
from cognition.llm.embed_cache import EmbeddingCache, normalise_rows
from cognition.llm.fakes import FailingModel, HashEmbedder, RoutedModel, ScriptedModel, SlowModel
from cognition.llm.llama_cpp_model import LlamaCppEmbedder, LlamaCppModel, check_gguf
from cognition.llm.openai_http import OpenAICompatibleEmbedder, OpenAICompatibleModel
from cognition.llm.requantize import DEFAULT_WEIGHTS, WEIGHTS, working_copy
from cognition.llm.schema import (
    array_of,
    check_schema,
    integer_range,
    object_schema,
    string,
    string_enum,
)
from cognition.llm.structured import Repaired, ask, clean_text, extract_json, free_text

__all__ = [
    "DEFAULT_WEIGHTS",
    "WEIGHTS",
    "AccountedModel",
    "CallLog",
    "CallRecord",
    "CallStats",
    "CallSummary",
    "Completion",
    "Embedder",
    "EmbeddingCache",
    "FailingModel",
    "HashEmbedder",
    "LanguageModel",
    "LlamaCppEmbedder",
    "LlamaCppModel",
    "ModelError",
    "OpenAICompatibleEmbedder",
    "OpenAICompatibleModel",
    "Repaired",
    "Request",
    "RoutedModel",
    "ScriptedModel",
    "SlowModel",
    "Usage",
    "approx_tokens",
    "array_of",
    "ask",
    "bundled_model_path",
    "check_gguf",
    "check_schema",
    "clean_text",
    "extract_json",
    "free_text",
    "integer_range",
    "normalise_rows",
    "object_schema",
    "string",
    "string_enum",
    "working_copy",
]
