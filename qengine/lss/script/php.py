"""PHP 8's values, as LimeSurvey's ExpressionManager meets them.

ExpressionManager leans on PHP's loose typing: `==` between two strings compares
numbers when both look like numbers, `"" == null` holds, `"0"` is false, a float is
printed with 14 significant digits. This module spells out the few PHP 8 rules it
relies on, so that `qengine.lss.script.engine` can say what LimeSurvey computes and
the translator can be checked against it. The rules are PHP 8's "saner string to
number comparisons" (RFC, PHP 8.0); the oracle tests hold them to LimeSurvey run by
PHP (`tests/lss/oracle/`).

A PHP value is `None` (null), a bool, an int, a float or a str.
"""

from __future__ import annotations

import math
import re
from typing import cast

PhpValue = None | bool | int | float | str

# PHP 8's numeric strings: blanks around, an optional sign, digits with an optional
# decimal point (or a leading one), an optional exponent.
_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*\Z")
_LEADING = re.compile(r"[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
INT_MAX = 2**63 - 1


class PhpTypeError(Exception):
    """PHP 8 throws a TypeError (arithmetic on a text that is not a number, `round`
    of one): LimeSurvey does not catch it, the page fails."""


def is_numeric_string(text: str) -> bool:
    return _NUMERIC.match(text) is not None


def string_to_number(text: str) -> int | float:
    """The number a numeric string stands for (int when written as one and in range)."""
    body = text.strip(" \t\n\r\v\f")
    if re.fullmatch(r"[+-]?\d+", body) and abs(int(body)) <= INT_MAX:
        return int(body)
    return float(body)


def floatval(value: PhpValue) -> float:
    """PHP's floatval: the leading number of a text, 0 when there is none."""
    if isinstance(value, str):
        match = _LEADING.match(value)
        return float(match.group().strip(" \t\n\r\v\f")) if match else 0.0
    if value is None:
        return 0.0
    return float(value)


def intval(value: PhpValue) -> int:
    """PHP's intval (base 10): a numeric text's number truncated, else its leading
    digits, else 0."""
    if isinstance(value, str):
        match = _LEADING.match(value)
        if not match:
            return 0
        number = float(match.group().strip(" \t\n\r\v\f"))
        if math.isnan(number) or math.isinf(number):
            return 0
        return int(number)
    if isinstance(value, float):
        return 0 if math.isnan(value) or math.isinf(value) else int(value)
    if value is None:
        return 0
    return int(value)


def strval(value: PhpValue) -> str:
    """PHP's string conversion: null and false are "", true is "1", floats keep
    14 significant digits (`precision` = 14)."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_to_string(value)
    return value


def float_to_string(value: float) -> str:
    if math.isnan(value):
        return "NAN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    text = f"{value:.14G}"
    if "E" in text:
        mantissa, exponent = text.split("E")
        if "." not in mantissa:
            mantissa += ".0"
        e = int(exponent)
        return f"{mantissa}E{'+' if e >= 0 else '-'}{abs(e)}"
    return text


def truthy(value: PhpValue) -> bool:
    if isinstance(value, str):
        return value not in ("", "0")
    if isinstance(value, float):
        return value != 0.0  # NAN is true
    return bool(value)


def to_number(value: PhpValue) -> int | float:
    """A value in arithmetic: numbers as they are, a numeric text's number, a text
    that starts with a number gives that number (PHP warns), any other text is a
    TypeError in PHP 8."""
    if value is None or value is False:
        return 0
    if value is True:
        return 1
    if isinstance(value, int | float):
        return value
    if is_numeric_string(value):
        return string_to_number(value)
    match = _LEADING.match(value)
    if match:
        return string_to_number(match.group())
    raise PhpTypeError(f"Unsupported operand types: string {value!r}")


def leading_number(text: str) -> int | float:
    """The number a text starts with, 0 when none (array_sum's reading)."""
    match = _LEADING.match(text)
    return string_to_number(match.group()) if match else 0


def compare(a: PhpValue, b: PhpValue) -> int | None:
    """PHP 8's `<=>` for loose comparisons: -1, 0 or 1; None when uncomparable
    (NAN), which makes every comparison but `!=` false."""
    if isinstance(a, str) and isinstance(b, str):
        if is_numeric_string(a) and is_numeric_string(b):
            return _numbers(string_to_number(a), string_to_number(b))
        return _sign((a > b) - (a < b))
    if a is None and isinstance(b, str):
        return compare("", b)
    if b is None and isinstance(a, str):
        return compare(a, "")
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return _sign(truthy(a) - truthy(b))
    if isinstance(a, str):  # b is a number
        return _numbers(string_to_number(a), cast("int | float", b)) if is_numeric_string(a) else compare(a, strval(b))
    if isinstance(b, str):
        return _numbers(a, string_to_number(b)) if is_numeric_string(b) else compare(strval(a), b)
    return _numbers(a, b)


def _numbers(x: int | float, y: int | float) -> int | None:
    if isinstance(x, float) and math.isnan(x) or isinstance(y, float) and math.isnan(y):
        return None
    return (x > y) - (x < y)


def _sign(n: int) -> int:
    return (n > 0) - (n < 0)


def loose(op: str, a: PhpValue, b: PhpValue) -> bool:
    """`a op b` with PHP's loose comparison, op one of == != < <= > >=."""
    c = compare(a, b)
    if op == "!=":
        return c != 0
    if c is None:
        return False
    return {"==": c == 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op]


def strcmp(a: str, b: str) -> int:
    """The sign of PHP's strcmp (byte order, which is code point order in UTF-8)."""
    return _sign((a > b) - (a < b))


def add(a: PhpValue, b: PhpValue) -> int | float:
    x, y = to_number(a), to_number(b)
    if isinstance(x, int) and isinstance(y, int) and abs(x + y) <= INT_MAX:
        return x + y
    return float(x) + float(y)


def subtract(a: PhpValue, b: PhpValue) -> int | float:
    x, y = to_number(a), to_number(b)
    if isinstance(x, int) and isinstance(y, int) and abs(x - y) <= INT_MAX:
        return x - y
    return float(x) - float(y)


def divide(a: PhpValue, b: PhpValue) -> int | float:
    x, y = to_number(a), to_number(b)
    if isinstance(x, int) and isinstance(y, int) and x % y == 0:
        return x // y
    return float(x) / float(y)
