"""Errors a user can cause: each carries one clear line for the command line to print."""

import re

# Control characters (and Unicode line separators) from a file or a name must not break the
# one line apart or drive the terminal (an ESC sequence in a shared save's persona name).
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u0085]")
MAX_LINE = 1000  # characters of one error line; the rest is counted, not shown


def cap_line(text: str, limit: int = MAX_LINE) -> str:
    """`text` cut to about `limit` characters, saying how many were left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]} … and {len(text) - limit} more characters"


class UserError(Exception):
    """A problem with something the user gave us (a map, a persona file, a CSV, a save name...).

    The message is one line that names the thing and the problem; the CLI prints it and exits
    with status 2, without a traceback. Control characters in it are shown escaped (`\\x1b`), and
    a line longer than `MAX_LINE` characters is cut ("… and N more characters").
    """

    def __str__(self) -> str:
        text = cap_line(super().__str__(), MAX_LINE * 4)
        return cap_line(_CONTROL.sub(lambda m: repr(m.group())[1:-1], text))
