"""News travels through the town: Isabella tells Maria about the party at Hobbs Cafe, and Maria
later tells Klaus at the library — generative minds on a scripted model, the real map, the
real engine (walking, perception, reactions, turn-by-turn conversations)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cognition" / "generative"))

from generative_helpers import PARTY_LINE, brain_routes  # noqa: E402

from cognition.generative import GenerativeMindFactory  # noqa: E402
from cognition.llm.fakes import HashEmbedder, RoutedModel  # noqa: E402
from cognition.memory.chroma_index import make_client  # noqa: E402
from engine.agent_api import MessageKind  # noqa: E402
from engine.dispatcher import InlineDispatcher, ThreadPoolDispatcher  # noqa: E402
from engine.persistence import SaveStore  # noqa: E402
from engine.runlog import read_runlog  # noqa: E402
from engine.session import open_session  # noqa: E402

N3 = "base_the_ville_isabella_maria_klaus"
CAFE_SEAT = "the Ville:Hobbs Cafe:cafe:cafe customer seating"
LIBRARY = "the Ville:Oak Hill College:library:library table"
WHISPER = "You are hosting a Valentine's Day party at Hobbs Cafe on February 14th from 5pm"


def scripted_town(tmp_path: Path, name: str, dispatcher=None):
    """A 3-agent session whose minds follow a script: where to go depends on a phase flag."""
    phase = {"maria_goes_to": CAFE_SEAT}

    def decompose(request):
        places = request.schema["properties"]["place"]["enum"]
        wanted = {"Isabella Rodriguez": CAFE_SEAT, "Klaus Mueller": LIBRARY,
                  "Maria Lopez": phase["maria_goes_to"]}[request.agent]
        place = wanted if wanted in places else places[0]
        subtasks = [{"task": "settling in", "minutes": 10, "emoji": "🪑"},
                    {"task": "reading", "minutes": 20, "emoji": "📖"}]
        return json.dumps({"subtasks": subtasks, "place": place})

    model = RoutedModel(brain_routes(**{"plan.decompose.v1": decompose}))
    store = SaveStore(saves_root=tmp_path / "saves")
    factory = GenerativeMindFactory(model, HashEmbedder(64), seed=7, chroma_client=make_client())
    session = open_session(store, fork=N3, load=None, name=name, factory=factory,
                           dispatcher=dispatcher or InlineDispatcher())
    return session, phase


def memories_about_party(sim, agent: str) -> list[str]:
    return [n.description for n in sim.minds[agent].memory.nodes if "Valentine" in n.description]


def spoken_lines(session) -> list[tuple[str, str]]:
    return [(agent, view["say"]) for record in read_runlog(session.loaded.runlog_path)
            for agent, view in record["agents"].items() if view.get("say")]


def run_until(sim, condition, max_steps: int) -> bool:
    for _ in range(max_steps):
        sim.run(1)
        if condition():
            return True
    return False


def test_isabella_tells_maria_and_maria_tells_klaus(tmp_path):
    session, phase = scripted_town(tmp_path, "spread")
    sim = session.sim
    sim.submit_message("Isabella Rodriguez", MessageKind.WHISPER, WHISPER)
    assert not memories_about_party(sim, "Maria Lopez")

    assert run_until(sim, lambda: memories_about_party(sim, "Maria Lopez"), 1500), \
        "Maria never heard about the party"
    assert not memories_about_party(sim, "Klaus Mueller")

    phase["maria_goes_to"] = LIBRARY
    assert run_until(sim, lambda: memories_about_party(sim, "Klaus Mueller"), 2500), \
        "Klaus never heard about the party"

    session.sim.runlog.flush()
    said = spoken_lines(session)
    assert ("Isabella Rodriguez", PARTY_LINE) in said
    assert ("Maria Lopez", PARTY_LINE) in said  # Maria passed it on in her own words' slot
    assert not sim.errors, sim.last_error
    session.close()


def test_generative_town_is_deterministic_inline_or_on_a_thread_pool(tmp_path):
    one, _ = scripted_town(tmp_path / "a", "one")
    two, _ = scripted_town(tmp_path / "b", "two", dispatcher=ThreadPoolDispatcher(3))
    for session in (one, two):
        session.sim.submit_message("Isabella Rodriguez", MessageKind.WHISPER, WHISPER)
        session.sim.run(400)
    assert one.sim.world_hash() == two.sim.world_hash()
    one.close()
    two.close()
