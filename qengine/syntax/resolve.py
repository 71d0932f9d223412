"""Resolution: check that every variable of every expression names something, and
reject what cannot run (unknown names and functions, wrong argument counts, cycles).

The parser has already split each variable's name into its question and parts
(codes hold no `_`, so a name splits one way only); here the symbol table says
whether that question, option, row or cell exists. Nothing is rebuilt: the model
the parser built is the model the survey keeps."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from qengine.errors import Diagnostic, did_you_mean
from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, Arg, Function, attribute_named, quoted, regex_body
from qengine.expr.regex import pattern_problem
from qengine.kinds.registry import kind_of, kinds
from qengine.model import Survey
from qengine.model import expect as exp
from qengine.span import Source, overlaps
from qengine.syntax.parser import WORDS, heading

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
            self.var(cast(ast.Var, node), composite_ok)
        elif kind is ast.Binary or kind is ast.Compare or kind is ast.Logical:
            pair = cast("ast.Binary | ast.Compare | ast.Logical", node)  # `kind is`: faster than isinstance
            self.check(pair.left, False)
            self.check(pair.right, False)
        elif kind is ast.Unary:
            self.check(cast(ast.Unary, node).operand, False)
        elif kind is ast.Call:
            call = cast(ast.Call, node)
            fn = self.function(call)
            if call.expanded is not None:
                self.operands(call.expanded)
                return
            for i, a in enumerate(call.args):
                if fn is None or not (fn.takes(i, Arg.ATTRIBUTE) or fn.takes(i, Arg.QUESTION)):  # those: E217
                    self.check(a, fn is not None and fn.takes(i, Arg.ANSWERS))

    def operands(self, operands: tuple[ast.Expr, ...]) -> None:
        """What a call's quoted names read, checked as variables: a question named
        once is read twice (compared, then listed), and its problem said once."""
        before = len(self.diagnostics)
        for a in operands:
            self.check(a, False)
        found = self.diagnostics[before:]
        self.diagnostics[before:] = [d for i, d in enumerate(found) if d not in found[:i]]

    def var(self, v: ast.Var, composite_ok: bool) -> None:
        code = v.question
        assert code is not None  # the parser splits every name into its question and parts
        if self.doubtful is not None and self.doubtful(code):
            return
        if v.name not in self.symbols:
            self.unknown(v)
            return
        if not v.sub and v.attr not in ast.OF_THE_QUESTION and not (v.attr == "value" and composite_ok):
            question = self.questions[code]
            problem = kind_of(question).whole_problem(question, v.attr)
            if problem:
                self.error("E213", problem[0], v.span, problem[1])

    def unknown(self, v: ast.Var):
        head, parts = v.question, list(v.sub)  # as the parser split the name
        question = self.questions.get(head) if head is not None else None
        if question is None or not parts:
            self.error("E210", f"unknown question '{v.name}'", v.span,
                       self.hint(did_you_mean, v.name, self.symbols.names))
            return
        code, message, hint = kind_of(question).part_problem(question, v.name, tuple(parts))
        self.error(code, message, v.span, hint)

    def hint(self, find: Callable, word: str, *known) -> str | None:
        """A "did you mean" for the first `MAX_HINTS` unknown names only: each
        compares the name with every known one, and a file of thousands of unknown
        names would take minutes (quadratic) to say what its first few say."""
        if self.hints_left <= 0:
            return None
        self.hints_left -= 1
        return find(word, *known)

    def function(self, call: ast.Call) -> Function | None:
        """The function `call` names, if it exists; its argument count checked, and
        its quoted patterns."""
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
                       call.span, fn.usage)
        else:
            for i, a in enumerate(args):
                if fn.takes(i, Arg.PATTERN):
                    self.literal_pattern(a)
                elif fn.takes(i, Arg.ATTRIBUTE):
                    self.attribute_name(name, a)
                elif fn.takes(i, Arg.QUESTION):
                    self.question_name(name, a)
        return fn

    def attribute_name(self, function: str, arg: ast.Expr) -> None:
        """An argument naming an attribute must name one in quotes (E217)."""
        written = quoted(arg)
        if written is None:
            self.error("E217", f"{function}() names an attribute in quotes here", arg.span,
                       'for instance "value", "shown" or "question"')
        elif attribute_named(arg) is None:
            self.error("E217", f"unknown attribute '{written}'", arg.span,
                       did_you_mean(written, ast.ATTRIBUTES) or
                       "known: " + ", ".join(f'"{a}"' for a in ast.ATTRIBUTES))

    def question_name(self, function: str, arg: ast.Expr) -> None:
        """An argument naming a question must name it in quotes (E217); the name
        itself is checked as a variable (`check`)."""
        if quoted(arg) is None:
            hint = f'write "{arg.name}"' if isinstance(arg, ast.Var) and arg.attr == "value" else \
                'write the name of a question or of one of its parts, such as "age" or "pets_cat"'
            self.error("E217", f"{function}() names each question in quotes, as LimeSurvey does", arg.span, hint)

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
        self.expectations(s.expectations)

    def expectations(self, items) -> None:
        """The questions an `expect` names exist; an `every` condition is checked
        as any condition is."""
        for item in items:
            if isinstance(item, exp.Every):
                self.check(item.condition, composite_ok=False)
            steps = (item,) if isinstance(item, exp.Every) else (*item.answers, *item.checks)
            for code, span in ((c, step.span) for step in steps for c in _questions_named(step)):
                if code not in self.questions:
                    self.error("E210", f"unknown question '{code}'", span,
                               self.hint(did_you_mean, code, self.questions))

    def check_unique(self, items, what):
        seen: dict[str, Any] = {}  # options, rows, columns, groups or questions
        for item in items:
            if item.code in seen:
                first = seen[item.code]
                self.error("E207", f"the {what} code '{item.code}' is already used (line {first.span.line})",
                           item.span)
            else:
                seen[item.code] = item


# Beside syntax errors: what resolution finds of one name or one call.
_NAME_ERRORS = frozenset({"E210", "E211", "E212", "E213", "E214", "E215"})
# A line that cannot be a question's heading: an option, a comment, an attribute.
_ATTRIBUTE_WORDS = "|".join(sorted(set(WORDS) - {"survey", "group"}))
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
    starts = [(m.group(2), m.start()) for m in heading().finditer(text) if m.group(1) in kinds() and m.group(2)]
    starts.append(("", len(text)))
    lost_in = {code for i, (code, start) in enumerate(starts[:-1]) if overlaps(start, starts[i + 1][1], left_out)}
    found: list[Diagnostic] = []
    _Resolver(survey, found, lambda code: heading_lost or code in lost_in).run()
    return [d for d in found if d.code in _NAME_ERRORS and not d.span.touches(left_out)]


def _questions_named(step) -> tuple[str, ...]:
    """The question codes one step of an expectation names."""
    if isinstance(step, exp.Every | exp.Asked):
        return step.codes
    if isinstance(step, exp.Given | exp.Refused):
        return (step.question,)
    if isinstance(step, exp.Wording | exp.Value):
        return (step.code,)
    return ()


def resolve_expectations(survey: Survey, items, diagnostics: list[Diagnostic]) -> None:
    """Check the names of expectations read from a side file (`SURVEY.expect`)."""
    _Resolver(survey, diagnostics).expectations(items)


def resolve(survey: Survey, diagnostics: list[Diagnostic]) -> None:
    """Check what every expression of `survey` names; problems go to `diagnostics`.
    Cycles are checked only once everything else is right."""
    _Resolver(survey, diagnostics).run()
    if not diagnostics:
        from qengine.model.graph import find_cycles

        diagnostics.extend(find_cycles(survey))
