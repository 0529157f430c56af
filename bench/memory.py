"""Memory figures for the benches, read from /proc/self/status.

A step's peak is its `VmHWM`, not `ru_maxrss`: Linux carries a process's peak resident memory
over fork and exec into the program it starts, so a step started by a bench would show at least
the bench's own peak (~154 MB for bench/compare.py once its data is generated, the whole page
for bench/bigpage.py). Without /proc the figure falls back to `ru_maxrss`, floor and all.
"""

from __future__ import annotations

import resource
from pathlib import Path

# Code that makes `own_peak_kib` importable in a step started with `python -c`.
IMPORT = (
    f"import sys; sys.path.append({str(Path(__file__).resolve().parent)!r}); "
    "from memory import own_peak_kib\n"
)


def status_kib(field: str) -> int | None:
    """A figure of this process's /proc/self/status in KiB ("VmHWM", "VmRSS"), or None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def own_peak_kib() -> int:
    """This process's own peak resident memory, in KiB."""
    return status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
