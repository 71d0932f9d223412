"""From the parser's reductions to the survey model (its names not yet checked).

Each grammar rule or alias maps to one method of `ModelBuilder`. Statements come out as `_Attr` records;
`_build_question` then checks which attributes the question's kind allows, so that
"`row` is not allowed in a single-choice question" is said in those words rather
than as an unexpected token.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Callable
from typing import Any, NamedTuple

import attrs
from lark import Token

from qengine.errors import Diagnostic, did_you_mean
from qengine.expr import ast
from qengine.expr.functions import make_call, regex_body
from qengine.expr.regex import pattern_problem
from qengine.expr.values import MAX_NUMBER, parse_number
from qengine.kinds.base import Statements
from qengine.kinds.registry import kind_named
from qengine.model import (
    NAVIGATION_FORMATS,
    Column,
    Comment,
    Group,
    Option,
    Row,
    Survey,
    Text,
    Validation,
)
from qengine.model import expect as exp
from qengine.span import Source, Span
from qengine.syntax.text import split_text, unescape


class _Attr(NamedTuple):
    """One statement under a question, group or survey heading: its keyword, its
    value and where it is. A transient record, so a tuple: a large survey has tens of
    thousands, and a frozen attrs class takes four times as long to build."""

    name: str
    value: object
    span: Span


class _GroupRead(NamedTuple):
    """A group with its questions, as the survey's reduction receives it."""

    group: Group
    questions: list


_REPEATABLE = {"validate", "option", "row", "column"}
#: The statements a question's block may hold (its kind says which: `Kind.attributes`),
#: as messages name them.
STATEMENTS = {"option": "an option ('- code \"label\"')", "row": "'row'", "column": "'column'",
              "scale": "'scale'", "condition": "'when'", "default": "'default'", "min": "'min'",
              "max": "'max'", "validate": "'validate'", "mandatory": "'mandatory'", "help": "'help'",
              "prefix": "'prefix'", "suffix": "'suffix'", "maxlength": "'maxlength'",
              "pattern": "'pattern'", "value": "'value'", "exclusive": "'exclusive'"}
CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")
MAX_NESTING = 100  # levels of operators and calls in one expression
_SIMPLE_VARIABLE = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)(?:\.([A-Za-z][A-Za-z0-9_]*))?\s*\Z")
_EXPRESSION_WORDS = ("not", "true", "false")  # keywords that a name-like snippet may be


#: the builder's source while it reads none
_NOWHERE = Source("", "<no file>")


def _at(position: int | None) -> int:
    """A token's offset: Lark types it optional, the lexer always sets it."""
    assert position is not None
    return position


class ModelBuilder:
    """The parser's reductions, one method per grammar rule or alias.

    Lark calls these as its LALR parser reduces each rule (an "internal
    transformer"), so no parse tree is ever built, which halves the time a large survey
    takes to load. The parser keeps every token (`keep_all_tokens`), keywords and
    newlines included, so each method receives the rule's whole right-hand side and
    every span comes from tokens the lexer has already located.

    One builder serves the process's single parser; `reading()` says which file it is
    reading (or which `{expression}` of a text, at which offset). Parses under it are
    serialised by a lock: they hold the interpreter lock anyway.
    """

    def __init__(self, parse_embedded: Callable[[str, int], ast.Expr | None]):
        #: parses the inside of a `{...}` of text that starts at an offset (the parser's job)
        self._parse_embedded_expression = parse_embedded
        self._lock = threading.RLock()
        self.source: Source = _NOWHERE  # the file being read (_NOWHERE between readings)
        self.diagnostics: list[Diagnostic] = []
        self.base = 0  # offset of the text being parsed inside the source
        #: id(expression) -> (expression, span with its parentheses): the node keeps its
        #: own span, what contains it starts or ends at the parenthesis
        self._parenthesized: dict[int, tuple[object, Span]] = {}
        # Reductions come in the order of the file: the group being read and the
        # number of the last question are known when a question is built.
        self._group = ""
        self._questions = 0
        self._too_deep = False  # E110 is said once a file

    @contextlib.contextmanager
    def reading(self, source: Source, diagnostics: list[Diagnostic], base: int = 0):
        """Build from `source` (an embedded expression when `base` > 0), reporting to
        `diagnostics`; nested readings restore the outer one."""
        with self._lock:
            outer = vars(self).copy()
            self.source, self.diagnostics, self.base = source, diagnostics, base
            self._parenthesized, self._group, self._questions = {}, "", 0
            self._comments: list[Comment] = []
            self._too_deep = False
            try:
                yield self
            finally:
                vars(self).update(outer)

    def on_comment(self, token: Token) -> None:
        """The lexer's `COMMENT` callback. A `#` inside an embedded expression is
        inside a string of the file, not a comment of it."""
        if not self.base:
            self._comments.append(Comment(str(token), self.source.span(_at(token.start_pos), _at(token.end_pos))))

    # ------------------------------------------------------------ helpers
    def _span(self, first, last=None) -> Span:
        """From the start of `first` to the end of `last`: tokens, or built nodes
        that carry a span."""
        if last is None:
            last = first
        if self._parenthesized:
            first, last = self._outer(first), self._outer(last)
        if self.base:  # an embedded expression: token offsets are the snippet's
            start = self.base + _at(first.start_pos) if isinstance(first, Token) else first.span.start
            end = self.base + _at(last.end_pos) if isinstance(last, Token) else last.span.end
            return self.source.span(start, end)
        if isinstance(first, Token):
            line, column, start = first.line, first.column, first.start_pos
        else:
            _, line, column, _, _, start, _ = first.span
        if isinstance(last, Token):
            end_line, end_column, end = last.end_line, last.end_column, last.end_pos
        else:
            _, _, _, end_line, end_column, _, end = last.span
        # `_make` skips the keyword handling of the named tuple's constructor: a large
        # survey has a hundred thousand spans.
        return Span._make((self.source.path, line, column, end_line, end_column, start, end))

    def _outer(self, node):
        """What stands for `node` in the span of what contains it: its parentheses
        (anything with a span will do) or itself."""
        entry = self._parenthesized.get(id(node))
        return _Spanned(entry[1]) if entry is not None and entry[0] is node else node

    def _statement_span(self, c) -> Span:
        """A statement's span: its keyword to its last word, the newline left out."""
        last = len(c) - 1
        while last > 0 and (c[last] is None or (isinstance(c[last], Token) and c[last].type == "_NL")):
            last -= 1
        return self._span(c[0], c[last])

    def _error(self, code, message, span, hint=None):
        self.diagnostics.append(Diagnostic(code, message, span, hint))

    def _code(self, token: Token, what: str) -> str:
        name = str(token)
        if not CODE.match(name):
            self._error("E105", f"the {what} code '{name}' may hold only letters and digits",
                        self._span(token),
                        "'_' joins codes in variable names (question_row_column), so a code "
                        f"cannot contain it: try '{name.replace('_', '')}'")
        return name

    # ------------------------------------------------------------ texts
    def text(self, c) -> Text:
        token = c[0]
        parts = split_text(str(token), self.base + token.start_pos, self.source,
                           self._parse_embedded, self.diagnostics)
        return Text(tuple(parts), self._span(token))

    def _parse_embedded(self, snippet: str, offset: int):
        if not snippet.strip():
            self._error("E104", "empty '{}' in text", self.source.span(offset - 1, offset + 1),
                        "write \\{ for a literal brace")
            return None
        simple = _SIMPLE_VARIABLE.match(snippet)
        if simple and simple.group(1) not in _EXPRESSION_WORDS:
            # `{name}` and `{name.shown}`, most dynamic wording, need no parser.
            end = simple.end(2) if simple.group(2) else simple.end(1)
            attribute = simple.group(2) and (simple.group(2), self.source.span(
                offset + simple.start(2), offset + simple.end(2)))
            return self._variable(simple.group(1), attribute or None,
                                  self.source.span(offset + simple.start(1), offset + end))
        return self._parse_embedded_expression(snippet, offset)

    def text_expr(self, c):
        return self._shallow(c[0])

    # ------------------------------------------------------------ expressions
    def _shallow(self, expr):
        """`expr`, once whole. Every later phase walks expressions by recursion, so
        one nested deeper than `MAX_NESTING` is an error (said once a file), and a
        harmless literal stands in its place. An expression written in fewer
        characters than that cannot nest so deep: only long ones are measured."""
        if expr.span.end - expr.span.start <= MAX_NESTING or _depth(expr) <= MAX_NESTING:
            return expr
        if not self._too_deep:
            self._too_deep = True
            self._error("E110", f"this expression nests more than {MAX_NESTING} levels deep", expr.span,
                        "a long 'a + b + …' is sum(a, b, …), a long 'x == 1 or x == 2 or …' "
                        "is countif(x, 1, 2, …) > 0; or compute parts in equations")
        return ast.Literal(False, expr.span)

    def or_(self, c):
        return ast.Logical("or", c[0], c[2], self._span(c[0], c[2]))

    def and_(self, c):
        return ast.Logical("and", c[0], c[2], self._span(c[0], c[2]))

    def not_(self, c):
        return ast.Unary("not", c[1], self._span(c[0], c[1]))

    def compare(self, c):
        return ast.Compare(str(c[1]), c[0], c[2], self._span(c[0], c[2]))

    def binary(self, c):
        return ast.Binary(str(c[1]), c[0], c[2], self._span(c[0], c[2]))

    def neg(self, c):
        operand = c[1]
        if isinstance(operand, ast.Literal) and isinstance(operand.value, int | float) \
                and not isinstance(operand.value, bool):
            return ast.Literal(-operand.value, self._span(c[0], operand))
        return ast.Unary("-", operand, self._span(c[0], operand))

    def atom(self, c):
        """`( expr )`: the expression itself, the parentheses noted for what contains it."""
        inner = c[1]
        self._parenthesized[id(inner)] = (inner, self._span(c[0], c[2]))
        return inner

    def number(self, c):
        return ast.Literal(self._number(c[0]), self._span(c[0]))

    def _number(self, token: Token) -> int | float:
        """The number a token writes, within the bounds answers have too (see
        `qengine.expr.values`): a larger one would lose digits in the HTML form or
        overflow to infinity. Out of bounds: E111, and 0 in its place."""
        value = parse_number(str(token))
        if not -MAX_NUMBER <= value <= MAX_NUMBER:
            self._error("E111", f"this number is too large: numbers run from -{MAX_NUMBER:,} to "
                        f"{MAX_NUMBER:,}", self._span(token))
            return 0
        return value

    def string(self, c):
        return ast.Literal(unescape(str(c[0])[1:-1]), self._span(c[0]))

    def true(self, c):
        return ast.Literal(True, self._span(c[0]))

    def false(self, c):
        return ast.Literal(False, self._span(c[0]))

    def var(self, c):
        attribute = (str(c[2]), self._span(c[2])) if len(c) > 1 else None
        return self._variable(str(c[0]), attribute, self._span(c[0], c[-1]))

    def _variable(self, name: str, attribute: tuple[str, object] | None, span) -> ast.Var:
        attr = "value"
        if attribute is not None:
            written, where = attribute
            known = ast.ATTRIBUTES.get(written)
            if known is None:
                self._error("E106", f"unknown attribute '.{written}'", where,
                            did_you_mean(written, ast.ATTRIBUTES) or
                            "known: " + ", ".join("." + a for a in ast.ATTRIBUTES))
            else:
                attr = known
        return ast.Var.named(name, attr, span)

    def call(self, c):
        # name ( [arg] (, arg)* ): the arguments are every other child
        return make_call(str(c[0]), tuple(a for a in c[2:-1:2] if a is not None), self._span(c[0], c[-1]))

    # ------------------------------------------------------------ statements
    @staticmethod  # a factory of reduction methods, called in the class body
    def _attr(name: str, index: int | None = 1, expression: bool = False
              ) -> Callable[[ModelBuilder, list[Any]], _Attr]:
        """A statement `keyword value`: the value is child `index` (None: just the
        keyword), an expression checked for depth when `expression`."""
        def method(self: ModelBuilder, c: list[Any]) -> _Attr:
            value = True if index is None else self._shallow(c[index]) if expression else c[index]
            return _Attr(name, value, self._statement_span(c))
        method.__name__ = name
        return method

    mandatory = _attr("mandatory", None)
    exclusive = _attr("exclusive", None)
    help = _attr("help")
    prefix = _attr("prefix")
    suffix = _attr("suffix")
    description = _attr("description")
    welcome = _attr("welcome")
    end = _attr("end")
    language = _attr("language")
    format = _attr("format")
    condition = _attr("condition", expression=True)
    value = _attr("value", expression=True)

    def default(self, c):
        token = c[1]
        value = self._number(token) if token.type == "SIGNED_NUMBER" else _literal(token)
        return _Attr("default", value, self._statement_span(c))

    def _bound(self, token: Token) -> int | float | str:
        """A number, or a string (a date question's bound: `min "2024-01-01"`)."""
        return self._number(token) if token.type == "SIGNED_NUMBER" else _literal(token)

    def min(self, c):
        return _Attr("min", self._bound(c[1]), self._statement_span(c))

    def max(self, c):
        return _Attr("max", self._bound(c[1]), self._statement_span(c))

    def validate(self, c):
        # validate expr [newline] message text
        span = self._statement_span(c)
        return _Attr("validate", Validation(self._shallow(c[1]), c[-2], span), span)

    def maxlength(self, c):
        return _Attr("maxlength", self._number(c[1]), self._statement_span(c))

    def pattern(self, c):
        # Taken as written, backslashes and braces included, so that `"^\d{5}$"` means
        # what it says; LimeSurvey's `/.../` delimiters are dropped.
        token = c[1]
        pattern = regex_body(str(token)[1:-1])
        problem = pattern_problem(pattern)
        if problem:
            self._error("E107", problem[0], self._span(token), problem[1])
        return _Attr("pattern", pattern, self._statement_span(c))

    def option(self, c):
        # - code text modifier* newline
        span = self._statement_span(c)
        code = self._code(c[1], "option")
        mods = _single_attrs(c[3:-1], f"the option '{code}'", self._error)
        opt = Option(code, c[2], exclusive="exclusive" in mods, condition=mods.get("condition"), span=span)
        return _Attr("option", opt, span)

    def row(self, c):
        span = self._statement_span(c)
        code = self._code(c[1], "row")
        cond = _single_attrs(c[3:-1], f"the row '{code}'", self._error).get("condition")
        return _Attr("row", Row(code, c[2], cond, span), span)

    def column(self, c):
        # column code [text] newline
        token = c[1]
        code = str(token)
        if token.type == "NAME":
            self._code(token, "column")
        label = c[2] if isinstance(c[2], Text) else Text((code,), self._span(token))
        span = self._statement_span(c)
        return _Attr("column", Column(code, label, span), span)

    def scale(self, c):
        # scale low to high newline
        low, high = self._number(c[1]), self._number(c[3])
        span = self._statement_span(c)
        if high < low or high - low > 100:
            self._error("E108", f"a scale runs from a low to a high number (at most 101 points), "
                        f"not {low} to {high}", span)
            return _Attr("scale", (), span)
        # INT tokens: whole numbers
        cols = tuple(Column(str(n), Text((str(n),), span), span) for n in range(int(low), int(high) + 1))
        return _Attr("scale", cols, span)

    # ------------------------------------------------------------ structure
    def question(self, c):
        # kind code [text] newline attribute*
        kind = str(c[0])
        code = self._code(c[1], "question")
        text = c[2] if isinstance(c[2], Text) else None
        attrs_ = [a for a in c[3:] if isinstance(a, _Attr)]
        self._questions += 1
        return _build_question(kind, code, text, attrs_, self._statement_span(c),
                               self._span(c[1]), self._error, group=self._group, number=self._questions)

    def group_head(self, c):
        # group code text newline
        self._group = code = self._code(c[1], "group")
        return code, c[2], c[0]

    def group(self, c):
        # group_head attribute* question*
        (code, title, keyword), rest = c[0], c[1:]
        attrs_ = _single_attrs([a for a in rest if isinstance(a, _Attr)], "a group", self._error)
        questions = [q for q in rest if not isinstance(q, _Attr) and q is not None]
        group = Group(code=code, title=title,
                      description=attrs_.get("description"), condition=attrs_.get("condition"),
                      questions=tuple(q.code for q in questions),
                      span=self._span(keyword, next((x for x in reversed(rest) if x is not None), title)))
        return _GroupRead(group, questions)

    def survey_head(self, c):
        # survey code [text] newline
        return (self._code(c[1], "survey"), c[2] if isinstance(c[2], Text) else None,
                self._statement_span(c))

    # ------------------------------------------------------------ stated routes
    def _line_span(self, c) -> Span:
        """A step's span, keyword to the end of its line (a comment and blanks left
        out): its last child may be a value, which carries no span of its own."""
        start = _at(c[0].start_pos)
        end = _at(next(t for t in reversed(c) if isinstance(t, Token) and t.type == "_NL").start_pos)
        if self._comments and start < self._comments[-1].span.start < end:
            end = self._comments[-1].span.start
        text = self.source.text
        while end > start and text[end - 1] in " \t\r":
            end -= 1
        return self.source.span(start, end)

    def _static(self, text: Text) -> str:
        """The plain words of a text an expectation compares with: no `{...}`."""
        if not text.is_static:
            self._error("E106", "an expectation compares with plain text, without {...}", text.span,
                        "write the words the respondent reads")
        return "".join(p for p in text.parts if isinstance(p, str))

    def route(self, c):
        # expect text newline step*
        steps = c[3:]
        return exp.Route(self._static(c[1]), tuple(s for s in steps if isinstance(s, exp.Given)),
                         tuple(s for s in steps if not isinstance(s, exp.Given)),
                         self._span(c[0], c[1]))

    def every(self, c):
        # expect every respondent who expr is [not] asked codes newline
        span = self._line_span(c)
        return exp.Every(self.source.text[span.start:span.end], self._shallow(c[4]), c[6] is None,
                         c[8], span)

    def codes(self, c):
        return tuple(str(t) for t in c[::2])

    def given_item(self, c):
        token = c[0]
        if token.type == "STRING":
            return unescape(str(token)[1:-1])
        if token.type == "SIGNED_NUMBER":
            return self._number(token)
        return str(token)  # an option code

    def given(self, c):
        if len(c) == 1:
            return self.given_item(c)
        return [x for x in c[1:-1] if x is not None and not isinstance(x, Token)]

    def answer(self, c):
        # answer NAME = given newline
        return exp.Given(str(c[1]), c[3], self._line_span(c))

    def asked(self, c):
        return exp.Asked(c[1], True, self._line_span(c))

    def not_asked(self, c):
        return exp.Asked(c[2], False, self._line_span(c))

    def wording(self, c):
        return exp.Wording(str(c[1]), str(c[2]) == "is", self._static(c[3]), self._statement_span(c))

    def refused(self, c):
        message = self._static(c[5]) if isinstance(c[5], Text) else None
        return exp.Refused(str(c[1]), c[3], message, self._line_span(c))

    def expect_value(self, c):
        return exp.Value(str(c[1]), c[3], self._line_span(c))

    def completes(self, c):
        return exp.Completes(self._statement_span(c))

    def expect_file(self, c):
        return tuple(x for x in c if isinstance(x, exp.Route | exp.Every))

    def start(self, c):
        code, title, span = c[0]
        header = _single_attrs([a for a in c[1:] if isinstance(a, _Attr)], "the survey",
                               self._error)
        groups, questions = [], []
        for item in c[1:]:
            if isinstance(item, _GroupRead):
                groups.append(item.group)
                questions.extend(item.questions)
        fmt = str(header.get("format", "group"))
        if fmt not in NAVIGATION_FORMATS:
            where = next(a.span for a in c[1:] if isinstance(a, _Attr) and a.name == "format")
            self._error("E109", f"unknown format '{fmt}'", where,
                        "format is one of: " + ", ".join(NAVIGATION_FORMATS))
            fmt = "group"
        return Survey(code=code, title=title, language=str(header.get("language", "en")),
                      welcome=header.get("welcome"), end=header.get("end"), format=fmt,
                      groups=tuple(groups), questions=tuple(questions), source=self.source,
                      span=span, comments=tuple(self._comments),
                      expectations=tuple(x for x in c[1:] if isinstance(x, exp.Route | exp.Every)))


def _depth(expr) -> int:
    """How many levels of operators and calls an expression nests (without recursion)."""
    deepest = 0
    stack = [(expr, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.children(node))
    return deepest


@attrs.frozen
class _Spanned:
    span: Span


def _literal(token: Token) -> str:
    """A default written as a string or as a bare option code."""
    return str(token) if token.type == "NAME" else unescape(str(token)[1:-1])


def _single_attrs(items: list[_Attr], owner: str, error: Callable) -> dict:
    """Attributes by name, reporting any given twice."""
    out: dict = {}
    for a in items:
        if a.name in out:
            error("E202", f"{STATEMENTS.get(a.name, repr(a.name))} is given twice for {owner}", a.span)
        else:
            out[a.name] = a.value
    return out


def _build_question(name, code, text, items, span, code_span, error, **place):
    """The question, or None when it cannot be built; `place` is its group and
    number. What holds for every kind is checked here (statements the kind does
    not accept, given twice, codes used twice, no wording); the kind builds the
    question and checks the rest (`Kind.build`)."""
    kind = kind_named(name)
    allowed = kind.attributes
    single: dict = {}
    where: dict = {}  # the span of each single attribute, for messages about its value
    many: dict[str, list] = {"validate": [], "option": [], "row": [], "column": []}
    for a in items:
        if a.name not in allowed:
            hint = None
            if a.name == "option" and "column" in allowed:
                hint = "the answers of an array are its columns: 'column code \"label\"' or 'scale 1 to 5'"
            elif a.name in ("row", "column") and "option" in allowed:
                hint = "choices are written '- code \"label\"'"
            error("E201", f"{STATEMENTS.get(a.name, repr(a.name))} is not allowed in {kind.word()}", a.span, hint)
            continue
        if a.name in ("min", "max") and isinstance(a.value, str) != kind.text_bounds:
            wanted = "a date in quotes" if kind.text_bounds else "a number"
            error("E201", f"{STATEMENTS[a.name]} takes {wanted} in {kind.word()}", a.span, None)
            continue
        if a.name in _REPEATABLE:
            many[a.name].append(a.value)
        elif a.name == "scale":
            many["column"].extend(a.value)
        elif a.name in single:
            error("E202", f"{STATEMENTS.get(a.name, repr(a.name))} is given twice for '{code}'", a.span)
        else:
            single[a.name] = a.value
            where[a.name] = a.span
    for o in many["option"]:
        if o.exclusive and "exclusive" not in allowed:
            error("E201", "only options of a multiple choice can be exclusive", o.span)
    for what in ("option", "row", "column"):
        seen: set[str] = set()
        for item in many[what]:
            if item.code in seen:
                error("E203", f"the {what} code '{item.code}' is used twice in '{code}'", item.span)
            seen.add(item.code)
    if text is None and kind.needs_text:
        error("E204", f"'{code}' has no text", code_span, f'write the wording after the code: {name} {code} "…"')
    common = dict(kind=name, code=code, text=text, help=single.get("help"),
                  mandatory=bool(single.get("mandatory")), condition=single.get("condition"),
                  validations=tuple(many["validate"]), span=span, **place)
    statements = Statements(name, code, common, single, where, many["option"], many["row"], many["column"],
                            code_span, error)
    try:
        return kind.build(statements)
    except (TypeError, ValueError) as err:  # pragma: no cover - guarded by the checks above
        error("E200", f"'{code}' cannot be built: {err}", span)
    return None
