"""A stand-in for the self-test child that dies of a segmentation fault (a native crash).

Used by test_selftest.py through `run_child(..., script=...)`. It takes the child's arguments
(model, extra buffers 0/1, chat/embed, stack file) and enables faulthandler on the stack file
as the real child does."""

import ctypes
import faulthandler
import sys

if len(sys.argv) > 4 and sys.argv[4]:
    faulthandler.enable(open(sys.argv[4], "w", encoding="utf-8"))  # noqa: SIM115
if sys.argv[2] == "1" or "always" in sys.argv[1]:  # crash only with extra buffers, like AMX
    ctypes.string_at(0)
print('{"load_s": 0.1, "prompt_tps": 100.0, "gen_tps": 50.0, "text": "ok", "system": "CPU"}')
