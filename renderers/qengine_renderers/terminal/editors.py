"""One editor per widget (`Kind.widget`): the cursor, the keys it understands, its lines.

An editor owns no answer: every choice goes straight to the session
(`session.answer`), which refuses what the survey does not accept; the refusal's
message is kept in `error` and shown under the question. Typed entries (numbers,
text, grid cells) are held in a buffer and stored by `commit()`, which the form
calls before it leaves the question.

`handle(key)` returns NEXT when the respondent asks to go on, HANDLED when the key
was used, None when it means nothing here (the form may then use it).
"""

from __future__ import annotations

import re

from qengine.errors import AnswerError
from qengine.expr.values import as_text
from qengine.kinds.registry import kind_named
from qengine.runtime import QuestionView, Session
from qengine.runtime.messages import message
from qengine_renderers.terminal import keys
from qengine_renderers.terminal.frame import Line, Piece
from qengine_renderers.terminal.text import cells, char_cells, clean, fit, wrap

NEXT, HANDLED = "next", "handled"
POINTER = "❯ "
_NUMBER_CHARS = set("0123456789-.,")
_NUMBER = re.compile(r"-?(\d+([.,]\d*)?|[.,]\d+)")


def parse_number(text: str) -> int | float | None:
    """A typed number ("12", "-3", "2,5", ".5"), or None when it is not one."""
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        return None
    text = text.replace(",", ".")
    return float(text) if "." in text else int(text)


class Editor:
    """What every editor has: the question, the session, the last refusal."""

    hint_keys: tuple[tuple[str, str], ...] = (("k_enter", "k_next"),)

    def __init__(self, session: Session, view: QuestionView):
        self.session = session
        self.code = view.code
        self.error: str | None = None
        self._initial = view

    @property
    def view(self) -> QuestionView:
        """The question as it reads now (as given, while the session hides it:
        the storyboard draws hidden questions too)."""
        return self.session.view(self.code) or self._initial

    def _store(self, value) -> bool:
        try:
            self.session.answer(self.code, value)
        except AnswerError as err:
            self.error = err.message
            return False
        self.error = None
        return True

    def handle(self, key: str) -> str | None:
        return NEXT if key == keys.ENTER else None

    def commit(self) -> bool:
        """Store what is typed but not stored yet; False (and `error`) if refused."""
        return True

    def show_problem(self) -> None:
        """Move the cursor to what the problems shown are about."""

    def body(self, width: int, words: dict) -> tuple[list[Line], int]:
        """The lines under the question's wording, and which of them has the cursor."""
        return [], 0


def _mark_line(marker: str, marker_style: str, label: str, width: int, focused: bool,
               label_style: str = "") -> list[Line]:
    """An option: pointer, marker, label wrapped under itself."""
    pointer = Piece(POINTER, "cyan bold") if focused else Piece("  ")
    indent = 2 + cells(marker) + 1
    body = wrap(clean(label), max(width - indent, 10))
    style = "bold" if focused else label_style
    out = [Line.of(pointer, (marker, marker_style), " ", (body[0], style))]
    out += [Line.of(" " * indent, (rest, style)) for rest in body[1:]]
    return out


def _clamp(i: int, n: int) -> int:
    return max(0, min(i, n - 1))


class _ListEditor(Editor):
    """A vertical list with a cursor: single and multiple choice. A cursor of None
    highlights nothing yet; a move then starts from the top (down) or the bottom (up)."""

    def __init__(self, session, view):
        super().__init__(session, view)
        self.cursor: int | None = 0

    def items(self) -> list:
        return list(self.view.options)

    def _move(self, key: str) -> bool:
        n = len(self.items())
        here = self.cursor
        if here is None:
            here = -1 if key in (keys.DOWN, keys.TAB) else n
        moves = {keys.UP: here - 1, keys.DOWN: here + 1, keys.HOME: 0, keys.END: n - 1,
                 keys.TAB: here + 1, keys.SHIFT_TAB: here - 1}
        if key not in moves:
            return False
        self.cursor = _clamp(moves[key], n)
        return True

    def _digit(self, key: str) -> int | None:
        if len(key) == 1 and key.isdigit() and 1 <= int(key) <= min(len(self.items()), 9):
            return int(key) - 1
        return None


class SingleEditor(_ListEditor):
    """Radio buttons. The cursor starts on the answer given, else on nothing; Enter
    chooses the highlighted answer and goes on, and with nothing highlighted only
    goes on. So pressing Enter never stores an answer the respondent did not point
    at (a mandatory question then says it is mandatory, instead of recording its
    first option). A question that may be left blank gets a last "No answer" line,
    as in LimeSurvey."""

    hint_keys = (("↑↓", "k_move"), ("k_enter", "k_choose"))

    def __init__(self, session, view):
        super().__init__(session, view)
        codes = [o.code for o in view.options]
        value = session.current_value(self.code)
        self.cursor = codes.index(value) if value in codes else None

    def items(self) -> list:
        view = self.view
        return [*view.options, None] if not view.mandatory else list(view.options)

    def _pick(self, index: int) -> bool:
        self.cursor = index
        item = self.items()[index]
        if item is None:
            self.session.clear(self.code)
            self.error = None
            return True
        return self._store(item.code)

    def handle(self, key):
        if self._move(key):
            return HANDLED
        digit = self._digit(key)
        if digit is not None:
            self._pick(digit)
            return HANDLED
        if key == " ":
            if self.cursor is not None:
                self._pick(self.cursor)
            return HANDLED
        if key == keys.ENTER:
            return NEXT if self.cursor is None or self._pick(self.cursor) else HANDLED
        return None

    def body(self, width, words):
        value = self.session.current_value(self.code)
        lines: list[Line] = []
        focus = 0
        for i, item in enumerate(self.items()):
            chosen = (item is None and value is None) or (item is not None and item.code == value)
            if i == self.cursor:
                focus = len(lines)
            label = words["no_answer"] if item is None else item.label
            lines += _mark_line("(•)" if chosen else "( )", "green bold" if chosen else "dim",
                                label, width, i == self.cursor, "italic dim" if item is None else "")
        return lines, focus


class MultipleEditor(_ListEditor):
    """Check boxes; ticking an exclusive answer unticks the others and ticking
    another answer unticks the exclusive ones."""

    hint_keys = (("↑↓", "k_move"), ("k_space", "k_tick"), ("k_enter", "k_next"))

    def _toggle(self, index: int) -> None:
        self.cursor = index
        option = self.items()[index]
        view = self.view
        ticked = list(self.session.current_value(self.code) or ())
        if option.code in ticked:
            ticked.remove(option.code)
        elif option.exclusive:
            ticked = [option.code]
        else:
            exclusive = {o.code for o in view.options if o.exclusive}
            ticked = [c for c in ticked if c not in exclusive] + [option.code]
        self._store(ticked or None)

    def handle(self, key):
        self.cursor = _clamp(self.cursor or 0, len(self.items()))
        if self._move(key):
            return HANDLED
        digit = self._digit(key)
        if digit is not None:
            self._toggle(digit)
            return HANDLED
        if key == " ":
            self._toggle(self.cursor)
            return HANDLED
        return NEXT if key == keys.ENTER else None

    def body(self, width, words):
        ticked = set(self.session.current_value(self.code) or ())
        self.cursor = _clamp(self.cursor or 0, len(self.items()))
        lines: list[Line] = []
        focus = 0
        for i, option in enumerate(self.items()):
            on = option.code in ticked
            if i == self.cursor:
                focus = len(lines)
            lines += _mark_line("[x]" if on else "[ ]", "green bold" if on else "dim",
                                option.label, width, i == self.cursor)
        return lines, focus


class _TableEditor(Editor):
    """Rows by columns with a cursor cell: arrays and numeric grids."""

    def __init__(self, session, view):
        super().__init__(session, view)
        self.row = 0
        self.col: int | None = 0

    def _clamp(self) -> None:
        view = self.view
        self.row = _clamp(self.row, len(view.rows))
        if self.col is not None:  # None: no cell highlighted (see ArrayEditor)
            self.col = _clamp(self.col, len(view.columns))


def _column_layout(columns, width: int, row_min: int, cell_min: int):
    """Column widths and wrapped headers for a table, or None when the table would
    leave row labels less than `row_min` cells."""
    widths = []
    for c in columns:
        label = clean(c.label, keep_newlines=False)
        longest = max((cells(w) for w in label.split()), default=1)
        widths.append(max(cell_min, min(max(longest, min(cells(label), 14)), 18)))
    used = sum(w + 2 for w in widths)
    if width - 2 - used < row_min:
        return None
    headers = [wrap(clean(c.label, keep_newlines=False), w) for c, w in zip(columns, widths, strict=True)]
    return widths, headers, width - 2 - used


def _center(text: str, width: int) -> str:
    gap = max(width - cells(text), 0)
    return " " * (gap // 2) + text + " " * (gap - gap // 2)


def _centered(text: str, width: int, style: str) -> list[Piece]:
    """`text` in `style` centred in `width` cells, the padding unstyled."""
    gap = max(width - cells(text), 0)
    return [Piece(" " * (gap // 2)), Piece(text, style), Piece(" " * (gap - gap // 2))]


def _table(view: QuestionView, width: int, cell_min: int, cell, row_focus: int):
    """Lines of a table whose cell (r, c) is drawn by `cell(r, c, width) -> [Piece]`,
    or None when it does not fit in `width`."""
    layout = _column_layout(view.columns, width, 16, cell_min)
    if layout is None:
        return None
    widths, headers, label_width = layout
    label_width = min(label_width, max(cells(clean(r.label, keep_newlines=False)) for r in view.rows))
    depth = max(len(h) for h in headers)
    lines = []
    for i in range(depth):
        pieces = [Piece(" " * (2 + label_width))]
        for h, w in zip(headers, widths, strict=True):
            text = h[i - (depth - len(h))] if i >= depth - len(h) else ""
            pieces += [Piece("  "), Piece(_center(text, w), "bold")]
        lines.append(Line(tuple(pieces)))
    focus = 0
    spaced = any(len(wrap(clean(r.label), label_width)) > 1 for r in view.rows)
    for r, row in enumerate(view.rows):
        label = wrap(clean(row.label), label_width)
        if r == row_focus:
            focus = len(lines)
        pointer = Piece(POINTER, "cyan bold") if r == row_focus else Piece("  ")
        style = "bold" if r == row_focus else ""
        first = [pointer, Piece(label[0] + " " * (label_width - cells(label[0])), style)]
        for c, w in enumerate(widths):
            first += [Piece("  "), *cell(r, c, w)]
        lines.append(Line(tuple(first)))
        lines += [Line.of("  ", (rest, style)) for rest in label[1:]]
        if spaced and r < len(view.rows) - 1:
            lines.append(Line())
    return lines, focus


class ArrayEditor(_TableEditor):
    """One answer per line on a shared scale: ←→ choose the column, Space picks it,
    Enter picks it and goes to the next line (on the last line: on to the next
    question). On a line not answered yet no column is highlighted until ←→ move,
    so Enter alone passes the line without answering it: a respondent pressing
    Enter through the array must not answer the first column on every line."""

    hint_keys = (("↑↓←→", "k_move"), ("k_space", "k_pick"), ("k_enter", "k_line"), ("k_pgdn", "k_leave"))

    def __init__(self, session, view):
        super().__init__(session, view)
        self._follow()

    def _answers(self) -> dict:
        return dict(self.session.current_value(self.code) or {})

    def _follow(self) -> None:
        """Put the cursor on the current line's answer; on none if it has none."""
        view = self.view
        chosen = self._answers().get(view.rows[self.row].code)
        codes = [c.code for c in view.columns]
        self.col = codes.index(chosen) if chosen in codes else None

    def _pick(self, col: int, row: int | None = None) -> bool:
        view = self.view
        row = self.row if row is None else row
        self.col = col
        return self._store({**self._answers(), view.rows[row].code: view.columns[col].code})

    def _go(self, row: int) -> None:
        self.row = _clamp(row, len(self.view.rows))
        self._follow()

    def handle(self, key):
        self._clamp()
        view = self.view
        if key in (keys.UP, keys.SHIFT_TAB):
            self._go(self.row - 1)
        elif key in (keys.DOWN, keys.TAB):
            self._go(self.row + 1)
        elif key == keys.LEFT:  # from no column: the last
            self.col = _clamp(len(view.columns) if self.col is None else self.col - 1, len(view.columns))
        elif key == keys.RIGHT:  # from no column: the first
            self.col = _clamp(-1 if self.col is None else self.col + 1, len(view.columns))
        elif key == keys.HOME:
            self.col = 0
        elif key == keys.END:
            self.col = len(view.columns) - 1
        elif key == " ":
            if self.col is not None:
                self._pick(self.col)
        elif len(key) == 1 and key.isdigit() and 1 <= int(key) <= min(len(view.columns), 9):
            if self._pick(int(key) - 1) and self.row < len(view.rows) - 1:
                self._go(self.row + 1)
        elif key in (keys.BACKSPACE, keys.DELETE):
            self._store({**self._answers(), view.rows[self.row].code: None})
        elif key == keys.ENTER:
            if self.col is not None and not self._pick(self.col):
                return HANDLED
            if self.row == len(view.rows) - 1:
                return NEXT
            self._go(self.row + 1)
        else:
            return None
        return HANDLED

    def show_problem(self):
        answers = self._answers()
        for r, row in enumerate(self.view.rows):
            if row.code not in answers:
                self._go(r)
                return

    def body(self, width, words):
        self._clamp()
        view = self.view
        answers = self._answers()

        def cell(r, c, w):
            on = answers.get(view.rows[r].code) == view.columns[c].code
            if r == self.row and c == self.col:
                style = "reverse bold"
            else:
                style = "green bold" if on else "dim"
            return _centered("(•)" if on else "( )", w, style)

        table = _table(view, width, 3, cell, self.row)
        return table if table is not None else self._stacked(width, answers)

    def _stacked(self, width, answers):
        """For a narrow terminal: each line's label, then its answers side by side."""
        view = self.view
        lines: list[Line] = []
        focus = 0
        for r, row in enumerate(view.rows):
            here = r == self.row
            if here:
                focus = len(lines)
            label = wrap(clean(row.label), width - 2)
            lines.append(Line.of((POINTER, "cyan bold") if here else "  ", (label[0], "bold" if here else "")))
            lines += [Line.of("  ", rest) for rest in label[1:]]
            pieces, used = [Piece("    ")], 4
            for c, col in enumerate(view.columns):
                on = answers.get(row.code) == col.code
                text = f"{'(•)' if on else '( )'} {fit(clean(col.label, keep_newlines=False), width - 8)}"
                if used + cells(text) + 2 > width:
                    lines.append(Line(tuple(pieces)))
                    pieces, used = [Piece("    ")], 4
                style = "reverse bold" if here and c == self.col else ("green bold" if on else "")
                pieces += [Piece(text, style), Piece("  ")]
                used += cells(text) + 2
            lines.append(Line(tuple(pieces)))
        return lines, focus


class LineBuffer:
    """Text being typed, with a cursor position in characters."""

    def __init__(self, text: str = ""):
        self.text = text
        self.pos = len(text)

    def handle(self, key: str, accept) -> bool:
        """Edit for `key`; `accept(ch)` says which characters may be typed."""
        t, p = self.text, self.pos
        if len(key) == 1:
            if not accept(key):
                return False
            self.text, self.pos = t[:p] + key + t[p:], p + 1
        elif key == keys.BACKSPACE and p > 0:
            self.text, self.pos = t[:p - 1] + t[p:], p - 1
        elif key == keys.DELETE and p < len(t):
            self.text = t[:p] + t[p + 1:]
        elif key == keys.LEFT:
            self.pos = max(p - 1, 0)
        elif key == keys.RIGHT:
            self.pos = min(p + 1, len(t))
        elif key == keys.HOME:
            self.pos = 0
        elif key == keys.END:
            self.pos = len(t)
        elif key == keys.ctrl("u"):
            self.text, self.pos = "", 0
        else:
            return key in (keys.BACKSPACE, keys.DELETE)
        return True

    def lines(self, width: int, *, cursor: bool = True) -> list[list[Piece]]:
        """The text wrapped character by character to `width` cells, the character
        under the cursor (a space at the end) in reverse video."""
        rows: list[list[Piece]] = [[]]
        used = 0
        for i, ch in enumerate([*self.text, " "] if cursor else self.text):
            if ch == "\n" and i < len(self.text):
                if cursor and i == self.pos:
                    rows[-1].append(Piece(" ", "reverse"))
                rows.append([])
                used = 0
                continue
            shown = clean(ch, keep_newlines=False)
            w = sum(char_cells(c) for c in shown)
            if used + w > width and rows[-1]:
                rows.append([])
                used = 0
            rows[-1].append(Piece(shown, "reverse" if cursor and i == self.pos else ""))
            used += w
        return rows


class _TypedEditor(Editor):
    """A question answered by typing: the buffer is stored on Enter and before the
    form leaves the question."""

    hint_keys = (("k_enter", "k_next"),)

    def __init__(self, session, view):
        super().__init__(session, view)
        self.buffer = LineBuffer(self._shown(session.current_value(self.code)))
        self.saved = self.buffer.text

    def _shown(self, value) -> str:
        return "" if value is None else as_text(value)

    def accept(self, ch: str) -> bool:
        return True

    def value(self):
        """The buffer as an answer; raises ValueError with a message if it is none."""
        return self.buffer.text or None

    def commit(self):
        if self.buffer.text == self.saved and self.error is None:
            return True
        try:
            value = self.value()
        except ValueError as err:
            self.error = str(err)
            return False
        if not self._store(value):
            return False
        self.saved = self.buffer.text
        return True

    def handle(self, key):
        if key == keys.ENTER:
            return NEXT if self.commit() else HANDLED
        if self.buffer.handle(key, self.accept):
            self.error = None
            return HANDLED
        return None


class NumberEditor(_TypedEditor):
    """A number field between the question's prefix and suffix."""

    FIELD = 12

    def accept(self, ch):
        return ch in _NUMBER_CHARS

    def value(self):
        text = self.buffer.text.strip()
        if not text:
            return None
        number = parse_number(text)
        if number is None:
            raise ValueError(message(self.session.language, "not_number"))
        return number

    def body(self, width, words):
        view = self.view
        prefix = fit(clean(view.prefix, keep_newlines=False), width // 3) + " " if view.prefix else ""
        suffix = " " + fit(clean(view.suffix, keep_newlines=False), width // 3) if view.suffix else ""
        field = self.buffer.lines(10_000)[0]
        inner = max(self.FIELD, sum(cells(p.text) for p in field))
        used = sum(cells(p.text) for p in field)
        pad = "  " + " " * cells(prefix)
        return [Line.of(pad, ("╭" + "─" * (inner + 2) + "╮", "dim")),
                Line((Piece("  " + prefix), Piece("│ ", "dim"), *field, Piece(" " * (inner - used)),
                      Piece(" │", "dim"), Piece(suffix))),
                Line.of(pad, ("╰" + "─" * (inner + 2) + "╯", "dim"))], 1


class TextEditor(_TypedEditor):
    """A text box; a long text takes new lines with Alt-Enter."""

    def __init__(self, session, view):
        super().__init__(session, view)
        self.long = kind_named(view.kind).widget.name == "long_text"
        self.max_length = session.survey.by_code[self.code].max_length
        more = (("Alt-Enter", "k_newline"),) if self.long else ()
        self.hint_keys = (*more, ("k_enter", "k_next"))

    def handle(self, key):
        if key == keys.ALT_ENTER and self.long:
            self.buffer.handle("\n", self.accept)
            return HANDLED
        return super().handle(key)

    def body(self, width, words):
        inner = max(width - 6, 10)
        if self.max_length is not None and not self.long:
            inner = min(inner, max(self.max_length + 1, 10))
        rows = self.buffer.lines(inner)
        while self.long and len(rows) < 3:
            rows.append([])
        lines = [Line.of("  ", ("╭" + "─" * (inner + 2) + "╮", "dim"))]
        focus = 0
        for row in rows:
            if any("reverse" in p.style for p in row):
                focus = len(lines)
            used = sum(cells(p.text) for p in row)
            lines.append(Line((Piece("  "), Piece("│ ", "dim"), *row,
                               Piece(" " * (inner - used)), Piece(" │", "dim"))))
        lines.append(Line.of("  ", ("╰" + "─" * (inner + 2) + "╯", "dim")))
        if self.max_length is not None:
            count = words["characters"].format(n=len(self.buffer.text), max=self.max_length)
            lines.append(Line.of("  ", (count, "dim")))
        return lines, focus


class GridEditor(_TableEditor):
    """A table of numbers: type into the cell under the cursor (the first key
    replaces what is there), arrows move, Enter or Tab go to the next cell; PgDn
    (the form's key) leaves the grid from any cell."""

    hint_keys = (("↑↓←→", "k_move"), ("k_number", "k_type"), ("k_enter", "k_cell"), ("k_pgdn", "k_leave"))
    CELL = 6

    def __init__(self, session, view):
        super().__init__(session, view)
        self._enter_cell()

    @property
    def _cell(self) -> int:
        """The column of the highlighted cell: a grid always has one."""
        assert self.col is not None
        return self.col

    def _cells(self) -> dict:
        return self.session.current_value(self.code) or {}

    def _enter_cell(self) -> None:
        view = self.view
        self._clamp()
        value = self._cells().get(view.rows[self.row].code, {}).get(view.columns[self._cell].code)
        self.buffer = "" if value is None else as_text(value)
        self.saved = self.buffer
        self.fresh = True

    def commit(self):
        if self.buffer == self.saved and self.error is None:
            return True
        text = self.buffer.strip()
        number = parse_number(text) if text else None
        if text and number is None:
            self.error = message(self.session.language, "not_number")
            return False
        view = self.view
        current = self._cells()
        whole = {r.code: {c.code: current.get(r.code, {}).get(c.code) for c in view.columns}
                 for r in view.rows}
        whole[view.rows[self.row].code][view.columns[self._cell].code] = number
        if not self._store(whole):
            return False
        self.saved = self.buffer
        return True

    def _move_to(self, row: int, col: int) -> bool:
        if not self.commit():
            return False
        self.row, self.col = row, col
        self._enter_cell()
        return True

    def handle(self, key):
        self._clamp()
        view = self.view
        last_row, last_col = len(view.rows) - 1, len(view.columns) - 1
        if key in _NUMBER_CHARS:
            self.buffer = key if self.fresh else self.buffer + key
            self.fresh = False
        elif key == keys.BACKSPACE:
            self.buffer, self.fresh = self.buffer[:-1], False
        elif key == keys.DELETE:
            self.buffer, self.fresh = "", False
        elif key == keys.UP:
            self._move_to(max(self.row - 1, 0), self._cell)
        elif key == keys.DOWN:
            self._move_to(min(self.row + 1, last_row), self._cell)
        elif key == keys.LEFT:
            self._move_to(self.row, max(self._cell - 1, 0))
        elif key == keys.RIGHT:
            self._move_to(self.row, min(self._cell + 1, last_col))
        elif key in (keys.TAB, keys.ENTER):
            if self.row == last_row and self._cell == last_col:
                if key == keys.ENTER and self.commit():
                    return NEXT
                return HANDLED
            if self._cell < last_col:
                self._move_to(self.row, self._cell + 1)
            else:
                self._move_to(self.row + 1, 0)
        elif key == keys.SHIFT_TAB:
            if self._cell > 0:
                self._move_to(self.row, self._cell - 1)
            elif self.row > 0:
                self._move_to(self.row - 1, last_col)
        else:
            return None
        if len(key) == 1 or key in (keys.BACKSPACE, keys.DELETE):
            self.error = None
        return HANDLED

    def body(self, width, words):
        self._clamp()
        view = self.view
        values = self._cells()

        def cell(r, c, w):
            if r == self.row and c == self._cell:
                text = self.buffer + ("" if self.fresh else "▏")
                return _centered(f"[{text:>{self.CELL - 2}}]", w, "reverse bold")
            value = values.get(view.rows[r].code, {}).get(view.columns[c].code)
            return _centered(f"[{'' if value is None else as_text(value):>{self.CELL - 2}}]", w, "")

        table = _table(view, width, self.CELL, cell, self.row)
        if table is not None:
            return table
        lines: list[Line] = []
        focus = 0
        for r, row in enumerate(view.rows):
            for c, col in enumerate(view.columns):
                if (r, c) == (self.row, self._cell):
                    focus = len(lines)
                label = fit(clean(f"{row.label} / {col.label}", keep_newlines=False), width - self.CELL - 4)
                lines.append(Line(tuple([Piece("  " + label + " " * (width - self.CELL - 4 - cells(label)) + " "),
                                         *cell(r, c, self.CELL)])))
        return lines, focus


class DisplayEditor(Editor):
    """A text to read: Enter goes on."""


class NothingOfferedEditor(Editor):
    """A choice or a table whose options, lines or columns the survey's conditions
    all filter away for this respondent: nothing can be answered, Enter goes on
    (and a mandatory one stays blocked, as the runtime decides: a dead end of the
    survey, which lint reports). The editors above may then assume there is at
    least one thing to point at."""

    def body(self, width, words):
        return [Line.of((line, "dim italic")) for line in wrap(words["nothing_offered"], width)], 0


def offers_nothing(view: QuestionView) -> bool:
    """Whether every option (or every line, or column) of the question is filtered away."""
    widget = kind_named(view.kind).widget.name
    if widget in ("choice", "choices"):
        return not view.options
    if widget in ("choice_table", "number_table"):
        return not view.rows or not view.columns
    return False


#: The editor of each widget; a slider (a number's `range` input) is typed in a box.
EDITORS: dict[str, type[Editor]] = {
    "choice": SingleEditor, "choices": MultipleEditor, "choice_table": ArrayEditor,
    "number_table": GridEditor, "number": NumberEditor, "text": TextEditor, "long_text": TextEditor,
    "display": DisplayEditor}


def editor_for(session: Session, view: QuestionView) -> Editor:
    if offers_nothing(view):
        return NothingOfferedEditor(session, view)
    return EDITORS[kind_named(view.kind).widget.name](session, view)
