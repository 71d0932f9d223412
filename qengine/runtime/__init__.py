"""Running a survey: sessions, pages, views, responses.

    session = qengine.Session(survey)
    for view in session.questions(): ...
    session.answer("age", "age2")
    session.next()
    response = session.submit()
"""

from qengine.runtime.answers import MalformedAnswer
from qengine.runtime.navigation import Page
from qengine.runtime.session import (
    Choice,
    IncompleteError,
    Problem,
    QuestionView,
    Response,
    Session,
)

__all__ = ["Choice", "IncompleteError", "MalformedAnswer", "Page", "Problem", "QuestionView",
           "Response", "Session"]
