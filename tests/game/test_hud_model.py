"""The top bar is truthful while minds think: calls in flight with the age of the oldest, and
a tokens/s that counts tokens a long call is still generating (issue 11, item from issue 8)."""

from __future__ import annotations

import threading

from cognition.llm.accounting import AccountedModel, CallLog
from cognition.llm.base import Completion, Request
from game.window.sim_driver import ModelRates


class Clock:
    def __init__(self) -> None:
        self.now_s = 100.0

    def __call__(self) -> float:
        return self.now_s


class SlowModel:
    """Generates tokens while the test holds it; reports them as llama.cpp does."""

    name = "slow"

    def __init__(self) -> None:
        self.generated = 0
        self.release = threading.Event()
        self.started = threading.Event()

    def tokens_in_progress(self) -> int:
        return self.generated

    def complete(self, request: Request) -> Completion:
        self.started.set()
        self.release.wait(10)
        done, self.generated = self.generated, 0
        return Completion("{}", prompt_tokens=300, completion_tokens=done, latency_s=1.0)


def test_a_long_call_shows_in_flight_and_its_tokens_per_second():
    clock, model, log = Clock(), SlowModel(), CallLog()
    accounted = AccountedModel(model, log, clock=clock)
    rates = ModelRates(log, clock=clock)
    assert rates.text(clock()).startswith("model idle")
    call = threading.Thread(target=accounted.complete,
                            args=(Request("plan my day", "plan.day", "plan.day.v1", "Isabella"),))
    call.start()
    assert model.started.wait(5)
    texts = []
    for _ in range(12):  # 12 s into one call: nothing has finished yet
        clock.now_s += 1.0
        model.generated += 20
        texts.append(rates.text(clock()))
    assert log.totals() == (0, 0)
    assert "1 call, oldest 12 s" in texts[-1], texts[-1]
    assert 15 <= rates.tokens_s <= 25, texts[-1]  # 20 tokens a second, not 0.0
    model.release.set()
    call.join(5)
    clock.now_s += 1.0
    text = rates.text(clock())
    assert text.startswith("model idle") and log.totals() == (1, 540)
    assert rates.calls_s > 0
