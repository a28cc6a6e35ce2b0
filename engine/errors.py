"""Errors a user can cause: each carries one clear line for the command line to print."""


class UserError(Exception):
    """A problem with something the user gave us (a map, a persona file, a CSV, a save name...).

    The message is one line that names the thing and the problem; the CLI prints it and exits
    with status 2, without a traceback.
    """
