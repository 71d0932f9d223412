"""Resolution: check that every variable of every expression names something, and
reject what cannot run (unknown names and functions, wrong argument counts, cycles).

The parser has already split each variable's name into its question and parts
(codes hold no `_`, so a name splits one way only); here the symbol table says
whether that question, option, row or cell exists. Nothing is rebuilt: the model
the parser built is the model the survey keeps."""

from __future__ import annotations

import re
from collections.abc import Callable

from qengine.errors import Diagnostic, close_or_listed, did_you_mean
from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, regex_body
from qengine.expr.regex import pattern_problem
from qengine.model import (
    Array,
    Grid,
    MultipleChoice,
    Question,
    Survey,
    kind_of,
)
from qengine.span import Source, overlaps
from qengine.syntax.parser import HEADING, KEYWORDS
from qengine.syntax.transformer import ALLOWED

_COMPOSITE = (MultipleChoice, Array, Grid)
#: How many unknown names get a "did you mean" (see `_Resolver.hint`).
MAX_HINTS = 50


class _Resolver:
    def __init__(self, survey: Survey, diagnostics: list[Diagnostic],
                 doubtful: Callable[[str], bool] | None = None):
        self.survey = survey
        self.diagnostics = diagnostics
        #: whether the names of a question cannot be judged (a line of it was lost);
        #: None when every line was read
        self.doubtful = doubtful
        self.symbols = survey.symbols
        self.questions = survey.by_code
        self.hints_left = MAX_HINTS

    def error(self, code, message, span, hint=None):
        self.diagnostics.append(Diagnostic(code, message, span, hint))

    # ------------------------------------------------------------ expressions
    def check(self, node: ast.Expr, composite_ok: bool) -> None:
        """Check `node`'s variables and calls, by type (every expression of the
        survey goes through here). A whole multiple choice, array or grid is read
        only by a function that takes one (`composite_ok`)."""
        kind = type(node)
        if kind is ast.Var:
            self.var(node, composite_ok)
        elif kind is ast.Binary or kind is ast.Compare or kind is ast.Logical:
            self.check(node.left, False)
            self.check(node.right, False)
        elif kind is ast.Unary:
            self.check(node.operand, False)
        elif kind is ast.Call:
            fn = self.function(node)
            takes = fn is not None and fn.takes_composite
            for a in node.args:
                self.check(a, takes)

    def var(self, v: ast.Var, composite_ok: bool) -> None:
        if self.doubtful is not None and self.doubtful(v.question):
            return
        if v.name not in self.symbols:
            self.unknown(v)
            return
        if not v.sub and v.attr != "visible":
            question = self.questions[v.question]
            if v.attr == "shown" and isinstance(question, Array | Grid):
                self.error("E213", f"'{v.question}' is {_article(question)}: '.shown' needs one "
                           f"{'row' if isinstance(question, Array) else 'cell'}",
                           v.span, _composite_hint(question) + ".shown")
            elif v.attr == "value" and isinstance(question, _COMPOSITE) and not composite_ok:
                self.error("E213", f"'{v.question}' is {_article(question)}: it has no single value",
                           v.span, _composite_hint(question))

    def unknown(self, v: ast.Var):
        head, parts = v.question, list(v.sub)  # as the parser split the name
        question = self.questions.get(head)
        if question is None or not parts:
            self.error("E210", f"unknown question '{v.name}'", v.span,
                       self.hint(did_you_mean, v.name, self.symbols.names))
            return
        if isinstance(question, MultipleChoice):
            what, known = "option", [o.code for o in question.options]
        elif isinstance(question, Array):
            what, known = "row", [r.code for r in question.rows]
        elif isinstance(question, Grid):
            if question.row(parts[0]) is None:
                what, known = "row", [r.code for r in question.rows]
            elif len(parts) == 1:
                self.error("E211", f"'{v.name}' names a whole row of the grid '{head}'", v.span,
                           "name one cell: " + ", ".join(f"{v.name}_{c.code}" for c in question.columns[:3]))
                return
            else:
                what, known = "column", [c.code for c in question.columns]
                parts = parts[1:]
        else:
            self.error("E211", f"'{head}' is {_article(question)} and has no parts", v.span,
                       f"write '{head}' alone")
            return
        self.error("E212", f"'{head}' has no {what} '{parts[0]}'", v.span,
                   self.hint(close_or_listed, parts[0], known, f"{what}s"))

    def hint(self, find: Callable, word: str, *known) -> str | None:
        """A "did you mean" for the first `MAX_HINTS` unknown names only: each
        compares the name with every known one, and a file of thousands of unknown
        names would take minutes (quadratic) to say what its first few say."""
        if self.hints_left <= 0:
            return None
        self.hints_left -= 1
        return find(word, *known)

    def function(self, call: ast.Call):
        """The function `call` names, if it exists; its argument count checked."""
        name, args = call.name, call.args
        fn = FUNCTIONS.get(name)
        if fn is None:
            self.error("E214", f"unknown function '{name}'", call.span,
                       did_you_mean(name, FUNCTIONS) or "known functions: " + ", ".join(FUNCTIONS))
        elif len(args) < fn.min_args or (fn.max_args is not None and len(args) > fn.max_args):
            wanted = (f"{fn.min_args}" if fn.min_args == fn.max_args else
                      f"at least {fn.min_args}" if fn.max_args is None else
                      f"{fn.min_args} to {fn.max_args}")
            plural = "" if wanted.endswith(" 1") or wanted == "1" else "s"
            self.error("E215", f"{name}() takes {wanted} argument{plural}, not {len(args)}",
                       call.span, fn.doc)
        elif name == "regexMatch":
            self.literal_pattern(args[0])
        return fn

    def literal_pattern(self, arg: ast.Expr) -> None:
        """A pattern written in the survey is judged when it is loaded, as a
        `pattern` attribute is (E107), rather than failing each time it is used."""
        if isinstance(arg, ast.Literal) and isinstance(arg.value, str):
            problem = pattern_problem(regex_body(arg.value))
            if problem:
                self.error("E107", problem[0], arg.span, problem[1])

    # ------------------------------------------------------------ structure
    def run(self) -> None:
        s = self.survey
        self.check_unique(s.groups, "group")
        self.check_unique(s.questions, "question")
        for text in s.texts:
            for e in text.expressions:
                self.check(e, composite_ok=False)
        for g in s.groups:
            if g.condition is not None:
                self.check(g.condition, composite_ok=False)
        for q in s.questions:
            for e in q.expressions():
                self.check(e, composite_ok=False)

    def check_unique(self, items, what):
        seen = {}
        for item in items:
            if item.code in seen:
                first = seen[item.code]
                self.error("E207", f"the {what} code '{item.code}' is already used (line {first.span.line})",
                           item.span)
            else:
                seen[item.code] = item


def _article(question: Question) -> str:
    return {"multiple": "a multiple choice", "array": "an array", "grid": "a grid",
            "single": "a single choice", "integer": "an integer question",
            "equation": "an equation", "display": "a display text",
            "longtext": "a long-text question"}.get(kind_of(question), f"a {kind_of(question)} question")


def _composite_hint(question: Question) -> str:
    code = question.code
    if isinstance(question, MultipleChoice):
        first = question.options[0].code if question.options else "option"
        return f"read one option ({code}_{first} is \"Y\" when ticked), or count({code}) / is_empty({code})"
    if isinstance(question, Array):
        first = question.rows[0].code if question.rows else "row"
        return f"read one row: {code}_{first}"
    first = f"{question.rows[0].code}_{question.columns[0].code}" if question.rows and question.columns else "row_column"
    return f"read one cell: {code}_{first}"


# Beside syntax errors: what resolution finds of one name or one call.
_NAME_ERRORS = frozenset({"E210", "E211", "E212", "E213", "E214", "E215"})
# A line that cannot be a question's heading: an option, a comment, an attribute.
_ATTRIBUTE_WORDS = "|".join(sorted(set(KEYWORDS) - set(ALLOWED) - {"survey", "group"}))
_NOT_A_HEADING = re.compile(rf"[ \t]*(?:-|#|(?:{_ATTRIBUTE_WORDS})(?![A-Za-z0-9_]))")


def names_beside_syntax_errors(survey: Survey, source: Source, left_out) -> list[Diagnostic]:
    """The name and call errors of a survey read with some lines left out after
    syntax errors (`left_out`: their offsets), so that one run reports those too.

    Only what no line left out can explain is said. A lost line that may be a
    question's heading may have defined any name, so no name is judged then.
    Otherwise the names of a question are not judged when a line of its block
    (heading to next heading, as written) was lost: an option, a row, or a value
    without which the question could not be built. Calls are always judged."""
    text = source.text
    lost = [line for start, end in left_out for line in text[start:end].split("\n") if line.strip()]
    heading_lost = not all(_NOT_A_HEADING.match(line) for line in lost)
    starts = [(m.group(2), m.start()) for m in HEADING.finditer(text) if m.group(1) in ALLOWED and m.group(2)]
    starts.append(("", len(text)))
    lost_in = {code for i, (code, start) in enumerate(starts[:-1]) if overlaps(start, starts[i + 1][1], left_out)}
    found: list[Diagnostic] = []
    _Resolver(survey, found, lambda code: heading_lost or code in lost_in).run()
    return [d for d in found if d.code in _NAME_ERRORS and not d.span.touches(left_out)]


def resolve(survey: Survey, diagnostics: list[Diagnostic]) -> None:
    """Check what every expression of `survey` names; problems go to `diagnostics`.
    Cycles are checked only once everything else is right."""
    _Resolver(survey, diagnostics).run()
    if not diagnostics:
        from qengine.model.graph import find_cycles

        diagnostics.extend(find_cycles(survey))
