"""`qengine play` resumed where the previous request of the same response left it.

Every request computes `play` for the answers stored: what the respondent was
shown, what stops them, the response. Played from the start that is the largest
part of a request's work, though a request usually changes only the page the
respondent stands on. `play` walks the pages in order, and what it has done by the
time it reaches page k depends only on the answers to the questions of pages
before k (those are the only answers it looks at). So a walk keeps a `Mark` just
before the page it stopped on; the next walk starts from that mark when the
answers of all earlier pages are unchanged, and from the start otherwise.

The result is `play`'s, field for field: `tests/test_serve_replay.py` holds the
two together on random respondents. Steps (the transcript) are not kept.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from qengine.model import Survey
from qengine.runtime import IncompleteError, Problem, Session
from qengine.runtime.play import PlayResult, answer_page


@attrs.frozen
class Mark:
    """The walk just before page `index`."""

    index: int
    session: Session  # never changed: a copy is walked on
    shown: tuple[str, ...]
    texts: Mapping[str, str]
    basis: Mapping[str, object]  # the answers to the questions of the pages before `index`


@attrs.frozen
class Replay:
    result: PlayResult
    mark: Mark | None  # just before the page the walk ended on
    resumed: bool  # whether the walk started from the mark given


class Player:
    """`play` for one survey, resumable."""

    def __init__(self, survey: Survey):
        self.start = Session(survey)  # as `play` starts; only ever copied
        pages = self.start.pages
        # The questions of the pages before each page.
        self._before = [tuple(c for page in pages[:i] for c in page.questions) for i in range(len(pages) + 1)]

    def play(self, answers: Mapping, mark: Mark | None = None) -> Replay:
        """`play(survey, answers)`, from `mark` when it still holds."""
        resumed = mark is not None and self._basis(mark.index, answers) == mark.basis
        if resumed and mark is not None:
            session, shown, texts = mark.session.copy(), list(mark.shown), dict(mark.texts)
        else:
            session, shown, texts = self.start.copy(), [], {}
        errors: list[Problem] = []
        last = None
        while not session.finished:
            index = session.page_number
            last = Mark(index, session.copy(), tuple(shown), dict(texts), self._basis(index, answers))
            # From here on as `play`.
            refused = answer_page(session, answers)
            views = session.questions()
            shown.extend(v.code for v in views if v.code not in texts)
            texts.update((v.code, v.text) for v in views)
            if refused:
                blocked = {p.question for p in refused}
                errors.extend((*refused, *(p for p in session.problems() if p.question not in blocked)))
                break
            if not session.next():
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
        return Replay(PlayResult(tuple(shown), complete, response, texts, tuple(errors), ()), last, resumed)

    def _basis(self, index: int, answers: Mapping) -> dict:
        return {c: answers[c] for c in self._before[index] if c in answers}


def _partial(session: Session, shown: list[str]) -> dict:
    """As `play`: what the pages reached hold, and the equations computed so far."""
    reached = set(shown)
    return {code: value for code, value in session.response().to_json().items()
            if code in reached or not session.survey.by_code[code].is_input}
