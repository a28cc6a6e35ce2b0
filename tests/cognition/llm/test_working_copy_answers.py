"""The Q8_0 working copy answers as the shipped Q4_1 file does, on a fixed prompt set.

Two measures, both greedy and on the real bundled model (so each must fail with a different
model): teacher-forced next-token agreement (both files read the same tokens, the shipped
file's answer, and at each position we compare their top choice), and the choices each file
makes among offered options through the JSON grammar, as the minds ask them."""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.llm

PROMPTS = [
    "Isabella Rodriguez runs Hobbs Cafe. It is 7:00 in the morning. What does she do first?",
    "Klaus Mueller is a student writing a paper on gentrification. Where does he go at noon?",
    "Maria Lopez meets Klaus at the cafe. What does she say to him?",
    "Summarise in one sentence: Isabella is planning a Valentine's Day party at Hobbs Cafe "
    "on February 14th from 5pm to 7pm and invites everyone she meets.",
    "Sam Moore wants to run for mayor. Who should he talk to first, and why?",
    "Rate from 1 to 10 how important this memory is: 'Klaus ate breakfast.'",
]
CHOICES = [
    ("Isabella wakes up at 6am. Which does she do next?",
     ["open the cafe", "go back to sleep", "paint a picture", "visit the library"]),
    ("Klaus needs a quiet place to write. Where does he go?",
     ["the library", "the bar", "the gym", "the supply store"]),
    ("Maria is hungry at noon. What does she do?",
     ["eat lunch at the cafe", "study physics", "go to bed", "play the guitar"]),
    ("Someone invites Klaus to a party at 5pm. What does he say?",
     ["yes, I will come", "no, I am busy", "who are you?", "I do not like parties"]),
    ("It is 11pm and Isabella has closed the cafe. What does she do?",
     ["go to sleep", "open the cafe", "go jogging", "call the mayor"]),
    ("Tom is angry about the election. Who does he talk to?",
     ["his wife Jane", "a stranger", "nobody", "the cafe's cat"]),
]


def files():
    from cognition.llm import bundled_model_path, working_copy
    from engine.paths import models_dir

    shipped = bundled_model_path()
    return shipped, working_copy(shipped, models_dir(), "q8_0")


def load(path):
    from cognition.llm.llama_compat import load_llama

    return load_llama(str(path), use_extra_bufts=False, n_ctx=512, n_threads=1,
                      n_threads_batch=1, verbose=False, logits_all=True)


def test_teacher_forced_next_token_agreement_is_high():
    import llama_cpp

    shipped_path, copy_path = files()
    shipped, copy = load(shipped_path), load(copy_path)
    agree = total = 0
    try:
        for text in PROMPTS:
            prompt = shipped.tokenize(text.encode("utf-8"), add_bos=True)
            shipped.reset()
            shipped.eval(prompt)
            answer = []
            for _ in range(24):  # the shipped file's greedy answer
                row = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(
                    shipped._ctx.ctx, -1), shape=(shipped.n_vocab(),))
                answer.append(int(row.argmax()))
                shipped.eval([answer[-1]])
            sequence = prompt + answer
            for llm in (shipped, copy):
                llm.reset()
                llm.eval(sequence)
            first = len(prompt) - 1  # logits at position i predict token i + 1
            a = np.asarray(shipped.scores[first:len(sequence) - 1]).argmax(axis=1)
            b = np.asarray(copy.scores[first:len(sequence) - 1]).argmax(axis=1)
            agree += int((a == b).sum())
            total += len(a)
    finally:
        shipped.close()
        copy.close()
    rate = agree / total
    print(f"Q8_0 copy vs shipped Q4_1: next-token agreement {agree}/{total} = {rate:.3f}")
    assert rate >= 0.9


def test_choices_among_offered_options_mostly_agree():
    from cognition.llm import LlamaCppModel, Request, object_schema, string_enum

    shipped_path, copy_path = files()
    picks = {}
    for label, path in (("shipped", shipped_path), ("q8_0", copy_path)):
        model = LlamaCppModel(path, n_threads=1, prefix_cache_mb=0)
        try:
            picks[label] = [model.complete(Request(
                prompt=f"{question}\nOptions: {'; '.join(options)}. Answer JSON with the key "
                '"choice".', purpose="t", prompt_id="t", agent="a", max_tokens=32,
                temperature=0.0, schema=object_schema({"choice": string_enum(options)}),
            )).text for question, options in CHOICES]  # fmt: skip
        finally:
            model.close()
    same = sum(a == b for a, b in zip(picks["shipped"], picks["q8_0"]))
    print(f"Q8_0 copy vs shipped Q4_1: {same}/{len(CHOICES)} choices the same")
    assert same >= len(CHOICES) - 2
