"""The terminal form's screens as plain text: a review copy for survey authors.

`qengine render SURVEY --to terminal` writes every screen the form can show, in
order: the welcome, each question as it reads before any answer is given (a
question that only appears after some answers is drawn all the same, under the
condition that shows it, in words), and the end. It lets an author proofread the
terminal form without a terminal, and diff it between versions of a survey.
"""

from __future__ import annotations

from qengine.expr.to_words import Reader
from qengine.model import Survey
from qengine_renderers.terminal.editors import editor_for
from qengine_renderers.terminal.form import END, QUESTION, Form
from qengine_renderers.terminal.frame import Line
from qengine_renderers.terminal.text import wrap

WIDTH = 80
_SHOWN_IF = {"en": "Shown only if:", "fr": "Affichée seulement si :"}


def storyboard(survey: Survey, width: int = WIDTH) -> str:
    session = survey.start(format="question")
    form = Form(session)
    reader = Reader(survey)
    shown_if = _SHOWN_IF.get(survey.language.split("-")[0], _SHOWN_IF["en"])
    blocks = [_block("welcome", form.screen(width), width)]
    form.stage = QUESTION
    for page in session.pages:
        q = survey.by_code[page.questions[0]]
        view = session.preview(q.code)
        editor = editor_for(session, view)
        body, _ = form.question_body(editor, width - 4)
        lines = form.header(width, q.group, session.pages.index(page)) + \
            [Line.of("  ") + line for line in body] + form.footer(width, editor)
        conditions = [c for c in (survey.groups_by_code[q.group].condition, q.condition) if c is not None]
        note = " ".join([shown_if, *(reader.about(q.code).sentence(c) + "." for c in conditions)]) \
            if conditions else None
        blocks.append(_block(f"{q.number} [{q.code}]", lines, width, note))
    form.stage = END
    blocks.append(_block("end", form.screen(width), width))
    return "\n\n".join(blocks) + "\n"


def _block(name: str, lines: list[Line], width: int, note: str | None = None) -> str:
    rule = f"══ {name} " + "═" * max(width - len(name) - 4, 0)
    out = [rule]
    if note:
        out += [f"   {line}" for line in wrap(note, width - 3)]
        out.append("")
    out += [line.plain.rstrip() for line in lines]
    return "\n".join(out).rstrip()
