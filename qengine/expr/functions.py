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
  (`python -m qengine.expr.docs`).

A backend holds no knowledge of a particular function, with one exception: `if`
evaluates only the branch it chooses, so each backend writes it itself (`lazy`).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

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
    an operation), `{items}` all the arguments listed ("a, b and c") and `{rest}`
    those after the first, listed. A function that is true or false gives the
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


# ---------------------------------------------------------------- the table
NUMBER, PATTERN, ANSWERS = Arg.NUMBER, Arg.PATTERN, Arg.ANSWERS

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
      // PHP's round(), as _php_round() in Python.
      var ten = function (k) { return Number("1e" + k); };
      var shift = function (x, k) { return k >= 0 ? x * ten(k) : x / ten(-k); };
      var halfUp = function (x) { return x >= 0 ? Math.floor(x + 0.5) : Math.ceil(x - 0.5); };
      var precise = 14 - Math.floor(Math.log10(Math.abs(n))), scaled;
      if (d < precise && precise < d + 15) {
        scaled = halfUp(shift(n, precise)) / ten(precise - d);
      } else {
        scaled = shift(n, d);
        if (Math.abs(scaled) >= 1e15) return norm(n);
      }
      return norm(shift(halfUp(scaled), -d));
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
]

FUNCTIONS: dict[str, Function] = {f.name: f for f in _ROWS}
