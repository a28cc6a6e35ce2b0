"""`simulacra import-original`: a folder in the original project's storage format becomes a save.

The fixture is written here from the documented format (original_architecture.md §3), with our
own text: two residents of the Ville and one stranger, memories of all three kinds, spatial
knowledge with places our Ville has and places it lacks.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cognition.generative import GenerativeMindFactory
from cognition.llm.fakes import HashEmbedder, ScriptedModel
from engine.dispatcher import InlineDispatcher
from engine.persistence import SaveStore
from engine.session import open_session
from game.cli import main
from game.commands.import_original import REPORT, import_folder

CAFE = {"cafe": ["cafe customer seating", "piano", "espresso robot"]}


def _scratch(name: str, first: str, last: str, **extra) -> dict:
    scratch = {
        "vision_r": 6, "att_bandwidth": 4, "retention": 7, "curr_time": None, "curr_tile": None,
        "daily_plan_req": f"{first} studies hard", "name": name, "first_name": first,
        "last_name": last, "age": 20, "innate": "curious, patient, wry",
        "learned": f"{name} is a student who keeps a detailed notebook.",
        "currently": f"{name} is collecting interviews for a term paper.",
        "lifestyle": f"{first} goes to bed around midnight and wakes at 8am.",
        "living_area": f"the Ville:Dorm for Oak Hill College:{name}'s room",
        "concept_forget": 100, "daily_reflection_time": 180, "daily_reflection_size": 5,
        "overlap_reflect_th": 2, "kw_strg_event_reflect_th": 4, "kw_strg_thought_reflect_th": 4,
        "recency_w": 1, "relevance_w": 1, "importance_w": 1, "recency_decay": 0.99,
        "importance_trigger_max": 120, "importance_trigger_curr": 100, "importance_ele_n": 3,
        "thought_count": 5, "daily_req": [], "f_daily_schedule": [["sleeping", 480]],
        "f_daily_schedule_hourly_org": [], "act_address": None, "act_start_time": None,
        "act_duration": None, "act_description": None, "act_pronunciatio": None,
        "act_event": [name, None, None], "act_obj_description": None,
        "act_obj_pronunciatio": None, "act_obj_event": [None, None, None],
        "chatting_with": None, "chat": None, "chatting_with_buffer": {},
        "chatting_end_time": None, "act_path_set": False, "planned_path": [],
    }
    return {**scratch, **extra}


def _node(n: int, kind: str, created: str, description: str, poignancy: int, spo, **extra):
    return {"node_id": f"node_{n}", "node_count": n, "type_count": n, "type": kind, "depth": 0,
            "created": created, "expiration": None, "subject": spo[0], "predicate": spo[1],
            "object": spo[2], "description": description, "embedding_key": description,
            "poignancy": poignancy, "keywords": [spo[0].lower(), spo[2].lower()],
            "filling": [], **extra}


def _klaus_nodes() -> dict:
    nodes = [
        _node(1, "event", "2023-02-13 00:00:10", "bed is idle", 1, ("bed", "is", "idle")),
        _node(2, "event", "2023-02-13 07:10:00", "Maria Lopez is drinking coffee at the cafe",
              4, ("Maria Lopez", "is", "drinking coffee")),
        _node(3, "chat", "2023-02-13 07:20:00", "conversing about the term paper", 5,
              ("Klaus Mueller", "chat with", "Maria Lopez"),
              filling=[["Maria Lopez", "How is the paper going?"],
                       ["Klaus Mueller", "Slowly, but the interviews help."]]),
        _node(4, "thought", "2023-02-13 08:00:00", "Klaus Mueller values Maria's advice", 6,
              ("Klaus Mueller", "values", "advice"), filling=["node_2", "node_3", "node_99"],
              depth=1, expiration="2023-03-15 08:00:00"),
    ]
    return {n["node_id"]: n for n in reversed(nodes)}  # the original writes the newest first


def write_original(root: Path) -> Path:
    """An original simulation folder: Klaus and Maria from the Ville, and a stranger."""
    folder = root / "July1_the_ville_isabella_maria_klaus-step-3-1"
    names = ["Klaus Mueller", "Maria Lopez", "Zed Quill"]

    def put(relative: str, data) -> None:
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    put("reverie/meta.json", {
        "fork_sim_code": "base_the_ville_isabella_maria_klaus", "start_date": "February 13, 2023",
        "curr_time": "February 13, 2023, 09:30:00", "sec_per_step": 10, "maze_name": "the_ville",
        "persona_names": names, "step": 3420})
    memories = {"Klaus Mueller": _klaus_nodes(), "Maria Lopez": {}, "Zed Quill": {}}
    spatial = {
        "Klaus Mueller": {"the Ville": {"Hobbs Cafe": CAFE, "Dorm for Oak Hill College": {
            "Klaus Mueller's room": ["bed", "desk"]}, "Moon Base": {"crater": ["flag"]}}},
        "Maria Lopez": {"the Ville": {"Johnson Park": {"park": ["park garden"]}}},
        "Zed Quill": {"the Ville": {}},
    }
    for name in names:
        first, last = name.split()
        base = f"personas/{name}/bootstrap_memory"
        extra = {"curr_tile": [127, 46]} if first == "Klaus" else {}
        put(f"{base}/scratch.json", _scratch(name, first, last, **extra))
        put(f"{base}/spatial_memory.json", spatial[name])
        put(f"{base}/associative_memory/nodes.json", memories[name])
        put(f"{base}/associative_memory/kw_strength.json",
            {"kw_strength_event": {"bed": 1}, "kw_strength_thought": {"plan": 1}})
        put(f"{base}/associative_memory/embeddings.json",
            {n["embedding_key"]: [0.1, 0.2] for n in memories[name].values()})
    for step in range(3):
        put(f"environment/{step}.json", {name: {"maze": "the_ville", "x": 1, "y": 2}
                                         for name in names})
    return folder


def _fake_session(store: SaveStore):
    factory = GenerativeMindFactory(ScriptedModel([]), HashEmbedder(64), seed=7)
    return lambda name: open_session(store, fork=None, load=name, name=None, factory=factory,
                                     dispatcher=InlineDispatcher())


def test_import_maps_personas_memories_and_places_and_lists_the_rest(tmp_path, simulacra_home):
    folder = write_original(tmp_path)
    store = SaveStore()
    path, plan, report = import_folder(folder, "imported", store, _fake_session(store))
    meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    assert meta["personas"] == ["Klaus Mueller", "Maria Lopez"]
    assert meta["start_time"] == "2023-02-13T09:30:00" and meta["step"] == 0
    klaus = json.loads((path / "personas" / "klaus_mueller.json").read_text(encoding="utf-8"))
    assert klaus["currently"] == "Klaus Mueller is collecting interviews for a term paper."
    assert (klaus["vision_radius"], klaus["attention_bandwidth"], klaus["retention"]) == (6, 4, 7)
    assert klaus["reflection_threshold"] == 120 and klaus["recency_decay"] == 0.99
    assert "the Ville:Hobbs Cafe:cafe" in klaus["known_places"]

    # The save loads and continues; memories came across in order, re-embedded, linked.
    session = _fake_session(store)("imported")
    mind = session.sim.minds["Klaus Mueller"]
    nodes = mind.memory.nodes
    assert [n.description for n in nodes[-4:]] == [
        "bed is idle", "Maria Lopez is drinking coffee at the cafe",
        "conversing about the term paper", "Klaus Mueller values Maria's advice"]
    offset = len(nodes) - 4
    assert nodes[-1].evidence == (offset + 2, offset + 3) and nodes[-1].kind == "thought"
    assert nodes[-2].filling[0] == ("Maria Lopez", "How is the paper going?")
    assert mind.memory.importance_since_reflection >= 20
    assert mind.spatial.knows("the Ville:Hobbs Cafe:cafe:piano")
    assert not mind.spatial.knows("the Ville:Hobbs Cafe:cafe:espresso robot")
    session.sim.run(5)
    session.close()

    text = (path / REPORT).read_text(encoding="utf-8")
    for expected in ("Zed Quill: NOT IMPORTED", "espresso robot is not an object",
                     "Moon Base:crater (with 1 objects) is not a place",
                     "curr_tile = [127, 46]: not imported",
                     "1 evidence links", "'expiration' (in 1 memories)", "embeddings.json not used",
                     "f_daily_schedule = [['sleeping', 480]]", "daily_plan_req",
                     "4 memories stored", "imported 2 of 3 personas",
                     "environment/ (3 entries): not imported"):
        assert expected in text, expected
    assert report == text.splitlines()


def _cli(*args):
    return main(["import-original", *map(str, args), "--mind", "routine"])


def test_cli_import_with_routine_minds_lists_the_memories_it_cannot_keep(
        tmp_path, simulacra_home, capsys):
    folder = write_original(tmp_path)
    assert _cli(folder) == 0
    out = capsys.readouterr().out
    name = folder.name
    assert "Klaus Mueller: 4 memories not imported: routine minds keep no memory stream" in out
    assert (simulacra_home / "saves" / name / REPORT).is_file()
    assert main(["run", "--load", name, "--steps", "3", "--mind", "routine", "--quiet"]) == 0
    assert "Zed Quill" in (simulacra_home / "saves" / name / REPORT).read_text(encoding="utf-8")
    assert _cli(folder) == 2  # the save exists now: one line, nothing touched
    assert "already exists" in capsys.readouterr().err


def _break(folder: Path, relative: str, text: str | None) -> None:
    path = folder / relative
    if text is None:
        path.unlink()
    else:
        path.write_text(text, encoding="utf-8")


KLAUS = "personas/Klaus Mueller/bootstrap_memory"


@pytest.mark.parametrize(("relative", "text", "expected"), [
    ("reverie/meta.json", None, "missing reverie/meta.json"),
    ("reverie/meta.json", "{not json", "not valid JSON"),
    ("reverie/meta.json", "[]", "expected a JSON object"),
    ("reverie/meta.json", '{"curr_time": "February 13, 2023, 09:30:00", "sec_per_step": 10, '
     '"maze_name": "the_ville", "persona_names": ["../x"], "step": 0}', "cannot be a folder"),
    ("reverie/meta.json", '{"curr_time": "13/02/2023", "sec_per_step": 10, "maze_name": '
     '"the_ville", "persona_names": ["Klaus Mueller"], "step": 0}', "is not in the form"),
    ("reverie/meta.json", '{"curr_time": "February 13, 2023, 09:30:00", "sec_per_step": 10, '
     '"maze_name": "moon", "persona_names": ["Klaus Mueller"], "step": 0}', "not the Ville"),
    (f"{KLAUS}/scratch.json", None, "missing personas/Klaus Mueller"),
    (f"{KLAUS}/spatial_memory.json", '{"the Ville": ["x"]}', "must map sectors"),
    (f"{KLAUS}/associative_memory/nodes.json", '{"node_1": {"type": "event"}}',
     "missing field 'node_count'"),
    (f"{KLAUS}/associative_memory/nodes.json", '{"node_1": {"node_count": 1, "type": "dream", '
     '"created": "2023-02-13 00:00:00", "description": "x", "poignancy": 1}}', "type 'dream'"),
])
def test_malformed_input_is_one_line_and_exit_2(tmp_path, simulacra_home, capsys, relative,
                                                text, expected):
    folder = write_original(tmp_path)
    _break(folder, relative, text)
    assert _cli(folder, "--name", "broken") == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (simulacra_home / "saves" / "broken").exists()


def test_symbolic_links_are_refused_so_nothing_outside_is_read(tmp_path, simulacra_home,
                                                               capsys):
    folder = write_original(tmp_path / "a")
    outside = tmp_path / "outside.json"
    outside.write_text("{}", encoding="utf-8")
    target = folder / KLAUS / "spatial_memory.json"
    target.unlink()
    os.symlink(outside, target)
    assert _cli(folder) == 2
    assert "symbolic link" in capsys.readouterr().err
    os.unlink(target)
    shutil_dir = folder / "personas" / "Maria Lopez"
    moved = tmp_path / "maria"
    shutil_dir.rename(moved)
    os.symlink(moved, shutil_dir)
    (folder / KLAUS / "spatial_memory.json").write_text("{}", encoding="utf-8")
    assert _cli(folder) == 2
    assert "Maria Lopez: is a symbolic link" in capsys.readouterr().err
    link = tmp_path / "link"
    os.symlink(folder, link)
    assert _cli(link) == 2 and "symbolic link" in capsys.readouterr().err
    assert _cli(tmp_path / "nope") == 2 and "not a folder" in capsys.readouterr().err
