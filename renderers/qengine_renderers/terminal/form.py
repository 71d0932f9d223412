"""The terminal form as a state machine: keys in, screens (lists of `Line`) out.

Three stages: the welcome screen, the questions (one a page, driven by a
`qengine.runtime.Session` in the "question" format) and the end screen; and a
fourth, the defect screen, when an expression of the survey fails (an
`EvaluationError`: division by zero, text used as a number). The form does no input
or output itself, so tests can drive it key by key; `app.py` connects it to a real
terminal.

Global keys: Esc goes back, PgDn goes on with the question as it stands, Ctrl-X
(and Ctrl-C) ask to save and quit. Every other key goes to the current question's
editor (`editors.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast

from qengine.errors import EvaluationError
from qengine.expr.evaluate import evaluate_text
from qengine.expr.values import as_text
from qengine.kinds.registry import kind_of
from qengine.model import Text
from qengine.runtime import IncompleteError, Response, Session
from qengine_renderers.terminal import keys
from qengine_renderers.terminal.editors import NEXT, Editor, editor_for, offers_nothing
from qengine_renderers.terminal.frame import BLANK, Line, Piece
from qengine_renderers.terminal.text import cells, clean, fit, wrap
from qengine_renderers.terminal.words import counted, words_for

# What `Form.handle` may return for the program around it to act on.
SUBMITTED, QUIT, CLOSED = "submitted", "quit", "closed"

WELCOME, QUESTION, END, DEFECT = "welcome", "question", "end", "defect"
MIN_WIDTH, MIN_HEIGHT = 40, 12
MAX_TEXT_WIDTH = 96
QUIT_KEYS = (keys.ctrl("x"), keys.ctrl("c"))
BACK_KEYS = (keys.ESC, keys.PAGE_UP)
ON_KEY = keys.PAGE_DOWN  # leaves any question, a grid of ten cells included, in one key


class Form:
    """One respondent in front of a terminal.

    `on_submit(response)` is called once the survey is submitted and returns
    where the response went (shown on the end screen) or None; it may raise
    OSError, whose message is shown instead.

    When an expression of the survey fails, the form shows the defect (as the
    HTML form does) instead of going on with a wrong screen, keeps it in `defect`,
    and any key then asks to save and quit: the answers given so far are kept."""

    def __init__(self, session: Session, *, resumed: bool = False,
                 on_submit: Callable[[Response], str | None] = lambda response: None):
        self.session = session
        self.survey = session.survey
        self.words = words_for(session.language)
        self.on_submit = on_submit
        self.stage = QUESTION if resumed else WELCOME
        self.notice: str | None = self.words["resumed"] if resumed else None
        self.end_note: tuple[str, str] | None = None  # (text, style)
        self.response: Response | None = None
        self.defect: EvaluationError | None = None
        self.editor: Editor | None = None
        self._page: tuple[int, str] | None = None
        self.tried = False  # whether leaving this question failed (problems shown)
        self.scroll = 0
        if self.session.finished:
            self.session.back()

    # ------------------------------------------------------------ keys
    def handle(self, key: str) -> str | None:
        """Act on `key`; what the program around the form should do (SUBMITTED,
        QUIT, CLOSED) or None."""
        if self.stage == DEFECT:
            return QUIT
        try:
            return self._handle(key)
        except EvaluationError as err:
            self._fail(err)
            return QUIT if key in QUIT_KEYS else None

    def _fail(self, err: EvaluationError) -> None:
        """Stop at the defect screen: nothing more is evaluated."""
        self.defect = err
        self.stage = DEFECT
        self.scroll = 0

    def _handle(self, key: str) -> str | None:
        if key in QUIT_KEYS:
            if self.stage == END:
                return CLOSED
            if self.editor is not None:
                self.editor.commit()
            return QUIT
        if self.stage == WELCOME:
            if key in (keys.ENTER, " ", keys.PAGE_DOWN):
                self.stage = QUESTION
                self.scroll = 0
                if self.session.finished:  # no question is shown to this respondent
                    return self._submit()
            else:
                self._scroll(key)
            return None
        if self.stage == END:
            if key in (keys.UP, keys.DOWN):
                self._scroll(key)
                return None
            return CLOSED
        self.notice = None
        editor = self._sync()
        if key in BACK_KEYS:
            self._back()
            return None
        if key == ON_KEY or editor.handle(key) == NEXT:
            return self._next()
        return None

    def _scroll(self, key: str) -> None:
        self.scroll = max(self.scroll + {keys.UP: -1, keys.DOWN: 1}.get(key, 0), 0)

    def _sync(self) -> Editor:
        """The editor of the current question, new when the question changed."""
        view = self.session.questions()[0]
        page = (self.session.page_number, view.code)
        if page != self._page:
            self._page = page
            self.editor = editor_for(self.session, view)
            self.tried = False
            self.scroll = 0
        return self._current

    @property
    def _current(self) -> Editor:
        """The editor of the question shown (there is one once a question was)."""
        assert self.editor is not None, "no question shown yet"
        return self.editor

    def _back(self) -> None:
        self._current.commit()
        if not self.session.back():
            self.stage = WELCOME
            self.scroll = 0
        self.tried = False

    def _next(self) -> str | None:
        if not self._current.commit():
            return None
        if not self.session.next():
            self.tried = True
            self._current.show_problem()
            return None
        return self._submit() if self.session.finished else None

    def _submit(self) -> str | None:
        try:
            self.response = self.session.submit()
        except IncompleteError as err:
            self._go_to(err.problems[0].question)
            return None
        try:
            where = self.on_submit(self.response)
            self.end_note = (self.words["written"].format(path=where), "green") if where else None
        except OSError as err:
            self.end_note = (str(err), "red bold")
        self.stage = END
        self.scroll = 0
        return SUBMITTED

    def _go_to(self, code: str | None) -> None:
        """Back to the page of `code`, problems shown (a later answer broke an
        earlier page's rule)."""
        while self.session.back():
            page = self.session.page
            if page is not None and code in page.questions:
                break
        self._sync()
        self.tried = True
        self._current.show_problem()

    # ------------------------------------------------------------ screens
    def frame(self, width: int, height: int) -> list[Line]:
        """The whole screen for a terminal of `width` x `height` cells."""
        if width < MIN_WIDTH or height < MIN_HEIGHT:
            text = self.words["too_small"].format(w=MIN_WIDTH, h=MIN_HEIGHT)
            return [Line.of((line, "bold")) for line in wrap(text, width)][:height]
        head, body, focus, foot = self._parts(width)
        room = height - len(head) - len(foot)
        return head + self._window(body, focus, room) + [BLANK] * max(room - len(body), 0) + foot

    def screen(self, width: int) -> list[Line]:
        """The whole current screen, as tall as it needs to be (no scrolling)."""
        head, body, _, foot = self._parts(width)
        return head + body + foot

    def _parts(self, width: int):
        """Header, body (indented), the body's focus line (or None), footer; the
        defect screen's if the survey's wording fails to evaluate."""
        try:
            return self._stage_parts(width)
        except EvaluationError as err:
            self._fail(err)
            return self._stage_parts(width)  # evaluates nothing

    def _stage_parts(self, width: int):
        text_width = min(width - 4, MAX_TEXT_WIDTH)
        if self.stage == QUESTION:
            editor = self._sync()
            page = self.session.page
            assert page is not None  # a question is shown
            head = self.header(width, page.groups[0], self.session.page_number)
            body, focus = self.question_body(editor, text_width)
        else:
            head = self.header(width)
            draw = {WELCOME: self._welcome, END: self._end, DEFECT: self._defect}[self.stage]
            body = draw(text_width)
            focus = None
        body = [Line.of("  ") + line if line.pieces else line for line in body]
        return head, body, focus, self.footer(width, self.editor if self.stage == QUESTION else None)

    def _window(self, body: list[Line], focus: int | None, room: int) -> list[Line]:
        """The part of `body` that fits in `room` lines, with the focus line (or,
        without one, the respondent's scrolling) deciding where it starts."""
        if len(body) <= room:
            self.scroll = 0
            return body
        top = max(len(body) - room, 0)
        start = min(self.scroll, top)
        if focus is not None:
            if focus - 1 < start:
                start = max(focus - 1, 0)
            if focus + 2 > start + room:
                start = min(focus + 2 - room, top)
        self.scroll = start
        shown = body[start:start + room]
        if start > 0:
            shown[0] = Line.of("  ", (self.words["more_above"], "dim"))
        if start + room < len(body):
            shown[-1] = Line.of("  ", (self.words["more_below"], "dim"))
        return shown

    def _text(self, text: Text | None) -> str:
        return "" if text is None else clean(evaluate_text(text, self.session)).strip("\n")

    def header(self, width: int, group: str | None = None, page: int = 0) -> list[Line]:
        """The survey's title; on a question, its group's and the progress."""
        if group is None:
            return [BLANK]
        title = fit(" ".join(self._text(self.survey.title).split()) or self.survey.code, width - 2)
        name = " ".join(clean(self.session.group_texts(group)[0]).split())
        bar = self._progress(page, 20 if width >= 70 else 10)
        room = width - 2 - bar.width - 2
        name = fit(name, room)
        return [Line.of(" ", (title, "bold")),
                Line.of(" ", (name, "cyan"), " " * (room - cells(name) + 2)) + bar,
                Line.of(("─" * width, "dim")), BLANK]

    def _progress(self, page: int, size: int) -> Line:
        pages = len(self.session.pages) or 1
        done = min(max(page, 0), pages) / pages
        full = round(done * size)
        return Line.of(("━" * full, "cyan"), ("─" * (size - full), "dim"), f" {round(done * 100):3d}%")

    def footer(self, width: int, editor: Editor | None = None) -> list[Line]:
        """The keys that work now: `editor`'s, on a question."""
        w = self.words
        if editor is not None:
            hints = (*editor.hint_keys, ("k_esc", "k_back"), ("Ctrl-X", "k_save"))
        elif self.stage == WELCOME:
            hints = (("k_enter", "k_start"), ("Ctrl-X", "k_save"))
        else:
            hints = ()
        if not hints:
            return []
        lines, pieces, used = [], [Piece(" ")], 1
        for key, label in hints:
            key_text, label_text = w.get(key, key), w[label]
            need = cells(key_text) + cells(label_text) + 6
            if used + need > width and len(pieces) > 1:
                lines.append(Line(tuple(pieces)))
                pieces, used = [Piece(" ")], 1
            pieces += [Piece(f" {key_text} ", "reverse"), Piece(f" {label_text}   ", "dim")]
            used += need
        return [Line.of(("─" * width, "dim")), *lines, Line(tuple(pieces))]

    def _paragraphs(self, text: str, width: int, style: str = "") -> list[Line]:
        return [Line.of((line, style)) for line in wrap(text, width)]

    def _welcome(self, width: int) -> list[Line]:
        title = self._text(self.survey.title)
        lines = self._paragraphs(title, width, "bold") + [BLANK] if title else []
        welcome = self._text(self.survey.welcome)
        if welcome:
            lines += self._paragraphs(welcome, width) + [BLANK]
        lines.append(Line.of(("▶ " + self.words["start"], "cyan bold")))
        return lines

    def _end(self, width: int) -> list[Line]:
        end = self._text(self.survey.end) or self.words["end_default"]
        lines = [Line.of(("✔ " + self.words["recorded"], "green bold")), BLANK]
        lines += self._paragraphs(end, width) + [BLANK]
        if self.end_note:
            note, style = self.end_note
            lines += self._paragraphs(note, width, style) + [BLANK]
        lines.append(Line.of((self.words["close"], "dim")))
        return lines

    def _defect(self, width: int) -> list[Line]:
        assert self.defect is not None  # the defect stage shows it
        if self.response is None:
            return defect_lines(self.words, self.defect, width, then="defect_close")
        # The end text failed after the response was recorded: say both.
        recorded = Line.of(("✔ " + self.words["recorded"], "green bold"))
        return [recorded, BLANK, *defect_lines(self.words, self.defect, width, then="close")]

    def question_body(self, editor: Editor, width: int) -> tuple[list[Line], int]:
        """A question's wording, help, instruction, problems and editor, and the
        index of the line with the editor's cursor."""
        view = editor.view
        lines: list[Line] = []
        if self.notice:
            lines += self._paragraphs(self.notice, width, "green") + [BLANK]
        description = self._group_description(view.code)
        if description:
            lines += self._paragraphs(description, width, "italic") + [BLANK]
        number = f"{view.number}. "
        text = wrap(clean(view.text).strip("\n"), width - cells(number) - 2) or [""]
        star = (" *", "red bold") if view.mandatory else ""
        for i, line in enumerate(text):
            lead = (number, "cyan bold") if i == 0 else " " * cells(number)
            lines.append(Line.of(lead, (line, "bold"), star if i == len(text) - 1 else ""))
        if view.help:
            lines += [BLANK] + self._paragraphs(clean(view.help).strip("\n"), width, "dim")
        instruction = self._instruction(view)
        if instruction:
            lines += [BLANK, *self._paragraphs(instruction, width, "dim italic")]
        problems = list(view.problems) if self.tried else []
        if editor.error:
            problems.insert(0, editor.error)
        lines.append(BLANK)
        for problem in dict.fromkeys(problems):
            for i, line in enumerate(wrap(clean(problem), width - 2)):
                lines.append(Line.of(("✗ " if i == 0 else "  ", "red bold"), (line, "red")))
        if problems:
            lines.append(BLANK)
        body, focus = editor.body(width, self.words)
        return lines + body, len(lines) + focus

    def _group_description(self, code: str) -> str:
        """The group's description, on the first question of the group shown now
        (on its first question when none is shown)."""
        group = self.survey.groups_by_code[self.survey.by_code[code].group]
        asked = [c for c in group.questions if self.survey.by_code[c].formula is None]
        first = next((c for c in asked if self.session.is_visible(c)), asked[0])
        return clean(self.session.group_texts(group.code)[1] or "").strip() if first == code else ""

    def _instruction(self, view) -> str:
        """LimeSurvey's line under each question: what to do, and the bounds."""
        w = self.words
        if offers_nothing(view):
            return ""
        q = self.survey.by_code[view.code]
        widget = kind_of(q).widget.name
        key: str = "whole_number" if widget == "number" and getattr(q, "integer", False) else widget
        if widget == "text" and kind_of(q).widget.input_type in w:
            key = kind_of(q).widget.input_type  # a date: the format it is written in
        parts = [w[key]] if key in w else []
        if widget == "choices":
            ticks = cast(_Ticks, q)
            parts = [_ticks(self.session.language, ticks.min, ticks.max) or w["choices"]]
        elif view.min is not None or view.max is not None:
            lo, hi = _number_text(view.min), _number_text(view.max)
            key = "between" if lo and hi else "at_least" if lo else "at_most"
            parts.append(w[key].format(min=lo, max=hi))
        return " · ".join(parts)


def defect_lines(words: dict, err: EvaluationError, width: int, *, then: str | None) -> list[Line]:
    """The survey's defect as the form shows it: the HTML form's sentence, then where
    in the survey and what failed (for its author), then the line `words[then]`."""
    lines = [Line.of(("✗ " if i == 0 else "  ", "red bold"), (line, "red bold"))
             for i, line in enumerate(wrap(words["defect"], width - 2))]
    lines += [Line.of("  ", (line, "red")) for line in wrap(clean(str(err)), width - 2)]
    if then is None:
        return lines
    return [*lines, BLANK, *(Line.of((line, "dim")) for line in wrap(words[then], width))]


class _Ticks(Protocol):
    """A question of widget `choices`: fewest and most ticks."""

    @property
    def min(self) -> int | None: ...

    @property
    def max(self) -> int | None: ...


def _ticks(language: str, low: int | None, high: int | None) -> str | None:
    """The instruction for a multiple choice with bounds on the ticks, if it has any."""
    if low is not None and high is not None:
        if low == high:
            return counted(language, "multiple_exactly", high)
        return counted(language, "multiple_between", high, min=low)
    if low is not None:
        return counted(language, "multiple_min", low)
    if high is not None:
        return counted(language, "multiple_max", high)
    return None


def _number_text(n) -> str:
    return "" if n is None else as_text(n)
