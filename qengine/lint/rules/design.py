"""Design: what a machine can see of a questionnaire's craft without solving
anything: "none" answers that can be ticked with others, numbers without bounds,
equations nobody reads, labels given twice, bounds nothing satisfies."""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Protocol, cast

from qengine.kinds.base import Choices, Numbers, Ticks
from qengine.kinds.registry import kind_of
from qengine.lint.context import LintContext
from qengine.lint.diagnostic import finding
from qengine.lint.registry import check, rule
from qengine.model import Question, reads

#: The shapes of answers held in numbers, within a minimum and a maximum.
_NUMBERS = ("number", "row_cells")


class _Number(Numbers, Protocol):
    @property
    def default(self) -> int | float | None: ...

rule("D301", "non-exclusive-none", "warning", "a \"none\" or \"don't know\" option can be ticked with others",
     what="Reports an option of a multiple choice labelled like \"None\", \"No\", \"Don't know\", "
          "\"Non\", \"Aucun\", \"Je ne sais pas\"... that is not `exclusive`.",
     why="A respondent can tick \"Don't know\" together with real answers, and the data hold "
         "contradictions nobody can resolve afterwards.",
     example='multiple backup "How do you back up?"\n  - usb "USB stick"\n  - cloud "Cloud"\n'
             '  - dk "Don\'t know"',
     instead='multiple backup "How do you back up?"\n  - usb "USB stick"\n  - cloud "Cloud"\n'
             '  - dk "Don\'t know" exclusive')

rule("D302", "unbounded-number", "warning", "a number question without a minimum or a maximum",
     what="Reports an integer, decimal or grid question lacking `min` or `max`.",
     why="Without bounds a typo (1000 days instead of 10) or an impossible value (0 days lost "
         "after a loss) goes straight into the data.",
     example='integer days "How many days were lost?"',
     instead='integer days "How many days were lost?"\n  min 1\n  max 365')

rule("D303", "unused-equation", "info", "an equation that nothing reads",
     what="Reports an equation whose value no condition, wording or other equation reads.",
     why="It is only stored in the response: fine if analysts need it, dead code otherwise.",
     example="equation total\n  value sum(a, b)",
     instead="equation total\n  value sum(a, b)\ndisplay d \"Your total is {total}.\"")

rule("D304", "duplicate-label", "warning", "two options, rows, columns or questions with the same wording",
     what="Reports options (rows, columns) of one question with the same label, and questions "
          "with the same text.",
     why="Respondents cannot tell them apart, and neither can whoever reads the data.",
     example='single pet "Pet?"\n  - cat "Cat"\n  - cat2 "Cat"',
     instead='single pet "Pet?"\n  - cat "Cat"\n  - dog "Dog"')

rule("D305", "impossible-bounds", "error", "bounds that no answer satisfies",
     what="Reports min greater than max, whole-number questions with no whole number between "
          "their bounds, and multiple choices that require more ticks than they have options "
          "(or allow none).",
     why="Nobody can answer the question: a mandatory one stops every respondent who sees it.",
     example='multiple m "Pick three"\n  min 3\n  - a "A"\n  - b "B"',
     instead='multiple m "Pick two"\n  min 2\n  - a "A"\n  - b "B"')

rule("D306", "default-out-of-bounds", "warning", "a default outside the question's bounds",
     what="Reports a number or grid default below `min` or above `max`.",
     why="The question starts with a value the respondent could not have typed.",
     example='integer n "How many?"\n  min 1\n  default 0',
     instead='integer n "How many?"\n  min 1\n  default 1')

_NONE = re.compile(r"""^(?:
    non | no | none(?:\ of\ (?:the\ above|these|them))? | nothing | neither | never |
    aucune?(?:\ (?:de|d')\ .*)? | rien | jamais | sans\ objet |
    je\ ne\ (?:sais|connais)\ pas | ne\ sais\ pas | ne\ sait\ pas | nsp | sans\ avis |
    ne\ se\ prononce\ pas | je\ prefere\ ne\ pas\ repondre |
    (?:i\ )?don'?t\ know | do\ not\ know | not\ sure | unsure | no\ idea |
    prefer\ not\ to\ (?:say|answer)
)\s*(?:[,;:(.!]|\ [-–—]\ |$)""", re.X)


def _normal(text: str) -> str:
    """Lower case, no accents, one kind of apostrophe, single spaces."""
    stripped = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(stripped.lower().replace("’", "'").split())


def looks_like_none(label: str) -> bool:
    return _NONE.match(_normal(label)) is not None


@check("D301")
def none_options(ctx: LintContext):
    for q in ctx.survey.questions:
        if kind_of(q).shape != "choices" or len(options := cast(Choices, q).options) < 2:
            continue
        for o in options:
            if not o.exclusive and looks_like_none(o.label.plain):
                yield finding("D301", f"option '{o.code}' (\"{o.label.plain.strip()}\") of '{q.code}' can be "
                              "ticked together with other answers", ctx.head(o),
                              f"write '- {o.code} \"…\" exclusive'")


@check("D302", "D306")
def number_bounds(ctx: LintContext):
    for question in ctx.survey.questions:
        kind = kind_of(question)
        if kind.shape not in _NUMBERS and not kind.text_bounds:  # a date's bounds are dates
            continue
        q = cast(_Number, question)
        missing = [w for w, v in (("minimum", q.min), ("maximum", q.max)) if v is None]
        if missing and not kind.text_bounds:
            yield finding("D302", f"'{question.code}' accepts any number: it has no {' and no '.join(missing)}",
                          ctx.head(question), "add " + " and ".join(f"'{w[:3]} …'" for w in missing))
        d = q.default
        if d is not None and ((q.min is not None and d < q.min) or (q.max is not None and d > q.max)):
            yield finding("D306", f"the default {d} of '{question.code}' is outside its bounds "
                          f"({_bound(q.min)} to {_bound(q.max)})", ctx.head(question))


def _bound(v) -> str:
    return "any" if v is None else str(v)


@check("D303")
def unused_equations(ctx: LintContext):
    read = reads(site.expr for site in ctx.sites())
    for q in ctx.survey.questions:
        if q.formula is not None and q.code not in read:
            yield finding("D303", f"the equation '{q.code}' is read by nothing (it is only stored in "
                          "the response)", ctx.head(q))


@check("D304")
def duplicate_labels(ctx: LintContext):
    seen_questions: dict[str, Question] = {}
    for q in ctx.survey.questions:
        if q.text is not None and q.text.is_static and q.text.plain.strip():
            key = _normal(q.text.plain)
            if key in seen_questions:
                yield finding("D304", f"'{q.code}' has the same text as '{seen_questions[key].code}'",
                              ctx.head(q))
            else:
                seen_questions[key] = q
        for what in ("options", "rows", "columns"):
            labels: dict[str, str] = {}
            for item in getattr(q, what, ()):
                if not item.label.is_static or not item.label.plain.strip():
                    continue
                key = _normal(item.label.plain)
                if key in labels:
                    yield finding("D304", f"{what[:-1]} '{item.code}' of '{q.code}' has the same label as "
                                  f"'{labels[key]}': \"{item.label.plain.strip()}\"", ctx.head(item))
                else:
                    labels[key] = item.code


def impossible_bounds(q: Question) -> str | None:
    """Why no answer fits the question's own bounds, if none does."""
    shape = kind_of(q).shape
    if shape in _NUMBERS:
        n = cast(Numbers, q)
        if n.min is not None and n.max is not None:
            if n.min > n.max:
                return f"its minimum {n.min} is greater than its maximum {n.max}"
            if n.integer and math.ceil(n.min) > math.floor(n.max):
                return f"no whole number lies between {n.min} and {n.max}"
    if shape == "choices":
        t = cast(Ticks, q)
        if t.min is not None and t.max is not None and t.min > t.max:
            return f"it requires at least {t.min} ticks but allows at most {t.max}"
        if t.min is not None and t.min > len(t.options):
            return f"it requires at least {t.min} ticks but has only {len(t.options)} options"
        if t.max is not None and t.max < 1:
            return f"it allows at most {t.max} ticks: nothing can be ticked"
    return None


@check("D305")
def bounds(ctx: LintContext):
    for q in ctx.survey.questions:
        why = impossible_bounds(q)
        if why:
            yield finding("D305", f"'{q.code}' cannot be answered: {why}", ctx.head(q))
