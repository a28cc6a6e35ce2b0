"""The bundled model (SmolLM2-135M) decides whether Klaus and Maria go to events they were told
of, on the events' day: the decision is the model's (`plan.commit.v1`, recorded as its choice),
and for events the agent was invited to and accepted, it goes.

Six decisions must all be "go": a uniformly random model (`--model random`) passes this with
probability 1/64. A model that always answers "yes" passes too: the test shows the party is
attended through the model's own decisions, not that the model weighs them.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from cognition.generative import planning
from engine.dispatcher import InlineDispatcher
from engine.persistence import SaveStore
from engine.provenance import Source
from engine.session import open_session
from game.wiring import MindOptions, build_minds

N3 = "base_the_ville_isabella_maria_klaus"
TOLD = (
    "Isabella told you that she is hosting a Valentine's Day party at Hobbs Cafe on February "
    "14th from 5 pm to 7 pm, and you said you would love to come",
    "Your friend invited you to a dinner at Hobbs Cafe on February 14th at 12:00, and you said "
    "you would come",
    "Isabella invited you to a concert at Johnson Park on February 14th from 8 pm to 10 pm, and "
    "you accepted",
)


@pytest.mark.llm
@pytest.mark.slow
def test_invited_agents_decide_to_go_on_the_day(tmp_path):
    store = SaveStore(saves_root=tmp_path / "saves")
    minds = build_minds(MindOptions(mind="generative", workers=1), seed=7)
    session = open_session(store, fork=N3, load=None, name="party", factory=minds.factory,
                           dispatcher=InlineDispatcher(), model_name=minds.description)
    decisions = []
    for name in ("Klaus Mueller", "Maria Lopez"):
        mind = session.sim.minds[name]
        for text in TOLD:
            mind.whisper(text, "2023-02-13T09:00:00")
        planning.ensure_day_plan(mind.ctx, datetime(2023, 2, 14, 8), 9000)
        decisions += mind.state.commitments
        hourly = mind.state.plan.hourly
        party = [h for h in range(24) if "Valentine's Day party" in hourly[h]]
        going = next(c for c in mind.state.commitments if "party" in c.what).going
        assert party == ([17, 18] if going == "yes" else []), (name, hourly)
    session.close()
    print([(c.what, c.going, str(c.by)) for c in decisions])
    assert len(decisions) == 6
    assert all(c.by.source is Source.MODEL_CHOICE and c.by.via == "plan.commit.v1"
               for c in decisions)
    assert all(c.going == "yes" for c in decisions), [(c.what, c.going) for c in decisions]
