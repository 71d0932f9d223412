"""A respondent's session: answers in, what to show out.

The session keeps the answers the respondent gave (also those of questions that
became hidden, so that going back restores them) and, for every node of the
survey's dependency graph (`qengine.model.graph`), its current result: group and question
relevance, the value expressions read, and each question's view (wording, visible
options, problems). Changing an answer recomputes only the nodes downstream of it,
in topological order, and stops wherever a result comes out unchanged.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import cast, overload

import attrs

from qengine.errors import AnswerError
from qengine.expr import ast
from qengine.expr.evaluate import evaluate, evaluate_text
from qengine.expr.values import as_text, is_empty, truthy
from qengine.kinds.attributes import type_letter, wording
from qengine.kinds.base import Table
from qengine.kinds.registry import kind_of
from qengine.model import NAVIGATION_FORMATS, Question, Survey, Text
from qengine.model.graph import Node
from qengine.runtime import answers as _answers
from qengine.runtime import json_input
from qengine.runtime.messages import message
from qengine.runtime.navigation import Page, pages_of


@attrs.frozen
class Choice:
    """An option, row or column as the respondent reads it now."""

    code: str
    label: str
    exclusive: bool = False


@attrs.frozen
class QuestionView:
    """A question as presented now. `problems` are the reasons the page cannot be
    left yet (mandatory, too few ticks, a rule of the survey failing)."""

    code: str
    kind: str
    number: int
    text: str
    help: str | None
    mandatory: bool
    options: tuple[Choice, ...] = ()
    rows: tuple[Choice, ...] = ()
    columns: tuple[Choice, ...] = ()
    prefix: str | None = None
    suffix: str | None = None
    min: int | float | None = None
    max: int | float | None = None
    problems: tuple[str, ...] = ()


@attrs.frozen
class Problem:
    question: str | None  # None: about the response as a whole (the server's problems)
    message: str

    def to_json(self) -> dict:
        return {"question": self.question, "message": self.message}


@attrs.frozen
class Response:
    """A submitted response: answers of the questions shown at submission and the
    values of the equations; a shown question left blank is present as None."""

    survey: str
    answers: Mapping[str, object]

    def to_json(self) -> dict:
        return dict(self.answers)


class IncompleteError(Exception):
    """`submit()` was called while a shown question still has problems."""

    def __init__(self, problems: tuple[Problem, ...]):
        self.problems = problems
        super().__init__("; ".join(f"{p.question}: {p.message}" for p in problems))


_HIDDEN = None  # the view of a hidden question


class Session:
    """One respondent going through a survey. Not thread-safe; cheap to create."""

    def __init__(self, survey: Survey, *, format: str | None = None,  # noqa: A002
                 answers: Mapping[str, object] | None = None):
        self.survey = survey
        self.graph = survey.graph
        self.language = survey.language
        self._answers: dict[str, object] = {}
        for q in survey.questions:
            start = _answers.initial(q)
            if start is not None:
                self._answers[q.code] = start
        self._results: dict[Node, object] = {}
        self._static: dict[int, tuple[Choice, ...]] = {}  # see _choices()
        self._recompute_all()
        self.format = format or survey.format
        self.pages: tuple[Page, ...] = pages_of(survey, self.format)
        self._page = -1
        self._last_problems: tuple[Problem, ...] = ()
        self._page = self._find_page(0, +1)
        if answers:
            for code, value in answers.items():
                self.answer(code, value)

    # ------------------------------------------------------------ evaluation
    def _compute(self, node: Node):
        kind, code = node
        if kind == "group":
            cond = self.survey.groups_by_code[code].condition
            return cond is None or truthy(evaluate(cond, self))
        q = self.survey.by_code[code]
        if kind == "rel":
            if not self._results[("group", q.group)]:
                return False
            return q.condition is None or truthy(evaluate(q.condition, self))
        if kind == "val":
            if not self._results[("rel", code)]:
                return None
            if q.formula is not None:
                return evaluate(q.formula, self)
            return self._filtered(q, self._answers.get(code))
        return self._view(q) if self._results[("rel", code)] else _HIDDEN

    def _filtered(self, q: Question, value):
        """The answer with the options and rows hidden now left out."""
        if value is None:
            return None
        return kind_of(q).filtered(q, value, self._offered(q) if q.items else set())

    def _offered(self, q: Question) -> set[str]:
        return {i.code for i in q.items if i.condition is None or truthy(evaluate(i.condition, self))}

    def _recompute_all(self):
        for node in self.graph.order:
            self._results[node] = self._compute(node)

    def _propagate(self, changed: Iterable[Node]):
        index = self.graph.index
        heap = [(index[n], n) for n in set(changed)]
        heapq.heapify(heap)
        queued = {n for _, n in heap}
        while heap:
            _, node = heapq.heappop(heap)
            queued.discard(node)
            new = self._compute(node)
            if node[0] != "view" and node in self._results and _same(self._results[node], new):
                continue
            self._results[node] = new
            for d in self.graph.dependents.get(node, ()):
                if d not in queued:
                    queued.add(d)
                    heapq.heappush(heap, (index[d], d))

    # ------------------------------------------------------------ Environment protocol
    def value(self, var: ast.Var):
        code = var.question
        assert code is not None  # names are resolved to their question before evaluation
        v = self._results[("val", code)]
        if v is None or not var.sub:
            return v
        q = self.survey.by_code[code]
        return kind_of(q).read(q, v, var.sub)

    def visible(self, question: str) -> bool:
        return bool(self._results[("rel", question)])

    def shown(self, var: ast.Var) -> str:
        value = self.value(var)
        if value is None:
            return ""
        code = var.question
        assert code is not None  # value() found it
        view = self._view_node(code)
        if view is None:
            return as_text(value)
        q = self.survey.by_code[code]
        return kind_of(q).shown(q, value, var.sub, view)

    def wording(self, var: ast.Var) -> str:
        # Read afresh, shown or not: the graph recomputes what reads it when the
        # question's view (whose inputs are its texts' reads) changes.
        q = self.survey.by_code[cast(str, var.question)]
        return wording(q, var.sub, self._text)

    def type_letter(self, question: str) -> str:
        return type_letter(self.survey.by_code[question])

    # ------------------------------------------------------------ views
    def _view_node(self, code: str) -> QuestionView | None:
        # the ("view", code) nodes hold the question's view, None while it is hidden
        return cast("QuestionView | None", self._results[("view", code)])

    @overload
    def _text(self, text: Text) -> str: ...
    @overload
    def _text(self, text: Text | None) -> str | None: ...
    def _text(self, text: Text | None) -> str | None:
        if text is None:
            return None
        if len(text.parts) == 1 and type(text.parts[0]) is str:  # static wording, the usual case
            return text.parts[0]
        return evaluate_text(text, self)

    def _view(self, q: Question) -> QuestionView:
        options: tuple[Choice, ...] = ()
        rows: tuple[Choice, ...] = ()
        columns: tuple[Choice, ...] = ()
        if hasattr(q, "options"):
            options = self._choices(q.options)
        if hasattr(q, "rows"):
            rows = self._choices(q.rows)
            columns = self._choices(cast(Table, q).columns)
        return QuestionView(
            code=q.code, kind=q.kind,
            number=q.number, text=self._text(q.text) or "", help=self._text(q.help),
            mandatory=q.mandatory, options=options, rows=rows, columns=columns,
            prefix=self._text(getattr(q, "prefix", None)), suffix=self._text(getattr(q, "suffix", None)),
            min=getattr(q, "min", None), max=getattr(q, "max", None),
            problems=self._problems(q, rows))

    def _choices(self, items: tuple) -> tuple[Choice, ...]:
        """The options, rows or columns offered now, as the respondent reads them.
        Items without conditions or dynamic labels read the same in every session
        of the survey: built once, kept in a table that copies share."""
        if not items:
            return ()
        found = self._static.get(id(items))
        if found:
            return found
        out = tuple(Choice(i.code, self._text(i.label), getattr(i, "exclusive", False)) for i in items
                    if getattr(i, "condition", None) is None or truthy(evaluate(i.condition, self)))
        if found is None:
            static = all(getattr(i, "condition", None) is None and i.label.is_static for i in items)
            self._static[id(items)] = out if static else ()
        return out

    def _problems(self, q: Question, rows: tuple[Choice, ...]) -> tuple[str, ...]:
        if not q.is_input:
            return ()
        value = self._results[("val", q.code)]
        out = []
        if is_empty(value):
            if q.mandatory:
                out.append(message(self.language, "mandatory"))
        else:
            out += kind_of(q).lacks(q, value, rows, self.language)
            for rule in q.validations:
                if not truthy(evaluate(rule.rule, self)):
                    out.append(self._text(rule.message))
        return tuple(out)

    # ------------------------------------------------------------ public API
    def view(self, code: str) -> QuestionView | None:
        """How question `code` reads now, or None while it is hidden."""
        return self._view_node(self._question(code).code)

    def preview(self, code: str) -> QuestionView:
        """How question `code` would read if it were shown now, hidden or not (for
        documents that present every question, such as a storyboard)."""
        view = self.view(code)
        return view if view is not None else self._view(self._question(code))

    def is_visible(self, code: str) -> bool:
        return bool(self._results[("rel", self._question(code).code)])

    def current_value(self, code: str):
        """What expressions read for `code` now (None when hidden or blank)."""
        q = self._question(code)
        return _answers.to_json(q, self._results[("val", q.code)])

    def given(self, code: str):
        """The answer given to `code`, kept even while the question is hidden."""
        q = self._question(code)
        return _answers.to_json(q, self._answers.get(q.code))

    def answer(self, name: str, value) -> None:
        """Answer a shown question. `name` is a question code (value in the answers-
        file form) or a variable naming one part: `q_option` ("Y" / None),
        `q_row` (column code), `q_row_column` (number).

        Raises `AnswerError` (a `MalformedAnswer` for a value of the wrong shape) and
        stores nothing when the value is refused."""
        q, value = self._whole_answer(name, value)
        self.accept(q.code, _answers.coerce(q, value))

    def accept(self, code: str, stored) -> None:
        """Answer the shown question `code` with a value already in the stored form
        (`qengine.runtime.answers.coerce`; None clears): `answer` without its
        coercion, for callers that coerced a whole answers file beforehand
        (`qengine.runtime.play.check_answers`), so no value is coerced twice.

        Raises `AnswerError` and stores nothing when the value is refused."""
        q = self._question(code)
        if stored is not None and not q.is_input:
            raise _answers.MalformedAnswer(q.code, f"{kind_of(q).word()} takes no answer")
        if not self.is_visible(q.code):
            raise AnswerError(q.code, message(self.language, "hidden"))
        offered = self._offered(q) | kind_of(q).kept(q, stored, self._answers.get(q.code))
        problem = _answers.refusal(q, stored, offered, self.language)
        if problem:
            raise AnswerError(q.code, problem)
        self._set(q.code, stored)

    def clear(self, code: str) -> None:
        """Remove the answer to `code` (the default does not come back)."""
        q = self._question(code)
        self._set(q.code, None)

    def _set(self, code: str, stored) -> None:
        if stored is None:
            if self._answers.pop(code, None) is None:
                return
        elif self._answers.get(code) == stored:
            return
        else:
            self._answers[code] = stored
        self._propagate([("val", code)])

    def _question(self, code: str) -> Question:
        q = self.survey.by_code.get(code)
        if q is None:
            raise AnswerError(code, "no such question in this survey")
        return q

    def _whole_answer(self, name: str, value):
        if name in self.survey.by_code:
            return self.survey.by_code[name], value
        symbol = self.survey.symbols.get(name)
        if symbol is None:
            raise AnswerError(name, "no such question or variable in this survey")
        q = self.survey.by_code[symbol.question]
        return q, kind_of(q).whole_answer(q, self._answers.get(q.code), symbol.sub, value)

    # ------------------------------------------------------------ navigation
    @property
    def page(self) -> Page | None:
        """The current page, or None once the respondent has passed the last one."""
        return self.pages[self._page] if 0 <= self._page < len(self.pages) else None

    @property
    def page_number(self) -> int:
        return self._page

    @property
    def finished(self) -> bool:
        return self._page >= len(self.pages)

    def questions(self, page: Page | None = None) -> tuple[QuestionView, ...]:
        """Views of the questions of a page (default: the current one) shown now,
        equations left out."""
        page = page or self.page
        if page is None:
            return ()
        out: list[QuestionView] = []
        for code in page.questions:
            view = self._view_node(code)
            if view is not None and self.survey.by_code[code].formula is None:
                out.append(view)
        return tuple(out)

    def problems(self, page: Page | None = None) -> tuple[Problem, ...]:
        return tuple(Problem(v.code, m) for v in self.questions(page) for m in v.problems)

    @property
    def last_problems(self) -> tuple[Problem, ...]:
        """What stopped the last `next()` or `submit()`."""
        return self._last_problems

    def _has_visible(self, page: Page) -> bool:
        return any(self._results[("rel", c)] and self.survey.by_code[c].formula is None
                   for c in page.questions)

    def _find_page(self, start: int, step: int) -> int:
        i = start
        while 0 <= i < len(self.pages) and not self._has_visible(self.pages[i]):
            i += step
        return max(i, -1) if step < 0 else min(i, len(self.pages))

    def next(self) -> bool:
        """Leave the current page if it has no problem. Returns whether it moved."""
        if self.finished:
            return False
        self._last_problems = self.problems()
        if self._last_problems:
            return False
        self._page = self._find_page(self._page + 1, +1)
        return True

    def back(self) -> bool:
        target = self._find_page(min(self._page, len(self.pages)) - 1, -1)
        if target < 0:
            return False
        self._page = target
        self._last_problems = ()
        return True

    def group_texts(self, code: str) -> tuple[str, str | None]:
        """A group's title and description as they read now."""
        g = self.survey.groups_by_code[code]
        return self._text(g.title) or "", self._text(g.description)

    def group_visible(self, code: str) -> bool:
        return bool(self._results[("group", code)])

    def all_problems(self) -> tuple[Problem, ...]:
        return tuple(p for page in self.pages for p in self.problems(page))

    def submit(self) -> Response:
        """The response, if every shown question is acceptable (else IncompleteError)."""
        self._last_problems = self.all_problems()
        if self._last_problems:
            raise IncompleteError(self._last_problems)
        self._page = len(self.pages)
        return self.response()

    def response(self) -> Response:
        """The response as it would be submitted now (no checks)."""
        out = {}
        for q in self.survey.questions:
            if not (q.is_input or q.formula is not None) or not self._results[("rel", q.code)]:
                continue
            out[q.code] = _answers.to_json(q, self._results[("val", q.code)])
        return Response(self.survey.code, MappingProxyType(out))

    # ------------------------------------------------------------ save and resume
    def copy(self) -> Session:
        """An independent session in the same state, made without evaluating
        anything: cheaper than a new one (fuzzing starts thousands of respondents
        from one fresh session). Stored answers are never changed in place, so
        copying the two tables is enough."""
        other = object.__new__(type(self))
        other.__dict__.update(self.__dict__)
        other._answers = dict(self._answers)
        other._results = dict(self._results)
        return other

    def to_json(self) -> dict:
        """Everything needed to resume: answers given (hidden ones included) and page."""
        return {"qengine": "session/1", "survey": self.survey.code,
                "format": self.format,
                "page": self._page,
                "answers": {c: _answers.to_json(self.survey.by_code[c], v)
                            for c, v in self._answers.items()}}

    @classmethod
    def from_json(cls, survey: Survey, data: Mapping) -> Session:
        """Resume a session saved by `to_json`. Raises AnswerError when the saved
        state does not fit this survey (it may come from anywhere: every part is
        checked before it is used)."""
        if not isinstance(data, Mapping) or data.get("qengine") != "session/1":
            raise AnswerError("session", "not a saved qengine session")
        if data.get("survey") != survey.code:
            raise AnswerError("session", f"saved for survey {_answers.short_repr(data.get('survey'))}, "
                              f"not {survey.code!r}")
        fmt = data.get("format") or None
        if fmt is not None and fmt not in NAVIGATION_FORMATS:
            raise AnswerError("session", f"unknown page format {_answers.short_repr(fmt)}; one of "
                              + ", ".join(NAVIGATION_FORMATS))
        saved = data.get("answers") or {}
        if not isinstance(saved, Mapping):
            raise AnswerError("session", "answers must be an object")
        session = cls(survey, format=fmt)
        page = data.get("page", 0)
        if type(page) is not int or not -1 <= page <= len(session.pages):
            raise AnswerError("session", f"page must be a whole number from -1 to {len(session.pages)}, "
                              f"not {_answers.short_repr(page)}")
        session._answers = {}
        for code, value in saved.items():
            q = session._question(code)
            stored = _answers.coerce(q, value)
            if stored is not None:
                session._answers[code] = stored
        session._recompute_all()
        session._page = page
        return session

    @classmethod
    def read(cls, survey: Survey, text: str) -> Session:
        """Resume a session from the text of a saved file, read within the bounds
        of `qengine.runtime.json_input`. Raises AnswerError."""
        try:
            data = json_input.parse(text, "session")
        except json_input.JsonInputError as err:
            raise AnswerError("session", err.reason) from None
        return cls.from_json(survey, data)


def _same(old, new) -> bool:
    """Whether a recomputed value is the one already known: of the same type too, for
    Python's `0 == False` and `1 == True` would keep a stale false where strpos()
    now finds a match at 0, or if() now gives 1 instead of true."""
    return type(old) is type(new) and old == new
