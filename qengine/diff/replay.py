"""Replaying a witness on both versions: the runtime is the judge of every change.

Each version is walked as `qengine play` walks it (`qengine.runtime.play.answer_page`):
page after page, every question presented gets its value from the answers file, and
the page must be left without a problem. The walk stops on the page where the
subject of a change is (or past it, when that page is skipped), and an observer
reads, on both sessions, what the respondent has before them there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs

from qengine.errors import EvaluationError
from qengine.expr.values import as_text
from qengine.model import Survey
from qengine.runtime.play import answer_page
from qengine.runtime.session import Problem, Session


@attrs.frozen
class Reached:
    """A session on the page asked for (or past it), and the answers it refused there."""

    session: Session
    refused: tuple[Problem, ...]


def reach(survey: Survey, answers: Mapping[str, Any], page: int | None) -> Reached | None:
    """Walk to page `page` (None: to the end, submitting); None when the answers
    cannot take the respondent there or the survey fails on the way."""
    try:
        session = Session(survey)
        while not session.finished:
            refused = tuple(answer_page(session, answers))
            if page is not None and session.page_number >= page:
                return Reached(session, refused)
            if refused or not session.next():
                return None
        return Reached(session, ())
    except EvaluationError:
        return None


#: An observer reads what one version shows on the page reached: a short description,
#: compared between the versions (None when it cannot be read there).
Observer = Callable[[Reached], str | None]


def visibility(code: str) -> Observer:
    return lambda r: "shown" if r.session.is_visible(code) else "not shown"


def group_visibility(code: str) -> Observer:
    return lambda r: "shown" if r.session.group_visible(code) else "not shown"


def offered(code: str, item: str) -> Observer:
    def observe(r: Reached) -> str | None:
        view = r.session.view(code)
        if view is None:
            return None
        codes = {c.code for c in (*view.options, *view.rows)}
        return "offered" if item in codes else "not offered"
    return observe


def acceptance(code: str) -> Observer:
    """Whether the answer is accepted: refused, or left with a problem, quoted."""
    def observe(r: Reached) -> str | None:
        view = r.session.view(code)
        if view is None:
            return None
        problems = [p.message for p in r.refused if p.question == code] + list(view.problems)
        return "accepted" if not problems else "refused: " + "; ".join(problems)
    return observe


def value(code: str) -> Observer:
    def observe(r: Reached) -> str | None:
        if not r.session.is_visible(code):
            return "not computed" if r.session.survey.by_code[code].formula is not None else None
        v = r.session.current_value(code)
        return "blank" if v is None else f"{code} = {as_text(v) if not isinstance(v, dict | list) else v}"
    return observe


def question_words(code: str) -> Observer:
    """Every text of a shown question as the respondent reads it."""
    def observe(r: Reached) -> str | None:
        view = r.session.view(code)
        if view is None:
            return None
        parts = [view.text, view.help, view.prefix, view.suffix,
                 *(c.label for c in (*view.options, *view.rows, *view.columns)), *view.problems]
        return " | ".join(" ".join(p.split()) for p in parts if p)
    return observe


def group_words(code: str) -> Observer:
    def observe(r: Reached) -> str | None:
        if not r.session.group_visible(code):
            return None
        title, description = r.session.group_texts(code)
        return " | ".join(" ".join(p.split()) for p in (title, description) if p)
    return observe


def observe(old: Survey, new: Survey, old_answers: Mapping[str, Any], new_answers: Mapping[str, Any],
            pages: tuple[int | None, int | None], observers: tuple[Observer, Observer]
            ) -> tuple[str, str] | None:
    """What each version shows the respondent at the subject, when both walks get
    there and the observations differ; else None."""
    seen = []
    for survey, answers, page, looker in zip((old, new), (old_answers, new_answers), pages, observers,
                                             strict=True):
        reached = reach(survey, answers, page)
        if reached is None:
            return None
        try:
            seen.append(looker(reached))
        except EvaluationError:
            return None
    a, b = seen
    if a is None or b is None or a == b:
        return None
    return a, b
