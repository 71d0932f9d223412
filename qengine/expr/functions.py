"""The functions expressions may call: one table, read by resolution (names and
argument counts), by evaluation (the Python implementations below), and by the
other backends, which key their own renderings on the same names."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import attrs

from qengine.expr.regex import UnsupportedPattern, check_pattern, search
from qengine.expr.values import (
    as_number,
    as_text,
    check_text_length,
    checked_number,
    equal,
    is_empty,
    normalise_number,
    parse_number,
)


class FunctionError(Exception):
    """Raised by an implementation; evaluation adds the span."""


@attrs.frozen
class Function:
    name: str
    min_args: int
    max_args: int | None  # None: any number
    impl: Callable
    doc: str
    #: whether a whole multiple-choice / array / grid question may be passed
    takes_composite: bool = False


def _numbers(args):
    for a in args:
        if isinstance(a, tuple):
            raise FunctionError("a whole question cannot be used as a number")
        if is_empty(a):
            continue
        n = as_number(a)
        if n is None:
            raise FunctionError(f"{as_text(a)!r} is not a number")
        yield n


def _sum(*args):
    return checked_number(sum(_numbers(args)))


def _count(*args):
    return sum(map(_answered, args))


def _answered(value) -> int:
    """How many answers a value holds: the ticks of a whole multiple choice (a
    tuple), the answered rows of a whole array (a dict), the filled cells of a
    whole grid (a dict of dicts), else 1 unless it is empty."""
    if isinstance(value, tuple):
        return len(value)
    if isinstance(value, dict):
        return sum(map(_answered, value.values()))
    return 0 if is_empty(value) else 1


def _countif(match, *args):
    return sum(1 for a in args if equal(a, match))


def _min(*args):
    ns = list(_numbers(args))
    return min(ns) if ns else None


def _max(*args):
    ns = list(_numbers(args))
    return max(ns) if ns else None


def _intval(x):
    if is_empty(x):
        return 0
    n = as_number(x)
    if n is None:
        m = re.match(r"\s*-?\d+", as_text(x))
        n = parse_number(m.group().strip()) if m else 0
    return _whole(n)


def _whole(n) -> int:
    """The whole part of a number; FunctionError for an infinite one (a text of
    hundreds of digits reads as one)."""
    if isinstance(n, float) and not math.isfinite(n):
        raise FunctionError("the number is too large")
    return int(n)


def _floatval(x):
    if is_empty(x):
        return 0
    n = as_number(x)
    return normalise_number(float(n)) if n is not None else 0


#: Beyond this a float has no such digits, and Python's exact 10**d would never end.
MAX_ROUND_DIGITS = 15


def _round(x, digits=0):
    if is_empty(x):
        return None
    (n,) = _numbers([x])
    d = _whole(as_number(digits) or 0)
    if abs(d) > MAX_ROUND_DIGITS:
        raise FunctionError(f"round() keeps from -{MAX_ROUND_DIGITS} to {MAX_ROUND_DIGITS} digits, not {d}")
    if isinstance(n, int) and d >= 0:
        return n
    # Half away from zero, as people (and PHP) round, not Python's banker's rounding.
    factor = 10 ** d
    scaled = abs(n) * factor
    if scaled >= 2**53:  # no fraction left to round at that precision (or infinite)
        return normalise_number(n)
    value = math.floor(scaled + 0.5) / factor
    return normalise_number(math.copysign(value, n))


def _strlen(x):
    return len(as_text(x))


def regex_body(pattern: str) -> str:
    """LimeSurvey writes patterns PHP-style, `/.../`; the slashes are dropped."""
    if len(pattern) >= 2 and pattern[0] == "/" and pattern.rfind("/") > 0:
        return pattern[1 : pattern.rfind("/")]
    return pattern


def _regex_match(pattern, x):
    body = regex_body(as_text(pattern))
    try:
        check_pattern(body)
    except re.error as err:
        raise FunctionError(f"bad regular expression: {err}") from None
    except UnsupportedPattern as err:
        raise FunctionError(f"unsupported regular expression: {err}") from None
    return search(body, as_text(x))


def _join(*args):
    texts = [as_text(a) for a in args]
    check_text_length(sum(map(len, texts)))
    return "".join(texts)


def _is_empty(x):
    return is_empty(x)


FUNCTIONS: dict[str, Function] = {f.name: f for f in [
    Function("is_empty", 1, 1, _is_empty, "true when the value is empty (unanswered or hidden)", True),
    Function("if", 3, 3, None, "if(condition, then, else): only the chosen branch is evaluated"),
    Function("sum", 1, None, _sum, "sum of the numbers given; empty values are left out"),
    Function("count", 1, None, _count, "how many of the values are not empty (a whole multiple choice counts its ticks, an array its answered rows, a grid its filled cells)", True),
    Function("countif", 2, None, _countif, "countif(value, x, y, ...): how many of x, y, ... equal value"),
    Function("min", 1, None, _min, "the smallest number given; empty values are left out"),
    Function("max", 1, None, _max, "the largest number given; empty values are left out"),
    Function("intval", 1, 1, _intval, "the whole number a value starts with (0 when none)"),
    Function("floatval", 1, 1, _floatval, "the number a value stands for (0 when none)"),
    Function("round", 1, 2, _round, "round(x) or round(x, digits), halves away from zero"),
    Function("strlen", 1, 1, _strlen, "the number of characters of a value"),
    Function("regexMatch", 2, 2, _regex_match, "regexMatch(pattern, value): whether the value matches"),
    Function("join", 1, None, _join, "the values written one after the other"),
]}
