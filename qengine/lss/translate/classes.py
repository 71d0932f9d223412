"""Kinds of values, and what a comparison of two kinds does in LimeSurvey and in QDL.

LimeSurvey decides at run time how to compare two values (`getMismatchInformation`
then PHP's loose comparison): as numbers, as texts, or not at all ("mismatch": an
ordering is then false). What it decides depends only on the *kind* of each value:
null (a hidden question read without `.NAOK`), "", "0", another numeric text, a
text, true, false, a number... and on whether one side was written in quotes. QDL
decides by its own rules (docs/qdl.md). So the translator sorts every operand into
these kinds, each under a QDL condition that says when the operand is of that kind,
and compares the two decisions kind by kind: where they agree, the plain QDL
comparison is exact; where they differ, the outcome LimeSurvey gives is written
out for those kinds.
"""

from __future__ import annotations

import enum


class Kind(enum.Enum):
    """A kind of PHP value, or a family of kinds told apart only when needed."""

    NULL = "null"  # a hidden question read without .NAOK
    EMPTY = "''"  # the empty text: unanswered, or hidden and read with .NAOK
    FALSE = "false"
    TRUE = "true"
    ZSTR = "'0'"  # the text "0"
    ZNSTR = "zero text"  # another text that is the number 0: "0.0", "00"
    NSTR = "number text"  # a text that is a non-zero number: "5", "-2.5"
    XSTR = "text"  # a text that is not a number
    ZNUM = "0"  # the number 0 (computed)
    NNUM = "number"  # another number (computed)
    NAN = "NAN"  # what LimeSurvey's - * / give for texts
    # families
    BOOL = "true/false"  # TRUE or FALSE: a comparison's result
    NUMV = "computed number"  # ZNUM or NNUM
    NUMS = "answered number"  # ZSTR or NSTR: a numeric question's non-empty answer
    TEXTV = "any text"  # EMPTY, ZSTR, ZNSTR, NSTR or XSTR


FAMILIES = {
    Kind.BOOL: (Kind.TRUE, Kind.FALSE),
    Kind.NUMV: (Kind.ZNUM, Kind.NNUM),
    Kind.NUMS: (Kind.ZSTR, Kind.NSTR),
    Kind.TEXTV: (Kind.EMPTY, Kind.ZSTR, Kind.ZNSTR, Kind.NSTR, Kind.XSTR),
}

STRINGS = {Kind.EMPTY, Kind.ZSTR, Kind.ZNSTR, Kind.NSTR, Kind.XSTR}
NUMERIC_STRINGS = {Kind.ZSTR, Kind.ZNSTR, Kind.NSTR}
NUMBERS = {Kind.ZNUM, Kind.NNUM, Kind.NAN}

#: PHP truthiness of each kind.
TRUTHY = {Kind.NULL: False, Kind.EMPTY: False, Kind.FALSE: False, Kind.TRUE: True, Kind.ZSTR: False,
          Kind.ZNSTR: True, Kind.NSTR: True, Kind.XSTR: True, Kind.ZNUM: False, Kind.NNUM: True,
          Kind.NAN: True}
#: `getMismatchInformation`'s "numeric" (`$v !== "" && (!$v || strval(floatval($v)) == strval($v))`).
_NUMERIC = {Kind.NULL: True, Kind.EMPTY: False, Kind.FALSE: True, Kind.TRUE: True, Kind.ZSTR: True,
            Kind.ZNSTR: True, Kind.NSTR: True, Kind.XSTR: False, Kind.ZNUM: True, Kind.NNUM: True,
            Kind.NAN: True}
#: `$v == '0'` and `$v == ''` (the special cases of <= and >).
_IS_ZERO = {Kind.FALSE, Kind.ZSTR, Kind.ZNSTR, Kind.ZNUM}
_IS_EMPTY = {Kind.NULL, Kind.EMPTY, Kind.FALSE}
#: What `strval` makes of a kind (forced string comparisons convert both sides).
_AS_STRING = {Kind.NULL: Kind.EMPTY, Kind.FALSE: Kind.EMPTY, Kind.TRUE: Kind.NSTR, Kind.ZNUM: Kind.ZSTR,
              Kind.NNUM: Kind.NSTR, Kind.NAN: Kind.XSTR}

FORCED = ("DQ_STRING", "SQ_STRING", "STRING")

# An outcome: ("const", bool), ("num",) numbers compared, ("str",) texts compared,
# ("bool",) truth values compared.
Outcome = tuple


def _is_string_kind(kind: Kind, token: str) -> bool:
    """`getMismatchInformation`'s "string": false or not numeric. A NUMBER token has
    its trailing zeros cut first, so "0.0" from a number reads as "0"."""
    if kind is Kind.ZNSTR and token == "NUMBER":
        return True
    return not TRUTHY[kind] or not _NUMERIC[kind]


def limesurvey(op: str, a: Kind, ta: str, b: Kind, tb: str) -> Outcome:
    """What `RDP_EvaluateBinary` does for `a op b`, op a comparison."""
    both_numeric = _NUMERIC[a] and _NUMERIC[b]
    both_string = _is_string_kind(a, ta) and _is_string_kind(b, tb)
    mismatch = not both_numeric and not both_string
    if (ta in FORCED or tb in FORCED) and both_numeric:
        a, b = _AS_STRING.get(a, a), _AS_STRING.get(b, b)
        both_numeric, both_string, mismatch = False, True, False
    if op in ("==", "!="):
        return _negate(op, php_equal(a, b))
    if mismatch:
        return ("const", False)
    if op in ("<=", ">") and (a in _IS_ZERO and b in _IS_EMPTY or a in _IS_EMPTY and b in _IS_ZERO):
        return ("const", op == "<=")
    if not both_numeric and both_string:
        return ("str",)
    return php_order(op, a, b)


def php_equal(a: Kind, b: Kind) -> Outcome:
    """PHP 8's loose `==` between two kinds."""
    if Kind.NAN in (a, b):
        return ("const", False)
    if a in STRINGS and b in STRINGS:
        return ("num",) if a in NUMERIC_STRINGS and b in NUMERIC_STRINGS else ("str",)
    if Kind.NULL in (a, b) and (a in STRINGS or b in STRINGS):
        return ("const", Kind.EMPTY in (a, b))
    if a in (Kind.NULL, Kind.TRUE, Kind.FALSE) or b in (Kind.NULL, Kind.TRUE, Kind.FALSE):
        return ("const", TRUTHY.get(a, False) == TRUTHY.get(b, False))
    if a in STRINGS or b in STRINGS:  # a number and a text
        text = a if a in STRINGS else b
        if text in NUMERIC_STRINGS:
            return ("num",)
        return ("const", False) if text is Kind.EMPTY else ("str",)
    return ("num",)


def php_order(op: str, a: Kind, b: Kind) -> Outcome:
    """PHP 8's loose ordering between two kinds that are both "numeric" for
    `getMismatchInformation` (so neither is "" nor a non-numeric text)."""
    if Kind.NAN in (a, b):
        return ("const", False)
    if a is Kind.NULL and b in STRINGS or b is Kind.NULL and a in STRINGS:
        # null reads as "", which sorts before any other text
        sign = -1 if a is Kind.NULL else 1
        return ("const", {"<": sign < 0, "<=": sign < 0, ">": sign > 0, ">=": sign > 0}[op])
    if a in (Kind.NULL, Kind.TRUE, Kind.FALSE) or b in (Kind.NULL, Kind.TRUE, Kind.FALSE):
        x, y = TRUTHY[a], TRUTHY[b]
        return ("const", {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op])
    return ("num",)


def php_compare_order(op: str, a: Kind, b: Kind) -> Outcome:
    """PHP's own loose ordering (as min() and max() use it), any two kinds."""
    if Kind.NAN in (a, b):
        return ("const", False)
    if a in STRINGS and b in STRINGS:
        return ("num",) if a in NUMERIC_STRINGS and b in NUMERIC_STRINGS else ("str",)
    if Kind.NULL in (a, b) and (a in STRINGS or b in STRINGS):
        return ("str",)
    if a in (Kind.NULL, Kind.TRUE, Kind.FALSE) or b in (Kind.NULL, Kind.TRUE, Kind.FALSE):
        x, y = TRUTHY.get(a, False), TRUTHY.get(b, False)
        return ("const", {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op])
    if a in STRINGS or b in STRINGS:
        text = a if a in STRINGS else b
        return ("num",) if text in NUMERIC_STRINGS else ("str",)
    return ("num",)


def _negate(op: str, outcome: Outcome) -> Outcome:
    if op == "!=" and outcome[0] == "const":
        return ("const", not outcome[1])
    return outcome


# --------------------------------------------------------------------- QDL
class QKind(enum.Enum):
    """How QDL sees a value (qengine/expr/values.py)."""

    EMPTY = "empty"  # None or ""
    NUMBER = "number"  # a number, a bool, or a numeric-looking text
    TEXT = "text"


QDL_KIND = {Kind.NULL: QKind.EMPTY, Kind.EMPTY: QKind.EMPTY, Kind.FALSE: QKind.NUMBER,
            Kind.TRUE: QKind.NUMBER, Kind.ZSTR: QKind.NUMBER, Kind.ZNSTR: QKind.NUMBER,
            Kind.NSTR: QKind.NUMBER, Kind.XSTR: QKind.TEXT, Kind.ZNUM: QKind.NUMBER,
            Kind.NNUM: QKind.NUMBER, Kind.NAN: QKind.TEXT}  # NAN is written as the text "NAN"


def qdl(op: str, a: QKind, b: QKind) -> Outcome:
    """What QDL's own comparison does between two kinds of values."""
    if QKind.EMPTY in (a, b):
        if op in ("==", "!="):
            return ("const", (a == b) == (op == "=="))
        return ("const", False)
    if a is QKind.NUMBER and b is QKind.NUMBER:
        return ("num",)
    return ("str",)
