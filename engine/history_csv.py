"""History CSVs in the original project's format: who believes what at the start of a run.

The file has the header `Name,Whisper`; each row names a persona and holds one cell of
second-person statements separated by `;` ("You and Klaus Mueller are close friends; ...").
The cell is quoted when it contains commas, with doubled quotes inside. We accept the usual
hand-edited variations (a UTF-8 BOM, blank lines, spaces around cells and statements, a trailing
`;`, trailing empty cells) and refuse real mistakes with a one-line `UserError` that names the
file and the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

from engine.errors import UserError

NAME_COLUMN = "Name"
WHISPER_COLUMN = "Whisper"


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One row: a persona and the statements it starts out believing, with its line number."""

    name: str
    statements: tuple[str, ...]
    line: int


def split_statements(cell: str) -> tuple[str, ...]:
    """Split a Whisper cell on `;`, trimming spaces and dropping empty pieces."""
    pieces = (" ".join(piece.split()) for piece in cell.split(";"))
    return tuple(piece for piece in pieces if piece)


def _rows(text: str) -> Iterable[tuple[int, list[str]]]:
    """Yield (first line number, cells) for each non-blank CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _CsvError(reader.line_num, str(exc)) from None
        start, line = line, reader.line_num + 1
        if any(cell.strip() for cell in row):
            yield start, row


class _CsvError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def parse_history(
    text: str, source: str, known_names: Collection[str] | None = None
) -> list[HistoryEntry]:
    """Parse history CSV text; `source` names it in errors, `known_names` limits the personas."""
    text = text.removeprefix("\ufeff")

    def fail(line: int, problem: str) -> UserError:
        return UserError(f"history file {source}, line {line}: {problem}")

    entries: list[HistoryEntry] = []
    columns: list[str] | None = None
    try:
        for line, row in _rows(text):
            cells = [cell.strip() for cell in row]
            width = len(columns) if columns is not None else 1
            while len(cells) > width and not cells[-1]:
                cells.pop()  # trailing empty cells from spreadsheet exports
            if columns is None:
                columns = cells
                for required in (NAME_COLUMN, WHISPER_COLUMN):
                    if required not in columns:
                        raise fail(
                            line, f"header must have columns 'Name' and 'Whisper', got {row}"
                        )
                continue
            if len(cells) != len(columns):
                raise fail(line, f"expected {len(columns)} cells, got {len(cells)}")
            name = cells[columns.index(NAME_COLUMN)]
            if not name:
                raise fail(line, "empty persona name")
            if known_names is not None and name not in known_names:
                raise fail(line, f"unknown persona '{name}'")
            whisper = cells[columns.index(WHISPER_COLUMN)]
            entries.append(HistoryEntry(name, split_statements(whisper), line))
    except _CsvError as exc:
        raise fail(exc.line, f"malformed CSV ({exc})") from None
    if columns is None:
        raise fail(1, "empty file, expected the header 'Name,Whisper'")
    return entries


def load_history(
    path: str | Path, known_names: Collection[str] | None = None
) -> list[HistoryEntry]:
    """Read and parse a history CSV file (UTF-8, with or without a BOM)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(f"history file {path}: not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"history file {path}: cannot read ({exc})") from None
    return parse_history(text, str(path), known_names)


def statements_by_name(entries: Iterable[HistoryEntry]) -> dict[str, list[str]]:
    """All statements per persona, in file order (a persona may have several rows)."""
    grouped: dict[str, list[str]] = {}
    for entry in entries:
        grouped.setdefault(entry.name, []).extend(entry.statements)
    return grouped
