"""Replaying a witness through the runtime, the judge of every verdict that rests on
something the solver did not model.

The respondent behaves as in `qengine play`: page after page, every question
presented gets the value of the answers file, and the page must be left without a
problem; the replay stops on page `last_page` with its questions answered.
"""

from __future__ import annotations

from collections.abc import Mapping

from qengine.errors import EvaluationError
from qengine.model import Survey
from qengine.runtime.play import answer_page
from qengine.runtime.session import Session


def replay(survey: Survey, answers: Mapping, last_page: int) -> Session | None:
    """The session on page `last_page` (or past it, when that page is skipped), or
    None when the answers cannot take the respondent there."""
    try:
        session = Session(survey)
        while not session.finished and session.page_number <= last_page:
            if answer_page(session, answers):  # an answer refused: not a witness
                return None
            if session.page_number == last_page or not session.next():
                break
        if session.page_number < last_page:
            return None
        return session
    except EvaluationError:
        return None
