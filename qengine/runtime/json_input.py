"""Reading JSON that comes from outside (answers files, saved sessions, and soon
requests to a server) with bounds, so that no input costs unbounded time or memory
or ends in a traceback.

Python's `json` alone would turn a 5,000-digit integer into a `ValueError`, `1e999`
into infinity, `NaN` into a number, `[[[[…` into a `RecursionError`, and keep the
last of two equal keys without a word. `parse` refuses each of these with a message
that names the input.
"""

from __future__ import annotations

import json

from qengine.expr.values import MAX_NUMBER, parse_number

#: The most characters an input may hold (a few megabytes: far more than the answers
#: of the largest survey, long texts included).
MAX_CHARS = 5_000_000
#: The deepest nesting of arrays and objects (answers need 3, a saved session 4).
MAX_DEPTH = 16


class JsonInputError(ValueError):
    """The input cannot be used: `reason` says why, the message says it after the
    input's `origin` (`answers.json:3:7: not valid JSON: …`)."""

    def __init__(self, origin: str, reason: str, where: str = ""):
        self.origin, self.reason = origin, f"{where}: {reason}" if where else reason
        super().__init__(f"{origin}{':' + where if where else ''}: {reason}")


class _Refused(Exception):
    """Raised by the decoder's hooks, turned into JsonInputError with the origin."""


def parse(text: str, origin: str):
    """The JSON value of `text`, or JsonInputError."""
    if len(text) > MAX_CHARS:
        raise JsonInputError(origin, f"the file holds more than {MAX_CHARS:,} characters")
    try:
        data = json.loads(text, parse_int=_number, parse_float=_number,
                          parse_constant=_constant, object_pairs_hook=_object)
    except json.JSONDecodeError as err:
        raise JsonInputError(origin, f"not valid JSON: {err.msg}", f"{err.lineno}:{err.colno}") from None
    except RecursionError:  # the decoder's own guard, far below the C stack's end
        raise JsonInputError(origin, f"arrays and objects nest more than {MAX_DEPTH} deep") from None
    except _Refused as err:
        raise JsonInputError(origin, str(err)) from None
    if _depth(data) > MAX_DEPTH:
        raise JsonInputError(origin, f"arrays and objects nest more than {MAX_DEPTH} deep")
    return data


def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:12]}…{text[-6:]} ({len(text):,} characters)"


def _number(text: str):
    value = parse_number(text)
    if not -MAX_NUMBER <= value <= MAX_NUMBER:  # infinity included
        raise _Refused(f"the number {_short(text)} is beyond ±{MAX_NUMBER:,}")
    return value


def _constant(text: str):
    raise _Refused(f"{text} is not a number JSON allows")


def _add(seen: set[str], key: str) -> bool:
    """Add `key` to `seen`; false, to go on searching."""
    seen.add(key)
    return False


def _object(pairs: list[tuple[str, object]]) -> dict:
    out = dict(pairs)
    if len(out) < len(pairs):
        seen: set[str] = set()
        twice = next(key for key, _ in pairs if key in seen or _add(seen, key))
        raise _Refused(f"the key {json.dumps(twice)[:60]} is given twice in one object")
    return out


def _depth(data) -> int:
    """How deep arrays and objects nest in `data`, found without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((v, depth + 1) for v in (value.values() if isinstance(value, dict) else value))
    return deepest
