"""Whether a respondent can tell two versions of a survey apart, decided without
`qengine diff`: the independent oracle of tests/test_diff_mutants.py.

Scripted respondents are walked through both versions at once, page by page, as
`qengine play` walks an answers file (`qengine.runtime.play.answer_page`), and what
each version puts before them is compared at every step: the page's groups and
their texts, every question shown (`QuestionView`: wording, help, options, rows,
columns, mandatory, bounds, problems) with the value it holds, the equations'
values, the answers refused, whether the page can be left, and at the end the
submitted response or what stops it. The first step where the versions differ is
the difference.

The respondents are drawn with `qengine.testing.respondents` (random valid paths,
blanks and detours included), guided by boundary values: for each literal a
question is compared with in either version, the literal itself (a code, a text)
or, for a number, the literal and its neighbours, and each number question's
bounds and their neighbours. On the pages of the first few respondents, every
question shown is also *probed* with those values, a blank, the kind's plain
candidates (`qengine.kinds.samples.candidates`) and the values the runtime must
refuse (`invalid_values`, of either version's view): each answer given on a copy of
both sessions, then the page compared. That is what finds an answer one version
accepts and the other refuses (a bound, a weakened rule, a dropped `exclusive`).

It decides nothing the walks do not meet: "no difference" is evidence, not proof.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import attrs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as seeded

from qengine.errors import AnswerError, EvaluationError
from qengine.expr import ast
from qengine.kinds import samples
from qengine.model import Survey
from qengine.runtime.play import answer_page
from qengine.runtime.session import IncompleteError, Session
from qengine.testing import respondents


@attrs.frozen
class Difference:
    """The first step of a walk where the versions differ, and what each showed."""

    step: str
    old: str
    new: str

    def __str__(self) -> str:
        return f"{self.step}: {self.old!r} / {self.new!r}"


# ------------------------------------------------------------------ boundary values
def boundary_values(*surveys: Survey) -> dict[str, list[Any]]:
    """For each question, the values worth giving it: every literal it is compared
    with in the surveys' expressions (for a number, with its neighbours), and the
    neighbours of its bounds; as answers-file values (a ticked option is a list,
    an array row a mapping)."""
    found: dict[str, list[Any]] = {}

    def add(code: str, value: Any) -> None:
        values = found.setdefault(code, [])
        if value not in values:
            values.append(value)

    for survey in surveys:
        for expr in _expressions(survey):
            for node in ast.walk(expr):
                if not isinstance(node, ast.Compare):
                    continue
                for var, other in ((node.left, node.right), (node.right, node.left)):
                    if isinstance(var, ast.Var) and var.question and isinstance(other, ast.Literal):
                        for value in _near(other.value):
                            shaped = _shaped(survey, var, value)
                            if shaped is not None:
                                add(var.question, shaped)
        for q in survey.questions:
            for bound in (getattr(q, "min", None), getattr(q, "max", None)):
                if isinstance(bound, int | float) and not isinstance(bound, bool) and q.kind in ("integer", "decimal"):
                    for value in _near(bound):
                        add(q.code, value)
    return found


def _near(value: Any) -> list[Any]:
    if isinstance(value, bool):
        return []
    if isinstance(value, int | float):
        return [value - 1, value, value + 1]
    return [value] if isinstance(value, str) and value else []


def _shaped(survey: Survey, var: ast.Var, value: Any) -> Any:
    """`value` as the answer that makes `var` read it, or None."""
    q = survey.by_code[var.question]
    if var.attr != "value":
        return None
    if not var.sub:
        return value
    if q.kind == "multiple" and value == "Y":
        return [var.sub[0]]
    if q.kind == "array" and len(var.sub) == 1 and isinstance(value, str):
        return {var.sub[0]: value}
    return None


def _expressions(survey: Survey) -> Iterator[ast.Expr]:
    for g in survey.groups:
        if g.condition is not None:
            yield g.condition
        for t in (g.title, g.description):
            yield from (t.expressions if t is not None else ())
    for q in survey.questions:
        yield from q.expressions()
        if q.formula is not None:
            yield q.formula
        for item in (*getattr(q, "options", ()), *getattr(q, "rows", ()), *getattr(q, "columns", ())):
            yield from item.label.expressions


# ------------------------------------------------------------------ respondents
def drawn(survey: Survey, values: Mapping[str, list[Any]], count: int, seed: int = 21) -> list[dict[str, Any]]:
    """The answers files of `count` respondents drawn by `qengine.testing.respondents`
    (deterministically, from `seed`), each following at most one guide: one boundary
    value given to one question."""
    guides = [{code: v} for code, vs in sorted(values.items()) for v in vs]
    out: list[dict[str, Any]] = []

    @seeded(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(respondents(survey, guides=guides))
    def collect(respondent) -> None:
        out.append(dict(respondent.answers))

    collect()
    return out


# ------------------------------------------------------------------ walking both versions
def difference(old: Survey, new: Survey, old_answers: Mapping[str, Any], new_answers: Mapping[str, Any] | None = None,
               probes: Mapping[str, list[Any]] | None = None) -> Difference | None:
    """Walk the respondent of `old_answers` (`new_answers` in the new version, when
    its codes differ) through both versions; the first step where what they show
    differs, or None. With `probes`, every question shown is also tried with its
    probe values (`boundary_values`) and the plain candidates."""
    new_answers = old_answers if new_answers is None else new_answers
    a, b = Session(old), Session(new)
    page = 0
    while True:
        found = _compare(f"page {page}, on arrival", _seen(a), _seen(b))
        if found or a.finished:
            return found
        refused = (answer_page(a, old_answers), answer_page(b, new_answers))
        found = (_compare(f"page {page}, answers refused", *map(_problems, refused))
                 or _compare(f"page {page}, answered", _seen(a), _seen(b)))
        if found:
            return found
        if probes is not None:
            found = _probe(a, b, page, probes)
            if found:
                return found
        if refused[0]:  # as `qengine play`, which stops on a refused answer
            return None
        moved = (a.next(), b.next())
        found = _compare(f"page {page}, next", (moved[0], _problems(a.last_problems)),
                         (moved[1], _problems(b.last_problems)))
        if found or not moved[0]:
            return found
        page += 1


def _seen(s: Session) -> tuple:
    """Everything the respondent has before them, and the equations' values."""
    if s.finished:
        return ("finished", _submitted(s))
    page = s.page
    assert page is not None
    groups = tuple((g, s.group_texts(g)) for g in page.groups if s.group_visible(g))
    views = tuple((v, _value(s, v.code)) for v in s.questions())
    equations = tuple((q.code, _value(s, q.code)) for q in s.survey.questions if q.formula is not None)
    return groups, views, equations


def _value(s: Session, code: str) -> str:
    try:
        return repr(s.current_value(code))
    except EvaluationError as err:
        return f"fails: {err.message}"


def _submitted(s: Session) -> str:
    try:
        return repr(sorted(s.submit().to_json().items(), key=lambda kv: kv[0]))
    except IncompleteError as err:
        return "incomplete: " + _problems(err.problems)


def _problems(problems) -> str:
    return "; ".join(f"[{p.question}] {p.message}" for p in problems)


def _compare(step: str, x: Any, y: Any) -> Difference | None:
    return None if x == y else Difference(step, _short(x), _short(y))


def _short(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 300 else text[:300] + "…"


def _probe(a: Session, b: Session, page: int, probes: Mapping[str, list[Any]]) -> Difference | None:
    for view in a.questions():
        q = a.survey.by_code[view.code]
        other = b.view(view.code)
        if not q.is_input or other is None:
            continue
        for value in _probe_values(q, view, other, probes):
            seen = []
            for s in (a, b):
                trial = s.copy()
                try:
                    trial.answer(view.code, value)
                    outcome = "accepted"
                except AnswerError as err:
                    outcome = "refused: " + err.message
                except EvaluationError as err:
                    outcome = "fails: " + err.message
                seen.append((outcome, _seen(trial)))
            found = _compare(f"page {page}, {view.code} = {value!r}", *seen)
            if found:
                return found
    return None


def _probe_values(q, view, other, probes: Mapping[str, list[Any]]) -> list[Any]:
    values: list[Any] = [None, *probes.get(q.code, ())]
    values += _candidates(q, view) + _candidates(q, other)
    values += [bad.value for v in (view, other) for bad in samples.invalid_values(q, v)]
    out: list[Any] = []
    for v in values:
        if v not in out:
            out.append(v)
    return out


def _candidates(q, view) -> list[Any]:
    return list(samples.candidates(q, view))
