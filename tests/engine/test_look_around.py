"""Looking around (engine.percepts): someone who stays in view is looked at again now and then.

Without it, a percept about a person came only when they first came into view, so two people
who sat in one cafe for hours were asked about each other once."""

from __future__ import annotations

from dataclasses import replace

from engine.agent_api import AgentView, Reason
from engine.bodies import AgentBody
from engine.percepts import looks_around, reasons, someone_awake
from engine.dispatcher import InlineDispatcher
from engine.persistence import SaveStore
from engine.session import open_session
from engine.simulation import SimSettings
from sim_helpers import N3, WrappedFactory


def view(**changes) -> AgentView:
    return replace(AgentView("Klaus Mueller", "reading", "", False, False, 2.0), **changes)


def test_each_agent_looks_around_once_per_interval_at_its_own_step():
    for name in ("Isabella Rodriguez", "Klaus Mueller", "Maria Lopez"):
        hits = [s for s in range(720) if looks_around(name, s, 180)]
        assert len(hits) == 4 and hits[1] - hits[0] == 180
    firsts = {min(s for s in range(180) if looks_around(n, s, 180))
              for n in ("Isabella Rodriguez", "Klaus Mueller", "Maria Lopez")}
    assert len(firsts) == 3  # staggered: a crowd does not look up at the same step
    assert not any(looks_around("Klaus Mueller", s, 0) for s in range(720))


def test_only_someone_awake_and_free_is_worth_a_look():
    assert someone_awake((view(),))
    assert not someone_awake((view(sleeping=True), view(in_conversation=True)))
    assert not someone_awake(())


def test_a_glance_is_a_perceived_reason_for_a_free_agent_only():
    body = AgentBody(name="Isabella Rodriguez", tile=(1, 1))
    body.action = None
    assert Reason.PERCEIVED in reasons(body, [], False, False, glance=True)
    assert Reason.PERCEIVED not in reasons(body, [], False, False, glance=False)
    body.conversation_id = 3
    assert Reason.PERCEIVED not in reasons(body, [], False, False, glance=True)


def glance_percepts(root, look_around_min: int) -> list:
    seen = []
    store = SaveStore(saves_root=root / "saves")
    factory = WrappedFactory(store.read_base(N3).meta.seed, lambda: None)
    original = factory.create

    def create(persona):
        mind = original(persona)
        inner = mind.decide

        def decide(percept):
            seen.append(percept)
            return inner(percept)
        mind.decide = decide
        return mind
    factory.create = create
    session = open_session(store, fork=N3, load=None, name=f"look{look_around_min}",
                           factory=factory, dispatcher=InlineDispatcher(),
                           settings=SimSettings(look_around_min=look_around_min))
    session.sim.run(1440)  # four game hours from 07:00
    return [p for p in seen if p.reasons == (Reason.PERCEIVED,)
            and not any(e.is_agent for e in p.events)]


def test_people_in_view_are_looked_at_again_and_only_with_look_around_on(tmp_path):
    glances = glance_percepts(tmp_path, 30)
    assert glances, "nobody in the 3-agent town looked around at someone in view for 4 hours"
    assert all(someone_awake(tuple(v for v in p.nearby_agents if v.name != p.agent))
               for p in glances)
    assert len(glance_percepts(tmp_path, 0)) < len(glances)
