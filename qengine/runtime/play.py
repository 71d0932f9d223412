"""Playing a scripted respondent: the engine of `qengine play`.

The respondent goes page after page, answers each question the engine presents
with the value from the answers file (absent: left blank), including questions that
appear on the same page as a result of earlier answers, and tries to move on.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import attrs

from qengine.errors import AnswerError
from qengine.model import Display, Equation, Survey
from qengine.runtime.answers import MalformedAnswer, coerce
from qengine.runtime.session import IncompleteError, Problem, Session


class AnswersFileError(Exception):
    """The answers file cannot be used at all; `problems` names each bad entry."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@attrs.frozen
class Step:
    """One page as the respondent met it, for transcripts."""

    title: str
    questions: tuple[tuple[str, str, object], ...]  # (code, wording, answer given)
    problems: tuple[Problem, ...]


@attrs.frozen
class PlayResult:
    shown: tuple[str, ...]
    complete: bool
    response: dict
    texts: dict
    errors: tuple[Problem, ...]
    steps: tuple[Step, ...]

    def to_json(self) -> dict:
        return {"shown": list(self.shown), "complete": self.complete, "response": self.response,
                "texts": self.texts, "errors": [e.to_json() for e in self.errors]}


def read_answers(text: str, survey: Survey, origin: str = "answers") -> dict:
    """Parse and check an answers file: JSON object keyed by question code."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise AnswersFileError([f"{origin}:{err.lineno}:{err.colno}: not valid JSON: {err.msg}"]) from None
    return check_answers(data, survey, origin)


def check_answers(data, survey: Survey, origin: str = "answers") -> dict:
    if not isinstance(data, dict):
        raise AnswersFileError([f"{origin}: expected a JSON object keyed by question code, "
                                f"got {type(data).__name__}"])
    problems = []
    for code, value in data.items():
        q = survey.by_code.get(code)
        if q is None:
            from qengine.errors import did_you_mean

            hint = did_you_mean(code, survey.by_code)
            problems.append(f"{origin}: unknown question {code!r}" + (f" ({hint})" if hint else ""))
            continue
        if isinstance(q, Equation | Display):
            problems.append(f"{origin}: {code!r} is {'an equation' if isinstance(q, Equation) else 'a display text'}"
                            " and takes no answer")
            continue
        try:
            coerce(q, value)
        except MalformedAnswer as err:
            problems.append(f"{origin}: {code}: {err.message}")
    if problems:
        raise AnswersFileError(problems)
    return data


def play(survey: Survey, answers: Mapping, *, format: str | None = None) -> PlayResult:  # noqa: A002
    check_answers(dict(answers), survey)
    session = Session(survey, format=format)
    shown: list[str] = []
    texts: dict[str, str] = {}
    errors: list[Problem] = []
    steps: list[Step] = []
    while not session.finished:
        page = session.page
        refused = answer_page(session, answers)
        # What the respondent has before them when trying to leave the page: a
        # question that came and went while they answered was not presented.
        views = session.questions()
        shown.extend(v.code for v in views if v.code not in texts)
        texts.update((v.code, v.text) for v in views)
        title = " / ".join(session.group_texts(g)[0] for g in page.groups)
        if refused:
            # A form shows every problem of the page at once, the refusals first.
            blocked = {p.question for p in refused}
            problems = (*refused, *(p for p in session.problems() if p.question not in blocked))
            errors.extend(problems)
            steps.append(Step(title, _answered(session, views), problems))
            break
        moved = session.next()
        steps.append(Step(title, _answered(session, views), session.last_problems))
        if not moved:
            errors.extend(session.last_problems)
            break
    complete = False
    if session.finished and not errors:
        try:
            response = session.submit().to_json()
            complete = True
        except IncompleteError as err:
            errors.extend(err.problems)
            response = _partial(session, shown)
    else:
        response = _partial(session, shown)
    return PlayResult(tuple(shown), complete, response, texts, tuple(errors), tuple(steps))


def answer_page(session: Session, answers: Mapping) -> list[Problem]:
    """Give each question of the current page its value from `answers`, as a
    respondent filling the page in from the top: a question an earlier answer
    reveals is answered in its turn, one it hides is left alone. Returns the
    answers the session refused."""
    tried: set[str] = set()
    refused: list[Problem] = []
    progressed = True
    while progressed:
        progressed = False
        for view in session.questions():
            # An earlier answer of this pass may have hidden it since.
            if view.code in tried or not session.is_visible(view.code):
                continue
            tried.add(view.code)
            if view.code in answers:
                progressed = True
                try:
                    session.answer(view.code, answers[view.code])
                except AnswerError as err:
                    refused.append(Problem(view.code, err.message))
    return refused


def _partial(session: Session, shown: list[str]) -> dict:
    """The response of a respondent who stopped: what the pages reached hold (and
    the equations computed so far), not the questions of pages never seen."""
    reached = set(shown)
    return {code: value for code, value in session.response().to_json().items()
            if code in reached or not session.survey.by_code[code].is_input}


def _answered(session: Session, views) -> tuple:
    return tuple((v.code, v.text, session.current_value(v.code)) for v in views)
