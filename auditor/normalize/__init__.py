"""Normalizers: pure functions from a raw value to a structured value kept beside the original.

Each returns a frozen dataclass holding `raw` (exactly what was read) and its parts; none raises
on bad input: a value that cannot be understood is returned with a `problem` saying why.
"""
