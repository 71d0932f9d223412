"""What values are and how they compare: the semantics of QDL expressions.

- A value is `None` (empty: unanswered or hidden), a string, an int or float, a
  bool, or, for a whole multiple-choice question, a tuple of ticked codes.
- Empty equals only empty and "". Ordering comparisons with an empty side are false.
- Numbers compare as numbers, also when one side is a numeric-looking string
  ("2" < "18"); other values compare as strings.
- Arithmetic on an empty operand gives empty; on text that is not a number it is
  an error of the survey (`EvaluationError`), never a concatenation.
- Truth: empty, "", 0 and false are false; everything else is true.

The JavaScript backend (`qengine.expr.to_js`) implements the same rules, and a
differential test holds the two together.
"""

from __future__ import annotations

import math
import re

_NUMERIC = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*\Z")


def as_number(value) -> int | float | None:
    """The number a value stands for, or None when it is not numeric."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str) and _NUMERIC.match(value):
        text = value.strip()
        return float(text) if "." in text else int(text)
    return None


def is_empty(value) -> bool:
    return value is None or value == "" or value == ()


def truthy(value) -> bool:
    if is_empty(value):
        return False
    if isinstance(value, str):
        n = as_number(value)
        return n != 0 if n is not None else True
    return bool(value)


def as_text(value) -> str:
    """How a value reads when printed inside wording."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def equal(a, b) -> bool:
    if is_empty(a) or is_empty(b):
        return is_empty(a) and is_empty(b)
    na, nb = as_number(a), as_number(b)
    if na is not None and nb is not None:
        return na == nb
    return as_text(a) == as_text(b)


def order(op: str, a, b) -> bool:
    """`<`, `<=`, `>`, `>=` under the rules above."""
    if is_empty(a) or is_empty(b):
        return False
    na, nb = as_number(a), as_number(b)
    x, y = (na, nb) if na is not None and nb is not None else (as_text(a), as_text(b))
    match op:
        case "<":
            return x < y
        case "<=":
            return x <= y
        case ">":
            return x > y
        case ">=":
            return x >= y
    raise ValueError(op)


def normalise_number(value: float | int) -> int | float:
    """Whole floats become ints, so that 2.0 prints and compares as 2."""
    if isinstance(value, float) and math.isfinite(value) and value == int(value) and abs(value) < 2**53:
        return int(value)
    return value
