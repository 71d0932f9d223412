"""Replaying a witness through the runtime, the judge of every verdict that rests on
something the solver did not model.

The respondent behaves as in `qengine play`: page after page, every question
presented gets the value of the answers file, and the page must be left without a
problem.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from qengine.errors import EvaluationError
from qengine.model import Survey
from qengine.runtime.play import answer_page
from qengine.runtime.session import Session


def pages(survey: Survey, answers: Mapping) -> Iterator[Session]:
    """The session on each page the answers reach, that page answered; the walk
    ends at an answer refused, a page that cannot be left, or the end of the survey
    (then the session is `finished`)."""
    session = Session(survey)
    while not session.finished:
        if answer_page(session, answers):  # an answer refused: the walk ends here
            return
        yield session
        if not session.next():
            return


def replay(survey: Survey, answers: Mapping, last_page: int) -> Session | None:
    """The session on page `last_page` (or past it, when that page is skipped), or
    None when the answers cannot take the respondent there."""
    try:
        for session in pages(survey, answers):
            if session.page_number >= last_page:
                return session
        return None
    except EvaluationError:
        return None

