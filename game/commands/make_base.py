"""`simulacra make-base`: turn a save into a base simulation that others can fork.

The base is written to the user's bases folder (`bases/` under the data directory), where
`simulacra list` and `--fork` find it next to the shipped ones. It keeps the save's world and
minds at its current step (so forks continue from there) and its personas. The run log stays
with the save, so every fork starts a run log of its own; so does the history file once the save
has a world, since its memories already hold it (a fork plants a base's history.csv).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
from dataclasses import replace

from engine import safe_io
from engine.errors import UserError
from engine.persistence import MAX_STORED_NAME, RUNLOG, SaveStore, read_meta, validate_name
from engine.safe_write import disk_error, private_dir, replace_text
from engine.save_lock import SaveLock

LEFT_BEHIND = (RUNLOG, "runlog.idx")


def register(sub) -> None:
    parser = sub.add_parser(
        "make-base", help="turn a save into a base simulation others can fork",
        description="Copy a save into your bases folder as a new base simulation. It shows up "
        "in 'simulacra list' and can be forked with --fork NAME; forks start from the save's "
        "current step, memories and plans. The save's run log is not copied.",
    )
    parser.add_argument("save", help="the save to copy")
    parser.add_argument("base", help="name of the new base, e.g. base_my_town")
    parser.set_defaults(handler=handle)


def make_base(store: SaveStore, save: str, base: str):
    """Copy save `save` to the user's bases as `base`, atomically; returns its path."""
    validate_name(base)
    with SaveLock(store.saves_root, validate_name(save, MAX_STORED_NAME)):  # no writer meanwhile
        return _copy(store, store.read(save).path, save, base)


def _copy(store: SaveStore, source, save: str, base: str):
    if base in store.base_names():
        raise UserError(f"a base simulation named '{base}' already exists "
                        f"(bases: {', '.join(store.base_names())})")
    root = store.user_bases_root
    target = root / base
    if os.path.lexists(target):
        raise UserError(f"{target} already exists (not a base simulation); move it away or "
                        "choose another name")
    where = f"save '{save}'"
    tmp = private_dir(root, f".tmp-{base}-{os.getpid()}.")  # unguessable, ours alone
    try:
        os.chmod(tmp, 0o755)
        # A fork plants the base's history.csv; a save with a world already holds it.
        held = ("history.csv",) if (source / "world.json").is_file() else ()
        for relative in safe_io.regular_files(source):
            hidden = any(part.startswith(".") for part in relative.split("/"))
            if relative in (*LEFT_BEHIND, *held, "meta.json") or hidden:
                continue
            safe_io.copy_file(source, relative, tmp, where)  # no link followed, fresh files
        meta = read_meta(source, where)
        meta = replace(meta, name=base, fork_source=None, runlog_lines=0,
                       extra={**meta.extra, "made_from_save": save})
        replace_text(tmp / "meta.json", json.dumps(meta.to_json(), ensure_ascii=False, indent=1))
        if os.path.lexists(target):
            raise UserError(f"{target} appeared while the base was written; nothing replaced")
        os.rename(tmp, target)
    except OSError as exc:
        raise disk_error(exc, target) from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def handle(args: argparse.Namespace) -> int:
    path = make_base(SaveStore(), args.save, args.base)
    print(f"simulacra: made base '{args.base}' in {path}; fork it with "
          f"'simulacra run --fork {args.base} --name NAME --steps N'")
    return 0
