"""A respondent walking a survey as the runtime presents it, drawing every choice.

The walk meets pages one at a time, answers the questions shown (re-reading the
page after each answer, since answers make questions appear), then moves on. What
it does comes from Hypothesis: which guide it follows (if any), its temperament,
and a string of bytes its choices read (`qengine.kinds.samples.Decisions`):

- the *temperament* says whether this respondent may leave questions blank, go
  back and change earlier answers, or try invalid values. Shrinking turns every
  trait off that the failure does not need, so a shrunk path is a plain
  respondent plus only the detours that matter;
- on each page the bytes say which question (if any) gets a detour (left blank,
  an invalid value first, or on a page met again a changed answer), which answer
  to change once the page is answered, and whether to go back. These bytes are
  read whatever the temperament, so that a trait shrunk away leaves the later
  choices where they were;
- the bytes come from Hypothesis, which gives up on an example that draws more
  than 8 KiB: the walks of one example share `EXAMPLE_BYTES`, and a walk that has
  used its share (a survey of thousands of questions) reads the rest of its bytes
  from a generator seeded by one more drawn number (zero: zeros, the plainest
  choices), so that a survey of any size can be walked;
- a page that cannot be left is retried with fresh answers to the questions that
  have problems, then searched with plain candidates (every option, the bounds):
  only when that fails too is it reported as a dead end. The search is
  deterministic, so shrinking cannot manufacture a dead end out of unlucky draws.

The checks of the property run as the walk goes (invalid values refused and not
stored, no exception, every text rendered) and at submission (the response fits
the schema, holds only questions shown, and matches the session).
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable, Mapping

import jsonschema
from hypothesis import strategies as st

from qengine.errors import AnswerError, EvaluationError
from qengine.expr import ast
from qengine.expr.evaluate import evaluate_text
from qengine.kinds import samples
from qengine.kinds.registry import kind_of
from qengine.kinds.samples import Decisions
from qengine.model import Survey
from qengine.runtime.navigation import Page
from qengine.runtime.schema import response_schema
from qengine.runtime.session import IncompleteError, QuestionView, Session
from qengine.testing._locate import locate
from qengine.testing._steps import Defect, Respondent, Step, show

BLANK, BACK, INVALID = 1, 2, 4
CHANGE = 8  # not a trait: the detour of a page met again
_TEMPER = st.integers(0, 15)  # below 8: traits as bits; above: none (half the respondents are plain)
_CHUNK = 4  # bytes of decisions drawn per question of the survey, at the start
_REFILL = 32  # bytes drawn whenever the walk needs more
# Bytes of decisions the walks of one Hypothesis example may draw together: under
# Hypothesis's limit of 8 KiB per example, leaving room for the other draws
# (temperament, guide, and the texts a pattern is drawn into by `respondents()`).
EXAMPLE_BYTES = 6 * 1024
_TAIL_SEED = st.integers(0, 2**32 - 1)
MAX_BACKS = 3
# The keywords of a response schema whose properties can be checked one by one.
_INDEPENDENT = {"$schema", "title", "type", "additionalProperties", "properties"}
_RETRIES = 2  # fresh draws for a page's problems before the plain search
_ROUNDS = 3  # passes of the plain search over a page


class _Found(Exception):
    """Raised inside a walk when the property fails: ends the walk with its defect."""

    def __init__(self, defect: Defect):
        self.defect = defect


def crowd_size(survey: Survey, most: int) -> int:
    """How many walks of `survey` one Hypothesis example holds (at most `most`):
    as many as their first draws of bytes fit in `EXAMPLE_BYTES`, and at least one."""
    return max(1, min(most, EXAMPLE_BYTES // (_CHUNK * len(survey.questions) + _REFILL)))


class Walker:
    """Everything a walk over one survey needs that does not change between walks.

    `crowd` walks share each Hypothesis example. `texts` gives, for questions with
    a `pattern`, the texts to choose from (`qengine.kinds.samples.pattern_texts`); without it,
    such texts are drawn from the pattern during the walk."""

    def __init__(self, survey: Survey, format: str | None = None,  # noqa: A002
                 texts: Mapping[str, tuple[str, ...]] | None = None, crowd: int = 1):
        self.survey = survey
        self.format = format
        self.texts = texts
        self.allowance = EXAMPLE_BYTES // crowd  # bytes of decisions one walk draws from Hypothesis
        self.schema = response_schema(survey)
        self._checked: dict = {}  # (code, value) -> the schema's complaint, or None
        self._validators: dict = {}
        self._fresh: Session | None = None
        # Questions some condition reads: changing them shows or hides others.
        self.deciding = {v.question for e in _conditions(survey) for v in ast.variables(e)}
        self._chunks: dict = {}
        self._invalid: dict = {}

    def start(self) -> Session:
        """A fresh session: a copy of one started once (starting evaluates the
        whole survey; a copy evaluates nothing)."""
        if self._fresh is None:
            self._fresh = self.survey.start(format=self.format)
        return self._fresh.copy()

    def invalid(self, view: QuestionView):
        key = _offer(view)
        if key not in self._invalid:
            self._invalid[key] = samples.invalid_values(self.survey.by_code[view.code], view)
        return self._invalid[key]

    def chunk(self, size: int):
        if size not in self._chunks:
            self._chunks[size] = st.binary(min_size=size, max_size=size)
        return self._chunks[size]

    def schema_error(self, response: Mapping) -> str | None:
        """Why `response` does not fit the response schema, or None.

        The schema is an object whose properties are independent (one per question,
        no others allowed), so each answer is checked against its property's schema,
        once per distinct value over all walks: the full validation costs more than
        a whole walk."""
        if set(self.schema) - _INDEPENDENT:
            error = next(iter(jsonschema.Draft202012Validator(self.schema).iter_errors(response)), None)
            return None if error is None else f"{error.json_path}: {error.message}"
        properties = self.schema["properties"]
        for code, value in response.items():
            if code not in properties:
                return f"{code}: not a question of the survey"
            key = (code, _frozen(value))
            if key not in self._checked:
                if code not in self._validators:
                    self._validators[code] = jsonschema.Draft202012Validator(properties[code])
                validator = self._validators[code]
                error = next(iter(validator.iter_errors(value)), None)
                self._checked[key] = None if error is None else "/".join(
                    [code, *(str(p) for p in error.absolute_path)]) + f": {error.message}"
            if self._checked[key] is not None:
                return self._checked[key]
        return None

    def walk(self, draw: Callable, guides: tuple[Mapping, ...] = (), guided: float = 0.5) -> Respondent:
        """One respondent; with `guides`, the first draw says which one it follows,
        if any (a share `guided` of the respondents do). Zero means none, so
        shrinking drops the guide when the failure does not need it."""
        guide = None
        if guides:
            pick = draw(st.integers(0, round(len(guides) / guided)))
            guide = guides[pick - 1] if 1 <= pick <= len(guides) else None
        return _Walk(self, draw, guide).run()


class _Walk:
    def __init__(self, walker: Walker, draw: Callable, guide: Mapping | None):
        self.w = walker
        self.survey = walker.survey
        self.draw = draw
        self.guide = guide or {}
        self.steps: list[Step] = []
        self.shown: set[str] = set()
        self.visited: set[str] = set()  # questions met on an earlier visit of their page
        self.session: Session | None = None
        self.doing: str | Callable[[], str] = "starting the survey"
        self.backs = 0
        self.temper = 0
        self.frozen_answers: dict | None = None  # the answers to report, when not the session's
        self.handled: set[str] = set()  # the questions met on the current page
        self.dec = Decisions()
        self.variant = 0  # the byte choosing among a detour's variants
        self.drawn = 0  # bytes of decisions drawn from Hypothesis so far
        self.tail: Callable[[], bytes] | None = None  # where bytes come from once `drawn` reaches the allowance

    @property
    def live(self) -> Session:
        """The session of the walk, once started."""
        assert self.session is not None, "the walk has not started"
        return self.session

    @property
    def page(self) -> Page:
        """The page the walk is on."""
        page = self.live.page
        assert page is not None, "the walk is past the last page"
        return page

    # ------------------------------------------------------------ the walk
    def run(self) -> Respondent:
        defect = response = None
        try:
            temper = self.draw(_TEMPER)
            self.temper = temper if temper < 8 else 0
            self.dec = Decisions(self.take(_CHUNK * len(self.survey.questions)), self.refill)
            self.session = self.w.start()
            self.render(self.survey.welcome)
            arrivals = 0
            limit = (MAX_BACKS + 1) * (len(self.live.pages) + 1)
            while not self.live.finished:
                arrivals += 1
                if arrivals > limit:
                    raise _Found(Defect("no-end", f"still on page {self.page.key} "
                                                  f"after {limit} page changes"))
                self.visit_page()
                self.move()
            response = self.submit()
        except _Found as found:
            defect = found.defect
        except EvaluationError as err:
            where = locate(self.survey, err.span)
            defect = Defect("crash", f"{err} ({'in ' + where + ', ' if where else ''}while {self.what()})")
        except Exception as err:  # the property: no exception, whatever the respondent does
            defect = Defect("crash", f"{type(err).__name__}: {err} (while {self.what()})")
        return Respondent(self.survey.code, tuple(self.steps), self.answers(), frozenset(self.shown),
                          response, defect, self.session)

    def take(self, size: int) -> bytes:
        """Up to `size` bytes drawn from Hypothesis, within the walk's allowance."""
        size = min(size, self.w.allowance - self.drawn)
        self.drawn += size
        return self.draw(self.w.chunk(size)) if size > 0 else b""

    def refill(self) -> bytes:
        """More bytes for the choices: drawn while the walk's allowance lasts, then
        from a generator seeded by one drawn number. Zero seeds zeros, so that
        shrinking can turn the rest of a long walk into the plainest choices."""
        if self.drawn < self.w.allowance:
            return self.take(_REFILL)
        if self.tail is None:
            seed = self.draw(_TAIL_SEED)
            self.tail = (functools.partial(random.Random(seed).randbytes, _REFILL) if seed
                         else functools.partial(bytes, _REFILL))
        return self.tail()

    def what(self) -> str:
        """What the walk was doing (`doing` is text, or a function making it)."""
        return self.doing() if callable(self.doing) else self.doing

    def answers(self) -> dict:
        if self.frozen_answers is not None:
            return self.frozen_answers
        if self.session is None:
            return {}
        return dict(self.live.to_json()["answers"])

    def render(self, text) -> None:
        if text is not None:
            evaluate_text(text, self.live)

    # ------------------------------------------------------------ one page
    def visit_page(self) -> None:
        session = self.live
        page = self.page
        self.doing = f"showing page {page.key}"
        titles = [session.group_texts(g)[0] for g in page.groups]
        for g in page.groups:
            self.render(self.survey.groups_by_code[g].description)
        self.steps.append(Step("page", page.key, note=" / ".join(" ".join(t.split()) for t in titles)))
        self.check_defaults()
        at, detour = self.plan_detour()
        self.handled = handled = set[str]()
        self.answer_page(handled, at, detour)
        # With BACK, an answer changed higher up the page once all are met.
        answered = [v for v in session.questions() if samples.answerable(self.survey.by_code[v.code])]
        deciding = [v for v in answered if v.code in self.w.deciding] or answered
        pick = self.dec.below(len(deciding) + 1)
        if pick and self.temper & BACK and self.change(deciding[pick - 1]):
            self.answer_page(handled, 0, None)
        self.visited |= handled

    def check_defaults(self) -> None:
        """A default the question's own checks refuse leaves every respondent who keeps
        it with a refusal they did not cause: a defect of the survey."""
        for view in self.live.questions():
            q = self.survey.by_code[view.code]
            initial = kind_of(q).initial(q) if q.is_input else None
            if initial is None or view.code in self.visited:
                continue
            offered = {c.code for c in (*view.options, *view.rows)}
            why = kind_of(q).refusal(q, initial, offered, self.survey.language)
            if why:
                raise _Found(Defect("default-refused", f"the default of {q.code} ({show(initial)}) is "
                                                       f"refused by the question itself: {why}"))

    def answer_page(self, handled: set[str], at: int, detour: int | None) -> None:
        """Meet each question of the page not met yet, re-reading the page after
        each answer; the `at`-th one met gets the detour."""
        session = self.live
        while True:
            pending = [v.code for v in session.questions() if v.code not in handled]
            if not pending:
                return
            for code in pending:
                view = session.view(code)  # as it reads after the answers above it
                if view is None:
                    continue  # hidden by one of them; met again if it comes back
                handled.add(code)
                self.shown.add(code)
                if not samples.answerable(self.survey.by_code[code]):
                    continue
                special = detour if len(handled) == at else None
                if code in self.visited:
                    self.revisit(view, special)
                else:
                    self.first_visit(view, special)

    def plan_detour(self) -> tuple[int, int | None]:
        """Which question of the page (1-based, 0 for none) gets which detour; and
        `variant`, the detour's own choice. These bytes are read whatever the
        temperament, as is every answer's, so that shrinking a trait away does not
        shift the choices read after it (which would lose the failure)."""
        questions = self.live.questions()
        at = self.dec.below(len(questions) + 1)
        kind = (BLANK, INVALID, CHANGE)[self.dec.below(3)]
        self.variant = self.dec.byte()
        allowed = (self.temper & kind if kind != CHANGE
                   else any(v.code in self.visited for v in questions))
        return (at, kind) if at and allowed else (0, None)

    def first_visit(self, view: QuestionView, detour: int | None) -> None:
        value = self.valid(view)
        if detour == INVALID:
            self.try_invalid(view)
        if view.code in self.guide and self.follow(view):
            return
        if detour == BLANK:
            self.leave_blank(view.code)
        elif value is None:  # nothing can be answered: leave it to the page's checks
            self.steps.append(Step("blank", view.code))
        else:
            self.give(view.code, value)

    def revisit(self, view: QuestionView, detour: int | None) -> None:
        if detour == INVALID:
            self.try_invalid(view)
        elif detour == BLANK:
            self.leave_blank(view.code)
        elif detour == CHANGE:
            self.change(view)

    def follow(self, view: QuestionView) -> bool:
        """Give the guide's answer, when the question as shown accepts it."""
        value = self.guide[view.code]
        if value is None:
            self.leave_blank(view.code)
            return True
        self.doing = lambda: f"answering {view.code} = {show(value)}"
        self.steps.append(Step("answer", view.code, value))
        try:
            self.live.answer(view.code, value)
        except AnswerError:
            self.steps.pop()
            return False
        return True

    # ------------------------------------------------------------ answering
    def answer_drawn(self, view: QuestionView, retry: bool = False) -> None:
        value = self.valid(view)
        if value is None:  # nothing can be answered: leave it to the page's checks
            if not retry:
                self.steps.append(Step("blank", view.code))
            return
        if retry and self.live.given(view.code) == value:
            return  # the same answer again: nothing to show in the path
        self.give(view.code, value)

    def valid(self, view: QuestionView):
        """A valid answer to the question as shown, chosen by the walk's bytes."""
        return samples.valid_answer(self.survey.by_code[view.code], view, self.dec, self.draw, self.w.texts)

    def change(self, view: QuestionView) -> bool:
        """Answer again, differently when a second draw allows it."""
        before = self.live.given(view.code)
        for _ in range(2):
            value = self.valid(view)
            if value is not None and value != before:
                self.give(view.code, value)
                return True
        return False

    def give(self, code: str, value) -> None:
        self.doing = lambda: f"answering {code} = {show(value)}"  # formatted only if needed
        self.steps.append(Step("answer", code, value))  # first, so that a crash shows it
        try:
            self.live.answer(code, value)
        except AnswerError as err:
            raise _Found(Defect("valid-refused", f"{code} = {show(value)} was refused "
                                                 f"({err.message}), though the question as shown allows it")) from None

    def leave_blank(self, code: str) -> None:
        if self.live.given(code) is None:
            self.steps.append(Step("blank", code))
            return
        self.doing = f"clearing {code}"
        self.steps.append(Step("clear", code))
        self.live.clear(code)

    def try_invalid(self, view: QuestionView) -> None:
        options = self.w.invalid(view)
        bad = options[self.variant * len(options) >> 8]
        self.refuse(view.code, bad.value, bad.reason, "refused")

    def try_hidden(self) -> None:
        hidden = [q for q in self.survey.questions
                  if q.is_input and not self.live.is_visible(q.code) and samples.well_formed(q) is not None]
        if hidden:
            q = hidden[self.variant * len(hidden) >> 8]
            self.refuse(q.code, samples.well_formed(q), "not shown", "hidden")

    def refuse(self, code: str, value, reason: str, action: str) -> None:
        """Give a value the runtime must refuse with a message, storing nothing."""
        before = self.live.to_json()["answers"]
        self.doing = f"trying {code} = {show(value)} ({reason})"
        self.steps.append(Step(action, code, value, reason))
        try:
            self.live.answer(code, value)
        except AnswerError as err:
            if not (err.message or "").strip():
                raise _Found(Defect("invalid-accepted", f"{code} = {show(value)} ({reason}) "
                                                        "was refused without a message")) from None
            if self.live.to_json()["answers"] != before:
                raise _Found(Defect("invalid-accepted", f"{code} = {show(value)} ({reason}) "
                                                        "was refused but changed the stored answers")) from None
            return
        raise _Found(Defect("invalid-accepted", f"{code} = {show(value)} ({reason}) was accepted"))

    # ------------------------------------------------------------ moving
    def move(self) -> None:
        session = self.live
        action, self.variant = self.dec.byte(), self.dec.byte()  # read whatever the temperament
        if self.temper & (BACK | INVALID):
            if action >= 230 and self.temper & BACK and self.backs < MAX_BACKS:
                key = self.page.key
                self.doing = f"going back from page {key}"
                if session.back():
                    self.backs += 1
                    self.steps.append(Step("back"))
                    return
            elif action >= 204 and self.temper & INVALID:
                self.try_hidden()
        self.doing = f"leaving page {self.page.key}"
        if session.next():
            self.steps.append(Step("next"))
            return
        self.unstick()

    def problems_text(self) -> str:
        return "; ".join(f"[{p.question}] {p.message}" for p in self.live.problems())

    def unstick(self) -> None:
        """The page has problems: answer those questions afresh (twice), then search
        plain candidates for them; each time, answer what the new answers brought
        onto the page and try to leave again."""
        session = self.live
        stuck = self.problems_text()
        self.steps.append(Step("stuck", note=stuck))
        for attempt in range(_RETRIES + 1):
            codes = list(dict.fromkeys(p.question for p in session.last_problems if p.question is not None))
            if attempt < _RETRIES:
                for code in codes:
                    view = session.view(code)
                    if view is not None:
                        self.answer_drawn(view, retry=True)
            else:
                mark, before = len(self.steps), session.to_json()["answers"]
                self.search(codes)
                after = session.to_json()["answers"]
                for code in dict.fromkeys([*before, *after]):
                    if code not in after:
                        self.steps.append(Step("clear", code))
                    elif before.get(code) != after[code]:
                        self.steps.append(Step("answer", code, after[code]))
            self.answer_page(self.handled, 0, None)
            self.doing = f"leaving page {self.page.key}"
            if session.next():
                self.steps.append(Step("next"))
                return
        del self.steps[mark:]
        self.frozen_answers = dict(before)
        textless = [c for c in codes if self.w.texts is not None and self.w.texts.get(c) == ()]
        why = "no answer tried for these questions passes the page's checks"
        if textless:
            why += f"; no text matching the pattern of {', '.join(textless)} was found"
        raise _Found(Defect("dead-end", f"page {self.page.key} cannot be left: {stuck} ({why})"))

    def search(self, codes: list[str]) -> None:
        """Greedy, over the questions with problems only (the other answers of the
        page stay as the respondent gave them): for each, keep the candidate answer
        that leaves these questions the fewest problems; a few passes."""
        session = self.live
        self.doing = f"searching answers that let page {self.page.key} be left"

        def pending() -> int:
            return sum(len(v.problems) for v in map(session.view, codes) if v is not None)

        for _ in range(_ROUNDS):
            for code in codes:
                view = session.view(code)
                if view is None or not view.problems:
                    continue
                best_count, best = pending(), session.given(code)
                if not self.survey.by_code[code].mandatory and best is not None:
                    # an optional question may be left blank: that is an answer too
                    session.clear(code)
                    if pending() < best_count:
                        best_count, best = pending(), None
                        if best_count == 0:
                            return
                for candidate in samples.candidates(self.survey.by_code[code], view, self.w.texts):
                    try:
                        session.answer(code, candidate)
                    except AnswerError:
                        continue
                    count = pending()
                    if count < best_count:
                        best_count, best = count, candidate
                        if count == 0:
                            return
                self.settle(code, best)
            if not pending():
                return

    def settle(self, code: str, best) -> None:
        """Give `code` the best answer the search found. When that is the answer it
        had before, the search may since have changed what its options depend on
        and filtered it away: the search's own stale answer is no defect of the
        survey, so the question is left blank instead."""
        if best is not None:
            try:
                self.live.answer(code, best)
                return
            except AnswerError:
                pass
        self.live.clear(code)

    # ------------------------------------------------------------ submission
    def submit(self) -> Mapping:
        session = self.live
        self.doing = "submitting"
        self.render(self.survey.end)
        try:
            response = session.submit().to_json()
        except IncompleteError as err:
            problems = "; ".join(f"[{p.question}] {p.message}" for p in err.problems)
            raise _Found(Defect("cannot-submit", problems)) from None
        self.steps.append(Step("submit"))
        error = self.w.schema_error(response)
        if error is not None:
            raise _Found(Defect("response-schema", error))
        for code, value in response.items():
            if not session.is_visible(code):
                raise _Found(Defect("hidden-answer", f"{code} = {show(value)} is in the response, "
                                                     f"but {code} is not shown at submission"))
            if value != session.current_value(code):
                raise _Found(Defect("response-mismatch", f"{code} is {show(value)} in the response, "
                                                         f"{show(session.current_value(code))} in the session"))
        for q in self.survey.questions:
            if q.is_input and q.code not in response and session.is_visible(q.code):
                raise _Found(Defect("response-mismatch", f"{q.code} is shown at submission "
                                                         "but missing from the response"))
        return response


def _frozen(value):
    """A hashable stand-in for a JSON value, telling apart what JSON tells apart."""
    if isinstance(value, dict):
        return ("{", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("[", tuple(_frozen(v) for v in value))
    return (type(value).__name__, value)


def _offer(view: QuestionView) -> tuple:
    """What answers a view accepts depends on: its codes and bounds, not its wording."""
    return (view.code, tuple(o.code for o in view.options), tuple(r.code for r in view.rows), view.min, view.max)


def _conditions(survey: Survey):
    """Every condition of the survey: of groups, questions, options and rows."""
    for g in survey.groups:
        if g.condition is not None:
            yield g.condition
    for q in survey.questions:
        if q.condition is not None:
            yield q.condition
        yield from q.filters
