"""The functions expressions may call: one table, one row a function.

A row (`Function`) says everything qengine needs to know about its function, so
that adding one is adding a row (and its tests):

- its name, typed parameters and the kind of result it gives: resolution checks
  calls against them (E214, E215, a whole question where one value goes: E213);
- `python`, the implementation the runtime calls (the reference);
- `js`, the JavaScript source of the same function, which the HTML renderer writes
  into the form's runtime (`qengine.js`, whose helpers such as `numbers()` or
  `asText()` mirror the Python ones used here); a differential test holds the two
  together;
- `words`, how a call reads in the printable annex, in each language qengine speaks;
- `solver`, how lint models it: `BY_VALUE`, `NOT_MODELLED`, or a translation
  written with the primitives lint's solver offers (`SolverKit`);
- `doc`, its line in docs/qdl.md, whose function table is generated from the rows
  (`python -m qengine.expr.docs`);
- `expand`, for a function whose arguments name what it reads (`listifop()`'s quoted
  attributes and questions): the variables it computes on, which every call made by
  `make_call` carries, so that the backends evaluate plain variables.

A backend holds no knowledge of a particular function, with one exception: `if`
evaluates only the branch it chooses, so each backend writes it itself (`lazy`).
"""

from __future__ import annotations

import datetime
import enum
import math
import re
import time as _time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

import attrs

from qengine.expr import ast
from qengine.expr.regex import UnsupportedPattern, check_pattern, search
from qengine.expr.values import (
    as_number,
    as_text,
    check_text_length,
    checked_number,
    equal,
    is_empty,
    normalise_number,
    order,
    parse_number,
)
from qengine.span import Span


class FunctionError(Exception):
    """Raised by an implementation; evaluation adds the span."""


# ---------------------------------------------------------------- what a row is
class Arg(enum.Enum):
    """What an argument may be."""

    #: any single value
    VALUE = "value"
    #: a single value read as a number: text that is not one makes the call fail
    #: (lint warns where it certainly is not one, V203)
    NUMBER = "number"
    #: a regular expression; a quoted one is checked when the survey loads (E107)
    #: and compiled once for the HTML form, a computed one is warned about (V220)
    PATTERN = "pattern"
    #: a single value, or a whole multiple choice, array or grid (its answered parts);
    #: the function reads only whether it, or each of its parts, is answered (lint
    #: counts such a read as the author's own test of emptiness)
    ANSWERS = "value or whole question"
    #: the name of an attribute in quotes, as LimeSurvey's listifop() takes it
    #: (`"value"`, `"shown"`, `"question"`: what may follow a dot, `ast.ATTRIBUTES`);
    #: checked when the survey loads (E217)
    ATTRIBUTE = "quoted attribute name"
    #: the name of a question or of one of its parts in quotes (`"n10"`, `"pets_cat"`),
    #: as LimeSurvey's listifop() takes it; checked when the survey loads (E217, E210…)
    QUESTION = "quoted question name"


class Result(enum.Enum):
    """What a call gives, for the backends that write a call into something else
    (the LimeSurvey export needs to know whether it is a number, or may be empty)."""

    NUMBER = "number"
    #: a number, or empty (`min()` of nothing but empty values)
    NUMBER_OR_EMPTY = "number or empty"
    BOOLEAN = "true or false"
    #: a text, which may be the empty text
    TEXT = "text"
    #: whatever its arguments give (`if`)
    VALUE = "value"


@attrs.frozen
class Param:
    name: str
    type: Arg = Arg.VALUE
    #: may be left out (only parameters at the end)
    optional: bool = False
    #: the last parameter: given once or more
    repeated: bool = False


def arg(name: str, type: Arg = Arg.VALUE) -> Param:  # noqa: A002  (the parameter's type)
    """A parameter that must be given."""
    return Param(name, type)


def optional(name: str, type: Arg = Arg.VALUE) -> Param:  # noqa: A002
    """A parameter that may be left out."""
    return Param(name, type, optional=True)


def repeated(name: str, type: Arg = Arg.VALUE) -> Param:  # noqa: A002
    """The last parameter, given once or more: `sum(x, …)`."""
    return Param(name, type, repeated=True)


@attrs.frozen
class Words:
    """How a call reads in the printable annex, one template a language.

    In a template, `{0}`, `{1}`… is an argument (in parentheses when it is itself
    an operation), `{items}` all the arguments listed ("a, b and c"), `{rest}`
    those after the first, listed, and `{questions}` the questions named in quotes
    (the arguments of type QUESTION), listed. A function that is true or false gives the
    sentence saying it holds (`en`, `fr`) and the one saying it does not
    (`en_not`, `fr_not`), so that `not` reads exactly; used as a value, such a call
    reads "1 if …, otherwise 0". `given` is how a call with its optional
    arguments reads."""

    en: str
    fr: str
    en_not: str | None = None
    fr_not: str | None = None
    given: Words | None = None

    @property
    def is_clause(self) -> bool:
        return self.en_not is not None

    def template(self, language: str, negated: bool = False) -> str:
        """The template in `language` ("en" or "fr", as the words backend chose)."""
        said = {"en": (self.en, self.en_not), "fr": (self.fr, self.fr_not)}[language][negated]
        if said is None:
            raise ValueError("only a function that is true or false has a negative sentence")
        return said


class Solver(enum.Enum):
    """How lint models a function that gives no translation of its own."""

    #: computed by `python` over every combination of the few values its arguments
    #: can take (an option code, a blank, a number the survey names); otherwise
    #: not modelled. Right for any function whose result depends on its arguments only.
    BY_VALUE = "by value"
    #: the solver may take any value for it (a function of the clock, say)
    NOT_MODELLED = "not modelled"


BY_VALUE = Solver.BY_VALUE
NOT_MODELLED = Solver.NOT_MODELLED


class SolverKit(Protocol):
    """What lint's solver (qengine/lint/constraints.py) offers a row's translation.
    The values are the solver's own, opaque here: a translation only combines them.
    A translation is called as `solver(kit, *arguments)`; an argument of type
    `ANSWERS` may be a whole question, which only `empty` and `answers` read."""

    def by_value(self) -> Any:
        """The call modelled `BY_VALUE`."""

    def numeric(self, x: Any, f: Callable[[Any], Any], text: object = NOT_MODELLED) -> Any:
        """The function of one number: `f` of the solver's number where `x` is
        one, `python` where `x` is a known value, and `text` (a value, or not
        modelled) where `x` is free text that is not a number."""

    def where(self, condition: Any, then: Any, other: Any) -> Any:
        """Between two numbers: `then` where `condition` holds, else `other`."""

    def floor(self, n: Any) -> Any:
        """The largest whole number at most the number `n`."""

    def add(self, values: Iterable[Any]) -> Any:
        """The sum of the values' numbers, empty ones left out; text fails."""

    def fold(self, values: Iterable[Any], pick: Callable[[Any, Any], Any]) -> Any:
        """`pick` of two numbers, folded over the values' numbers, empty ones left
        out; empty when they all are; text fails."""

    def empty(self, x: Any) -> Any:
        """Whether `x` is empty (a whole question: nothing answered)."""

    def answers(self, x: Any) -> list[Any]:
        """One condition an answer `x` holds: each part of a whole question is
        answered, or else `x` is not empty."""

    def equal(self, a: Any, b: Any) -> Any:
        """Whether `a == b`."""

    def count(self, conditions: Iterable[Any]) -> Any:
        """The number of conditions that hold."""

    def truth(self, condition: Any) -> Any:
        """A condition as a value, true or false."""


@attrs.frozen
class Function:
    """One row of the table (see the module docstring)."""

    name: str
    params: tuple[Param, ...] = attrs.field()
    returns: Result
    doc: str
    python: Callable[..., Any] | None
    js: str | None
    words: Words | None
    solver: Solver | Callable[..., Any] | None
    #: only some arguments are evaluated, so each backend writes the call itself (`if`)
    lazy: bool = False
    #: For a function whose arguments name what it reads rather than give it
    #: (`listifop()`): the operands it computes on, made from the arguments as
    #: written, or None when they are not of the parameters' types (resolution says
    #: which is wrong). `make_call` keeps them in `ast.Call.expanded`; then `python`,
    #: `js` and `solver` take the operands, while `params` and `words` describe the
    #: arguments as written.
    expand: Callable[[tuple[ast.Expr, ...]], tuple[ast.Expr, ...] | None] | None = None

    @params.validator
    def _check_params(self, _attribute: attrs.Attribute, params: tuple[Param, ...]) -> None:
        for i, p in enumerate(params):
            if p.repeated and i != len(params) - 1:
                raise ValueError(f"{self.name}(): only the last parameter may be repeated")
            if not p.optional and any(q.optional for q in params[:i]):
                raise ValueError(f"{self.name}(): optional parameters come last")

    @property
    def min_args(self) -> int:
        return sum(1 for p in self.params if not p.optional)

    @property
    def max_args(self) -> int | None:
        """None: any number."""
        return None if self.params and self.params[-1].repeated else len(self.params)

    def param(self, index: int) -> Param | None:
        """The parameter the argument at `index` is given for; None when the
        function takes fewer arguments."""
        if index < len(self.params):
            return self.params[index]
        return self.params[-1] if self.params and self.params[-1].repeated else None

    def takes(self, index: int, type: Arg) -> bool:  # noqa: A002  (the parameter's type)
        """Whether the argument at `index` is given for a parameter of `type`:
        how the backends find a pattern to compile or a whole question to expand."""
        param = self.param(index)
        return param is not None and param.type is type

    @property
    def signature(self) -> str:
        """`round(x[, digits])`, `sum(x, …)`: how the docs and hints write a call."""
        out = ""
        for i, p in enumerate(self.params):
            sep = ", " if i else ""
            out += f"[{sep}{p.name}]" if p.optional else f"{sep}{p.name}"
            if p.repeated:
                out += ", …"
        return f"{self.name}({out})"

    @property
    def usage(self) -> str:
        """The signature and the documentation line, plain, for messages (E215)."""
        return f"{self.signature}: {self.doc.replace('`', '')}"


# ---------------------------------------------------------------- implementations
def _numbers(args: Iterable[Any]) -> Iterable[int | float]:
    """The numbers of the values given, empty ones left out (FunctionError for text)."""
    for a in args:
        if isinstance(a, tuple):
            raise FunctionError("a whole question cannot be used as a number")
        if is_empty(a):
            continue
        n = as_number(a)
        if n is None:
            raise FunctionError(f"{as_text(a)!r} is not a number")
        yield n


def _number(x: Any) -> int | float:
    """The number of one value that is not empty (FunctionError for text)."""
    (n,) = _numbers([x])
    return n


def _answered(value: Any) -> int:
    """How many answers a value holds: the ticks of a whole multiple choice (a
    tuple), the answered rows of a whole array (a dict), the filled cells of a
    whole grid (a dict of dicts), else 1 unless it is empty."""
    if isinstance(value, tuple):
        return len(value)
    if isinstance(value, dict):
        return sum(map(_answered, value.values()))
    return 0 if is_empty(value) else 1


def _min(*args: Any) -> int | float | None:
    ns = list(_numbers(args))
    return min(ns) if ns else None


def _max(*args: Any) -> int | float | None:
    ns = list(_numbers(args))
    return max(ns) if ns else None


#: The number a text starts with, as PHP reads it (with a decimal part and an exponent).
_NUMBER_PREFIX = re.compile(r"\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _leading_number(x: Any) -> int | float:
    """The number the text of `x` starts with, as PHP's intval() and floatval() read
    it (`"1.5 kg"` is 1.5, `"1e3"` is 1000), 0 when it starts with none;
    FunctionError when it is too large for a number."""
    m = _NUMBER_PREFIX.match(as_text(x))
    n = parse_number(m.group().strip()) if m else 0
    if isinstance(n, float) and not math.isfinite(n):
        raise FunctionError("the number is too large")
    return n


def _intval(x: Any) -> int:
    if is_empty(x):
        return 0
    n = as_number(x)
    return _whole(_leading_number(x) if n is None else n)


def _whole(n: int | float) -> int:
    """The whole part of a number; FunctionError for an infinite one (a text of
    hundreds of digits reads as one)."""
    if isinstance(n, float) and not math.isfinite(n):
        raise FunctionError("the number is too large")
    return int(n)


def _floatval(x: Any) -> int | float:
    if is_empty(x):
        return 0
    n = as_number(x)
    return normalise_number(float(_leading_number(x) if n is None else n))


#: Beyond this a float has no such digits, and Python's exact 10**d would never end.
MAX_ROUND_DIGITS = 15


def _round(x: Any, digits: Any = 0) -> int | float | None:
    if is_empty(x):
        return None
    n = _number(x)
    d = _whole(as_number(digits) or 0)
    if abs(d) > MAX_ROUND_DIGITS:
        raise FunctionError(f"round() keeps from -{MAX_ROUND_DIGITS} to {MAX_ROUND_DIGITS} digits, not {d}")
    if isinstance(n, int) and d >= 0:
        return n
    return normalise_number(_php_round(float(n), d))


def _php_round(n: float, d: int) -> float:
    """`n` rounded to `d` decimals as PHP's round() does (LimeSurvey's): halves
    away from zero, not Python's banker's rounding, and first, while the number
    has fewer than 15 digits before the place rounded to, pre-rounded to 15
    significant digits, so that a decimal written as a half rounds up although its
    binary value is just below (1.005 * 100 is 100.49999999999999: `round(1.005, 2)`
    is 1.01). Powers of ten are read from text, correctly rounded, as the
    JavaScript runtime reads them."""
    if n == 0 or not math.isfinite(n):
        return n
    precise = 14 - math.floor(math.log10(abs(n)))  # the place of n's 15th digit
    if d < precise < d + 15:
        scaled = _half_up(_shift(n, precise)) / _ten(precise - d)
    else:
        scaled = _shift(n, d)
        if abs(scaled) >= 1e15:  # no fraction left to round at that precision
            return n
    return _shift(_half_up(scaled), -d)


def _ten(k: int) -> float:
    return float(f"1e{k}")


def _shift(n: float, k: int) -> float:
    """n × 10**k, as PHP computes it (a multiplication or a division by 10**|k|)."""
    return n * _ten(k) if k >= 0 else n / _ten(-k)


def _half_up(x: float) -> float:
    return math.floor(x + 0.5) if x >= 0 else math.ceil(x - 0.5)


#: The delimiters of a PHP (PCRE) pattern that qengine recognises: the usual
#: ones, none of which commonly starts and ends a plain pattern (brackets do).
PCRE_DELIMITERS = "/#~@%!"
_PCRE_TAIL = re.compile(r"[A-Za-z]*\Z")


def regex_body(pattern: str) -> str:
    """The Python pattern for a pattern as written in a survey.

    LimeSurvey writes patterns PHP-style, `/…/flags` (or `#…#flags`…): the
    delimiters are dropped and the flags become Python's global inline flags
    (`/abc/i` is `(?i)abc`), which mean the same for `i m s x`; `u` is dropped
    (Python's patterns are Unicode already). Any other letter is left to Python,
    which refuses it as an unknown flag: a flag is never dropped silently. A
    pattern without delimiters (QDL's own way) is taken as it is."""
    if len(pattern) >= 2 and pattern[0] in PCRE_DELIMITERS:
        end = pattern.rfind(pattern[0])
        if end > 0 and _PCRE_TAIL.match(pattern, end + 1):
            flags = pattern[end + 1 :].replace("u", "")
            body = pattern[1:end]
            return f"(?{flags}){body}" if flags else body
    return pattern


def _regex_match(pattern: Any, x: Any) -> bool:
    body = regex_body(as_text(pattern))
    try:
        check_pattern(body)
    except re.error as err:
        raise FunctionError(f"bad regular expression: {err}") from None
    except UnsupportedPattern as err:
        raise FunctionError(f"unsupported regular expression: {err}") from None
    return search(body, as_text(x))


def _join(*args: Any) -> str:
    texts = [as_text(a) for a in args]
    check_text_length(sum(map(len, texts)))
    return "".join(texts)


# ---------------------------------------------------------------- LimeSurvey's (PHP's) functions
# Each gives what LimeSurvey 6 gives on the same arguments (tests/expr_oracle holds
# the evidence), except where docs/qdl.md's LimeSurvey table says otherwise: an
# empty number stays empty, and a result that is not a number is an error.


def _fifteen_digits(x: float) -> int | float:
    """A result of the C library's exp/log/pow, rounded to 15 significant digits:
    libraries differ in the last binary digit (the browser's from the server's);
    LimeSurvey prints 14 anyway."""
    if not math.isfinite(x):
        raise FunctionError("the result is not a number" if x != x else "the result is too large a number")
    return normalise_number(float(f"{x:.15g}"))


def _on_number(f: Callable[[float], float]) -> Callable[[Any], int | float | None]:
    """A function of one number: empty stays empty, a domain error is an error."""
    def call(x: Any) -> int | float | None:
        if is_empty(x):
            return None
        try:
            return f(_number(x))
        except OverflowError:
            raise FunctionError("the result is too large a number") from None
        except ValueError:
            raise FunctionError(f"no result for {as_text(x)}") from None
    return call


def _pow(x: Any, y: Any) -> int | float | None:
    if is_empty(x) or is_empty(y):
        return None
    try:
        return _fifteen_digits(math.pow(_number(x), _number(y)))
    except OverflowError:
        raise FunctionError("the result is too large a number") from None
    except (ValueError, ZeroDivisionError):
        raise FunctionError(f"no result for {as_text(x)} to the power {as_text(y)}") from None


def _log(x: Any, *given: Any) -> int | float | None:
    """PHP's log(): natural, or in the base given (2 and 10 computed directly, as PHP
    does). A base given empty makes the result empty, as `x` empty does."""
    if is_empty(x) or any(is_empty(b) for b in given):
        return None
    n = _number(x)
    if n <= 0:
        raise FunctionError(f"no logarithm of {as_text(x)}")
    if not given:
        return _fifteen_digits(math.log(n))
    (base,) = given
    b = _number(base)
    if b <= 0 or b == 1:
        raise FunctionError(f"no logarithm in base {as_text(base)}")
    value = math.log2(n) if b == 2 else math.log10(n) if b == 10 else math.log(n) / math.log(b)
    return _fifteen_digits(value)


#: What PHP's trim() removes: spaces, tabs, line ends, NUL and vertical tab only.
_PHP_SPACE = " \t\n\r\0\x0b"


def _whole_arg(value: Any, default: int) -> int:
    """A whole-number argument (a position, a length); empty gives `default`."""
    return default if is_empty(value) else _whole(_number(value))


def _substr(x: Any, start: Any, length: Any = None) -> str:
    """PHP's mb_substr(): characters from `start` (from the end when negative),
    `length` of them (all but the last -`length` when negative, all when left out)."""
    text = as_text(x)
    n = len(text)
    first = _whole_arg(start, 0)
    first = max(n + first, 0) if first < 0 else min(first, n)
    if length is None or is_empty(length):
        return text[first:]
    count = _whole_arg(length, 0)
    last = n + count if count < 0 else first + count
    return text[first:last] if last > first else ""


def _str_replace(search: Any, replace: Any, subject: Any) -> str:
    needle, text = as_text(search), as_text(subject)
    if not needle:
        return text
    out = text.replace(needle, as_text(replace))
    check_text_length(len(out))
    return out


def _position(haystack: Any, needle: Any, fold: bool = False) -> int | bool:
    """PHP's mb_strpos(): the index of the first `needle` in `haystack`, counted in
    characters from 0, or false when it is not there."""
    h, n = as_text(haystack), as_text(needle)
    if fold:
        h, n = h.lower(), n.lower()
    found = h.find(n)
    return False if found < 0 else found


_WORD_START = re.compile(r"(^|[ \t\r\n\f\v])([a-z])")


def _checked_text(text: str) -> str:
    """`text`, or LimitError when a change of case made it too long ("ß" is "SS")."""
    check_text_length(len(text))
    return text


def _implode(glue: Any, *xs: Any) -> str:
    texts = [as_text(x) for x in xs]
    g = as_text(glue)
    check_text_length(sum(map(len, texts)) + len(g) * max(len(texts) - 1, 0))
    return g.join(texts)


_PHP_NUMERIC = re.compile(r"[ \t\n\r\v\f]*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r\v\f]*\Z")


def _is_numeric(x: Any) -> bool:
    """PHP's is_numeric(): a number, or a text that writes one (spaces around, a
    sign, an exponent allowed)."""
    if isinstance(x, bool):
        return False
    if isinstance(x, int | float):
        return True
    return isinstance(x, str) and _PHP_NUMERIC.match(x) is not None


def _unique(*xs: Any) -> bool:
    """Whether the values that are not empty are all different, as texts."""
    seen = [as_text(x) for x in xs if not is_empty(x)]
    return len(seen) == len(set(seen))


#: countifop()'s and sumifop()'s operators, in LimeSurvey's spellings.
_OPERATORS = {"==": "==", "eq": "==", "!=": "!=", "ne": "!=", "<": "<", "lt": "<", "<=": "<=", "le": "<=",
              ">": ">", "gt": ">", ">=": ">=", "ge": ">=", "RX": "RX"}


def _passes(op: Any, value: Any) -> Callable[[Any], bool]:
    """`x op value` under QDL's rules of comparison; `RX`: x matches the pattern value."""
    spelled = as_text(op)
    if spelled not in _OPERATORS:
        raise FunctionError(f"unknown operator {spelled!r} (one of {', '.join(_OPERATORS)})")
    match _OPERATORS[spelled]:
        case "==":
            return lambda x: equal(x, value)
        case "!=":
            return lambda x: not equal(x, value)
        case "RX":
            return lambda x: not is_empty(x) and _regex_match(value, x)
        case ordering:
            return lambda x: order(ordering, x, value)


def _countifop(op: Any, value: Any, *xs: Any) -> int:
    test = _passes(op, value)
    return sum(1 for x in xs if test(x))


def _sumifop(op: Any, value: Any, *xs: Any) -> int | float:
    test = _passes(op, value)
    return checked_number(sum(_numbers(x for x in xs if test(x))))


def quoted(arg: ast.Expr) -> str | None:
    """The text of an argument written in quotes, else None: an argument of type
    ATTRIBUTE or QUESTION must be one."""
    return arg.value if isinstance(arg, ast.Literal) and isinstance(arg.value, str) else None


def attribute_named(arg: ast.Expr) -> str | None:
    """What the quoted attribute name `arg` reads (`ast.ATTRIBUTES`: "code" reads the
    value), or None when it names no attribute QDL has."""
    name = quoted(arg)
    return None if name is None else ast.ATTRIBUTES.get(name)


def _listifop_operands(args: tuple[ast.Expr, ...]) -> tuple[ast.Expr, ...] | None:
    """listifop(cmp, op, v, ret, glue, q, …) computes on `op`, `v`, `glue`, then, for
    each question named, its `cmp` and its `ret` attribute: `"n10"` with `"value"` and
    `"question"` is `n10` then `n10.question`."""
    if len(args) < 6:
        return None
    cmp, ret, names = attribute_named(args[0]), attribute_named(args[3]), [quoted(a) for a in args[5:]]
    if cmp is None or ret is None:
        return None
    read: list[ast.Expr] = [args[1], args[2], args[4]]
    for name, arg in zip(names, args[5:], strict=True):
        if name is None:
            return None
        read += [ast.Var.named(name, cmp, arg.span), ast.Var.named(name, ret, arg.span)]
    return tuple(read)


def _listifop(op: Any, value: Any, glue: Any, *pairs: Any) -> str:
    """The `ret` values (every second operand) of the questions whose `cmp` value
    passes, joined: as LimeSurvey's, the glue goes before a kept value only once
    the list is no longer empty (a first kept value that is empty adds none)."""
    test, g, out = _passes(op, value), as_text(glue), ""
    for compared, returned in zip(pairs[::2], pairs[1::2], strict=True):
        if test(compared):
            out += (g if out else "") + as_text(returned)
            check_text_length(len(out))
    return out


def _checkdate(month: Any, day: Any, year: Any) -> bool:
    """PHP's checkdate(): whether the month, day and year (1 to 32767) make a date;
    an unanswered part makes none."""
    if any(is_empty(v) for v in (month, day, year)):
        return False
    try:
        m, d, y = (_whole(_number(v)) for v in (month, day, year))
    except FunctionError:
        return False
    if not (1 <= m <= 12 and 1 <= y <= 32767 and d >= 1):
        return False
    leap = y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)
    return d <= (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]


def _number_format(x: Any) -> str | None:
    """PHP's number_format() with one argument, the only form LimeSurvey takes: rounded
    as round() rounds, thousands separated by commas."""
    if is_empty(x):
        return None
    n = float(_number(x))
    rounded = _php_round(n, 0)
    if not math.isfinite(rounded):  # as PHP prints them
        return "nan" if math.isnan(rounded) else "inf"
    sign = "-" if rounded < 0 or (rounded == 0 and n < 0) else ""
    return f"{sign}{abs(int(rounded)):,}"


_FORMAT = re.compile(r"%(?P<flags>(?:[-+ 0]|'.)*)(?P<width>\d+)?(?:\.(?P<precision>\d+))?(?P<conversion>.?)",
                     re.DOTALL)
#: PHP refuses more; more would make the text long.
MAX_FORMAT_WIDTH = 500


def _sprintf(template: Any, *args: Any) -> str:
    """PHP's sprintf() for what surveys use: `%s`, `%d`, `%f` (`%F`) and `%%`, with
    the flags `-` (left), `+` (sign), `0` or `'c` (padding), a width and a precision.
    Other conversions (`%x`, `%e`, `%1$s`…) are an error, not a guess."""
    text, out, used, pos = as_text(template), [], 0, 0
    for m in _FORMAT.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        conversion = m["conversion"]
        if conversion == "%" and m.group(0) == "%%":
            out.append("%")
            continue
        if conversion not in ("s", "d", "f", "F"):
            raise FunctionError(f"sprintf() does not support {m.group(0)!r} (only %s, %d, %f and %%)")
        if used >= len(args):
            raise FunctionError(f"sprintf(): {m.group(0)!r} has no argument")
        value = args[used]
        used += 1
        width = int(m["width"] or 0)
        precision = None if m["precision"] is None else int(m["precision"])
        if width > MAX_FORMAT_WIDTH or (precision or 0) > 53:
            raise FunctionError(f"sprintf(): {m.group(0)!r} is too wide")
        flags = m["flags"]
        sign, numeric = "", conversion != "s"
        if conversion == "s":
            body = as_text(value)
            body = body[:precision] if precision is not None else body
        elif conversion == "d":
            n = _intval(value)
            body, negative = str(abs(n)), n < 0
        else:
            f = float(_floatval(value))
            body, negative = f"{abs(f):.{6 if precision is None else precision}f}", f < 0
        if numeric:
            sign = "-" if negative else "+" if "+" in flags else ""
        pad = flags[flags.rindex("'") + 1] if "'" in flags else "0" if "0" in flags else " "
        missing = max(width - len(sign) - len(body), 0)
        if "-" in flags:
            out.append(sign + body + (" " if pad == "0" else pad) * missing)
        elif pad == "0" and numeric:
            out.append(sign + "0" * missing + body)
        else:
            out.append(pad * missing + sign + body)
        check_text_length(sum(map(len, out)))
    out.append(text[pos:])
    result = "".join(out)
    check_text_length(len(result))
    return result


# ---------------------------------------------------------------- the table
NUMBER, PATTERN, ANSWERS, ATTRIBUTE, QUESTION = Arg.NUMBER, Arg.PATTERN, Arg.ANSWERS, Arg.ATTRIBUTE, Arg.QUESTION

# ---------------------------------------------------------------- dates (PHP's, in UTC)
#: The timestamps of years 1 to 9999 (seconds since 1970-01-01 00:00:00 UTC).
_FIRST_SECOND, _LAST_SECOND = -62135596800, 253402300799
#: The letters date() writes; PHP's others are refused rather than misread.
_DATE_LETTERS = frozenset("YmdHisjnyDlNwztL")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
#: The dates and times strtotime() reads (ISO 8601, with PHP's tolerance of a day 0
#: to 31 in any month, an hour 24 and a second 60, which run into the next ones).
_ISO_MOMENT = re.compile(r"[ \t\n\r\x0b\x0c]*([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
                         r"(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(Z|[+-][0-9]{2}:?[0-9]{2})?)?"
                         r"[ \t\n\r\x0b\x0c]*")


def _days_from_civil(y: int, m: int, d: int) -> int:
    """Days from 1970-01-01 to the day `d` (1 is the first) of month `m` (1 to 12)
    of year `y`, proleptic Gregorian calendar."""
    y -= m <= 2
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _moment(year: int, month: int, day: int, seconds: int) -> int:
    """The timestamp of a date and time PHP normalises: month 0 or 13, day 0 or 32,
    hour 25 run into the neighbouring ones."""
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return (_days_from_civil(year, month, 1) + day - 1) * 86400 + seconds


def _timestamp_problem(t: int) -> None:
    if not _FIRST_SECOND <= t <= _LAST_SECOND:
        raise FunctionError("the date is out of range (years 1 to 9999)")


def _date(fmt: Any, timestamp: Any) -> str:
    """PHP's date(format, timestamp) in UTC, for the letters `_DATE_LETTERS`."""
    if is_empty(timestamp):
        return ""
    t = _whole(_number(timestamp))
    _timestamp_problem(t)
    days, second = divmod(t, 86400)
    day = datetime.date(1970, 1, 1) + datetime.timedelta(days=days)
    leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
    month_days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[day.month - 1]
    weekday = day.weekday()  # Monday 0
    parts = {
        "Y": f"{day.year:04d}", "y": f"{day.year % 100:02d}", "m": f"{day.month:02d}", "n": str(day.month),
        "d": f"{day.day:02d}", "j": str(day.day), "H": f"{second // 3600:02d}", "i": f"{second // 60 % 60:02d}",
        "s": f"{second % 60:02d}", "D": _WEEKDAYS[weekday][:3], "l": _WEEKDAYS[weekday],
        "N": str(weekday + 1), "w": str((weekday + 1) % 7), "z": str(day.timetuple().tm_yday - 1),
        "t": str(month_days), "L": "1" if leap else "0",
    }
    out, text, i = [], as_text(fmt), 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            out.append(text[i + 1:i + 2])
            i += 2
            continue
        if c in _DATE_LETTERS:
            out.append(parts[c])
        elif c.isascii() and c.isalpha():
            raise FunctionError(f"date(): the format letter '{c}' is not supported "
                                f"(only {' '.join(sorted(_DATE_LETTERS))})")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _mktime(hour: Any, minute: Any, second: Any, month: Any, day: Any, year: Any) -> int | None:
    """PHP's mktime() in UTC: out-of-range parts run into the next ones, a year 0
    to 69 is 2000 to 2069 and 70 to 100 is 1970 to 2000; empty when a part is."""
    values = (hour, minute, second, month, day, year)
    if any(is_empty(v) for v in values):
        return None
    h, mi, s, mo, d, y = (_whole(_number(v)) for v in values)
    if any(abs(n) > 10**9 for n in (h, mi, s, mo, d, y)):
        raise FunctionError("mktime(): a number is too large")
    if 0 <= y <= 69:
        y += 2000
    elif 70 <= y <= 100:
        y += 1900
    t = _moment(y, mo, d, h * 3600 + mi * 60 + s)
    _timestamp_problem(t)
    return t


def _strtotime(text: Any) -> int | None:
    """PHP's strtotime() for ISO dates and date-times (UTC unless an offset is
    written); empty for any other text, as PHP's false."""
    m = _ISO_MOMENT.fullmatch(as_text(text))
    if m is None:
        return None
    y, mo, d = int(m[1]), int(m[2]), int(m[3])
    h, mi, s = (int(m[i]) if m[i] else 0 for i in (4, 5, 6))
    if mo > 12 or d > 31 or h > 24 or mi > 59 or s > 60:
        return None
    offset = 0
    zone = m[7]
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        offset = (int(digits[:2]) * 60 + int(digits[2:])) * 60 * (-1 if zone[0] == "-" else 1)
    return _moment(y, mo, d, h * 3600 + mi * 60 + s) - offset


_ROWS = [
    Function(
        "is_empty", (arg("x", ANSWERS),), Result.BOOLEAN,
        doc="true when `x` is empty or `\"\"` (a whole multiple choice: nothing ticked)",
        python=is_empty,
        js="function (x) { return isEmpty(x); }",
        words=Words(en="{0} was empty", en_not="{0} was not empty",
                    fr="{0} était vide", fr_not="{0} n'était pas vide"),
        solver=lambda s, x: s.truth(s.empty(x)),
    ),
    Function(
        "if", (arg("c"), arg("a"), arg("b")), Result.VALUE,
        doc="`a` when `c` is true, else `b`; only the chosen branch is evaluated",
        python=None, js=None, words=None, solver=None, lazy=True,
    ),
    Function(
        "sum", (repeated("x", NUMBER),), Result.NUMBER,
        doc="the sum of the numbers given, empty ones left out (`sum()` of only empties is 0)",
        python=lambda *xs: checked_number(sum(_numbers(xs))),
        js="function () { return norm(numbers(arguments).reduce(function (s, n) { return s + n; }, 0)); }",
        words=Words(en="the sum of {items}", fr="la somme de {items}"),
        solver=lambda s, *xs: s.add(xs),
    ),
    Function(
        "count", (repeated("x", ANSWERS),), Result.NUMBER,
        doc="how many are not empty; a whole multiple choice counts its ticks, a whole array its "
            "answered rows, a whole grid its filled cells",
        python=lambda *xs: sum(map(_answered, xs)),
        js="""function () {
      var n = 0;
      for (var a of arguments) n += answered(a);
      return n;
    }""",
        words=Words(en="the number of answers given among {items}",
                    fr="le nombre de réponses données parmi {items}"),
        solver=lambda s, *xs: s.count(c for x in xs for c in s.answers(x)),
    ),
    Function(
        "countif", (arg("v"), repeated("x")), Result.NUMBER,
        doc="how many of `x, …` equal `v` (by the rules of `==`)",
        python=lambda v, *xs: sum(1 for x in xs if equal(x, v)),
        js="""function (match) {
      var n = 0;
      for (var i = 1; i < arguments.length; i++) if (equal(arguments[i], match)) n++;
      return n;
    }""",
        words=Words(en="how many of {rest} were {0}", fr="le nombre de valeurs égales à {0} parmi {rest}"),
        solver=lambda s, v, *xs: s.count(s.equal(v, x) for x in xs),
    ),
    Function(
        "min", (repeated("x", NUMBER),), Result.NUMBER_OR_EMPTY,
        doc="the smallest number given, empty ones left out; empty if all are",
        python=_min,
        js="""function () {
      var ns = numbers(arguments), best = ns.length ? ns[0] : null;
      for (var n of ns) if (n < best) best = n;
      return best;
    }""",
        words=Words(en="the smallest of {items}", fr="la plus petite valeur parmi {items}"),
        solver=lambda s, *xs: s.fold(xs, lambda a, b: s.where(a <= b, a, b)),
    ),
    Function(
        "max", (repeated("x", NUMBER),), Result.NUMBER_OR_EMPTY,
        doc="the largest number given, empty ones left out; empty if all are",
        python=_max,
        js="""function () {
      var ns = numbers(arguments), best = ns.length ? ns[0] : null;
      for (var n of ns) if (n > best) best = n;
      return best;
    }""",
        words=Words(en="the largest of {items}", fr="la plus grande valeur parmi {items}"),
        solver=lambda s, *xs: s.fold(xs, lambda a, b: s.where(a >= b, a, b)),
    ),
    Function(
        "intval", (arg("x"),), Result.NUMBER,
        doc="the whole part of the number `x` starts with, as PHP reads it: `intval(\"12 ans\")` is 12, "
            "`intval(\"1e3\")` is 1000, empty or no digits gives 0",
        python=_intval,
        js="""function (x) {
      if (isEmpty(x)) return 0;
      var n = asNumber(x);
      return norm(Math.trunc(n === null ? leadingNumber(x) : n));
    }""",
        words=Words(en="the whole part of {0}", fr="la partie entière de {0}"),
        solver=lambda s, x: s.numeric(x, lambda n: s.where(n >= 0, s.floor(n), -s.floor(-n))),
    ),
    Function(
        "floatval", (arg("x"),), Result.NUMBER,
        doc="the number `x` starts with, as PHP reads it: `floatval(\"1.5 kg\")` is 1.5, "
            "`floatval(\"1e3\")` is 1000; 0 when empty or no number",
        python=_floatval,
        js="""function (x) {
      if (isEmpty(x)) return 0;
      var n = asNumber(x);
      return norm(n === null ? leadingNumber(x) : n);
    }""",
        words=Words(en="the numeric value of {0}", fr="la valeur numérique de {0}"),
        solver=lambda s, x: s.numeric(x, lambda n: n),  # free text: its leading number, not modelled
    ),
    Function(
        "round", (arg("x", NUMBER), optional("d")), Result.NUMBER_OR_EMPTY,
        doc="rounded to `d` decimals (default 0) as PHP rounds, halves away from zero: `round(2.5)` is 3, "
            "`round(-2.5)` is -3, `round(1.005, 2)` is 1.01; empty stays empty",
        python=_round,
        js="""function (x, digits) {
      if (isEmpty(x)) return null;
      var n = numbers([x])[0];
      var d = Math.trunc(asNumber(digits === undefined ? 0 : digits) || 0);
      if (Math.abs(d) > 15) throw new FunctionError("round() keeps from -15 to 15 digits, not " + numberText(d));
      if (n === 0 || Number.isInteger(n) && d >= 0) return norm(n);
      return norm(phpRound(n, d)); // PHP's round(), as _php_round() in Python
    }""",
        words=Words(en="{0} rounded", fr="{0} arrondi",
                    given=Words(en="{0} rounded to {1} decimal place(s)", fr="{0} arrondi à {1} décimale(s)")),
        solver=lambda s, x, d=None: s.by_value() if d is not None else s.numeric(
            x, lambda n: s.where(n >= 0, s.floor(n + 0.5), -s.floor(-n + 0.5))),
    ),
    Function(
        "abs", (arg("x", NUMBER),), Result.NUMBER_OR_EMPTY,
        doc="the distance of `x` from zero: `abs(-3)` is 3; empty stays empty",
        python=lambda x: None if is_empty(x) else checked_number(abs(_number(x))),
        js="function (x) { return isEmpty(x) ? null : norm(Math.abs(numbers([x])[0])); }",
        words=Words(en="the absolute value of {0}", fr="la valeur absolue de {0}"),
        solver=lambda s, x: s.numeric(x, lambda n: s.where(n >= 0, n, -n)),
    ),
    Function(
        "strlen", (arg("x"),), Result.NUMBER,
        doc="the number of characters of `x` as written in text (empty: 0)",
        python=lambda x: len(as_text(x)),
        js="function (x) { return Array.from(asText(x)).length; }",
        words=Words(en="the number of characters of {0}", fr="le nombre de caractères de {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "regexMatch", (arg("p", PATTERN), arg("x")), Result.BOOLEAN,
        doc="whether `x` matches the regular expression `p` (PHP's `/…/flags` allowed, flags `i m s x u`)",
        python=_regex_match,
        js="""function (pattern, x) {
      var p = pattern;
      if (!(p instanceof Pattern)) {
        // A pattern computed while the survey runs: JavaScript's own syntax is used,
        // which agrees with Python's on ordinary patterns (see docs/html-form.md).
        try {
          var body = regexBody(asText(pattern));
          p = new Pattern(new RegExp(body[0], "u" + body[1]), null);
        } catch (err) {
          throw new FunctionError("bad regular expression: " + err.message);
        }
      }
      if (p.error) throw new FunctionError(p.error);
      return p.regexp.test(asText(x));
    }""",
        words=Words(en="{1} matched the pattern {0}", en_not="{1} did not match the pattern {0}",
                    fr="{1} correspondait au modèle {0}", fr_not="{1} ne correspondait pas au modèle {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "join", (repeated("x"),), Result.TEXT,
        doc="the values written one after the other, as in text",
        python=_join,
        js="""function () {
      var out = "";
      for (var a of arguments) out += asText(a);
      return out;
    }""",
        words=Words(en="{items} put together", fr="{items} mis bout à bout"),
        solver=BY_VALUE,
    ),
    Function(
        "floor", (arg("x", NUMBER),), Result.NUMBER_OR_EMPTY,
        doc="the largest whole number not above `x`: `floor(-2.5)` is -3; empty stays empty",
        python=_on_number(lambda n: checked_number(math.floor(n))),
        js="function (x) { return isEmpty(x) ? null : norm(Math.floor(numbers([x])[0])); }",
        words=Words(en="{0} rounded down", fr="{0} arrondi à l'entier inférieur"),
        solver=lambda s, x: s.numeric(x, s.floor),
    ),
    Function(
        "ceil", (arg("x", NUMBER),), Result.NUMBER_OR_EMPTY,
        doc="the smallest whole number not below `x`: `ceil(2.1)` is 3; empty stays empty",
        python=_on_number(lambda n: checked_number(math.ceil(n))),
        js="function (x) { return isEmpty(x) ? null : norm(Math.ceil(numbers([x])[0])); }",
        words=Words(en="{0} rounded up", fr="{0} arrondi à l'entier supérieur"),
        solver=lambda s, x: s.numeric(x, lambda n: -s.floor(-n)),
    ),
    Function(
        "pow", (arg("x", NUMBER), arg("y", NUMBER)), Result.NUMBER_OR_EMPTY,
        doc="`x` to the power `y` (15 significant digits); empty when either is",
        python=_pow,
        js="""function (x, y) {
      if (isEmpty(x) || isEmpty(y)) return null;
      var a = numbers([x])[0], b = numbers([y])[0], r = Math.pow(a, b);
      if (r !== r || (a === 0 && b < 0)) throw new FunctionError("no result for " + asText(x) + " to the power " + asText(y));
      return fifteenDigits(r);
    }""",
        words=Words(en="{0} to the power {1}", fr="{0} puissance {1}"),
        solver=BY_VALUE,
    ),
    Function(
        "sqrt", (arg("x", NUMBER),), Result.NUMBER_OR_EMPTY,
        doc="the square root of `x` (a negative `x` is an error); empty stays empty",
        python=_on_number(lambda n: normalise_number(math.sqrt(n))),
        js="""function (x) {
      if (isEmpty(x)) return null;
      var n = numbers([x])[0];
      if (n < 0) throw new FunctionError("no result for " + asText(x));
      return norm(Math.sqrt(n));
    }""",
        words=Words(en="the square root of {0}", fr="la racine carrée de {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "exp", (arg("x", NUMBER),), Result.NUMBER_OR_EMPTY,
        doc="e to the power `x` (15 significant digits); empty stays empty",
        python=_on_number(lambda n: _fifteen_digits(math.exp(n))),
        js="function (x) { return isEmpty(x) ? null : fifteenDigits(Math.exp(numbers([x])[0])); }",
        words=Words(en="e to the power {0}", fr="e puissance {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "log", (arg("x", NUMBER), optional("base", NUMBER)), Result.NUMBER_OR_EMPTY,
        doc="the natural logarithm of `x`, or in `base` (15 significant digits); empty stays empty",
        python=_log,
        js="""function (x, base) {
      if (isEmpty(x) || (base !== undefined && isEmpty(base))) return null;
      var n = numbers([x])[0];
      if (n <= 0) throw new FunctionError("no logarithm of " + asText(x));
      if (base === undefined) return fifteenDigits(Math.log(n));
      var b = numbers([base])[0];
      if (b <= 0 || b === 1) throw new FunctionError("no logarithm in base " + asText(base));
      return fifteenDigits(b === 2 ? Math.log2(n) : b === 10 ? Math.log10(n) : Math.log(n) / Math.log(b));
    }""",
        words=Words(en="the logarithm of {0}", fr="le logarithme de {0}",
                    given=Words(en="the logarithm of {0} in base {1}", fr="le logarithme de {0} en base {1}")),
        solver=BY_VALUE,
    ),
    Function(
        "pi", (), Result.NUMBER,
        doc="π, 3.14159265358979…",
        python=lambda: math.pi,
        js="function () { return Math.PI; }",
        words=Words(en="π", fr="π"),
        solver=BY_VALUE,
    ),
    Function(
        "strtolower", (arg("x"),), Result.TEXT,
        doc="`x` in lower case",
        python=lambda x: as_text(x).lower(),
        js="function (x) { return asText(x).toLowerCase(); }",
        words=Words(en="{0} in lower case", fr="{0} en minuscules"),
        solver=BY_VALUE,
    ),
    Function(
        "strtoupper", (arg("x"),), Result.TEXT,
        doc="`x` in upper case",
        python=lambda x: _checked_text(as_text(x).upper()),
        js="function (x) { return checkedText(asText(x).toUpperCase()); }",
        words=Words(en="{0} in upper case", fr="{0} en majuscules"),
        solver=BY_VALUE,
    ),
    Function(
        "trim", (arg("x"),), Result.TEXT,
        doc="`x` without the spaces, tabs and line breaks around it",
        python=lambda x: as_text(x).strip(_PHP_SPACE),
        js="function (x) { return asText(x).replace(PHP_SPACE_START, \"\").replace(PHP_SPACE_END, \"\"); }",
        words=Words(en="{0} without the spaces around it", fr="{0} sans les espaces qui l'entourent"),
        solver=BY_VALUE,
    ),
    Function(
        "ltrim", (arg("x"),), Result.TEXT,
        doc="`x` without the spaces, tabs and line breaks it starts with",
        python=lambda x: as_text(x).lstrip(_PHP_SPACE),
        js="function (x) { return asText(x).replace(PHP_SPACE_START, \"\"); }",
        words=Words(en="{0} without its leading spaces", fr="{0} sans ses espaces initiales"),
        solver=BY_VALUE,
    ),
    Function(
        "rtrim", (arg("x"),), Result.TEXT,
        doc="`x` without the spaces, tabs and line breaks it ends with",
        python=lambda x: as_text(x).rstrip(_PHP_SPACE),
        js="function (x) { return asText(x).replace(PHP_SPACE_END, \"\"); }",
        words=Words(en="{0} without its trailing spaces", fr="{0} sans ses espaces finales"),
        solver=BY_VALUE,
    ),
    Function(
        "substr", (arg("x"), arg("start", NUMBER), optional("length", NUMBER)), Result.TEXT,
        doc="the characters of `x` from `start` (0 is the first; negative counts from the end), "
            "`length` of them (negative: all but the last ones; left out: all)",
        python=_substr,
        js="""function (x, start, length) {
      var chars = Array.from(asText(x)), n = chars.length;
      var first = wholeArg(start, 0);
      first = first < 0 ? Math.max(n + first, 0) : Math.min(first, n);
      if (length === undefined || isEmpty(length)) return chars.slice(first).join("");
      var count = wholeArg(length, 0), last = count < 0 ? n + count : first + count;
      return last > first ? chars.slice(first, last).join("") : "";
    }""",
        words=Words(en="the characters of {0} from position {1}", fr="les caractères de {0} à partir de la position {1}",
                    given=Words(en="{2} characters of {0} from position {1}",
                                fr="{2} caractères de {0} à partir de la position {1}")),
        solver=BY_VALUE,
    ),
    Function(
        "str_replace", (arg("search"), arg("replace"), arg("x")), Result.TEXT,
        doc="`x` with every `search` in it replaced by `replace`",
        python=_str_replace,
        js="""function (search, replace, x) {
      var needle = asText(search), text = asText(x);
      return needle ? checkedText(text.split(needle).join(asText(replace))) : text;
    }""",
        words=Words(en="{2} with {0} replaced by {1}", fr="{2} où {0} est remplacé par {1}"),
        solver=BY_VALUE,
    ),
    Function(
        "strpos", (arg("x"), arg("search")), Result.VALUE,
        doc="where `search` first occurs in `x`, counted in characters from 0; false when it does not",
        python=_position,
        js="function (x, search) { return position(asText(x), asText(search)); }",
        words=Words(en="the position of {1} in {0}", fr="la position de {1} dans {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "stripos", (arg("x"), arg("search")), Result.VALUE,
        doc="as `strpos`, ignoring case",
        python=lambda x, search: _position(x, search, fold=True),
        js="function (x, search) { return position(asText(x).toLowerCase(), asText(search).toLowerCase()); }",
        words=Words(en="the position of {1} in {0}, ignoring case", fr="la position de {1} dans {0}, sans tenir compte de la casse"),
        solver=BY_VALUE,
    ),
    Function(
        "strrev", (arg("x"),), Result.TEXT,
        doc="the characters of `x` in reverse order",
        python=lambda x: as_text(x)[::-1],
        js="function (x) { return Array.from(asText(x)).reverse().join(\"\"); }",
        words=Words(en="{0} written backwards", fr="{0} écrit à l'envers"),
        solver=BY_VALUE,
    ),
    Function(
        "ucwords", (arg("x"),), Result.TEXT,
        doc="`x` with the first letter (a to z) of each word in upper case",
        python=lambda x: _WORD_START.sub(lambda m: m[1] + m[2].upper(), as_text(x)),
        js="""function (x) {
      return asText(x).replace(/(^|[ \\t\\r\\n\\f\\v])([a-z])/g, function (_, before, letter) {
        return before + letter.toUpperCase();
      });
    }""",
        words=Words(en="{0} with capitalised words", fr="{0} avec des majuscules en début de mot"),
        solver=BY_VALUE,
    ),
    Function(
        "implode", (arg("glue"), repeated("x")), Result.TEXT,
        doc="the values `x, …` written one after the other, `glue` between them",
        python=_implode,
        js="""function (glue) {
      var texts = [];
      for (var i = 1; i < arguments.length; i++) texts.push(asText(arguments[i]));
      return checkedText(texts.join(asText(glue)));
    }""",
        words=Words(en="{rest} joined by {0}", fr="{rest} reliés par {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "sprintf", (arg("template"), repeated("x")), Result.TEXT,
        doc="`template` with `%s` (text), `%d` (whole number), `%f` (decimals: `%.2f`) and `%%` "
            "filled in from `x, …`, as PHP writes them (flags `-` `+` `0` `'c`, a width)",
        python=_sprintf,
        js="function () { return sprintf(asText(arguments[0]), Array.prototype.slice.call(arguments, 1)); }",
        words=Words(en="{0} filled in with {rest}", fr="{0} complété par {rest}"),
        solver=BY_VALUE,
    ),
    Function(
        "number_format", (arg("x", NUMBER),), Result.TEXT,
        doc="`x` rounded to a whole number, thousands separated by commas: `1,235`; empty stays empty",
        python=_number_format,
        js="""function (x) {
      if (isEmpty(x)) return null;
      var n = numbers([x])[0], r = phpRound(n, 0);
      if (!isFinite(r)) return isNaN(r) ? "nan" : "inf";
      // every digit of the double, as PHP prints it: String() stops at the shortest
      // text that reads back, which differs from 2 ** 53 on
      var digits = Math.abs(r) < 9007199254740992 ? String(Math.abs(r)) : BigInt(Math.abs(r)).toString();
      return (r < 0 || (r === 0 && n < 0) ? "-" : "") + digits.replace(/\\B(?=(\\d{3})+$)/g, ",");
    }""",
        words=Words(en="{0} rounded, with thousands separators", fr="{0} arrondi, avec séparateurs de milliers"),
        solver=BY_VALUE,
    ),
    Function(
        "fixnum", (arg("x"),), Result.VALUE,
        doc="`x` itself (LimeSurvey's, for a decimal comma; QDL writes a decimal point)",
        python=lambda x: x,
        js="function (x) { return x; }",
        words=Words(en="{0}", fr="{0}"),
        solver=BY_VALUE,
    ),
    Function(
        "is_numeric", (arg("x"),), Result.BOOLEAN,
        doc="true when `x` is a number, or a text that writes one as PHP reads it (`\" 5\"`, `\"1e3\"`)",
        python=_is_numeric,
        js="""function (x) {
      if (typeof x === "number") return true;
      return typeof x === "string" && PHP_NUMERIC.test(x);
    }""",
        words=Words(en="{0} was a number", en_not="{0} was not a number",
                    fr="{0} était un nombre", fr_not="{0} n'était pas un nombre"),
        solver=BY_VALUE,
    ),
    Function(
        "is_string", (arg("x"),), Result.BOOLEAN,
        doc="true when `x` is text (a quoted text, the answer of a text or choice question), "
            "false for a number, true/false and empty",
        python=lambda x: isinstance(x, str) and x != "",
        js="function (x) { return typeof x === \"string\" && x !== \"\"; }",
        words=Words(en="{0} was a text", en_not="{0} was not a text",
                    fr="{0} était un texte", fr_not="{0} n'était pas un texte"),
        solver=BY_VALUE,
    ),
    Function(
        "unique", (repeated("x"),), Result.BOOLEAN,
        doc="true when the values given that are not empty are all different (as texts)",
        python=_unique,
        js="""function () {
      var seen = new Set(), n = 0;
      for (var a of arguments) if (!isEmpty(a)) { seen.add(asText(a)); n++; }
      return seen.size === n;
    }""",
        words=Words(en="{items} were all different", en_not="some of {items} were the same",
                    fr="{items} étaient tous différents", fr_not="certains de {items} étaient identiques"),
        solver=BY_VALUE,
    ),
    Function(
        "countifop", (arg("op"), arg("v"), repeated("x")), Result.NUMBER,
        doc="how many of `x, …` compare to `v` by `op` (`==` `!=` `<` `<=` `>` `>=`, or "
            "`eq` `ne` `lt` `le` `gt` `ge`, or `RX`: match the pattern `v`), by QDL's rules",
        python=_countifop,
        js="""function (op, value) {
      var test = passes(op, value), n = 0;
      for (var i = 2; i < arguments.length; i++) if (test(arguments[i])) n++;
      return n;
    }""",
        words=Words(en="how many of {rest} compare by {0}", fr="le nombre de valeurs parmi {rest} qui vérifient {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "sumifop", (arg("op"), arg("v"), repeated("x")), Result.NUMBER,
        doc="the sum of those of `x, …` that compare to `v` by `op` (as in `countifop`)",
        python=_sumifop,
        js="""function (op, value) {
      var test = passes(op, value), kept = [];
      for (var i = 2; i < arguments.length; i++) if (test(arguments[i])) kept.push(arguments[i]);
      return norm(numbers(kept).reduce(function (s, n) { return s + n; }, 0));
    }""",
        words=Words(en="the sum of those of {rest} that compare by {0}",
                    fr="la somme des valeurs parmi {rest} qui vérifient {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "listifop", (arg("cmp", ATTRIBUTE), arg("op"), arg("v"), arg("ret", ATTRIBUTE), arg("glue"),
                     repeated("q", QUESTION)), Result.TEXT,
        doc="the `ret` attribute of each question `q, …` whose `cmp` attribute compares to `v` by `op` (as in "
            "`countifop`), joined by `glue`; the attributes (`\"value\"`, `\"shown\"`, `\"visible\"`, "
            "`\"question\"`, `\"type\"`… as after a dot) and the questions (`\"n10\"`, `\"pets_cat\"`) are "
            "named in quotes, as in LimeSurvey: `listifop(\"value\", \"==\", \"Y\", \"question\", \", \", "
            "\"pets_cat\", \"pets_dog\")` lists the ticked options' labels",
        python=_listifop,
        js="""function (op, value, glue) {
      var test = passes(op, value), g = asText(glue), out = "";
      for (var i = 3; i < arguments.length; i += 2) {
        if (test(arguments[i])) out = checkedText(out + (out === "" ? "" : g) + asText(arguments[i + 1]));
      }
      return out;
    }""",
        words=Words(en="the {3} of those of {questions} whose {0} compares by {1} with {2}, joined by {4}",
                    fr="les {3} de celles parmi {questions} dont {0} vérifie {1} {2}, reliés par {4}"),
        solver=BY_VALUE,
        expand=_listifop_operands,
    ),
    Function(
        "checkdate", (arg("month"), arg("day"), arg("year")), Result.BOOLEAN,
        doc="true when `month`, `day` and `year` make a date of the calendar (`checkdate(2, 29, 2023)` is false)",
        python=_checkdate,
        js="""function (month, day, year) {
      var m = asNumber(month), d = asNumber(day), y = asNumber(year);
      if (isEmpty(month) || isEmpty(day) || isEmpty(year) || m === null || d === null || y === null) return false;
      m = Math.trunc(m); d = Math.trunc(d); y = Math.trunc(y);
      if (!(m >= 1 && m <= 12 && y >= 1 && y <= 32767 && d >= 1)) return false;
      var leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
      return d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
    }""",
        words=Words(en="{0}/{1}/{2} (month/day/year) was a date", en_not="{0}/{1}/{2} (month/day/year) was not a date",
                    fr="{1}/{0}/{2} était une date", fr_not="{1}/{0}/{2} n'était pas une date"),
        solver=BY_VALUE,
    ),
    Function(
        "date", (arg("format"), arg("timestamp", NUMBER)), Result.TEXT,
        doc="the date and time of `timestamp` (seconds since 1970-01-01, UTC) written by PHP's `format` letters "
            "`Y m d H i s j n y D l N w z t L` (`\\` quotes a letter; others are refused): "
            "`date(\"d/m/Y\", 0)` is `01/01/1970`; empty stays empty",
        python=_date,
        js="function (format, timestamp) { return phpDate(format, timestamp); }",
        words=Words(en="{1} written as the date {0}", fr="{1} écrit comme la date {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "mktime", (arg("hour", NUMBER), arg("minute", NUMBER), arg("second", NUMBER), arg("month", NUMBER),
                   arg("day", NUMBER), arg("year", NUMBER)), Result.NUMBER_OR_EMPTY,
        doc="the timestamp (seconds since 1970-01-01, UTC) of a date and time, as PHP's: parts out of range "
            "run into the next (`mktime(0, 0, 0, 2, 30, 2024)` is 1 March 2024); empty when a part is",
        python=_mktime,
        js="function (h, mi, s, mo, d, y) { return phpMktime([h, mi, s, mo, d, y]); }",
        words=Words(en="the timestamp of {4}/{3}/{5} at {0}:{1}:{2}", fr="l'horodatage du {4}/{3}/{5} à {0}:{1}:{2}"),
        solver=BY_VALUE,
    ),
    Function(
        "strtotime", (arg("text"),), Result.NUMBER_OR_EMPTY,
        doc="the timestamp (seconds since 1970-01-01, UTC unless an offset is written) of an ISO date or "
            "date-time, `YYYY-MM-DD[ HH:MM[:SS]]` then `Z` or an offset `±HH:MM`; empty for any other text (PHP's false)",
        python=_strtotime,
        js="function (text) { return phpStrtotime(text); }",
        words=Words(en="the timestamp of {0}", fr="l'horodatage de {0}"),
        solver=BY_VALUE,
    ),
    Function(
        "time", (), Result.NUMBER,
        doc="the timestamp of now (seconds since 1970-01-01, UTC); lint does not model it",
        python=lambda: int(_time.time()),
        js="function () { return Math.floor(Date.now() / 1000); }",
        words=Words(en="the current timestamp", fr="l'horodatage actuel"),
        solver=NOT_MODELLED,
    ),
]

FUNCTIONS: dict[str, Function] = {f.name: f for f in _ROWS}


def make_call(name: str, args: tuple[ast.Expr, ...], span: Span) -> ast.Call:
    """A call as every maker of expressions builds one (the parser, the importer):
    with what it computes on when its row expands its arguments (`Function.expand`)."""
    fn = FUNCTIONS.get(name)
    return ast.Call(name, args, span, fn.expand(args) if fn is not None and fn.expand is not None else None)
