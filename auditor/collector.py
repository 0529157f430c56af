"""The cyclic garbage collector held off while a command builds a large heap of plain objects.

Reading records, normalizing and judging them, and building a report from the store make objects
that hold no cycles (records, verdicts, rows, dicts of text), in a heap that only grows until the
command ends: reference counting frees them, and each collection re-walks the heap and frees
nothing. Measured on bench/compare.py's input (10,000 businesses, 100,000 listings): reading the
records and normalizing the businesses ~24 % faster (`napaudit compare`); on the run compare
stores (bench/reading.py), `napaudit report` took 0.81-0.89 of the time, `changes` 0.69 and
`rejudge` 0.85, with the same output and peak memory (docs/speed.md).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_off() -> Iterator[None]:
    """The cyclic garbage collector off for the block, then on again if it was on (whether the
    block ended or raised)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
