"""The terminal form's screens as plain text: a review copy for survey authors.

`qengine render SURVEY --to terminal` writes every screen the form can show, in
order: the welcome, each question as it reads before any answer is given (a
question that only appears after some answers is drawn all the same, under the
condition that shows it, in words), and the end. It lets an author proofread the
terminal form without a terminal, and diff it between versions of a survey.

Where the survey's wording fails to evaluate (division by zero, text used as a
number), the screen is the defect screen the form would stop on, naming the place
in the survey: the storyboard is written all the same.
"""

from __future__ import annotations

from qengine.errors import EvaluationError
from qengine.model import Survey
from qengine.renderers.words import Reader
from qengine_renderers.terminal.editors import editor_for
from qengine_renderers.terminal.form import END, QUESTION, Form, defect_lines
from qengine_renderers.terminal.frame import Line
from qengine_renderers.terminal.text import wrap
from qengine_renderers.terminal.words import words_for

WIDTH = 80
_SHOWN_IF = {"en": "Shown only if:", "fr": "Affichée seulement si :"}


def storyboard(survey: Survey, width: int = WIDTH) -> str:
    try:
        session = survey.start(format="question")
    except EvaluationError as err:  # `qengine run` cannot start either
        lines = defect_lines(words_for(survey.language), err, width - 4, then=None)
        return _block("defect", _indented(lines), width) + "\n"
    form, reader = Form(session), Reader(survey)
    blocks = [_block("welcome", form.screen(width), width)]
    form.stage = QUESTION
    for number, page in enumerate(session.pages):
        blocks.append(_question_block(form, reader, page.questions[0], number, width))
    form.stage = END
    blocks.append(_block("end", form.screen(width), width))
    return "\n\n".join(blocks) + "\n"


def _question_block(form: Form, reader: Reader, code: str, page: int, width: int) -> str:
    """The question's screen before any answer, headed by the condition that shows it."""
    survey, session = form.survey, form.session
    q = survey.by_code[code]
    try:
        editor = editor_for(session, session.preview(code))
        body, _ = form.question_body(editor, width - 4)
        lines = form.header(width, q.group, page) + _indented(body) + form.footer(width, editor)
    except EvaluationError as err:
        lines = _indented(defect_lines(form.words, err, width - 4, then="defect_close"))
    conditions = [c for c in (survey.groups_by_code[q.group].condition, q.condition) if c is not None]
    shown_if = _SHOWN_IF.get(survey.language.split("-")[0], _SHOWN_IF["en"])
    about = reader.about(code)
    note = " ".join([shown_if, *(about.sentence(c) + "." for c in conditions)]) if conditions else None
    return _block(f"{q.number} [{q.code}]", lines, width, note)


def _indented(lines: list[Line]) -> list[Line]:
    return [Line.of("  ") + line for line in lines]


def _block(name: str, lines: list[Line], width: int, note: str | None = None) -> str:
    rule = f"══ {name} " + "═" * max(width - len(name) - 4, 0)
    out = [rule]
    if note:
        out += [f"   {line}" for line in wrap(note, width - 3)]
        out.append("")
    out += [line.plain.rstrip() for line in lines]
    return "\n".join(out).rstrip()
