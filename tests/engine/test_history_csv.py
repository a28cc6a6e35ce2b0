"""History CSVs in the original format: tolerant of hand edits, strict about real mistakes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from engine.errors import UserError
from engine.history_csv import load_history, parse_history, statements_by_name

ROOT = Path(__file__).resolve().parents[2]
NAMES = {"Klaus Mueller", "Maria Lopez", "Isabella Rodriguez"}


def test_quoted_cells_doubled_quotes_trailing_semicolon_and_spaces():
    text = (
        "Name,Whisper\n"
        '"Klaus Mueller",  "You like ""Hobbs Cafe"", a lot;  you study   sociology ; "\n'
        "\n"
        "Maria Lopez,You stream on Twitch;\n"
    )
    entries = parse_history(text, "h.csv", NAMES)
    assert [e.name for e in entries] == ["Klaus Mueller", "Maria Lopez"]
    assert entries[0].statements == ('You like "Hobbs Cafe", a lot', "you study sociology")
    assert entries[1].statements == ("You stream on Twitch",)
    assert [e.line for e in entries] == [2, 4]


def test_bom_and_crlf(tmp_path):
    path = tmp_path / "h.csv"
    path.write_bytes('\ufeffName,Whisper\r\nKlaus Mueller,"a; b"\r\n'.encode("utf-8"))
    entries = load_history(path, NAMES)
    assert entries[0].statements == ("a", "b")


def test_multiline_cell_keeps_the_first_line_number():
    text = 'Name,Whisper\nKlaus Mueller,"one;\ntwo"\nBob Smith,x\n'
    with pytest.raises(UserError, match=r"named 'Bob Smith' \(line 4\)"):
        parse_history(text, "h.csv", NAMES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name,Thought\nKlaus Mueller,a\n", "h.csv, line 1: header"),
        ("\n\nPerson,Whisper\n", "line 3: header"),
        ("Name,Whisper\nKlaus Mueller,a\nNobody Here,b\n", r"named 'Nobody Here' \(line 3\)"),
        ("Name,Thought,Whisper,Extra\nKlaus Mueller,a,b,c,d\n", "line 2: expected 4 cells, got 5"),
        ('Name,Whisper\nKlaus Mueller,"a;\nMaria Lopez,b\n', "line 2: malformed CSV"),
        ('Name,Whisper\nKlaus Mueller,"a quote never closed\n', "line 2: a quote opened on"),
        ("Name,Whisper\nKlaus Mueller\n", "line 2: expected 2 cells, got 1"),
        ("Name,Whisper\n  ,a\n", "line 2: empty persona name"),
        ("", "empty file"),
    ],
)
def test_mistakes_are_refused_with_the_line(text, expected):
    with pytest.raises(UserError, match=expected) as info:
        parse_history(text, "h.csv", NAMES)
    assert "\n" not in str(info.value)


# The original's own example files, as its users wrote them: a BOM, CRLF line ends and commas
# inside the statements without any quoting (the original took the first cell as the name and
# the rest of the line as the statements). Text written for this test in our own words.
ORIGINAL_STYLE = (
    "\ufeffName,Whisper\r\n"
    "Klaus Mueller,You are a student at Oak Hill College; For planning, you frequent Hobbs Cafe "
    "for studying;You and Maria Lopez, who studies physics, are friends\r\n"
    "Maria Lopez,You stream games on Twitch, mostly in the evening; You like Klaus Mueller\r\n"
    'Isabella Rodriguez,"You run Hobbs Cafe, which opens at 8am; You plan a party"\r\n'
)


def test_original_quoting_keeps_every_statement_intact(tmp_path):
    path = tmp_path / "agent_history_init_n3.csv"
    path.write_bytes(ORIGINAL_STYLE.encode("utf-8"))
    entries = load_history(path, NAMES)
    assert [e.name for e in entries] == ["Klaus Mueller", "Maria Lopez", "Isabella Rodriguez"]
    assert entries[0].statements == (
        "You are a student at Oak Hill College",
        "For planning, you frequent Hobbs Cafe for studying",
        "You and Maria Lopez, who studies physics, are friends",
    )
    assert entries[1].statements == (
        "You stream games on Twitch, mostly in the evening", "You like Klaus Mueller")
    assert entries[2].statements == ("You run Hobbs Cafe, which opens at 8am", "You plan a party")
    assert [e.line for e in entries] == [2, 3, 4]


def test_unquoted_commas_keep_quotes_and_spacing_inside_the_statements():
    text = 'Name,Whisper\nKlaus Mueller,You said "hi, there" to Maria;  It was  fun, really\n'
    (entry,) = parse_history(text, "h.csv", NAMES)
    assert entry.statements == ('You said "hi, there" to Maria', "It was fun, really")


def test_quoted_name_with_unquoted_statements_is_joined_back():
    (entry,) = parse_history('Name,Whisper\n"Klaus Mueller",a, b;c\n', "h.csv", NAMES)
    assert entry.statements == ("a, b", "c")
    assert entry.name == "Klaus Mueller"


def test_all_absent_agents_are_named_in_one_line():
    text = "Name,Whisper\nKlaus Mueller,a\nBob Smith,b\nEve Adams,c, d\n"
    with pytest.raises(UserError) as info:
        parse_history(text, "h.csv", NAMES)
    message = str(info.value)
    assert "'Bob Smith' (line 3)" in message and "'Eve Adams' (line 4)" in message
    assert "Klaus Mueller" in message.split("agents:")[1] and "\n" not in message


def test_statements_by_name_merges_rows():
    text = "Name,Whisper\nKlaus Mueller,a;b\nKlaus Mueller,c\n"
    assert statements_by_name(parse_history(text, "h.csv", NAMES)) == {
        "Klaus Mueller": ["a", "b", "c"]
    }


@pytest.mark.parametrize("base", ["base_the_ville_isabella_maria_klaus", "base_the_ville_n25"])
def test_shipped_history_files_load(base):
    folder = ROOT / "saves" / base
    names = json.loads((folder / "meta.json").read_text(encoding="utf-8"))["personas"]
    entries = load_history(folder / "history.csv", set(names))
    assert {e.name for e in entries} == set(names)
    for entry in entries:
        assert len(entry.statements) >= 2
        assert all(re.search(r"\b[Yy]our?\b", s) for s in entry.statements)  # second person
