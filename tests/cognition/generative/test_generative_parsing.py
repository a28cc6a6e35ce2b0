"""Table-driven tests of the pure parsers: day plans, decompositions, places, reflection
(importance: test_importance_levels.py)."""

from __future__ import annotations

import pytest

from cognition.generative.prompts.memory import parse_insight, parse_questions
from cognition.generative.prompts.places import SECTOR, parse_stage
from cognition.generative.prompts.planning import parse_day, parse_decompose
from cognition.generative.schedule import fit_minutes
from cognition.llm.structured import Repaired

ROUTINE = ["sleeping"] * 7 + ["morning routine"] * 2 + ["working"] * 8 + ["relaxing"] * 7
CTX = {"date": "2023-02-13", "routine": ROUTINE, "routine_wake_min": 7 * 60}
PLAN5 = ["painting", "cooking dinner", "reading", "walking", "resting"]


def unwrap(value):
    return value.value if isinstance(value, Repaired) else value


def full_hours(activity="painting"):
    return [{"hour": h, "activity": activity} for h in range(24)]


@pytest.mark.parametrize(
    "value, repaired, expect",
    [
        # complete and valid: hours before wake-up become sleeping (they were sleeping anyway)
        (
            {
                "wake_up": "06:00",
                "day_plan": PLAN5,
                "hourly": [
                    {"hour": h, "activity": "sleeping" if h < 6 else "painting"} for h in range(24)
                ],
            },
            False,
            {6: "painting", 5: "sleeping", 23: "painting"},
        ),
        # missing hours filled from the routine
        (
            {
                "wake_up": "08:00",
                "day_plan": PLAN5,
                "hourly": [{"hour": 10, "activity": "Klaus is Painting."}],
            },
            True,
            {10: "painting", 11: "working", 8: "morning routine", 3: "sleeping"},
        ),
        # awake activity before wake-up is overwritten with sleeping
        (
            {"wake_up": "07:00", "day_plan": ["a"], "hourly": full_hours()},
            True,
            {0: "sleeping", 6: "sleeping", 7: "painting"},
        ),
        # garbage wake-up time -> routine wake-up; junk hour entries skipped
        (
            {
                "wake_up": "whenever",
                "day_plan": PLAN5,
                "hourly": [
                    {"hour": "x"},
                    5,
                    {"hour": 30, "activity": "flying"},
                    {"hour": 12, "activity": "having lunch"},
                    {"hour": 13, "activity": "the Ville:Hobbs Cafe"},
                ],
            },
            True,
            {12: "having lunch", 13: "working", 6: "sleeping", 7: "morning routine"},
        ),
        # 12-hour time with am/pm is understood
        (
            {"wake_up": "9am", "day_plan": PLAN5, "hourly": full_hours()},
            True,
            {8: "sleeping", 9: "painting"},
        ),
    ],
)
def test_parse_day_repairs(value, repaired, expect):
    result = parse_day(value, **CTX)
    assert isinstance(result, Repaired) is repaired
    plan = unwrap(result)
    assert len(plan.hourly) == 24 and 5 <= len(plan.day_plan) <= 8
    for hour, activity in expect.items():
        assert plan.hourly[hour] == activity


@pytest.mark.parametrize("value", [{}, [], "plan", None, {"hourly": [], "day_plan": []}, 42])
def test_parse_day_rejects_garbage(value):
    with pytest.raises((ValueError, TypeError)):
        parse_day(value, **CTX)


@pytest.mark.parametrize(
    "minutes, total, expect_len",
    [
        ([10, 15, 5], 30, 3),  # exact
        ([10, 10, 10], 60, 3),  # too short: scaled up
        ([100, 200], 45, 2),  # too long: scaled down
        ([0, -5, 10], 30, 3),  # zero and negative count as the minimum
        ([1], 120, 2),  # one task cannot exceed 60: repeated
        ([10] * 10, 20, 4),  # more tasks than fit at 5 min: truncated
        ([10, 10], 3, 1),  # a window shorter than the minimum: one short task
    ],
)
def test_fit_minutes(minutes, total, expect_len):
    out = fit_minutes(minutes, total, 5, 60)
    assert sum(out) == total
    assert len(out) == expect_len
    if total >= 5:
        assert all(5 <= m <= 60 for m in out)


@pytest.mark.parametrize(
    "subtasks",
    [
        [{"task": "making tea", "minutes": 7, "emoji": "☕"},
         {"task": "reading", "minutes": 9, "emoji": "x"}],
        [{"task": "making tea", "minutes": 0, "emoji": "☕"},
         {"task": "reading", "minutes": -20, "emoji": ""}],
        [{"task": "making tea", "minutes": "15", "emoji": "☕"}, {"bad": 1},
         {"task": "reading", "minutes": 500}],
    ],
)
def test_parse_decompose_fills_window(subtasks):
    value = {"subtasks": subtasks}
    tasks = unwrap(parse_decompose(value, start_min=600, total_min=50, low=5, high=60))
    assert sum(t.minutes for t in tasks) == 50
    assert tasks[0].start_min == 600 and tasks[-1].end_min == 650
    assert all(t.emoji and not t.emoji.isascii() for t in tasks)


@pytest.mark.parametrize(
    "task",
    ["the Willows Market and Pharmacy", "the Ville:Hobbs Cafe:cafe:behind the cafe counter",
     "bed", "shower", "hobbs Cafe:Hamilton:Hamilton", "<activity>", ""],
)
def test_decompose_never_keeps_a_place_or_address_as_a_task(task):
    value = {"subtasks": [{"task": task, "minutes": 10, "emoji": "🙂"}]}
    tasks = unwrap(parse_decompose(value, start_min=0, total_min=10, low=5, high=60,
                                   names={"bed", "shower"}, fallback_task="reading a book"))
    assert [t.task for t in tasks] == ["reading a book"]
    assert tasks[0].emoji == "📖"  # picked for the text that was kept, not the model's


NAMES = ["Hobbs Cafe", "Oak Hill College", "Johnson Park"]


@pytest.mark.parametrize(
    "answer, expected",
    [
        ({"area": "Hobbs Cafe"}, "Hobbs Cafe"),
        ({"area": "hobbs cafe"}, "Hobbs Cafe"),
        ({"area": "Moon Base"}, None),
        ({"area": "Hobbs"}, None),
        ({"area": ""}, None),
        ({"room": "Hobbs Cafe"}, None),
        (3, None),
    ],
)
def test_place_stage_never_answers_an_unlisted_name(answer, expected):
    if expected is None:
        with pytest.raises(ValueError):
            parse_stage(answer, stage=SECTOR, names=NAMES)
    else:
        assert parse_stage(answer, stage=SECTOR, names=NAMES) == expected


def test_parse_insight_names_the_person_and_cites_what_it_rests_on():
    statements = ["Klaus Mueller and Maria Lopez have been good friends for two years",
                  "Klaus Mueller is writing his research paper", "The cafe is busy"]
    text, evidence, cited = parse_insight(
        {"insight": "Klaus Mueller is a good friend of Maria Lopez"}, first="Klaus",
        statements=statements,
    )  # fmt: skip
    assert text == "Klaus Mueller is a good friend of Maria Lopez" and evidence == (0,)
    assert not cited  # no "because": the statements sharing its words
    _, evidence, cited = parse_insight(
        {"insight": "Klaus Mueller is a good friend of Maria Lopez", "because": [1, 3, 9]},
        first="Klaus", statements=statements,
    )  # fmt: skip
    assert cited and evidence == (0,)  # 3 shares no word with it, 9 is not a statement
    with pytest.raises(ValueError, match="misattributed"):
        parse_insight({"insight": "Klaus Mueller is a good friend of Maria Lopez"},
                      first="Klaus", statements=statements,
                      judge=lambda text: "misattributed claim about Klaus")  # fmt: skip
    for bad in ("Klaus feels", "<insight about Klaus>", "Maria is a good friend of the Lopez family",
                statements[1], "Klaus likes the weather very much today",
                "What does Klaus think of Maria Lopez and his friends?",
                "What matters to Klaus is what matters to Klaus as a person.",
                "Klaus Mueller is a friend of Maria Lopez, " + "and he is a friend " * 8 + "of Ma"):
        with pytest.raises(ValueError):
            parse_insight({"insight": bad}, first="Klaus" if "Klaus" in bad else "Tom",
                          statements=statements)


def test_parse_questions_drops_the_echoed_instruction():
    echo = "What is the most salient high-level question we can answer about Klaus Mueller?"
    with pytest.raises(ValueError):
        parse_questions({"questions": [echo, echo]}, count=3, first="Klaus")
    assert parse_questions({"questions": [echo, "Who is Klaus close to?"]}, count=3,
                           first="Klaus") == ["Who is Klaus close to?"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("I'm going to the party, and I'm baking, and I'm baking, and I'm baking",
         "I'm going to the party, and I'm baking"),
        ("Well... see you there! #Blog #BlogFest2023 #BlogFest2023", "Well... see you there!"),
        ("Hello. Hello. Hello.", "Hello."),
        ("A plain answer with no loops.", "A plain answer with no loops."),
        ("Reply with a stray brace} and more", "Reply with a stray brace and more"),
    ],
)
def test_clean_cuts_small_model_loops_and_junk(raw, expected):
    from cognition.generative.prompts.base import clean

    assert clean(raw, 400) == expected


@pytest.mark.parametrize(
    ("whisper", "stored"),
    [
        ("You want to invite as many of your customers as you can",
         "Isabella Rodriguez wants to invite as many of Isabella Rodriguez's customers as "
         "Isabella Rodriguez can"),
        ("You and Klaus Mueller have been friends for two years",
         "Isabella Rodriguez and Klaus Mueller have been friends for two years"),
        ("You have a secret crush on Klaus and have never told anyone",
         "Isabella Rodriguez has a secret crush on Klaus and has never told anyone"),
        ("You often see Maria when you study at Hobbs Cafe",
         "Isabella Rodriguez often sees Maria when Isabella Rodriguez studies at Hobbs Cafe"),
        ("Arthur lets you do comedy sets", "Arthur lets Isabella Rodriguez do comedy sets"),
        ("You are throwing a party", "Isabella Rodriguez is throwing a party"),
        ("You heard a rumour", "Isabella Rodriguez heard a rumour"),
    ],
)
def test_whispers_are_stored_in_the_third_person_and_grammatically(whisper, stored):
    from cognition.generative.common import third_person

    assert third_person(whisper, "Isabella Rodriguez") == stored


def test_day_v4_asks_choices_and_shows_no_answer():
    from cognition.generative.prompts.planning import PLAN_DAY, day_schema

    plans = ["planning a party", "reading poetry"]
    schema = day_schema(ROUTINE, 7, plans)
    assert schema["properties"]["wake_up_hour"] == {"type": "integer", "minimum": 6, "maximum": 8}
    slots = schema["properties"]["plans"]
    assert slots["minItems"] == slots["maxItems"] == 2
    assert slots["items"]["properties"]["hour"] == {"type": "integer", "minimum": 6, "maximum": 23}
    assert "plans" not in day_schema(ROUTINE, 7, [])["properties"]  # only the wake-up hour
    assert PLAN_DAY.example is None and "<" not in PLAN_DAY.text and "{{" not in PLAN_DAY.text


def test_parse_day_v4_places_plans_into_the_routine():
    answer = {"wake_up_hour": 6, "plans": [{"hour": 10, "hours": 2}, {"hour": 20, "hours": 9}]}
    plan = parse_day(answer, **CTX, plans=["planning a party", "reading poetry"])
    assert not isinstance(plan, Repaired)
    assert plan.wake_up_min == 6 * 60 and plan.hourly[5] == "sleeping"
    assert plan.hourly[6] == ROUTINE[7]  # up an hour early: the morning starts early
    assert plan.hourly[10] == plan.hourly[11] == "planning a party"
    assert plan.hourly[12] == ROUTINE[12]
    assert plan.hourly[20:23] == ("reading poetry",) * 3 and plan.hourly[23] == ROUTINE[23]
    short = parse_day({"wake_up_hour": 7, "plans": []}, **CTX, plans=["planning a party"])
    assert isinstance(short, Repaired) and short.value.hourly[8:] == tuple(ROUTINE[8:])


def test_parse_day_v3_choices_and_the_broad_plan_in_order():
    hourly = {f"{h:02d}:00": ROUTINE[h] for h in range(6, 24)}
    hourly["10:00"] = hourly["11:00"] = "planning a party"
    plan = parse_day({"wake_up_hour": 7, "hourly": hourly}, **CTX)
    assert not isinstance(plan, Repaired)
    assert plan.wake_up_min == 7 * 60 and plan.hourly[6] == "sleeping"
    assert plan.hourly[10] == "planning a party" and plan.hourly[12] == "working"
    assert plan.day_plan[:3] == ("morning routine", "working", "planning a party")


def test_intentions_read_from_statements():
    from cognition.generative.prompts.planning import intentions

    found = intentions([
        "Isabella Rodriguez is planning a Valentine's Day party at Hobbs Cafe on February 14th "
        "from 5 pm to 7 pm and wants as many people as possible to come.",
        "Klaus Mueller is writing a research paper on how gentrification affects low-income "
        "neighbourhoods.", "Tom is sleeping", "Ann is the Ville:Hobbs Cafe",
    ])  # fmt: skip
    assert found == ["planning a Valentine's Day party at Hobbs Cafe", "writing a research paper"]


def test_parse_act_takes_only_an_offered_choice():
    from cognition.generative.prompts.social import act_schema, parse_act

    labels = ("ask what Klaus is doing", "say goodbye")
    assert parse_act({"act": "say goodbye"}, labels=labels) == "say goodbye"
    assert act_schema(list(labels))["properties"]["act"]["enum"] == list(labels)
    for bad in ({"act": "dance"}, {"act": 3}, "say goodbye?", {}):
        with pytest.raises(ValueError):
            parse_act(bad, labels=labels)


def test_a_night_owl_wakes_after_the_long_sleep_and_keeps_last_nights_hours():
    from dataclasses import replace

    from cognition.generative.schedule import routine_wake_up
    from generative_helpers import MARIA

    owl = replace(MARIA, routine=(
        {"start": "00:00", "activity": "streaming games", "place": "x", "emoji": ""},
        {"start": "01:30", "activity": "brushing her teeth", "place": "x", "emoji": ""},
        {"start": "02:00", "activity": "sleeping", "place": "x", "emoji": ""},
        {"start": "09:00", "activity": "taking a shower", "place": "x", "emoji": ""},
        {"start": "20:00", "activity": "streaming games", "place": "x", "emoji": ""},
    ))  # fmt: skip
    assert routine_wake_up(owl) == 9 * 60
    routine = ["streaming games", "brushing her teeth"] + ["sleeping"] * 7 + ["studying"] * 15
    plan = unwrap(parse_day({"wake_up_hour": 9}, date="2023-02-13", routine=routine,
                            routine_wake_min=9 * 60))
    assert plan.hourly[:3] == ("streaming games", "brushing her teeth", "sleeping")
    assert plan.hourly[8] == "sleeping" and plan.hourly[9] == "studying"


def test_a_plan_never_takes_a_meal_sleep_or_washing_hour():
    routine = ["sleeping"] * 7 + ["taking a shower", "working", "working", "working",
                                  "working", "having lunch"] + ["working"] * 11
    plan = unwrap(parse_day({"wake_up_hour": 7, "plans": [{"hour": 11, "hours": 3}]},
                            date="2023-02-13", routine=routine, routine_wake_min=7 * 60,
                            plans=["planning a party"]))
    assert plan.hourly[10:15] == ("working", "planning a party", "having lunch",
                                  "planning a party", "working")


def test_intentions_are_the_persons_own():
    from cognition.generative.prompts.planning import intentions

    assert intentions(["Giorgio Rossi is curious about who is going to run for mayor",
                       "Giorgio Rossi is studying patterns in plants", "Ann is writing"],
                      person="Giorgio Rossi") == ["studying patterns in plants"]
