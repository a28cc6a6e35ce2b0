"""Statements about an agent put in the agent's own words (`common.first_person`)."""

from __future__ import annotations

import pytest

from cognition.generative.common import first_person


@pytest.mark.parametrize(
    "statement, expect",
    [
        ("Isabella Rodriguez is throwing a party for Isabella Rodriguez's customers",
         "I am throwing a party for my customers"),
        ("Isabella Rodriguez wants to invite as many people as Isabella Rodriguez can",
         "I want to invite as many people as I can"),
        ("Isabella secretly studies physics with Klaus", "I secretly study physics with Klaus"),
        ("Klaus likes Isabella Rodriguez", "Klaus likes me"),
        ("Isabella has known Klaus for years", "I have known Klaus for years"),
        ("the cafe is busy", "The cafe is busy"),
        ("Klaus has been helping Isabella settle in", "Klaus has been helping me settle in"),
        ("Klaus and Isabella live near the park", "Klaus and I live near the park"),
        ("Maria studies with Klaus and Isabella", "Maria studies with Klaus and me"),
        ("Isabella runs a cafe and shares a house with Maria",
         "I run a cafe and share a house with Maria"),
        ("Isabella likes apples and pears", "I like apples and pears"),
        ("During the morning Isabella bakes", "During the morning I bake"),
    ],
)
def test_first_person(statement, expect):
    assert first_person(statement, "Isabella Rodriguez") == expect
