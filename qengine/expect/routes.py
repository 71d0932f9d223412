"""Checking a route: its answers given through the runtime, then each check read
off the session.

Answers are given in the order of the survey's questions, as a respondent would,
wherever they are on the pages: a route states what its answers imply, not how a
respondent walks (mandatory questions the route leaves blank do not stop it; say
`completes` to require a response that can be submitted). An answer to a question
the earlier answers do not show, or that the runtime refuses, fails the route there:
the route can no longer be taken as written.
"""

from __future__ import annotations

import json

from qengine.errors import AnswerError, EvaluationError
from qengine.expect.results import FAILED, PASSED, Failure, Result
from qengine.model import Survey
from qengine.model.expect import Asked, Check, Completes, Given, Refused, Route, Value, Wording
from qengine.runtime.session import Session


def check_route(survey: Survey, route: Route) -> Result:
    try:
        session, refused = _answered(survey, route.answers)
        failures = refused or [f for check in route.checks for f in _check(session, check)]
    except EvaluationError as err:
        failures = [Failure(route.span, f"the survey fails on this route: {err.message} ({err.span.line})")]
    return Result(route, FAILED if failures else PASSED, tuple(failures))


def _answered(survey: Survey, answers: tuple[Given, ...]) -> tuple[Session, list[Failure]]:
    """The session holding the route's answers, or the first that cannot be given."""
    order = {q.code: i for i, q in enumerate(survey.questions)}
    pending = sorted(answers, key=lambda g: order[g.question])
    session = Session(survey)
    progressed = True
    while pending and progressed:  # a later answer may show an earlier question
        progressed = False
        for given in list(pending):
            if not session.is_visible(given.question):
                continue
            try:
                session.answer(given.name, given.value)
            except AnswerError as err:
                return session, [Failure(given.span, f"the answer {given.name} = {_shown(given.value)} "
                                                     f"is refused: {err.message}")]
            pending.remove(given)
            progressed = True
    return session, [Failure(g.span, f"'{g.question}' is not asked on this route, so it cannot be answered")
                     for g in pending]


def _check(session: Session, check: Check) -> list[Failure]:
    if isinstance(check, Asked):
        return [Failure(check.span, f"'{code}' is {'not ' if check.shown else ''}asked")
                for code in check.codes if session.is_visible(code) != check.shown]
    if isinstance(check, Wording):
        return _wording(session, check)
    if isinstance(check, Refused):
        return _refused(session, check)
    if isinstance(check, Value):
        actual = session.current_value(check.code)
        if _same(actual, check.value):
            return []
        return [Failure(check.span, f"'{check.code}' holds {_shown(actual)}, not {_shown(check.value)}")]
    if isinstance(check, Completes):
        problems = session.all_problems()
        return [Failure(check.span, "the response cannot be submitted: "
                        + "; ".join(f"[{p.question}] {p.message}" for p in problems))] if problems else []
    raise TypeError(f"unknown check {check!r}")


def _wording(session: Session, check: Wording) -> list[Failure]:
    view = session.view(check.code)
    if view is None:
        return [Failure(check.span, f"'{check.code}' is not asked, so its wording cannot be read")]
    if (view.text == check.text) if check.whole else (check.text in view.text):
        return []
    return [Failure(check.span, f"the wording of '{check.code}' is {view.text!r}")]


def _refused(session: Session, check: Refused) -> list[Failure]:
    """Refused by the runtime, or accepted with a problem that keeps the
    respondent on the page (a bound, a validation rule): both are a message the
    respondent reads instead of going on."""
    if not session.is_visible(check.question):
        return [Failure(check.span, f"'{check.question}' is not asked, so no answer to it can be refused")]
    trial = session.copy()
    try:
        trial.answer(check.name, check.value)
        view = trial.view(check.question)
        # an answer may hide its own question (a condition that reads it): nothing refused then
        messages = list(view.problems) if view is not None else []
    except AnswerError as err:
        messages = [err.message]
    said = "; ".join(messages)
    if not messages:
        return [Failure(check.span, f"the answer {check.name} = {_shown(check.value)} is accepted")]
    if check.message is not None and check.message.casefold() not in said.casefold():
        return [Failure(check.span, f"the answer is refused with {said!r}")]
    return []


def _same(actual: object, expected: object) -> bool:
    """Equal as answers are: numbers by value, ticked options in any order."""
    number = (int, float)
    if isinstance(actual, number) and isinstance(expected, number) and not isinstance(actual, bool):
        return float(actual) == float(expected)
    if isinstance(actual, list) and isinstance(expected, list):
        return sorted(map(str, actual)) == sorted(map(str, expected))
    return actual == expected


def _shown(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)
