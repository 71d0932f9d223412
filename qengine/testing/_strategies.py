"""The public strategies: a valid answer to one question, a whole respondent."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from qengine.kinds.samples import Decisions, answerable, valid_answer
from qengine.model import Survey
from qengine.testing._steps import Respondent
from qengine.testing._walk import Walker

_BYTES = st.binary(min_size=64, max_size=64)


def answers(session, code: str) -> st.SearchStrategy:
    """A valid answer to question `code` as `session` shows it when drawn, in the
    answers-file form `session.answer(code, value)` takes."""

    @st.composite
    def answer(draw):
        question = session.survey.by_code.get(code)
        if question is None or not answerable(question):
            raise InvalidArgument(f"{code!r} is not a question of survey {session.survey.code} "
                                  "that takes an answer")
        view = session.view(code)
        if view is None:
            raise InvalidArgument(f"question {code!r} is not shown now: it takes no answer")
        value = valid_answer(question, view, Decisions(draw(_BYTES)), draw)
        if value is None:
            raise InvalidArgument(f"question {code!r} as shown now accepts no answer")
        return value

    return answer()


def respondents(survey: Survey, *, format: str | None = None,  # noqa: A002
                guides: Sequence[Mapping] = ()) -> st.SearchStrategy[Respondent]:
    """A respondent walking `survey` (pages cut by `format`, default the survey's).

    `guides` are partial answers files (lint's witnesses, for instance): a drawn
    respondent may follow one, giving its answers wherever the question as shown
    accepts them (`None` leaves a question blank) and drawing the rest."""
    guides = tuple(guides)
    walker = None

    @st.composite
    def respondent(draw):
        nonlocal walker
        if walker is None:
            if not isinstance(survey, Survey):
                raise InvalidArgument(f"respondents() needs a loaded Survey, got {type(survey).__name__}")
            walker = Walker(survey, format)
        return walker.walk(draw, guides)

    return respondent()
