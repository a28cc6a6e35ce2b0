"""The real bundled model (SmolLM2-135M) for a game hour of the 3-agent base: places stay
known, every action and line records who made it, and a minimum share of the run's decisions
is the model's, measured through provenance.

What this does not show: believability. The random model (`--model random`) makes decisions
too, so a share of model-made decisions is evidence that the model is asked and answers
usably, not that it answers well; the run is checked to differ from the random model's, and
the comparison of quality belongs to `simulacra evaluate`."""

from __future__ import annotations

import pytest

from cognition.analysis import analyze
from cognition.analysis.believability import fallback_share
from engine.dispatcher import ThreadPoolDispatcher
from engine.persistence import SaveStore
from engine.session import open_session
from game.wiring import MindOptions, build_minds

N3 = "base_the_ville_isabella_maria_klaus"
STEPS = 360  # one game hour from 07:00 (about 2-4 minutes on two cores)
MAX_FALLBACK_SHARE = 0.5
# Decisions the model can make: where (among near-ties), when (plan hours), how much a memory
# matters, what to say, what to answer. Measured on this hour (seed 7): 24 of 89 (27 %) were
# the model's text or choice; a model that always fails makes 0.
DECISIONS = ("places", "plan_hours", "importance", "lines", "chat_answers")
MIN_MODEL_DECISION_SHARE = 0.15


def _run(tmp_path, options: MindOptions, name: str):
    store = SaveStore(saves_root=tmp_path / "saves")
    minds = build_minds(options, seed=7)
    session = open_session(store, fork=N3, load=None, name=name, factory=minds.factory,
                           dispatcher=ThreadPoolDispatcher(3), model_name=minds.description)
    sim, town = session.sim, session.town
    for _ in range(STEPS):
        sim.run(1)
        for body in sim.bodies.values():
            if body.action is not None:
                address = body.action.address
                assert address == "<here>" or town.has_address(address), address
    repaired = sim.world.repaired_places
    assert not repaired, f"the engine replaced {repaired} unknown place(s): {sim.last_error}"
    path = session.save()
    session.close()
    return minds, analyze(path, ["Valentine's Day party"])


@pytest.mark.llm
def test_an_hour_on_the_bundled_model_records_who_decided_and_the_model_decides_some(tmp_path):
    minds, report = _run(tmp_path, MindOptions(mind="generative", workers=3), "smoke")
    assert minds.call_log.records(), "the model was never called"
    made = report.provenance
    assert 3 * STEPS - 30 <= made["actions"].total <= 3 * STEPS  # steps with an action shown
    assert made["actions"].unknown == 0 and made["lines"].unknown == 0
    decided = sum(made[k].total for k in DECISIONS)
    by_model = sum(made[k].share("model", "choice") * made[k].total for k in DECISIONS)
    share = by_model / decided if decided else 0.0
    print(f"model-made decisions {share:.1%} of {decided}; "
          + ", ".join(f"{k} {made[k].model_share:.0%}/{made[k].total}" for k in made.kinds))
    assert share >= MIN_MODEL_DECISION_SHARE
    check = report.believability
    assert check.actions > 0
    assert fallback_share(check.prompts) <= MAX_FALLBACK_SHARE
    _, control = _run(tmp_path / "random", MindOptions(mind="generative", model="random",
                                                       workers=3), "control")
    assert control.provenance["actions"].counts != made["actions"].counts  # not the control
