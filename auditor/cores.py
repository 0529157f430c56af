"""How many cores this process may run on: what decides whether work is forked beside it."""

from __future__ import annotations

import os


def usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the system keeps one (a
    container or `taskset` may allow fewer than the machine has), else every core; at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1
