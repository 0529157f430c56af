"""JSON text as `json.dumps(value, ensure_ascii=False)` writes it, for the hot paths.

json.dumps given any argument builds a JSONEncoder, which builds the C encoder, for every call;
compare writes ~4 JSON texts a listing (its normalized values, the head and tail of its output
line, its identification's evidence). `json_text` calls the same C encoder with the arguments
json.dumps passes it (a fresh map of the objects met, so a cycle is refused as json.dumps
refuses it), without the rest: 1.3 us a call against 2.7 (measured 2026-12-04). Where that
encoder is missing or is not what json.dumps uses, it is json.dumps.
"""

from __future__ import annotations

import json
from json.encoder import c_make_encoder, encode_basestring

__all__ = ["json_text"]

_DEFAULT = json.JSONEncoder().default  # raises the TypeError json.dumps raises


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _c_text(value: object) -> str:
    if type(value) is str:  # as JSONEncoder.encode does
        return encode_basestring(value)
    encode = c_make_encoder({}, _DEFAULT, encode_basestring, None, ": ", ", ", False, False, True)
    return "".join(encode(value, 0))


def _chosen():
    if c_make_encoder is None:
        return _dumps
    probe = {"a": [1, 2.5, None, True, 'é\u2028"\\'], "b": {"c": float("nan")}, "": []}
    try:
        if _c_text(probe) == _dumps(probe):
            return _c_text
    except (TypeError, ValueError):  # another Python's encoder, with other arguments
        pass
    return _dumps


json_text = _chosen()
