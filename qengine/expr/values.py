"""What values are and how they compare: the semantics of QDL expressions.

- A value is `None` (empty: unanswered or hidden), a string, an int or float, a
  bool, or, for a whole multiple-choice question, a tuple of ticked codes.
- Empty equals only empty and "". Ordering comparisons with an empty side are false.
- Numbers compare as numbers, also when one side is a numeric-looking string
  ("2" < "18"); other values compare as strings.
- Arithmetic on an empty operand gives empty; on text that is not a number it is
  an error of the survey (`EvaluationError`), never a concatenation.
- Truth: empty, "", 0 and false are false; everything else is true.
- Printed into text, a number with a fraction keeps 14 significant digits, as
  LimeSurvey (PHP) prints it (`float_text`); a whole number prints all its digits.
- Bounded: what comes in (answers, saved sessions, numbers written in a survey) is
  at most `MAX_NUMBER` in magnitude, read in time linear in its length
  (`parse_number`), and a text holds at most `MAX_TEXT` characters; what is computed stays a finite
  number and a text of at most `MAX_TEXT` characters (`checked_number`,
  `check_text_length`). Answers arrive from the network once a survey is served: no
  input may make one evaluation take unbounded time or memory.

The JavaScript backend (`qengine_renderers.html.to_js`) implements the same rules, and a
differential test holds the two together.
"""

from __future__ import annotations

import math
import re
import sys
from typing import TypeVar

_NUMERIC = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*\Z")

#: The largest magnitude of a number read from outside: JavaScript's largest exact
#: integer (2**53 - 1), so that the HTML form and the Python runtime read the same.
MAX_NUMBER = 2**53 - 1
#: The most digits of a whole number read exactly; a longer one is read as a float,
#: as JavaScript reads every number (`int()` of a long text takes time that grows
#: with the square of its length, and Python refuses one over 4,300 digits).
MAX_DIGITS = 40
#: The most characters of a text: an answer, a value computed, a wording.
MAX_TEXT = 100_000
_FLOAT_MAX = sys.float_info.max


class LimitError(ValueError):
    """A value is beyond the bounds above; the message says which."""


def as_number(value) -> int | float | None:
    """The number a value stands for, or None when it is not numeric."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, str) and _NUMERIC.match(value):
        return parse_number(value.strip())
    return None


def parse_number(text: str) -> int | float:
    """The number `text` writes (digits with an optional `-` and `.`, or JSON's
    exponent), read in time linear in its length: an int when it is whole and has
    at most `MAX_DIGITS` digits, else a float (infinite when too large for one)."""
    if any(c in text for c in ".eE") or len(text.lstrip("-").lstrip("0")) > MAX_DIGITS:
        return float(text)
    return int(text)


def is_number(value) -> bool:
    """Whether `value` is a number as answers give them: an int or float (not a
    bool), finite, of magnitude at most `MAX_NUMBER`. Decided without converting
    an int to a float, which fails for very large ones."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return (isinstance(value, int) or math.isfinite(value)) and -MAX_NUMBER <= value <= MAX_NUMBER


def checked_number(value: int | float) -> int | float:
    """`value` normalised (`normalise_number`), or LimitError when a computation
    left the finite floats: an int that large has hundreds of digits, and each
    further step would make it longer."""
    finite = math.isfinite(value) if isinstance(value, float) else -_FLOAT_MAX <= value <= _FLOAT_MAX
    if not finite:
        raise LimitError("the result is too large a number")
    return normalise_number(value)


def check_text_length(length: int) -> None:
    """LimitError when a text of `length` characters would be longer than
    `MAX_TEXT`: asked before the text is made, so that it never is."""
    if length > MAX_TEXT:
        raise LimitError(f"the text would be longer than {MAX_TEXT:,} characters")


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
        if not math.isfinite(value):  # never computed (`checked_number`); Python's words
            return repr(value)
        return str(int(value)) if value == int(value) else float_text(value)
    if isinstance(value, tuple):
        return ", ".join(value)
    return str(value)


def float_text(value: float) -> str:
    """A number with a fraction as LimeSurvey prints it (PHP's `precision` of 14
    significant digits): `0.1 + 0.2` reads `0.3`, `1 / 3` reads `0.33333333333333`,
    and below 0.0001 PHP's exponent form, `1.0E-5`. Respondents see what they would
    see in LimeSurvey, not the last binary digits of the computation."""
    text = f"{value:.14G}"
    mantissa, exponent_mark, exponent = text.partition("E")
    if not exponent_mark:
        return text
    if "." not in mantissa:
        mantissa += ".0"
    return f"{mantissa}E{int(exponent):+d}"


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
    if na is not None and nb is not None:
        return _order(op, na, nb)
    return _order(op, as_text(a), as_text(b))


_Ordered = TypeVar("_Ordered", float, str)


def _order(op: str, x: _Ordered, y: _Ordered) -> bool:
    """`order` once both sides are numbers, or both text."""
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
