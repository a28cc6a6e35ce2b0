"""History CSVs in the original project's format: who believes what at the start of a run.

The file has the header `Name,Whisper`; each row names a persona and holds second-person
statements separated by `;` ("You and Klaus Mueller are close friends; ..."). The original's
own example files leave commas inside the statements unquoted ("...; For planning, you frequent
Hobbs Cafe for studying"), and the original read them by taking the first cell as the name and
the rest of the line as the statements. We read them the same way, keeping every statement
intact, and also accept properly quoted cells (with doubled quotes inside) and the usual
hand-edited variations: a UTF-8 BOM, CRLF line ends, blank lines, spaces around cells and
statements, a trailing `;`, trailing empty cells. Real mistakes are refused with a one-line
`UserError` that names the file and the line; rows naming agents absent from the simulation are
refused with one line naming all of them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable, Iterator
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


@dataclass(frozen=True, slots=True)
class _Record:
    line: int  # first physical line of the record
    cells: list[str]  # as the csv module parsed them
    raw: str  # the record's text, line ends removed


def split_statements(cell: str) -> tuple[str, ...]:
    """Split a Whisper cell on `;`, trimming spaces and dropping empty pieces."""
    pieces = (" ".join(piece.split()) for piece in cell.split(";"))
    return tuple(piece for piece in pieces if piece)


class _CsvError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def _records(text: str) -> Iterator[_Record]:
    """Yield each non-blank CSV record with its parsed cells and its raw text.

    The csv reader pulls exactly the physical lines of one record per row (it never reads
    ahead), so the lines it consumed since the last row are that row's raw text.
    """
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for physical in text.splitlines(keepends=True):
            consumed.append(physical)
            yield physical

    reader = csv.reader(lines(), skipinitialspace=True)
    line = 1
    while True:
        consumed.clear()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _CsvError(reader.line_num, str(exc)) from None
        start, line = line, reader.line_num + 1
        if any(cell.strip() for cell in row):
            raw = "".join(consumed).rstrip("\r\n")
            if "\n" in raw and raw.count('"') % 2:
                raise _CsvError(start, "a quote opened on this line is never closed")
            yield _Record(start, row, raw)


def _original_row(record: _Record, width: int) -> list[str]:
    """Cells of a row with more cells than the header: the last column takes the rest.

    This is how the original read its files: unquoted commas belong to the statements. The
    rest is re-read from the raw record without skipping spaces after commas, so the text
    around each comma is kept exactly as written.
    """
    cells = [cell.strip() for cell in record.cells]
    try:
        exact = next(csv.reader(io.StringIO(record.raw, newline="")))
    except (csv.Error, StopIteration):
        exact = record.cells
    rest = exact[width - 1:] if len(exact) >= width else record.cells[width - 1:]
    return cells[: width - 1] + [",".join(rest).strip()]


def _refuse_open_quote(text: str, fail) -> None:
    """A quote opened in the last record and never closed (the lenient reader would take the
    rest of the file as one cell): one error naming the line where that record starts."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True, strict=True)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            raise fail(start, "a quote opened on this line is never closed") from None


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
        for record in _records(text):
            cells = [cell.strip() for cell in record.cells]
            width = len(columns) if columns is not None else 1
            while len(cells) > width and not cells[-1]:
                cells.pop()  # trailing empty cells from spreadsheet exports
            if columns is None:
                columns = cells
                for required in (NAME_COLUMN, WHISPER_COLUMN):
                    if required not in columns:
                        raise fail(record.line,
                                   f"header must have columns 'Name' and 'Whisper', got {cells}")
                continue
            if len(cells) > len(columns) and columns[-1] == WHISPER_COLUMN:
                cells = _original_row(record, len(columns))
            if len(cells) != len(columns):
                raise fail(record.line, f"expected {len(columns)} cells, got {len(cells)}")
            name = cells[columns.index(NAME_COLUMN)]
            if not name:
                raise fail(record.line, "empty persona name")
            whisper = cells[columns.index(WHISPER_COLUMN)]
            entries.append(HistoryEntry(name, split_statements(whisper), record.line))
    except _CsvError as exc:
        raise fail(exc.line, f"malformed CSV ({exc})") from None
    _refuse_open_quote(text, fail)
    if columns is None:
        raise fail(1, "empty file, expected the header 'Name,Whisper'")
    if known_names is not None:
        _refuse_unknown(entries, known_names, source)
    return entries


def _refuse_unknown(
    entries: list[HistoryEntry], known_names: Collection[str], source: str
) -> None:
    unknown = [entry for entry in entries if entry.name not in known_names]
    if not unknown:
        return
    rows = ", ".join(f"'{entry.name}' (line {entry.line})" for entry in unknown[:5])
    if len(unknown) > 5:
        rows += f" and {len(unknown) - 5} more"
    agents = ", ".join(sorted(known_names)[:20]) or "none"
    raise UserError(
        f"history file {source}: no agent in this simulation is named {rows} (agents: {agents})"
    )


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
