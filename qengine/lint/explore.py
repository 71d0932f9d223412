"""Random respondents: the cheap way to show that a situation is possible.

Before the solver is asked anything, a few respondents walk through the survey on
the runtime itself, page after page as `qengine play` does, answering at random
(boundary values first for numbers). Whenever a goal's confirmation holds on the
page being filled in, the answers given so far are a witness: exact by
construction, since the runtime produced it. A walk that met a goal goes on to
the end of the survey: when it submits, its whole answers are the better witness,
one `qengine play` submits too, once a replay (done only when the witness is
asked for: most never are) meets the goal again. The solver is then left with the
goals no walk reached, mostly the impossible ones.
"""

from __future__ import annotations

import contextlib
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property

from qengine.errors import AnswerError, EvaluationError
from qengine.expr import ast, regex
from qengine.kinds.registry import kind_named, kind_of
from qengine.kinds.samples import Decisions, valid_answer
from qengine.lint.progress import SILENT, Progress
from qengine.lint.replay import pages
from qengine.runtime.play import answer_page
from qengine.runtime.session import QuestionView, Session

WALKS = 30  # at most
PATIENCE = 4  # walks in a row that show nothing new before giving up


def explore(logic, goals: Iterable, seed: int = 0, progress: Progress = SILENT) -> dict[tuple, Callable[[], dict]]:
    """The goals random walks show possible (of those with a confirmation), each
    with the function that gives its witness. A goal stays pending until a walk
    that submits meets it."""
    pending = _pending(goals)
    walker = _Walker(logic, random.Random(seed))
    found: dict[tuple, _Found] = {}
    idle = 0
    progress.phase("random respondents", WALKS)
    for _ in range(WALKS):
        if not any(pending.values()) or idle >= PATIENCE:
            break
        progress.advance()
        before = (len(found), sum(map(len, pending.values())))
        walker.walk(pending, found)
        idle = 0 if (len(found), sum(map(len, pending.values()))) != before else idle + 1
    return {key: f.witness for key, f in found.items()}


def complete(logic, fixed: dict, within: frozenset[str], fixed_page: int, page: int,
             met: Callable[[Session], bool], seed: int = 0) -> tuple[dict | None, bool]:
    """A respondent who answers the questions `within` (a slice) of pages up to
    `fixed_page` as `fixed` says and every other question it is shown as a walk
    does, and on page `page` meets `met`. The walk goes on to the end of the
    survey: the answers and whether they submit (one `qengine play` submits is the
    better witness), or the answers up to `page` and False; (None, False) when an
    answer of `fixed` is refused, a page before `page` cannot be left, or `met`
    fails."""
    walker = _Walker(logic, random.Random(seed))
    page_of = logic.page_of
    answers: dict = {}
    prefix = None
    with contextlib.suppress(AnswerError, EvaluationError):
        session = Session(logic.survey)
        while not session.finished:
            held = session.page_number <= fixed_page
            skip = within if held else frozenset()
            if held:
                if answer_page(session, fixed):
                    return None, False
                answers.update((c, v) for c, v in fixed.items() if page_of[c] == session.page_number
                               and session.is_visible(c))
            walker.answer_page(session, answers, skip=skip)
            if prefix is None and session.page_number >= page:
                if not met(session):
                    return None, False
                prefix = {c: v for c, v in answers.items() if session.is_visible(c)}
            if held and any(p.question in within for p in session.problems()):
                break
            if not walker.leave(session, answers, skip):
                break
        if prefix is not None and session.finished and not session.all_problems():
            return {c: v for c, v in answers.items() if session.is_visible(c)}, True
    return prefix, False


def _pending(goals) -> dict[int, list]:
    pending: dict[int, list] = defaultdict(list)
    for g in goals:
        if g.confirm is not None and not g.alone and not g.needs_model:
            pending[g.page].append(g)
    return pending


class _Submitted:
    """The answers of a walk that submitted, and the goals it met on the way."""

    def __init__(self, survey, answers: dict, met: dict[int, list]):
        self.survey, self.answers, self.met = survey, answers, met

    @cached_property
    def confirmed(self) -> frozenset[tuple]:
        """The goals the answers, replayed as `qengine play` would, meet again on a
        respondent who submits (none if the replay does not submit)."""
        keys: set[tuple] = set()
        session = None
        with contextlib.suppress(EvaluationError):
            for session in pages(self.survey, self.answers):
                keys.update(g.key for g in self.met.get(session.page_number, ()) if _holds(g, session))
            if session is not None and session.finished and not session.all_problems():
                return frozenset(keys)
        return frozenset()


class _Found:
    """A goal some walk met: the answers up to its page, and the walks that met it
    and submitted."""

    def __init__(self, key: tuple, prefix: dict):
        self.key, self.prefix = key, prefix
        self.submitted: list[_Submitted] = []

    def witness(self) -> dict:
        return next((w.answers for w in self.submitted if self.key in w.confirmed), self.prefix)


class _Walker:
    """One respondent after another, answering as `qengine play` does."""

    def __init__(self, logic, rng):
        self.logic = logic
        self.rng = rng
        self.hints = _hints(logic.survey)

    def walk(self, pending, found):
        with contextlib.suppress(AnswerError, EvaluationError):
            self._walk(pending, found)

    def _walk(self, pending, found):
        """Walk until no pending goal is left ahead, or, when this walk met some, to
        the end of the survey: a complete respondent is the better witness."""
        session = Session(self.logic.survey)
        answers: dict = {}
        met: dict[int, list] = {}
        while not session.finished:
            page = session.page_number
            if not met and page > max((k for k, goals in pending.items() if goals), default=-1):
                return
            self.answer_page(session, answers)
            hits = [g for g in pending.get(page, ()) if _holds(g, session)]
            if hits:
                prefix = {c: v for c, v in answers.items() if session.is_visible(c)}
                for g in hits:
                    found.setdefault(g.key, _Found(g.key, prefix))
                met[page] = hits
            if not self.leave(session, answers):
                return
        if met:
            walked = _Submitted(self.logic.survey, {c: v for c, v in answers.items() if session.is_visible(c)}, met)
            for page, goals in met.items():
                for g in goals:
                    found[g.key].submitted.append(walked)
                    pending[page].remove(g)

    def leave(self, session, answers, skip: frozenset[str] = frozenset()) -> bool:
        """Leave the page, answering again what it complains about (a few times; not
        the questions of `skip`)."""
        for _ in range(3):
            if session.next():
                return True
            for problem in session.last_problems:
                if problem.question not in skip:
                    self._answer(session, session.view(problem.question), answers)
        return False

    def answer_page(self, session, answers, skip: frozenset[str] = frozenset()):
        """Answer what the page shows, and what the answers reveal (not `skip`)."""
        tried: set[str] = set(skip)
        progressed = True
        while progressed:
            progressed = False
            for view in session.questions():
                if view.code not in tried and session.is_visible(view.code):
                    tried.add(view.code)
                    progressed = True
                    self._answer(session, view, answers)

    def _answer(self, session, view: QuestionView | None, answers):
        if view is None or not self.logic.survey.by_code[view.code].is_input:
            return
        rng = self.rng
        value = _hinted(view, self.hints.get(view.code), rng) if rng.random() < 0.5 else None
        if value is None:
            value = _random_value(self.logic, view, rng)
        if value is None:
            return
        try:
            session.answer(view.code, value)
        except AnswerError:
            return
        answers[view.code] = value


def _holds(goal, session) -> bool:
    try:
        return bool(goal.confirm(session))
    except EvaluationError:
        return False


def _hints(survey) -> dict[str, dict[tuple, list]]:
    """What the survey's expressions compare each question (or its parts) with:
    values a walk tries first, as fuzzers seed themselves with a program's constants.
    Each list is sorted, so that a walk depends on its seed only (a set's order
    changes with Python's string hashing from one run to the next)."""
    out: dict[str, dict] = defaultdict(lambda: defaultdict(set))
    for q in survey.questions:
        for e in q.expressions():
            _collect(e, out)
    for g in survey.groups:
        if g.condition is not None:
            _collect(g.condition, out)
    return {q: {sub: sorted(values, key=repr) for sub, values in parts.items()} for q, parts in out.items()}


def _collect(expr, out):
    for node in ast.walk(expr):
        if isinstance(node, ast.Compare):
            for var, other in ((node.left, node.right), (node.right, node.left)):
                if isinstance(var, ast.Var) and var.question and isinstance(other, ast.Literal):
                    values = out[var.question][var.sub]
                    values.add(other.value)
                    if isinstance(other.value, int | float) and not isinstance(other.value, bool):
                        values.update({other.value - 1, other.value + 1})
        elif isinstance(node, ast.Var) and node.question and node.sub:
            out[node.question][node.sub].add("Y")


def _hinted(view: QuestionView, hints, rng):
    """An answer built from the values the survey compares the question with."""
    if not hints:
        return None
    match kind_named(view.kind).shape:
        case "choice":
            codes = {o.code for o in view.options}
            choices = [v for v in hints.get((), ()) if v in codes]
            return rng.choice(choices) if choices else None
        case "choices":
            wanted = [o.code for o in view.options if (o.code,) in hints and rng.random() < 0.6]
            return wanted or None
        case "row_choice":
            columns = {c.code for c in view.columns}
            out = {r.code: rng.choice(sorted(str(v) for v in hints[(r.code,)] if str(v) in columns))
                   for r in view.rows if any(str(v) in columns for v in hints.get((r.code,), ()))}
            return out or None
        case "number":
            numbers = [v for v in hints.get((), ()) if isinstance(v, int | float) and not isinstance(v, bool)
                       and (view.min is None or v >= view.min) and (view.max is None or v <= view.max)]
            return rng.choice(numbers) if numbers else None
    return None


def _random_value(logic, view: QuestionView, rng):
    """A value the runtime accepts, drawn as `qengine testing` draws them (from
    random bytes); for free text, one of the texts the survey's logic tells apart."""
    if not view.mandatory and rng.random() < 0.15:
        return None
    question = logic.survey.by_code[view.code]
    if kind_of(question).shape != "text":
        return valid_answer(question, view, Decisions(more=lambda: rng.randbytes(32)))
    domain = logic.domains[view.code]
    choices = [*domain.literals, *domain.examples, "1", "42", "texte"]
    pattern = kind_of(question).pattern(question)
    fitting = [c for c in choices if pattern is None or regex.fullmatch(pattern, c)]
    return rng.choice(fitting or choices)
