"""From the Lark parse tree to the survey model (variables not yet resolved).

Each grammar alias maps to one method. Statements come out as `_Attr` records;
`_build_question` then checks which attributes the question's kind allows, so that
"`row` is not allowed in a single-choice question" is said in those words rather
than as an unexpected token.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs
from lark import Token, Transformer, Tree, v_args
from lark.exceptions import UnexpectedInput, VisitError

from qengine.errors import Diagnostic, did_you_mean
from qengine.expr import ast
from qengine.expr.functions import regex_body
from qengine.model import (
    NAVIGATION_FORMATS,
    Array,
    Column,
    Display,
    Equation,
    FreeText,
    Grid,
    Group,
    MultipleChoice,
    Number,
    Option,
    Row,
    SingleChoice,
    Survey,
    Text,
    Validation,
)
from qengine.span import Source
from qengine.syntax.parser import parse_expression_tree, syntax_diagnostic
from qengine.syntax.text import split_text, unescape


@attrs.frozen
class _Attr:
    name: str
    value: object
    span: object
    extra: tuple = ()


_COMMON = {"mandatory", "condition", "help", "validate"}
ALLOWED = {
    "single": _COMMON | {"option", "default"},
    "multiple": _COMMON | {"option", "min", "max"},
    "array": _COMMON | {"row", "column", "scale"},
    "grid": _COMMON | {"row", "column", "scale", "min", "max", "default"},
    "integer": _COMMON | {"min", "max", "prefix", "suffix", "default"},
    "decimal": _COMMON | {"min", "max", "prefix", "suffix", "default"},
    "text": _COMMON | {"maxlength", "pattern", "default"},
    "longtext": _COMMON | {"maxlength", "pattern", "default"},
    "equation": {"condition", "value", "help"},
    "display": {"condition", "help"},
}
_REPEATABLE = {"validate", "option", "row", "column"}
_KIND_WORDS = {"single": "a single-choice question", "multiple": "a multiple-choice question",
               "array": "an array", "grid": "a grid", "integer": "an integer question",
               "decimal": "a decimal question", "text": "a text question",
               "longtext": "a long-text question", "equation": "an equation",
               "display": "a display text"}
_STATEMENT = {"option": "an option ('- code \"label\"')", "row": "'row'", "column": "'column'",
              "scale": "'scale'", "condition": "'when'", "default": "'default'", "min": "'min'",
              "max": "'max'", "validate": "'validate'", "mandatory": "'mandatory'", "help": "'help'",
              "prefix": "'prefix'", "suffix": "'suffix'", "maxlength": "'maxlength'",
              "pattern": "'pattern'", "value": "'value'"}
CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")
_SIMPLE_VARIABLE = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)(?:\.([A-Za-z][A-Za-z0-9_]*))?\s*\Z")
_EXPRESSION_WORDS = ("not", "true", "false")  # keywords that a name-like snippet may be
_FUNCTION_HINT = "calls are written name(arguments)"


class _ToModel(Transformer):
    def __init__(self, source: Source, diagnostics: list[Diagnostic], base: int = 0):
        super().__init__()
        self.source = source
        self.diagnostics = diagnostics
        self.base = base
        # Lark wraps a @v_args method anew (functools.update_wrapper) at every lookup,
        # once per tree node; binding each one once makes loading large surveys faster.
        for name in _DECORATED:
            setattr(self, name, getattr(self, name))

    # ------------------------------------------------------------ helpers
    def _span(self, meta_or_token):
        start = getattr(meta_or_token, "start_pos", None) or 0
        end = getattr(meta_or_token, "end_pos", None) or start
        return self.source.span(self.base + start, self.base + end)

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
    @v_args(inline=True)
    def text(self, token: Token) -> Text:
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
        try:
            tree = parse_expression_tree(snippet)
        except UnexpectedInput as err:
            self.diagnostics.append(syntax_diagnostic(err, self.source, base=offset))
            return None
        outer, self.base = self.base, offset
        try:
            return self.transform(tree).children[0]
        finally:
            self.base = outer

    # ------------------------------------------------------------ expressions
    @v_args(meta=True)
    def or_(self, meta, c):
        return ast.Logical("or", c[0], c[1], self._span(meta))

    @v_args(meta=True)
    def and_(self, meta, c):
        return ast.Logical("and", c[0], c[1], self._span(meta))

    @v_args(meta=True)
    def not_(self, meta, c):
        return ast.Unary("not", c[0], self._span(meta))

    @v_args(meta=True)
    def compare(self, meta, c):
        return ast.Compare(str(c[1]), c[0], c[2], self._span(meta))

    @v_args(meta=True)
    def binary(self, meta, c):
        return ast.Binary(str(c[1]), c[0], c[2], self._span(meta))

    @v_args(meta=True)
    def neg(self, meta, c):
        operand = c[0]
        if isinstance(operand, ast.Literal) and isinstance(operand.value, int | float) \
                and not isinstance(operand.value, bool):
            return ast.Literal(-operand.value, self._span(meta))
        return ast.Unary("-", operand, self._span(meta))

    @v_args(inline=True)
    def number(self, token):
        text = str(token)
        return ast.Literal(float(text) if "." in text else int(text), self._span(token))

    @v_args(inline=True)
    def string(self, token):
        return ast.Literal(unescape(str(token)[1:-1]), self._span(token))

    @v_args(meta=True)
    def true(self, meta, c):
        return ast.Literal(True, self._span(meta))

    @v_args(meta=True)
    def false(self, meta, c):
        return ast.Literal(False, self._span(meta))

    @v_args(meta=True)
    def var(self, meta, c):
        attribute = (str(c[1]), self._span(c[1])) if len(c) > 1 else None
        return self._variable(str(c[0]), attribute, self._span(meta))

    def _variable(self, name: str, attribute: tuple[str, object] | None, span) -> ast.Var:
        attr = "value"
        if attribute is not None:
            written, where = attribute
            attr = ast.ATTRIBUTES.get(written)
            if attr is None:
                self._error("E106", f"unknown attribute '.{written}'", where,
                            did_you_mean(written, ast.ATTRIBUTES) or
                            "known: " + ", ".join("." + a for a in ast.ATTRIBUTES))
                attr = "value"
        return ast.Var(name, attr, span)

    @v_args(meta=True)
    def call(self, meta, c):
        args = tuple(a for a in c[1:] if a is not None)
        return ast.Call(str(c[0]), args, self._span(meta))

    # ------------------------------------------------------------ statements
    def _attr(name):  # noqa: N805 - a factory of transformer methods
        @v_args(meta=True)
        def method(self, meta, c):
            value = c[0] if c else True
            return _Attr(name, value, self._span(meta), tuple(c[1:]))
        return method

    mandatory = _attr("mandatory")
    condition = _attr("condition")
    help = _attr("help")
    default = _attr("default")
    min = _attr("min")
    max = _attr("max")
    prefix = _attr("prefix")
    suffix = _attr("suffix")
    value = _attr("value")
    exclusive = _attr("exclusive")
    description = _attr("description")
    language = _attr("language")
    welcome = _attr("welcome")
    end = _attr("end")
    format = _attr("format")

    @v_args(meta=True)
    def validate(self, meta, c):
        return _Attr("validate", Validation(c[0], c[1], self._span(meta)), self._span(meta))

    @v_args(meta=True)
    def maxlength(self, meta, c):
        return _Attr("maxlength", int(c[0]), self._span(meta))

    @v_args(meta=True)
    def pattern(self, meta, c):
        # Taken as written, backslashes and braces included, so that `"^\d{5}$"` means
        # what it says; LimeSurvey's `/.../` delimiters are dropped.
        token = c[0]
        pattern = regex_body(str(token)[1:-1])
        try:
            re.compile(pattern)
        except re.error as err:
            self._error("E107", f"this pattern is not a valid regular expression: {err}",
                        self._span(token), "patterns use Python's regular expressions (re module)")
        return _Attr("pattern", pattern, self._span(meta))

    @v_args(inline=True)
    def signed_number(self, token):
        text = str(token)
        return float(text) if "." in text else int(text)

    @v_args(inline=True)
    def literal(self, value):
        if isinstance(value, Token):
            return str(value) if value.type == "NAME" else unescape(str(value)[1:-1])
        return value

    @v_args(inline=True)
    def column_code(self, token):
        return token

    @v_args(meta=True)
    def option(self, meta, c):
        code = self._code(c[0], "option")
        mods = _single_attrs(list(c[2:]), f"the option '{code}'", self._error)
        opt = Option(code, c[1], exclusive="exclusive" in mods,
                     condition=mods.get("condition"),
                     span=self._span(meta))
        return _Attr("option", opt, self._span(meta))

    @v_args(meta=True)
    def row(self, meta, c):
        code = self._code(c[0], "row")
        cond = _single_attrs(list(c[2:]), f"the row '{code}'", self._error).get("condition")
        return _Attr("row", Row(code, c[1], cond, self._span(meta)), self._span(meta))

    @v_args(meta=True)
    def column(self, meta, c):
        token = c[0]
        code = str(token)
        if token.type == "NAME":
            self._code(token, "column")
        label = c[1] if len(c) > 1 and c[1] is not None else Text((code,), self._span(token))
        return _Attr("column", Column(code, label, self._span(meta)), self._span(meta))

    @v_args(meta=True)
    def scale(self, meta, c):
        low, high = int(c[0]), int(c[1])
        span = self._span(meta)
        if high < low or high - low > 100:
            self._error("E108", f"a scale runs from a low to a high number (at most 101 points), "
                        f"not {low} to {high}", span)
            return _Attr("scale", (), span)
        cols = tuple(Column(str(n), Text((str(n),), span), span) for n in range(low, high + 1))
        return _Attr("scale", cols, span)

    # ------------------------------------------------------------ structure
    @v_args(meta=True)
    def question(self, meta, c):
        kind = str(c[0])
        code = self._code(c[1], "question")
        rest = c[2:]
        text = rest[0] if rest and isinstance(rest[0], Text) else None
        attrs_ = [a for a in rest if isinstance(a, _Attr)]
        return _build_question(kind, code, text, attrs_, self._span(meta),
                               self._span(c[1]), self._error)

    @v_args(meta=True)
    def group(self, meta, c):
        code = self._code(c[0], "group")
        attrs_ = _single_attrs(
            [a for a in c[2:] if isinstance(a, _Attr)], "a group", self._error)
        questions = [q for q in c[2:] if not isinstance(q, _Attr) and q is not None]
        group = Group(code=code, title=c[1],
                      description=attrs_.get("description"), condition=attrs_.get("condition"),
                      questions=tuple(q.code for q in questions), span=self._span(meta))
        return group, [attrs.evolve(q, group=code) for q in questions]

    @v_args(meta=True)
    def survey_head(self, meta, c):
        return (self._code(c[0], "survey"), c[1] if len(c) > 1 else None, self._span(meta))

    def start(self, c):
        code, title, span = c[0]
        header = _single_attrs([a for a in c[1:] if isinstance(a, _Attr)], "the survey",
                               self._error)
        groups, questions = [], []
        for item in c[1:]:
            if isinstance(item, tuple):
                groups.append(item[0])
                questions.extend(item[1])
        fmt = str(header.get("format", "group"))
        if fmt not in NAVIGATION_FORMATS:
            where = next(a.span for a in c[1:] if isinstance(a, _Attr) and a.name == "format")
            self._error("E109", f"unknown format '{fmt}'", where,
                        "format is one of: " + ", ".join(NAVIGATION_FORMATS))
            fmt = "group"
        questions = [attrs.evolve(q, number=i) for i, q in enumerate(questions, 1)]
        return Survey(code=code, title=title, language=str(header.get("language", "en")),
                      welcome=header.get("welcome"), end=header.get("end"), format=fmt,
                      groups=tuple(groups), questions=tuple(questions), source=self.source,
                      span=span)


_DECORATED = tuple(name for name, value in vars(_ToModel).items() if hasattr(value, "visit_wrapper"))


def _single_attrs(items: list[_Attr], owner: str, error: Callable) -> dict:
    """Attributes by name, reporting any given twice."""
    out: dict = {}
    for a in items:
        if a.name in out:
            error("E202", f"{_STATEMENT.get(a.name, repr(a.name))} is given twice for {owner}", a.span)
        else:
            out[a.name] = a.value
    return out


def _build_question(kind, code, text, items, span, code_span, error):
    allowed = ALLOWED[kind]
    single: dict = {}
    many: dict[str, list] = {"validate": [], "option": [], "row": [], "column": []}
    for a in items:
        if a.name not in allowed:
            hint = None
            if a.name == "option" and kind in ("array", "grid"):
                hint = "the answers of an array are its columns: 'column code \"label\"' or 'scale 1 to 5'"
            elif a.name in ("row", "column") and kind in ("single", "multiple"):
                hint = "choices are written '- code \"label\"'"
            elif a.name == "exclusive":
                hint = "only options of a multiple choice can be exclusive"
            error("E201", f"{_STATEMENT.get(a.name, repr(a.name))} is not allowed in {_KIND_WORDS[kind]}",
                  a.span, hint)
            continue
        if a.name in _REPEATABLE:
            many[a.name].append(a.value)
        elif a.name == "scale":
            many["column"].extend(a.value)
        elif a.name in single:
            error("E202", f"{_STATEMENT.get(a.name, repr(a.name))} is given twice for '{code}'", a.span)
        else:
            single[a.name] = a.value
    for o in many["option"]:
        if o.exclusive and kind != "multiple":
            error("E201", "only options of a multiple choice can be exclusive", o.span)
    for what in ("option", "row", "column"):
        seen: set[str] = set()
        for item in many[what]:
            if item.code in seen:
                error("E203", f"the {what} code '{item.code}' is used twice in '{code}'", item.span)
            seen.add(item.code)
    if text is None and kind not in ("equation",):
        error("E204", f"'{code}' has no text", code_span,
              f'write the wording after the code: {kind} {code} "…"')
    common = dict(code=code, text=text, help=single.get("help"),
                  mandatory=bool(single.get("mandatory")), condition=single.get("condition"),
                  validations=tuple(many["validate"]), span=span)
    needs = {"single": "option", "multiple": "option"}.get(kind)
    if needs and not many["option"]:
        error("E205", f"{_KIND_WORDS[kind]} needs options", code_span,
              "add a line '- code \"label\"' for each choice")
    if kind in ("array", "grid") and not (many["row"] and many["column"]):
        missing = "rows" if not many["row"] else "columns"
        error("E205", f"{_KIND_WORDS[kind]} needs {missing}", code_span,
              "rows: 'row code \"label\"'; columns: 'column code \"label\"' or 'scale 1 to 5'")
    try:
        match kind:
            case "single":
                return SingleChoice(**common, options=tuple(many["option"]),
                                    default=_opt_str(single.get("default")))
            case "multiple":
                return MultipleChoice(**common, options=tuple(many["option"]),
                                      min=single.get("min"), max=single.get("max"))
            case "array":
                return Array(**common, rows=tuple(many["row"]), columns=tuple(many["column"]))
            case "grid":
                return Grid(**common, rows=tuple(many["row"]), columns=tuple(many["column"]),
                            min=single.get("min"), max=single.get("max"),
                            default=_opt_number(single.get("default"), code, span, error))
            case "integer" | "decimal":
                return Number(**common, integer=kind == "integer", min=single.get("min"),
                              max=single.get("max"), prefix=single.get("prefix"),
                              suffix=single.get("suffix"),
                              default=_opt_number(single.get("default"), code, span, error))
            case "text" | "longtext":
                return FreeText(**common, long=kind == "longtext",
                                max_length=single.get("maxlength"), pattern=single.get("pattern"),
                                default=_opt_str(single.get("default")))
            case "equation":
                if "value" not in single:
                    error("E205", f"the equation '{code}' has no value", code_span,
                          "add a line 'value <expression>'")
                    return None
                return Equation(**common, value=single["value"])
            case "display":
                return Display(**common)
    except (TypeError, ValueError) as err:  # pragma: no cover - guarded by the checks above
        error("E200", f"'{code}' cannot be built: {err}", span)
    return None


def _opt_str(value):
    return None if value is None else str(value)


def _opt_number(value, code, span, error):
    if value is None or isinstance(value, int | float):
        return value
    error("E206", f"the default of '{code}' must be a number", span)
    return None


def to_model(tree: Tree, source: Source, diagnostics: list[Diagnostic]) -> Survey | None:
    try:
        return _ToModel(source, diagnostics).transform(tree)
    except VisitError as err:  # a bug of ours: say so without a traceback
        diagnostics.append(Diagnostic("E000", f"internal error while reading the file: {err.orig_exc!r}",
                                      source.span(0, 0)))
        return None
