"""An independent judge of shown text: rules of its own, not the filters the mind applies
before acting (`cognition.generative.actions.valid_activity`, `similar_lines`), so what passed
those filters can still be found wanting here.

- `cut_text`: text that stops mid-thought — it ends, with no closing punctuation, on a word that
  cannot end a phrase (an article, preposition, conjunction, subject pronoun or auxiliary:
  "… on how", "… She's"), on a stray
  symbol ("Shakespeare&"), on a dangling clause opened by a conjunction ("…, and is telling"),
  or it trails a fragment of two words or fewer after a sentence ("reading Shakespeare. She's
  reading it. She's"). An activity is one phrase and not a bare name ("Maria Lopez"); a
  sentence break inside it is cut text too.
- `near_repeat`: a line whose words, in order, match an earlier line's for at least
  `REPEAT_RATIO` (difflib's sequence ratio, where the mind's check counts shared words).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

REPEAT_RATIO = 0.8
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9])[.!?]\s+(?=\S)")
_CONJUNCTIONS = {"and", "or", "but", "so", "because", "while", "then", "as", "yet", "nor"}
_CANNOT_END = _CONJUNCTIONS | {
    # articles, determiners, possessives
    "a", "an", "the", "my", "your", "its", "our", "their", "every", "each",
    # prepositions
    "of", "to", "in", "on", "at", "for", "with", "from", "by", "about", "into", "onto", "over",
    "under", "than", "like", "between", "through", "during", "before", "after", "without",
    # subject pronouns and contracted subjects
    "i", "he", "she", "we", "they", "it's", "she's", "he's", "i'm", "you're", "we're",
    "they're", "i've", "i'll", "she'll", "he'll", "there's",
    # auxiliaries and question words that open a clause
    "is", "are", "was", "were", "be", "been", "am", "has", "have", "had", "will", "would",
    "can", "could", "should", "must", "do", "does", "did", "how", "what", "why", "where",
    "when", "who", "which", "whose", "if", "whether",
}
_DANGLING = 3  # a clause opened by a conjunction with this many words or fewer, at the end


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def cut_text(text: str, activity: bool = False) -> str:
    """Why `text` looks cut off ("" when it does not); `activity`: one phrase is expected."""
    stripped = text.strip()
    if not stripped:
        return "empty"
    if re.search(r"[&/\\(\[{<\-–,:;]\s*$", stripped):
        return "ends on a stray symbol"
    said = words(stripped)
    if not any(w.isalpha() for w in said):
        return "no words"
    if activity and all(w[:1].isupper() for w in _WORD.findall(stripped)):
        return "a name, not an activity"
    if said[-1] in _CANNOT_END and stripped[-1] not in ".!?\"'":  # "… know why?" is whole
        return f"ends on {said[-1]!r}"
    clauses = [c for c in re.split(r"[,;]", stripped) if c.strip()]
    last = words(clauses[-1]) if clauses else []
    if len(clauses) > 1 and last and last[0] in _CONJUNCTIONS and len(last) <= _DANGLING:
        return "ends on a dangling clause"
    sentences = [s for s in _SENTENCE_END.split(stripped) if s.strip()]
    if len(sentences) > 1:
        if len(words(sentences[-1])) <= 2:
            return "trails a fragment"
        if activity:
            return "an activity of several sentences"
    return ""


def near_repeat(text: str, earlier: list[str]) -> bool:
    """Whether `text` says an earlier line again (word order kept, `REPEAT_RATIO`)."""
    mine = words(text)
    return bool(mine) and any(
        SequenceMatcher(None, mine, words(old), autojunk=False).ratio() >= REPEAT_RATIO
        for old in earlier
    )
