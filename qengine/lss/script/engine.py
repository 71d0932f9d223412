"""What LimeSurvey's ExpressionManager computes: a model of it, in Python.

The translator writes QDL that must do what LimeSurvey did. To check that (and to
decide, while translating, what a comparison of known values gives), this module
evaluates ExpressionScript the way `em_core_helper.php` does, line for line where
it matters: the value stack with each value's token type (NUMBER, WORD for answers,
DQ_STRING/SQ_STRING for quoted constants, STRING for a `+` that joined texts),
`getMismatchInformation`, `RDP_EvaluateBinary`, the functions QDL has too, and
`ProcessBooleanExpression`'s rule that a relevance reading a hidden question
without `.NAOK` is false.

It is held to LimeSurvey itself by `tests/test_lss_oracle.py`, against answers that
LimeSurvey 6.2.1 run by PHP gave (`tests/lss/oracle/`). It is not used at run time.
"""

from __future__ import annotations

import decimal
import math
import re
from collections.abc import Mapping

import attrs

from qengine.lss.script import php
from qengine.lss.script.syntax import (
    Assign,
    Binary,
    Call,
    Lit,
    Name,
    Node,
    ScriptSyntaxError,  # noqa: F401  (re-exported for callers)
    Sequence,
    Unary,
    parse,
)

FORCED_STRING = ("DQ_STRING", "SQ_STRING", "STRING")
#: Attributes that read a variable without the "hidden makes the relevance false" rule.
NAOK_ATTRIBUTES = ("NAOK", "valueNAOK", "shown", "relevanceStatus")


@attrs.frozen
class EmVar:
    """A variable as LimeSurvey knows it on a page: its stored answer ("" when
    unanswered), whether it is relevant, whether its question takes only numbers,
    and what `.shown` gives (labels by code, or the subquestion's text of a ticked
    multiple-choice box)."""

    code: str = ""
    relevant: bool = True
    onlynum: bool = False
    labels: Mapping[str, str] | None = None
    checkbox_text: str | None = None


class EmError(Exception):
    """ExpressionManager reports an error: the expression has no value."""


@attrs.frozen
class Entry:
    value: php.PhpValue
    kind: str  # NUMBER, WORD, DQ_STRING, SQ_STRING, STRING


@attrs.frozen
class Outcome:
    """The three readings LimeSurvey makes of one expression."""

    ok: bool  # evaluated without error (a PHP TypeError counts as an error)
    value: php.PhpValue
    boolean: bool  # as a relevance or validation equation
    text: str  # as `{expression}` in a text


def run(source: str, variables: Mapping[str, EmVar]) -> Outcome:
    try:
        tree = parse(source)
    except ScriptSyntaxError:
        return Outcome(False, None, False, "")
    machine = _Machine(variables)
    try:
        entry = machine.evaluate(tree)
    except (EmError, php.PhpTypeError):
        return Outcome(False, None, False, "")
    boolean = entry.value is not None and php.truthy(entry.value) and all(
        variables[name.partition(".")[0]].relevant for name in machine.used
        if name.partition(".")[2] not in NAOK_ATTRIBUTES)
    return Outcome(True, entry.value, boolean, php.strval(entry.value))


class _Machine:
    def __init__(self, variables: Mapping[str, EmVar]):
        self.variables = variables
        self.used: list[str] = []

    def evaluate(self, node: Node) -> Entry:
        match node:
            case Lit(value=v, kind=k):
                return Entry(v, k)
            case Name():
                return self.variable(node)
            case Unary(op=op, operand=o):
                return _unary(op, self.evaluate(o))
            case Binary(op=op, left=a, right=b):
                return binary(op, self.evaluate(a), self.evaluate(b))
            case Call(name=name, args=args):
                return self.call(name, [self.evaluate(a) for a in args])
            case Sequence(items=items):
                return [self.evaluate(i) for i in items][-1]
            case Assign():
                raise EmError("assignment is not modelled")
        raise TypeError(node)

    def variable(self, name: Name) -> Entry:
        base, _, attr = name.text.partition(".")
        var = self.variables.get(base)
        if var is None or attr not in ("", "NAOK", "shown", "relevanceStatus", "code", "value", "valueNAOK"):
            raise EmError(f"undefined variable {name.text}")
        self.used.append(name.text)
        kind = "NUMBER" if var.onlynum else "WORD"
        if attr != "NAOK" and not var.relevant:
            return Entry(None, "NUMBER")
        if attr in ("", "code", "NAOK", "value", "valueNAOK"):
            return Entry(var.code if var.relevant else "", kind)
        if attr == "relevanceStatus":
            return Entry(True, kind)
        # .shown
        if var.checkbox_text is not None:
            return Entry(var.checkbox_text if var.code == "Y" else "", kind)
        if var.labels is not None:
            return Entry(var.labels.get(var.code, var.code), kind)
        return Entry(var.code, kind)

    def call(self, name: str, args: list[Entry]) -> Entry:
        function = FUNCTIONS.get(name)
        if function is None:
            raise EmError(f"undefined function {name}")
        low, high, impl = function
        if len(args) < low or (high is not None and len(args) > high):
            raise EmError(f"{name}() does not take {len(args)} arguments")
        return Entry(impl(*[a.value for a in args]), "NUMBER")


def mismatch(a: Entry, b: Entry) -> tuple[bool, bool, bool]:
    """`getMismatchInformation`: (mismatch, both numeric, both strings)."""

    def trimmed(e: Entry):
        if e.kind == "NUMBER" and php.strval(e.value).find(".") > 0:
            return php.strval(e.value).rstrip("0").rstrip(".")
        return e.value

    def numeric(v) -> bool:  # $v !== "" && (!$v || strval(floatval($v)) == strval($v))
        return not (isinstance(v, str) and v == "") and (
            not php.truthy(v) or php.loose("==", php.strval(php.floatval(v)), php.strval(v)))

    x, y = trimmed(a), trimmed(b)
    nx, ny = numeric(x), numeric(y)
    sx, sy = not php.truthy(x) or not nx, not php.truthy(y) or not ny
    both_numeric, both_string = nx and ny, sx and sy
    return (not both_numeric and not both_string), both_numeric, both_string


def binary(op: str, a: Entry, b: Entry) -> Entry:
    """`RDP_EvaluateBinary`."""
    mis, both_numeric, both_string = mismatch(a, b)
    x, y = a.value, b.value
    forced = a.kind in FORCED_STRING or b.kind in FORCED_STRING
    if forced and both_numeric:
        both_numeric, both_string, mis = False, True, False
        x, y = php.strval(x), php.strval(y)
    if op == "or":
        return Entry(php.truthy(x) or php.truthy(y), "NUMBER")
    if op == "and":
        return Entry(php.truthy(x) and php.truthy(y), "NUMBER")
    if op in ("==", "!="):
        return Entry(php.loose(op, x, y), "NUMBER")
    if op in ("<", "<=", ">", ">="):
        if mis:
            return Entry(False, "NUMBER")
        if op in ("<=", ">") and ((php.loose("==", x, "0") and php.loose("==", y, ""))
                                  or (php.loose("==", x, "") and php.loose("==", y, "0"))):
            return Entry(op == "<=", "NUMBER")
        if not both_numeric and both_string:
            c = php.strcmp(php.strval(x), php.strval(y))
            return Entry({"<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op], "NUMBER")
        return Entry(php.loose(op, x, y), "NUMBER")
    if op == "+":
        if both_numeric:
            return Entry(php.add(x, y), "NUMBER")
        return Entry(php.strval(x) + php.strval(y), "STRING")
    if not both_numeric:
        return Entry(math.nan, "NUMBER")
    if op == "-":
        return Entry(php.subtract(x, y), "NUMBER")
    if op == "*":
        return Entry(php.floatval(x) * php.floatval(y), "NUMBER")
    if op == "/":
        if php.loose("==", y, 0):
            return Entry(math.nan, "NUMBER")
        return Entry(php.divide(x, y), "NUMBER")
    raise ValueError(op)


def _unary(op: str, a: Entry) -> Entry:
    value = 0 if php.loose("==", a.value, "") else a.value
    if op == "!":
        return Entry(not php.truthy(value), "NUMBER")
    number = php.to_number(value)
    return Entry(-number if op == "-" else number, "NUMBER")


# ------------------------------------------------------------------ functions
def _if(test, then, other=""):
    return then if php.truthy(test) else other


def _sum(*args):
    """array_sum: each value as a number, a text by its leading number (else 0)."""
    total: int | float = 0
    for a in args:
        n = php.leading_number(a) if isinstance(a, str) else php.to_number(a)
        total = total + n if isinstance(total, int) and isinstance(n, int) else float(total) + float(n)
    return total


def _count(*args):
    return sum(1 for a in args if php.loose("!=", a, ""))


def _countif(match, *args):
    return sum(1 for a in args if php.loose("==", a, match))


def _extreme(pick):
    def impl(*args):
        best = args[0]
        for a in args[1:]:
            if pick(php.compare(a, best)):
                best = a
        return best
    return impl


def _round(value, digits=0):
    if isinstance(value, str) and not php.is_numeric_string(value):
        raise php.PhpTypeError("round(): Argument #1 ($num) must be of type int|float, string given")
    number = php.to_number(value)
    places = php.intval(digits)
    if isinstance(number, float) and (math.isnan(number) or math.isinf(number)):
        return number
    exact = decimal.Decimal(repr(float(number)) if isinstance(number, float) else number)
    rounded = exact.quantize(decimal.Decimal(1).scaleb(-places), rounding=decimal.ROUND_HALF_UP)
    return float(rounded)


def _strlen(value):
    return len(php.strval(value))


def _regex_match(pattern, value):
    """preg_match with LimeSurvey's added `u`; a pattern PCRE refuses is an error of
    the expression (`geterrors_exprmgr_regexMatch`). Only `/.../flags` is modelled."""
    compiled = pcre(php.strval(pattern))
    if compiled is None:
        raise EmError("invalid regular expression")
    return 1 if compiled.search(php.strval(value)) else 0


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE, "u": 0}


def pcre(pattern: str) -> re.Pattern | None:
    """A `/body/flags` pattern compiled, or None when it is not one."""
    end = pattern.rfind("/")
    if len(pattern) < 2 or pattern[0] != "/" or end == 0 or any(f not in _FLAGS for f in pattern[end + 1:]):
        return None
    flags = 0
    for letter in pattern[end + 1:]:
        flags |= _FLAGS[letter]
    try:
        return re.compile(pattern[1:end], flags)
    except re.error:
        return None


def _join(*args):
    return "".join(php.strval(a) for a in args)


#: PHP's trim() default: space, tab, line feed, carriage return, NUL, vertical tab.
_PHP_TRIMMED = " \t\n\r\0\x0b"
_UCWORDS_AFTER = " \t\r\n\f\v"


def _trim(strip):
    def impl(value, chars=None):
        return strip(php.strval(value), _PHP_TRIMMED if chars is None else _charlist(php.strval(chars)))
    return impl


def _charlist(chars: str) -> str:
    """PHP's trim() character list, whose `a..z` names a range."""
    out, i = [], 0
    while i < len(chars):
        if chars[i + 1:i + 3] == ".." and i + 3 < len(chars):
            out += [chr(c) for c in range(ord(chars[i]), ord(chars[i + 3]) + 1)]
            i += 4
        else:
            out.append(chars[i])
            i += 1
    return "".join(out)


def _ucwords(value):
    """PHP 8's ucwords(): a to z after a space (or at the start) to upper case."""
    text = php.strval(value)
    return "".join(c.upper() if "a" <= c <= "z" and (i == 0 or text[i - 1] in _UCWORDS_AFTER) else c
                   for i, c in enumerate(text))


def _strrev(value):
    """PHP's strrev() reverses bytes (a letter outside ASCII comes out broken)."""
    return php.strval(value).encode("utf-8")[::-1].decode("utf-8", "replace")


def _rounding(name, pick):
    """floor(), ceil(), abs() of PHP 8: a text that is not a number stops
    the expression; floor() and ceil() give a float, abs() keeps an integer."""
    def impl(value):
        if isinstance(value, str) and not php.is_numeric_string(value):
            raise php.PhpTypeError(f"{name}(): Argument #1 ($num) must be of type int|float, string given")
        return pick(php.to_number(value))
    return impl


def _sqrt(value):
    """ExpressionManager's own sqrt(): of a value that is not numeric (an empty answer,
    true/false, a hidden question), or of a negative number, NAN."""
    if not _is_numeric(value):
        return math.nan
    n = float(php.to_number(value))
    return math.sqrt(n) if n >= 0 else math.nan


def _is_numeric(value) -> bool:
    """PHP's is_numeric(): a number (not true/false), or a numeric text."""
    return (isinstance(value, int | float) and not isinstance(value, bool)
            or isinstance(value, str) and php.is_numeric_string(value))


def _pow(base, exponent):
    """PHP 8's pow() (the `**` operator): a text that is not a number, "" too, stops
    the expression, one that starts with a number gives that number, null is 0.
    Two whole numbers give a whole number while it fits in 64 bits; 0 to a negative
    power is INF, a negative number to a fractional one NAN, an overflow INF."""
    x, y = php.to_number(base), php.to_number(exponent)
    if isinstance(x, int) and isinstance(y, int) and y >= 0 and (abs(x) <= 1 or y < 64):
        whole = x**y
        if -php.INT_MAX - 1 <= whole <= php.INT_MAX:
            return whole
    x, y = float(x), float(y)
    odd = y.is_integer() and y % 2 == 1
    if x == 0 and y < 0:
        return -math.inf if odd and math.copysign(1.0, x) < 0 else math.inf
    try:
        return math.pow(x, y)
    except OverflowError:
        return -math.inf if odd and x < 0 else math.inf
    except ValueError:  # a negative number to a fractional power
        return math.nan


def _exp(value):
    """ExpressionManager's exp(): of a value that is not numeric (an empty answer,
    true/false, a hidden question), NAN; INF when it overflows."""
    if not _is_numeric(value):
        return math.nan
    try:
        return math.exp(php.floatval(value))
    except OverflowError:
        return math.inf


def _log(value, base=None):
    """`exprmgr_log`: NAN when the number or the base is not numeric or the base is
    not positive; a base read as null (a hidden question) is e. Then PHP's log():
    base 1 is NAN, base 2 and 10 are computed as log2 and log10, others as a ratio
    of natural logarithms (e's is 1); log(0) is -INF, of a negative number NAN."""
    if not _is_numeric(value):
        return math.nan
    if base is not None and (not _is_numeric(base) or php.floatval(base) <= 0):
        return math.nan
    x = php.floatval(value)
    b = math.e if base is None else php.floatval(base)
    if b == 1 or x < 0 or math.isnan(x):
        return math.nan
    if x == 0:
        return -math.inf if b > 1 else math.inf
    if b == 2:
        return math.log2(x)
    if b == 10:
        return math.log10(x)
    return math.log(x) / math.log(b)


def int_argument(value, nullable: bool = False) -> int | None:
    """A value passed to a PHP 8 internal function's `int` parameter: null is 0 (or
    stays null where the parameter is `?int`), true/false 1/0, a float or numeric
    text its whole part; "" and any other text (even "2 kg") are a TypeError, as is
    a float out of range (NAN, INF)."""
    if value is None:
        return None if nullable else 0
    if isinstance(value, bool | int):
        return int(value)
    if isinstance(value, str):
        if not php.is_numeric_string(value):
            raise php.PhpTypeError("must be of type int, string given")
        return int_argument(php.string_to_number(value))
    if not math.isfinite(value) or abs(value) >= 2**63:
        raise php.PhpTypeError("must be of type int, float given")
    return int(value)


def _substr(value, start, length=None):
    """`exprmgr_substr`, PHP's mb_substr(): letters (not bytes) from `start` (from the
    end when negative), `length` of them (all but the last -`length` when negative,
    the rest when null)."""
    text = php.strval(value)
    first, count = int_argument(start), int_argument(length, nullable=True)
    assert first is not None
    n = len(text)
    first = max(n + first, 0) if first < 0 else min(first, n)
    if count is None:
        return text[first:]
    last = n + count if count < 0 else first + count
    return text[first:last] if last > first else ""


def simple_fold(text: str) -> str:
    """Unicode simple case folding, letter by letter (mb_stripos compares so): a
    letter whose full folding is longer ("ß") is only lowered, or kept."""
    def fold(c: str) -> str:
        for candidate in (c.casefold(), c.lower()):
            if len(candidate) == 1:
                return candidate
        return c
    return "".join(fold(c) for c in text)


def _position(fold):
    """`exprmgr_strpos`/`exprmgr_stripos`: false when the offset is past the end,
    else mb_strpos()'s index in letters, false when not found (an offset before
    the start is PHP's ValueError). PHP 8.2's mb_stripos() finds nothing in "",
    not even "" (mb_strpos() finds "" at 0)."""
    def impl(haystack, needle, offset=0):
        h, n = php.strval(haystack), php.strval(needle)
        start = int_argument(offset)
        assert start is not None
        if start > len(h):
            return False
        if start < -len(h):
            raise EmError("mb_strpos(): Argument #3 ($offset) must be contained in argument #1 ($haystack)")
        if fold:
            if not h:
                return False
            h, n = simple_fold(h), simple_fold(n)
        found = h.find(n, start if start >= 0 else len(h) + start)
        return False if found < 0 else found
    return impl


def _str_replace(search, replace, subject):
    """PHP's str_replace() of three texts (null is "", a number its printed form):
    every `search`, left to right, replaced; an empty `search` replaces nothing. PHP
    works on bytes, which for whole UTF-8 texts is the same as on letters."""
    needle, text = php.strval(search), php.strval(subject)
    return text.replace(needle, php.strval(replace)) if needle else text


#: countifop()'s operators, in the order of `exprmgr_countifop`'s switch.
COUNTIFOP_OPERATORS = (("==", "=="), ("eq", "=="), (">=", ">="), ("ge", ">="), (">", ">"), ("gt", ">"),
                       ("<=", "<="), ("le", "<="), ("<", "<"), ("lt", "<"), ("!=", "!="), ("ne", "!="),
                       ("RX", "RX"))


def countifop_operator(op) -> str | None:
    """The operator `exprmgr_countifop` applies: the first case of its switch that
    `op` loosely equals (None: none, nothing is counted)."""
    return next((name for spelled, name in COUNTIFOP_OPERATORS if php.loose("==", op, spelled)), None)


def _countifop(op, value, *args):
    """`exprmgr_countifop`: how many of the values (answered or not) pass PHP's loose
    `arg op value`; RX counts the values the pattern matches (without the u flag:
    modelled for texts in ASCII)."""
    name = countifop_operator(op)
    if name == "RX":
        pattern = pcre(php.strval(value))
        return 0 if pattern is None else sum(1 for a in args if pattern.search(php.strval(a)))
    return 0 if name is None else sum(1 for a in args if php.loose(name, a, value))


def _sumifop(op, value, *args):
    """`exprmgr_sumifop`: the values that pass as in countifop(), added with PHP's
    `+` (null is 0, a text that starts with a number that number; "" or another
    text stops the expression)."""
    name = countifop_operator(op)
    pattern = pcre(php.strval(value)) if name == "RX" else None
    total: int | float = 0
    for a in args:
        if name == "RX" and pattern is not None and pattern.search(php.strval(a)) or (
                name not in (None, "RX") and php.loose(name, a, value)):
            total = php.add(total, a)
    return total


def array_key(value):
    """The key PHP makes of a value: a text written as a whole number in range is that
    int ("5", not "05", "5.0" or "-0"), a float its whole part, true/false 1/0, null ""."""
    if isinstance(value, str):
        if re.fullmatch(r"-?[1-9][0-9]*|0", value) and abs(int(value)) <= php.INT_MAX:
            return int(value)
        return value
    if value is None:
        return ""
    return php.intval(value)


def _unique(*args):
    """`exprmgr_unique`: whether no two values that are not blank (spaces only, as
    trim() sees them) make the same array key."""
    keys = [array_key(a) for a in args if php.strval(a).strip(_PHP_TRIMMED) != ""]
    return len(set(keys)) == len(keys)


#: name -> (fewest arguments, most arguments or None, implementation)
FUNCTIONS = {
    "if": (2, 3, _if),
    "is_empty": (1, 1, lambda v: v is None or v is False or (isinstance(v, str) and v == "")),
    "sum": (1, None, _sum),
    "count": (1, None, _count),
    "countif": (2, None, _countif),
    "min": (1, None, _extreme(lambda c: c is not None and c < 0)),
    "max": (1, None, _extreme(lambda c: c is not None and c > 0)),
    "intval": (1, 1, php.intval),
    "floatval": (1, 1, php.floatval),
    "round": (1, 2, _round),
    "strlen": (1, 1, _strlen),
    "regexMatch": (2, 2, _regex_match),
    "join": (1, None, _join),
    "is_numeric": (1, 1, _is_numeric),
    # the sign of PHP's strcmp (its magnitude is a byte or length difference)
    "strcmp": (2, 2, lambda a, b: php.strcmp(php.strval(a), php.strval(b))),
    "strtolower": (1, 1, lambda v: php.strval(v).lower()),  # mb_strtolower
    "strtoupper": (1, 1, lambda v: php.strval(v).upper()),  # mb_strtoupper
    "trim": (1, 2, _trim(str.strip)),
    "ltrim": (1, 2, _trim(str.lstrip)),
    "rtrim": (1, 2, _trim(str.rstrip)),
    "ucwords": (1, 1, _ucwords),
    "strrev": (1, 1, _strrev),
    "is_string": (1, 1, lambda v: isinstance(v, str)),
    "floor": (1, 1, _rounding("floor", lambda n: float(math.floor(n)) if isinstance(n, int) or math.isfinite(n)
                              else n)),
    "ceil": (1, 1, _rounding("ceil", lambda n: float(math.ceil(n)) if isinstance(n, int) or math.isfinite(n)
                             else n)),
    "abs": (1, 1, _rounding("abs", abs)),
    "sqrt": (1, 1, _sqrt),
    "pi": (0, 0, lambda: math.pi),
    "pow": (2, 2, _pow),
    "exp": (1, 1, _exp),
    "log": (1, 2, _log),
    "substr": (2, 3, _substr),
    "strpos": (2, 3, _position(fold=False)),
    "stripos": (2, 3, _position(fold=True)),
    "str_replace": (3, 3, _str_replace),
    "countifop": (3, None, _countifop),
    "sumifop": (3, None, _sumifop),
    "unique": (0, None, _unique),
    # exprmgr_implode: the first value glues the others (PHP's implode writes each as a text)
    "implode": (1, None, lambda glue, *xs: php.strval(glue).join(php.strval(x) for x in xs)),
}
