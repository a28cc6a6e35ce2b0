"""The real bundled model (SmolLM2-135M) for a game hour of the 3-agent base, checked the way
`simulacra analyze` checks a run: every action shown is an activity, no unknown place was ever
asked for (the engine would replace it and count an error), and the fallback share is bounded."""

from __future__ import annotations

import pytest

from cognition.analysis import analyze
from cognition.analysis.believability import fallback_share
from engine.dispatcher import ThreadPoolDispatcher
from engine.persistence import SaveStore
from engine.session import open_session
from game.wiring import MindOptions, build_minds

N3 = "base_the_ville_isabella_maria_klaus"
STEPS = 360  # one game hour from 07:00 (about 2-3 minutes on two cores)
MAX_FALLBACK_SHARE = 0.5


@pytest.mark.llm
def test_an_hour_on_the_bundled_model_is_believable(tmp_path):
    store = SaveStore(saves_root=tmp_path / "saves")
    minds = build_minds(MindOptions(mind="generative", workers=3), seed=7)
    session = open_session(store, fork=N3, load=None, name="smoke", factory=minds.factory,
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
    assert minds.call_log.records(), "the model was never called"
    path = session.save()
    session.close()
    report = analyze(path, ["Valentine's Day party"])
    check = report.believability
    assert check.actions > 0
    assert check.junk_share == 0, check.junk
    share = fallback_share(check.prompts)
    print(f"fallback share {share:.1%}; per prompt {check.prompts}")
    assert share <= MAX_FALLBACK_SHARE
    assert report.topics[0].since["Isabella Rodriguez"] is not None  # history planted at fork
