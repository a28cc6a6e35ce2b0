"""A save's `meta.json`: the summary needed to list a save and rebuild its simulation.

Everything in it is checked on the way in, because people edit it by hand and share saves:
each field has a type and a range, persona names must be distinct and give distinct safe file
names, the map must be a shipped map name or a `.tmx` file inside the save folder, and a
`format_version` this program does not know is refused. The `name` field is informational only:
a save is identified by its folder, never by what its meta says.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from engine.clock import TIME_FORMAT
from engine.errors import UserError
from engine.personas import persona_slug

FORMAT_VERSION = 1
MAX_STEP_S = 3600
MAX_PERSONAS = 200
MIN_YEAR, MAX_YEAR = 1000, 3000  # and a run spans at most MAX_SPAN_S: it ends before 9999
MAX_SPAN_S = 1000 * 365 * 86400
_MAP_NAME_RE = re.compile(r"^[A-Za-z0-9_\-]{1,64}$")


@dataclass(frozen=True, slots=True)
class SaveMeta:
    """The summary of a save: enough to list it and to rebuild its simulation."""

    name: str
    map: str
    start_time: str
    step_s: int
    seed: int
    personas: tuple[str, ...]
    step: int = 0
    fork_source: str | None = None
    mind: str = ""
    model: str = ""
    runlog_lines: int = 0
    format_version: int = FORMAT_VERSION
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["personas"] = list(self.personas)
        return data

    @classmethod
    def from_json(cls, data: Any, where: str) -> SaveMeta:
        meta = _MetaChecker(data, where).run()
        if meta.step * meta.step_s > MAX_SPAN_S:  # the clock must stay within the calendar
            raise UserError(f"{where}: meta.json field 'step' {meta.step} at {meta.step_s} s "
                            f"a step runs past {MAX_SPAN_S // (365 * 86400)} years")
        return meta


class _MetaChecker:
    def __init__(self, data: Any, where: str):
        self.data, self.where = data, where

    def fail(self, problem: str) -> UserError:
        return UserError(f"{self.where}: meta.json {problem}")

    def get(self, key: str, default: Any = ...) -> Any:
        if key in self.data:
            return self.data[key]
        if default is ...:
            raise self.fail(f"is missing field '{key}'")
        return default

    def integer(self, key: str, default: Any = ..., low: int | None = None,
                high: int | None = None) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(f"field '{key}' must be a whole number, got {value!r:.60}")
        if (low is not None and value < low) or (high is not None and value > high):
            span = f"from {low}" + (f" to {high}" if high is not None else " up")
            raise self.fail(f"field '{key}' must be {span}, got {value}")
        return value

    def text(self, key: str, default: Any = ..., empty: bool = True) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or (not empty and not value.strip()):
            raise self.fail(f"field '{key}' must be a non-empty string, got {value!r:.60}")
        return value

    def run(self) -> SaveMeta:
        if not isinstance(self.data, dict):
            raise self.fail(f"must hold a JSON object, not {type(self.data).__name__}")
        version = self.integer("format_version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise self.fail(
                f"has format_version {version}; this Simulacra reads version {FORMAT_VERSION} "
                "(a newer program wrote it?)"
            )
        start_time = self.text("start_time")
        try:
            start = datetime.strptime(start_time, TIME_FORMAT)
        except ValueError:
            raise self.fail(
                f"field 'start_time' {start_time!r:.40} is not a time like 2023-02-13T07:00:00"
            ) from None
        if not MIN_YEAR <= start.year <= MAX_YEAR:
            raise self.fail(f"field 'start_time' {start_time!r:.40} is not between the years "
                            f"{MIN_YEAR} and {MAX_YEAR}")
        fork_source = self.get("fork_source", None)
        if fork_source is not None and not isinstance(fork_source, str):
            raise self.fail("field 'fork_source' must be a string or null")
        extra = self.get("extra", {})
        if not isinstance(extra, dict):
            raise self.fail("field 'extra' must be an object")
        name = self.get("name", "")
        return SaveMeta(
            name=name if isinstance(name, str) else "",
            map=self.map_ref(),
            start_time=start_time,
            step_s=self.integer("step_s", low=1, high=MAX_STEP_S),
            seed=self.integer("seed", low=-(2**63), high=2**63 - 1),
            personas=self.personas(),
            step=self.integer("step", 0, low=0, high=10**12),
            fork_source=fork_source,
            mind=self.text("mind", ""),
            model=self.text("model", ""),
            runlog_lines=self.integer("runlog_lines", 0, low=0, high=10**12),
            format_version=version,
            extra=extra,
        )

    def map_ref(self) -> str:
        value = self.text("map", empty=False)
        if value.endswith(".tmx"):
            parts = value.replace("\\", "/").split("/")
            if value.startswith(("/", "\\")) or ":" in value or any(
                p in ("", ".", "..") for p in parts
            ):
                raise self.fail(
                    f"field 'map' {value!r:.80} must be a map name or a .tmx file inside the "
                    "save folder"
                )
        elif not _MAP_NAME_RE.match(value):
            raise self.fail(f"field 'map' {value!r:.80} is not a map name (letters, digits, _ -)")
        return value

    def personas(self) -> tuple[str, ...]:
        value = self.get("personas")
        if not isinstance(value, list) or not value:
            raise self.fail("field 'personas' must be a non-empty list of names")
        if len(value) > MAX_PERSONAS:
            raise self.fail(f"lists {len(value)} personas; at most {MAX_PERSONAS}")
        seen: dict[str, str] = {}
        for name in value:
            if not isinstance(name, str) or not name.strip():
                raise self.fail(f"field 'personas' holds {name!r:.60}, not a name")
            try:
                slug = persona_slug(name)
            except UserError as exc:
                raise self.fail(f"field 'personas': {exc}") from None
            if slug in seen:
                other = seen[slug]
                what = "twice" if other == name else f"and '{other}' (same file name)"
                raise self.fail(f"lists persona '{name}' {what}; names must be distinct")
            seen[slug] = name
        return tuple(value)
