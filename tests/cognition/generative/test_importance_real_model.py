"""The labelled-set check on the bundled model (issue 21): does the model's probability rating
rank everyday things below life events? Measured on SmolLM2-135M it does not (held-out rank
correlation about 0), so its check fails and the marked keyword scorer rates instead."""

from __future__ import annotations

import pytest

from cognition.generative import importance
from engine.provenance import rule
from generative_helpers import ISABELLA, factory

pytestmark = pytest.mark.llm

HELD_OUT = [i for i in importance.labelled_set() if not i.get("calibration")]


@pytest.fixture(scope="module")
def bundled():
    from cognition.llm import LlamaCppModel, bundled_model_path

    model = LlamaCppModel(bundled_model_path(), n_threads=1)
    yield model
    model.close()


def held_out_rho(model) -> float:
    mind = factory(model, importance_check=True).create(ISABELLA)
    got = [importance.expected_digit(mind.ctx, i["text"], 0, identity="")[0] for i in HELD_OUT]
    return importance.spearman(got, [float(i["label"]) for i in HELD_OUT])


# A random scorer fails this same assertion (test_importance_probs.py); so does the bundled
# model, measured: held-out rho -0.02, all 48 items -0.08. Strict: a model that passes shows.
@pytest.mark.xfail(strict=True, reason="SmolLM2-135M's ratings do not rank the labelled set")
def test_bundled_model_probability_ratings_rank_the_labelled_set(bundled):
    assert held_out_rho(bundled) >= importance.CHECK_RHO


def test_bundled_model_check_decides_and_every_rating_says_who_made_it(bundled):
    mind = factory(bundled, importance_check=True).create(ISABELLA)
    rated = importance.rate(mind.ctx, [i["text"] for i in HELD_OUT[:6]], 0)
    verdict = mind.state.importance_check
    assert verdict["method"] in ("probs", "keywords")
    if verdict["rho"] < importance.CHECK_RHO:
        assert verdict["method"] == "keywords"
        assert all(by == rule("importance.keywords") for _, by in rated)
    else:
        assert all(by.by_model for _, by in rated)
    assert not any(by == importance.FAILSAFE for _, by in rated)
