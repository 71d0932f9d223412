"""The respondent's side of the server, shared by the JSON API and the HTML pages.

Every operation reads the response's row (or, for a change, takes the row as this
worker last served it: `recent.py`), rebuilds the runtime's `Session` from the
answers stored there (`Session.from_json`), applies what the request brings, and
writes the result back in one transaction, only if nobody changed the row in the
meantime (else it reads again and starts over). The Python session decides what
is shown and what is refused; nothing the browser says about visibility counts.

Two ways to move through the survey meet here:

- the API takes answers in the answers-file form of `qengine play`, applied in
  survey order, answers to questions hidden at that point dropped as `play` drops
  them; the response then stands where `qengine play` would stop with the answers
  given so far (the first page that cannot be passed yet);
- the HTML pages go page by page as a respondent does: Next leaves the current page
  if it has no problem, Back goes to the previous page shown.

Either way the STATE a client gets is `qengine play --json` for the answers stored
(`shown`, `complete`, `response`, `texts`, `errors`) plus where the respondent is
(`page`) and the response's `status`; and a submitted response is exactly the
`response` `qengine play` gives for those answers.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta

import attrs

from qengine.errors import AnswerError
from qengine.model import Survey
from qengine.runtime import Problem, Session
from qengine.runtime.answers import check_answer
from qengine.runtime.navigation import pages_of
from qengine.runtime.play import PlayResult, play
from qengine.serve import tokens
from qengine.serve.recent import Known, Recalled, Recent
from qengine.serve.replay import Player
from qengine.serve.storage import ResponseRow, Store
from qengine.serve.tables import COMPLETE, PARTIAL
from qengine.serve.versions import changed_questions, recorded

#: How often an operation is tried again when another request for the same
#: response changed it in between (a double click, two tabs).
_ATTEMPTS = 8
#: A page's time counts from when it was sent; a claimed send time further back
#: than this is not believed.
_LONGEST_PAGE = timedelta(hours=24)


class ServeError(Exception):
    """A request the survey refuses; `problems` say why, for the client."""

    status = 400

    def __init__(self, problems: list[Problem] | tuple[Problem, ...] | str):
        if isinstance(problems, str):
            problems = (Problem(None, problems),)
        self.problems = tuple(problems)
        super().__init__("; ".join(p.message for p in self.problems))


class NotFound(ServeError):
    status = 404


class Refused(ServeError):
    """A value refused: nothing of the request was stored."""

    status = 422


class NotReady(ServeError):
    """Submission refused: the problems that stand in the way."""

    status = 409


class Conflict(ServeError):
    status = 409


class SurveyChanged(Conflict):
    """A partial response whose answers no longer mean the same in the survey served now."""


class ByInvitation(ServeError):
    status = 403


class Busy(ServeError):
    status = 503


def now_utc() -> datetime:
    return datetime.now(UTC)


@attrs.frozen
class Created:
    id: int
    token: str
    state: dict


@attrs.frozen
class Loaded:
    row: ResponseRow
    survey: Survey  # the survey the response is read with


@attrs.frozen
class PageOutcome:
    """What an HTML page post led to: the page to show next (`session` stands on
    it), the problems to show there, and whether the response was submitted."""

    token: str
    session: Session
    problems: tuple[Problem, ...] = ()
    submitted: bool = False
    moved: bool = False  # the respondent left the page they posted


#: Reads the answers of a page's questions out of a request: (answers, problems of
#: values that cannot even be read, such as letters typed for a number).
PageReader = Callable[[tuple[str, ...]], tuple[dict, list[Problem]]]


class Respondents:
    """The operations on responses to the survey being served."""

    def __init__(self, survey: Survey, version: str, store: Store, *, closed: bool = False,
                 clock: Callable[[], datetime] = now_utc):
        self.survey = survey
        self.version = version
        self.store = store
        self.closed = closed
        self.clock = clock
        self.recent = Recent()
        self.player = Player(survey)
        self._start: Known | None = None

    # ------------------------------------------------------------ the API
    def create(self, invitation: str | None = None) -> Created:
        """A new response, standing where `play` stops with no answers."""
        start = self._fresh()
        page = _stop(start.session, start.result)
        token, row = self._insert(invitation, answers=_answers(start.session), page=page)
        self.recent.put(row, start)
        return Created(row.id, token.text, state_json(start.result, start.session, page, PARTIAL))

    def _fresh(self) -> Known:
        """A new respondent's session and `play` of it: the same for every one."""
        if self._start is None:
            session = self.player.start
            walked = self.player.play(_answers(session))
            self._start = Known(session, walked.result, walked.mark)
        return self._start

    def find(self, token: str) -> Loaded:
        """The response of a token, read with the survey it is answered under."""
        selector = tokens.selector_of(token)
        row = self.store.response(selector) if selector else None
        if row is None or not tokens.matches(token, row.verifier_hash):
            raise NotFound("There is no response with this token.")
        if row.version == self.version:
            return Loaded(row, self.survey)
        older = recorded(self.store, row.version)
        if older is not None and row.complete:
            return Loaded(row, older)
        if older is None or changed_questions(older, self.survey, row.answers):
            raise SurveyChanged(
                "The questionnaire has changed since this response was started, and some answers "
                "given would no longer mean the same: this response cannot be continued. "
                "Please start a new one.")
        return Loaded(row, self.survey)  # goes on under this version; the next write records it

    def known(self, loaded: Loaded) -> Known:
        """The stored response's session and `play` of its answers (the session
        stands on the response's page only when rebuilt: the API's operations do
        not read it)."""
        row = loaded.row
        known = self.recent.known(row)
        if known is None or known.session.survey is not loaded.survey:
            session = _session(loaded.survey, row.answers, row.page)
            if loaded.survey is self.survey:
                walked = self.player.play(row.answers)
                known = Known(session, walked.result, walked.mark)
            else:  # a response submitted under an older version, read again
                known = Known(session, play(loaded.survey, row.answers))
            self.recent.put(row, known)
        return known

    def _recalled(self, token: str) -> Recalled | None:
        """The partial response of `token` as this worker last read or wrote it,
        to change without reading it first: the write is guarded by the revision
        kept (`Store.update_response`), so it never lands on a row changed since.
        Whatever else a recalled response would lead to (a refusal, say) is
        concluded again from the database."""
        selector = tokens.selector_of(token)
        recalled = self.recent.get(selector) if selector else None
        if (recalled is None or recalled.row.complete or recalled.row.version != self.version
                or recalled.known.session.survey is not self.survey
                or not tokens.matches(token, recalled.row.verifier_hash)):
            return None
        return recalled

    def _session_of(self, loaded: Loaded, known: Known | None, *, on_page: bool = False) -> Session:
        """A session of the stored answers to work on (from `known` when it is of
        them); standing on the response's page if `on_page`."""
        row = loaded.row
        if known is None or known.session.survey is not loaded.survey or (
                on_page and known.session.page_number != row.page):
            return _session(loaded.survey, row.answers, row.page)
        return known.session.copy()

    def state(self, token: str) -> tuple[int, dict]:
        """The response's id and STATE."""
        loaded = self.find(token)
        row = loaded.row
        known = self.known(loaded)
        return row.id, state_json(known.result, known.session, row.page, row.status)

    def answer(self, token: str, answers: Mapping) -> dict:
        """Apply answers; the response then stands where `play` stops."""
        for attempt in range(_ATTEMPTS):
            recalled = self._recalled(token) if attempt == 0 else None
            loaded = Loaded(recalled.row, self.survey) if recalled else self.find(token)
            row = self._open(loaded)
            known = recalled.known if recalled else self.recent.known(row)
            session = self._session_of(loaded, known)
            try:
                apply(session, answers)
            except Refused:
                if recalled:
                    continue
                raise
            merged = _answers(session)
            walked = self.player.play(merged, known.mark if known else None)
            page = _stop(session, walked.result)
            written = self._write(row, session, merged, page, since=row.updated_at)
            if written:
                self.recent.put(written, Known(session, walked.result, walked.mark))
                return state_json(walked.result, session, page, PARTIAL)
        raise Busy("This response is being changed by another request; please try again.")

    def submit(self, token: str) -> dict:
        """The submitted response (the same again for a response already submitted)."""
        for attempt in range(_ATTEMPTS):
            recalled = self._recalled(token) if attempt == 0 else None
            loaded = Loaded(recalled.row, self.survey) if recalled else self.find(token)
            row = loaded.row
            if row.complete:
                assert row.response is not None  # a complete row holds its response
                return row.response
            known = recalled.known if recalled else self.known(loaded)
            if not known.result.complete:
                if recalled:
                    continue
                raise NotReady(known.result.errors)
            written = self._finish(row, known.result, len(pages_of(loaded.survey, loaded.survey.format)))
            if written:
                self.recent.put(written, known)
                return known.result.response
        raise Busy("This response is being changed by another request; please try again.")

    # ------------------------------------------------------------ the HTML pages
    def first_page(self) -> Session:
        """The session a new respondent starts with (nothing stored yet)."""
        return self._fresh().session.copy()

    def start_page(self, read: PageReader, action: str, *, nojs: bool, shown_at: datetime | None,
                   invitation: str | None = None) -> PageOutcome:
        """The first page posted: the response is created with its answers, in one
        transaction (a refused value creates nothing)."""
        session = self.first_page()
        step = _step(session, read, action, nojs)
        values, outcome = self._conclude(session, step, {}, shown_at or self.clock())
        token, _ = self._insert(invitation, **values)
        return attrs.evolve(outcome, token=token.text)

    def post_page(self, token: str, read: PageReader, action: str, *, nojs: bool,
                  shown_at: datetime | None) -> PageOutcome:
        """A page posted: its answers applied, then Next, Back or "resume later";
        passing the last page submits, in the same transaction."""
        for _ in range(_ATTEMPTS):
            loaded = self.find(token)
            row = self._open(loaded)
            session = self._session_of(loaded, self.recent.known(row), on_page=True)
            step = _step(session, read, action, nojs)
            since = shown_at if shown_at and shown_at > row.started_at else row.updated_at
            values, outcome = self._conclude(session, step, row.page_durations, since)
            if self.store.update_response(row, values):
                return attrs.evolve(outcome, token=token)
        raise Busy("This response is being changed by another request; please try again.")

    def tentative(self, token: str | None, read: PageReader) -> Session:
        """The page a refused post is shown again on: the respondent's session with
        the answers of that post that were acceptable (nothing of it is stored), so
        that what those answers show is shown. `token` None: the first page."""
        session = self.first_page() if token is None else self.page_session(self.find(token))
        if session.page is not None:
            answers, _ = read(session.page.questions)
            for q in session.survey.questions:
                if q.code in answers and q.is_input and session.is_visible(q.code):
                    with contextlib.suppress(AnswerError):
                        session.answer(q.code, answers[q.code])
        return session

    def page_session(self, loaded: Loaded) -> Session:
        """The session of a stored response, standing on the respondent's page."""
        return self._session_of(loaded, self.recent.known(loaded.row), on_page=True)

    def _conclude(self, session: Session, step: _Step, durations: dict,
                  since: datetime) -> tuple[dict, PageOutcome]:
        """The row's new values after a page step, and what to show next. Past the
        last page the response is submitted with `play`'s response; should `play`
        not get through (a rule on an earlier page that a later answer breaks), the
        respondent is taken back to the page it stops on."""
        now = self.clock()
        merged = _answers(session)
        values = {"answers": merged, "page": session.page_number, "version": self.version, "updated_at": now,
                  "page_durations": _timed(durations, session, step.page_before, now - since)}
        moved = session.page_number != step.page_before
        if not session.finished:
            return values, PageOutcome("", session, step.problems, moved=moved)
        result = self.player.play(merged).result
        if result.complete:
            values |= {"status": COMPLETE, "response": result.response, "submitted_at": now}
            return values, PageOutcome("", session, submitted=True, moved=True)
        values["page"] = page = _stop(session, result)
        return values, PageOutcome("", _session(session.survey, merged, page), result.errors, moved=True)

    # ------------------------------------------------------------ shared
    def _open(self, loaded: Loaded) -> ResponseRow:
        if loaded.row.complete:
            raise Conflict("This response has been submitted: it can no longer be changed.")
        return loaded.row

    def _insert(self, invitation: str | None, **values) -> tuple[tokens.Token, ResponseRow]:
        """A new response: its token, and its row as stored."""
        if self.closed and invitation is None:
            raise ByInvitation("This questionnaire is answered by invitation only: please use the "
                               "link you were sent.")
        now = self.clock()
        token = tokens.new()
        row = {"selector": token.selector, "verifier_hash": token.verifier_hash, "version": self.version,
               "status": PARTIAL, "page_durations": {}, "response": None, "started_at": now,
               "updated_at": now, "submitted_at": None, **values}
        invitation_id = None
        if invitation is None:
            row_id = self.store.insert_response(row)
        else:
            invitation_id = self._invitation(invitation).id
            found_id = self.store.insert_invited_response(invitation_id, row, now)
            if found_id is None:
                raise Conflict("This invitation has already been used.")
            row_id = found_id
        return token, ResponseRow(id=row_id, survey=self.store.survey, revision=0, invitation_id=invitation_id, **row)

    def _invitation(self, text: str):
        selector = tokens.selector_of(text)
        found = self.store.invitation(selector) if selector else None
        if found is None or not tokens.matches(text, found.verifier_hash):
            raise NotFound("There is no invitation with this token.")
        return found

    def invited(self, invitation: str) -> str | None:
        """The token to continue an invitation's response with, None when it has not
        been used yet. The response's token is replaced by a new one (only hashes
        are kept): the invitation link is the way back in."""
        found = self._invitation(invitation)
        row = self.store.response_of_invitation(found.id)
        if row is None:
            if found.used_at is not None:
                raise Conflict("This invitation has already been used.")
            return None
        token = tokens.new()
        if not self.store.update_response(row, {"selector": token.selector,
                                                "verifier_hash": token.verifier_hash}):
            raise Busy("This response is being changed by another request; please try again.")
        return token.text

    def _write(self, row: ResponseRow, session: Session, merged: dict, page: int, *,
               since: datetime) -> ResponseRow | None:
        now = self.clock()
        return self.store.update_response(row, {
            "answers": merged, "page": page, "version": self.version, "updated_at": now,
            "page_durations": _timed(row.page_durations, session, row.page, now - since)})

    def _finish(self, row: ResponseRow, result: PlayResult, pages: int) -> ResponseRow | None:
        now = self.clock()
        return self.store.update_response(row, {
            "status": COMPLETE, "response": result.response, "submitted_at": now, "updated_at": now,
            "page": pages, "version": self.version})



@attrs.frozen
class _Step:
    page_before: int
    problems: tuple[Problem, ...]


def _step(session: Session, read: PageReader, action: str, nojs: bool) -> _Step:
    """Apply the page's answers (all refused or none), then move as `action` says:
    "next", "back", or anything else to stay ("resume later"). A page posted
    without a script (`nojs`) showed only the questions shown when it was sent:
    when its answers reveal more on that page, it is shown again with them rather
    than left."""
    page = session.page
    before = session.page_number
    if page is None:  # posted again past the last page: nothing to answer
        return _Step(before, ())
    presented = {v.code for v in session.questions()}
    answers, unreadable = read(page.questions)
    try:
        apply(session, answers)
    except Refused as err:
        raise Refused(_in_order(session.survey, [*unreadable, *err.problems])) from None
    if unreadable:
        raise Refused(unreadable)
    if action == "back":
        session.back()
    elif action == "next" and not (nojs and {v.code for v in session.questions()} - presented):
        moved = session.next()
        return _Step(before, () if moved else session.last_problems)
    return _Step(before, ())


def apply(session: Session, answers: Mapping) -> None:
    """Give the session `answers` (answers-file form) in survey order. As `qengine
    play` does, an answer to a question hidden at its turn is dropped, and so is
    the value of an equation (it is computed), once their shape is checked.
    Raises `Refused` with every problem."""
    survey = session.survey
    if not isinstance(answers, Mapping):
        raise Refused("answers must be an object keyed by question code")
    problems = [Problem(code, "no such question in this survey") for code in answers
                if not isinstance(code, str) or code not in survey.by_code]
    for q in survey.questions:
        if q.code not in answers:
            continue
        try:
            if not q.is_input or not session.is_visible(q.code):
                check_answer(q, answers[q.code])
            else:
                session.answer(q.code, answers[q.code])
        except AnswerError as err:
            problems.append(Problem(q.code, err.message))
    if problems:
        raise Refused(_in_order(survey, problems))


def state_json(result: PlayResult, session: Session, page: int, status: str) -> dict:
    """STATE: `qengine play --json` for the stored answers, the page the respondent
    is on (null past the last one) and the response's status."""
    out = result.to_json()
    out["page"] = page_json(session, page)
    out["status"] = status
    return out


def page_json(session: Session, index: int) -> dict | None:
    if not 0 <= index < len(session.pages):
        return None
    page = session.pages[index]
    return {"index": index, "key": page.key, "questions": [v.code for v in session.questions(page)]}


def _session(survey: Survey, answers: dict, page: int) -> Session:
    return Session.from_json(survey, {"qengine": "session/1", "survey": survey.code, "format": survey.format,
                                      "page": page, "answers": answers})


def _answers(session: Session) -> dict:
    return session.to_json()["answers"]


def _stop(session: Session, result: PlayResult) -> int:
    """The page `play` stopped on: the page of its first problem; past the last
    page when it could submit."""
    if result.complete or not result.errors:
        return len(session.pages)
    code = result.errors[0].question
    return next((i for i, p in enumerate(session.pages) if code in p.questions), 0)


def _timed(durations: dict, session: Session, page: int, elapsed: timedelta) -> dict:
    """Per-page durations with `elapsed` added to page `page` (by its key)."""
    if not 0 <= page < len(session.pages):
        return durations
    seconds = min(max(elapsed, timedelta(0)), _LONGEST_PAGE).total_seconds()
    key = session.pages[page].key
    return {**durations, key: round(durations.get(key, 0) + seconds, 3)}


def _in_order(survey: Survey, problems: list[Problem]) -> tuple[Problem, ...]:
    """Problems in survey order (unknown codes first, as the request gave them)."""
    rank: dict[str | None, int] = {q.code: i for i, q in enumerate(survey.questions)}
    return tuple(sorted(problems, key=lambda p: rank.get(p.question, -1)))
