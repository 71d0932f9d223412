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
from qengine.renderers import RenderError, load_renderer
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
    Keys: arrows move, Space ticks, Enter goes on, PgDn leaves a question
    (a grid too), Esc goes back, Ctrl-X saves the answers and quits (resume
    with --resume).

    Exit 0 when the response is submitted, 1 when the form was left before
    (answers saved) or the survey failed while running, 2 for a bad survey or
    file, or no terminal.
    """
    survey = load_or_exit(survey_file)
    session = _start(survey, resume_file)
    form = _terminal_form()
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
    save_to = save_file or resume_file
    try:
        outcome = form.run(session, resumed=resume_file is not None, on_submit=on_submit)
    except RenderError as err:  # the form could not use the terminal
        _fail(str(err))
    except EvaluationError as err:  # a replacement form may let the survey's defect through
        _stop(session, save_to, f"the survey failed while running: {err}")
    except Exception as err:  # a defect of the form itself: the answers come first
        _stop(session, save_to, f"internal error in the terminal form ({type(err).__name__}: {err}); "
                                "please report it with the survey")
    defect = getattr(outcome, "defect", None)
    if outcome.submitted:
        if defect is not None:  # the end screen's wording failed after the response was recorded
            click.echo(f"error: the survey failed after the response was recorded: {defect}", err=True)
        _deliver(outcome.response, written, output, resume_file)
    if defect is not None:
        _stop(session, save_to, f"the survey failed while running: {defect}")
    path = _save(session, save_to)
    if outcome.hung_up:  # nobody is left to read a message
        raise SystemExit(1)
    click.echo(f"not submitted; answers saved in {path}\n"
               f"to continue: qengine run {shlex.quote(survey_file)} --resume {shlex.quote(str(path))}"
               + (f" -o {shlex.quote(output)}" if output else ""), err=True)
    raise SystemExit(1)


def _start(survey: Survey, resume_file: str | None) -> Session:
    """A new session, or the one saved in `resume_file`; exit 1 when the survey
    fails on its first screen (or on the answers saved)."""
    try:
        return _resume(survey, resume_file) if resume_file else Session(survey, format=FORMAT)
    except EvaluationError as err:
        click.echo(f"error: the survey failed while running: {err}", err=True)
        raise SystemExit(1) from None


def _terminal_form():
    """The installed `terminal` renderer, which must have run()."""
    try:
        form = load_renderer("terminal")
    except RenderError as err:
        _fail(f"the terminal form is not available: {err}")
    if not callable(getattr(form, "run", None)):
        _fail("the installed 'terminal' renderer is not an interactive form (it has no run())")
    return form


def _stop(session: Session, where: str | None, problem: str):
    """Save the answers, then say what went wrong; exit 1."""
    path = _save(session, where)
    click.echo(f"error: {problem}\nanswers saved in {path}", err=True)
    raise SystemExit(1)


def _deliver(response: Response, written: list[str], output: str | None, resume_file: str | None):
    """The response, written by the form to -o or printed now; the saved session
    it continued is removed then (the next person at a shared computer must not
    find these answers). Exits 0, or 1 when -o could not be written."""
    if written:
        click.echo(f"response written to {written[0]}", err=True)
    else:  # no -o, or it could not be written: the response goes to standard output
        click.echo(json.dumps(response.to_json(), ensure_ascii=False, indent=2))
        if output is not None:
            raise SystemExit(1)  # the saved session stays: the response reached no file
    if resume_file and not _same_file(resume_file, output):
        _remove(resume_file)
    raise SystemExit(0)


def _remove(path: str) -> None:
    try:
        Path(path).unlink(missing_ok=True)
    except OSError as err:
        click.echo(f"warning: the saved session {path} could not be removed: {err.strerror or err}", err=True)
    else:
        click.echo(f"the saved session {path} was removed", err=True)


def _same_file(a: str, b: str | None) -> bool:
    return b is not None and Path(a).resolve() == Path(b).resolve()


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
