"""`qengine run`: a respondent fills a survey in the terminal.

The form itself is the `terminal` renderer plugin (found through the
`qengine.renderers` entry point group, like every renderer); this command reads
and writes the files around it: the survey, the saved session to resume, the
session saved on quitting and the response.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from pathlib import Path

import click

from qengine.cli.common import load_or_exit
from qengine.errors import AnswerError, EvaluationError
from qengine.model import Survey
from qengine.render import RenderError, load_renderer
from qengine.runtime import Response, Session

FORMAT = "question"  # the terminal form shows one question a page


@click.command("run")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False),
              help="Write the response JSON to FILE (default: standard output, once the form closes).")
@click.option("--save", "save_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Where quitting saves the answers (default: the --resume file, else CODE.session.json).")
@click.option("--resume", "resume_file", metavar="FILE", type=click.Path(dir_okay=False),
              help="Continue a session saved by quitting.")
def run_command(survey_file, output, save_file, resume_file):
    """Fill SURVEY in the terminal, one question a page.

    \b
    Keys: arrows move, Space ticks, Enter goes on, Esc goes back,
    Ctrl-X saves the answers and quits (resume with --resume).

    Exit 0 when the response is submitted, 1 when the form was left before
    (answers saved), 2 for a bad survey or file, or no terminal.
    """
    survey = load_or_exit(survey_file)
    session = _resume(survey, resume_file) if resume_file else Session(survey, format=FORMAT)
    try:
        form = load_renderer("terminal")
    except RenderError as err:
        _fail(f"the terminal form is not available: {err}")
    if not callable(getattr(form, "run", None)):
        _fail("the installed 'terminal' renderer is not an interactive form (it has no run())")
    written: list[str] = []

    def on_submit(response: Response) -> str | None:
        if output is None:
            return None
        _write_json(Path(output), response.to_json())
        written.append(output)
        return output

    if not sys.stdin.isatty():
        _fail("qengine run needs a terminal: standard input is not one. To answer from a "
              f"file, use `qengine play {shlex.quote(survey_file)} --answers FILE`")
    try:
        outcome = form.run(session, resumed=resume_file is not None, on_submit=on_submit)
    except RenderError as err:  # the form could not use the terminal
        _fail(str(err))
    except EvaluationError as err:
        path = _save(session, save_file or resume_file)
        click.echo(f"error: the survey failed while running: {err}\nanswers saved in {path}", err=True)
        raise SystemExit(1) from None
    if outcome.submitted:
        if written:
            click.echo(f"response written to {written[0]}", err=True)
            raise SystemExit(0)
        # No -o, or it could not be written: the response goes to standard output.
        click.echo(json.dumps(outcome.response.to_json(), ensure_ascii=False, indent=2))
        raise SystemExit(0 if output is None else 1)
    path = _save(session, save_file or resume_file)
    if outcome.hung_up:  # nobody is left to read a message
        raise SystemExit(1)
    click.echo(f"not submitted; answers saved in {path}\n"
               f"to continue: qengine run {shlex.quote(survey_file)} --resume {shlex.quote(str(path))}"
               + (f" -o {shlex.quote(output)}" if output else ""), err=True)
    raise SystemExit(1)


def _fail(message: str):
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


def _resume(survey: Survey, path: str) -> Session:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        _fail(f"{path}: cannot read the saved session: {err}")
    try:
        session = Session.read(survey, text)  # within bounds: the file may come from anywhere
        if session.format != FORMAT:
            session = Session.from_json(survey, {**session.to_json(), "format": FORMAT,
                                                 "page": _question_page(session)})
    except AnswerError as err:
        _fail(f"{path}: cannot resume this session: {err.question}: {err.message}")
    return session


def _question_page(session: Session) -> int:
    """The page, in the one-question format, of the first question of the current
    page of a session saved in another format."""
    codes = [p.questions[0] for p in Session(session.survey, format=FORMAT).pages]
    page = session.page
    if page is None:
        return len(codes)
    return next((codes.index(c) for c in page.questions if c in codes), 0)


def _default_save(survey: Survey) -> Path:
    """CODE.session.json, or CODE.session-2.json... when that exists already."""
    path, n = Path(f"{survey.code}.session.json"), 2
    while path.exists():
        path, n = Path(f"{survey.code}.session-{n}.json"), n + 1
    return path


def _save(session: Session, where: str | None) -> Path:
    path = Path(where) if where else _default_save(session.survey)
    try:
        _write_json(path, session.to_json())
    except OSError as err:
        click.echo(f"error: cannot save the answers in {path}: {err}", err=True)
        click.echo(json.dumps(session.to_json(), ensure_ascii=False), err=True)
        raise SystemExit(1) from None
    return path


def _write_json(path: Path, data) -> None:
    """Write atomically: a crash leaves the old file or the new one, never half."""
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
