"""What a served survey must not let a respondent control: numbers beyond the
representable range (a load error) and regular expressions built from answers."""

from __future__ import annotations

from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, Arg
from qengine.lint.context import LintContext
from qengine.lint.diagnostic import finding
from qengine.lint.registry import check, rule

rule("E111", "number-out-of-range", "error", "a number is too large",
     what="Reports a number written in the survey (a bound, a default, a number in an expression) "
          "beyond ±9,007,199,254,740,991.",
     why="Answers are held to the same range: JavaScript, which checks the HTML form, counts "
         "whole numbers exactly only that far, and a larger number could overflow to infinity.",
     example='integer population "How many?"\n  max 99999999999999999999',
     instead='integer population "How many?"\n  max 9000000000000000')

rule("V220", "pattern-from-answers", "warning", "regexMatch() with a pattern computed from answers",
     what="Reports `regexMatch(p, x)` whose pattern `p` is not a quoted text but an expression, "
          "such as a question's answer.",
     why="A pattern written in the survey is checked when the survey loads: it must be one that "
         "runs in time linear in the answer (no lookarounds or back-references). A computed one "
         "is known only while the survey runs, so a respondent may make it fail (and the survey "
         "with it), and the browser reads it with JavaScript's syntax, not Python's.",
     example='text code "Your code?"\ntext check "Check?"\n  validate regexMatch(code, check) '
             'message "No match"',
     instead='text check "Check?"\n  validate regexMatch("^[A-Z]{3}[0-9]{2}$", check) message "No match"')


@check("V220")
def computed_patterns(ctx: LintContext):
    for site in ctx.sites():
        for node in ast.walk(site.expr):
            if not isinstance(node, ast.Call):
                continue
            fn = FUNCTIONS[node.name]
            for i, a in enumerate(node.args):
                if fn.takes(i, Arg.PATTERN) and not isinstance(a, ast.Literal):
                    yield finding("V220", f"the pattern of {node.name}() is computed while the survey runs "
                                  f"('{ast.unparse(a)}')", a.span, "write the pattern as a quoted text")
