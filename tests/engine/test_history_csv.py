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
    with pytest.raises(UserError, match="line 4: unknown persona 'Bob Smith'"):
        parse_history(text, "h.csv", NAMES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Name,Thought\nKlaus Mueller,a\n", "h.csv, line 1: header"),
        ("\n\nPerson,Whisper\n", "line 3: header"),
        ("Name,Whisper\nKlaus Mueller,a\nNobody Here,b\n", "line 3: unknown persona 'Nobody Here'"),
        ("Name,Whisper\nKlaus Mueller,a,b\n", "line 2: expected 2 cells, got 3"),
        ("Name,Whisper\nKlaus Mueller\n", "line 2: expected 2 cells, got 1"),
        ("Name,Whisper\n  ,a\n", "line 2: empty persona name"),
        ("", "empty file"),
    ],
)
def test_mistakes_are_refused_with_the_line(text, expected):
    with pytest.raises(UserError, match=expected) as info:
        parse_history(text, "h.csv", NAMES)
    assert "\n" not in str(info.value)


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
