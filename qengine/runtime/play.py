"""Playing a scripted respondent: the engine of `qengine play`.

The respondent goes page after page, answers each question the engine presents
with the value from the answers file (absent: left blank), including questions that
appear on the same page as a result of earlier answers, and tries to move on.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from qengine.errors import AnswerError
from qengine.model import Survey
from qengine.runtime.answers import MalformedAnswer, check_answer, coerce, short_repr
from qengine.runtime.json_input import JsonInputError, parse
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


@attrs.frozen
class Answers:
    """An answers file checked against its survey, each answer coerced once to the
    form the session stores (`Session.accept` takes it as is). Equations are left
    out: their values are computed, the ones given were only checked."""

    stored: Mapping[str, Any]


def read_answers(text: str, survey: Survey, origin: str = "answers") -> Answers:
    """Parse and check an answers file: JSON object keyed by question code, read
    within the bounds of `qengine.runtime.json_input`."""
    try:
        data = parse(text, origin)
    except JsonInputError as err:
        raise AnswersFileError([str(err)]) from None
    return check_answers(data, survey, origin)


#: Unknown keys named one by one (with a "did you mean"); the rest are counted.
MAX_NAMED = 10


def check_answers(data, survey: Survey, origin: str = "answers") -> Answers:
    """`data` coerced, if it is an answers file for `survey`, else AnswersFileError
    naming every problem. The answers are the values `qengine schema` describes, so that
    a response replays as an answers file: equations may be given (their values
    are computed, the ones given are only checked for shape); display texts may not.

    Keys the survey does not have are refused first, with a set difference: an
    input with 200,000 unknown keys costs no more than reading it."""
    if not isinstance(data, dict):
        raise AnswersFileError([f"{origin}: expected a JSON object keyed by question code, "
                                f"got {type(data).__name__}"])
    unknown = [code for code in data.keys() - survey.by_code.keys()]
    if unknown:
        raise AnswersFileError(_unknown(sorted(unknown, key=str), survey, origin))
    problems = []
    stored = {}
    for code, value in data.items():
        q = survey.by_code[code]
        try:
            if q.is_input:
                stored[code] = coerce(q, value)
            else:
                check_answer(q, value)
        except MalformedAnswer as err:
            problems.append(f"{origin}: {code}: {err.message}")
    if problems:
        raise AnswersFileError(problems)
    return Answers(MappingProxyType(stored))


def _unknown(codes: list, survey: Survey, origin: str) -> list[str]:
    from qengine.errors import did_you_mean

    out = []
    for code in codes[:MAX_NAMED]:
        hint = did_you_mean(code, survey.by_code) if isinstance(code, str) and len(code) <= 100 else None
        out.append(f"{origin}: unknown question {short_repr(code)}" + (f" ({hint})" if hint else ""))
    if len(codes) > MAX_NAMED:
        out.append(f"{origin}: … and {len(codes) - MAX_NAMED:,} more unknown questions")
    return out


def play(survey: Survey, answers: Answers | Mapping, *, format: str | None = None) -> PlayResult:  # noqa: A002
    """Play the respondent who gives `answers` (checked by `check_answers` unless they
    were already) page after page."""
    if not isinstance(answers, Answers):
        answers = check_answers(dict(answers), survey)
    session = Session(survey, format=format)
    shown: list[str] = []
    texts: dict[str, str] = {}
    errors: list[Problem] = []
    steps: list[Step] = []
    while not session.finished:
        page = session.page
        assert page is not None  # a session not finished is on a page
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


def answer_page(session: Session, answers: Answers | Mapping) -> list[Problem]:
    """Give each question of the current page its value from `answers`, as a
    respondent filling the page in from the top: a question an earlier answer
    reveals is answered in its turn, one it hides is left alone. Returns the
    answers the session refused. Checked `Answers` are accepted as they are;
    other values are coerced by `Session.answer`."""
    give, values = (session.accept, answers.stored) if isinstance(answers, Answers) else (session.answer, answers)
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
            if view.code in values:
                progressed = True
                try:
                    give(view.code, values[view.code])
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
