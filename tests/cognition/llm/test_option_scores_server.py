"""Option scores from an OpenAI-compatible server's log-probabilities (issue 21), against a
stand-in transport: the first answer token's top log-probabilities become option
probabilities; a server that gives none is not asked again."""

from __future__ import annotations

import asyncio
import math
from types import SimpleNamespace as NS

import pytest

from cognition.llm.base import ModelError, Request
from cognition.llm.health import ServerHealth
from cognition.llm.openai_http import OpenAICompatibleModel
from cognition.llm.options import option_scorer

REQUEST = Request(prompt="Rate it 0-9.", purpose="importance", prompt_id="importance.probs.v1")


class Transport:
    """A `ServerClient` stand-in: runs the backend's coroutine against a fake chat client."""

    base_url = "http://fake/v1"

    def __init__(self, logprobs) -> None:
        self.health = ServerHealth("fake")
        self.bodies: list[dict] = []
        self.logprobs = logprobs

    def call(self, make, **_):
        async def create(**body):
            self.bodies.append(body)
            return NS(choices=[NS(logprobs=self.logprobs, message=NS(content="7"))],
                      usage=NS(prompt_tokens=12))  # fmt: skip

        client = NS(chat=NS(completions=NS(create=create)))
        return asyncio.run(make(client))

    def failure(self, reason: str) -> ModelError:
        return ModelError(reason)


def top(*pairs):
    tokens = [NS(token=t, logprob=math.log(p)) for t, p in pairs]
    return NS(content=[NS(token=tokens[0].token, logprob=tokens[0].logprob, top_logprobs=tokens)])


def test_top_logprobs_become_option_probabilities_in_one_token():
    transport = Transport(top(("7", 0.6), ("3", 0.2), ("I", 0.2)))
    model = OpenAICompatibleModel("http://fake", client=transport)
    assert option_scorer(model) is model
    answer = model.option_probs(REQUEST, [str(d) for d in range(10)])
    assert answer.probs[7] == pytest.approx(0.75) and answer.probs[3] == pytest.approx(0.25)
    assert answer.mass == pytest.approx(0.8) and answer.prompt_tokens == 12
    body = transport.bodies[0]
    assert body["max_tokens"] == 1 and body["logprobs"] is True and body["top_logprobs"] == 20


def test_a_server_without_logprobs_stops_offering_option_scores():
    model = OpenAICompatibleModel("http://fake", client=Transport(None))
    with pytest.raises(ModelError):
        model.option_probs(REQUEST, ["yes", "no"])
    assert option_scorer(model) is None
