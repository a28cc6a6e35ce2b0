"""Place choice: candidates ranked by fit, routine and names; stages answer only listed names."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from generative_helpers import brain, factory

from cognition.generative.fit import fits
from cognition.generative.locations import is_private_to_other
from cognition.generative.places import choose, rank
from engine.personas import load_personas

N3 = Path(__file__).resolve().parents[3] / "saves" / "base_the_ville_isabella_maria_klaus"
KLAUS = load_personas(N3 / "personas", ["Klaus Mueller"])[0]


@pytest.mark.parametrize(
    "activity, expect",
    [
        ("sleeping", ":bed"),
        ("taking a shower", "man's bathroom:shower"),
        ("brushing his teeth", "man's bathroom:bathroom sink"),
        ("having breakfast at Hobbs Cafe", "Hobbs Cafe:cafe:cafe customer seating"),
        ("researching gentrification for his paper", "library:library table"),
    ],
)
def test_top_ranked_place_fits_the_activity(activity, expect):
    ctx = factory(brain()).create(KLAUS).ctx
    best = rank(ctx, activity, 10 * 60)[0].address
    assert best.endswith(expect), best
    assert fits(activity, best)


def test_shared_bathrooms_are_public_but_other_peoples_rooms_are_not():
    home = "the Ville:Dorm for Oak Hill College:Klaus Mueller's room"
    dorm = "the Ville:Dorm for Oak Hill College"
    assert not is_private_to_other(f"{dorm}:man's bathroom:shower", KLAUS.name, home)
    assert is_private_to_other(f"{dorm}:Maria Lopez's room:bed", KLAUS.name, home)
    assert not is_private_to_other(f"{dorm}:Klaus Mueller's room:bed", KLAUS.name, home)


def test_a_stage_answer_outside_its_list_falls_back_to_the_top_ranked():
    from datetime import datetime

    calls = []

    def narnia(request):
        (prop,) = request.schema["properties"].values()
        calls.append(prop["enum"])
        return json.dumps({"area": "Narnia", "room": "Narnia", "spot": "Narnia"})

    model = brain(**{"place.sector.v1": narnia, "place.arena.v1": narnia,
                     "place.object.v1": narnia})  # fmt: skip
    ctx = factory(model).create(KLAUS).ctx
    when = datetime(2023, 2, 13, 10)
    chosen = choose(ctx, "reading a book", when, 60)
    assert chosen == rank(ctx, "reading a book", 600)[0].address
    assert all(len(options) <= 4 for options in calls)
    assert ctx.spatial.knows(chosen)


def test_fit_rules_match_whole_word_starts():
    desk = "the Ville:Adam Smith's house:main room:desk"
    assert fits("writing his book on creativity", desk)  # "eat" inside a word is not eating
    assert not fits("eating lunch", desk)
    assert fits("eating dinner with his family",
                "the Ville:Lin family's house:common room:common room table")
    assert fits("waking up", "the Ville:Adam Smith's house:main room:bed")
