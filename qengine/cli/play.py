"""`qengine play` and `qengine schema`."""

from __future__ import annotations

import codecs
import json
import sys

import click

from qengine.cli.common import load_or_exit, safe
from qengine.errors import EvaluationError
from qengine.expr.values import as_text
from qengine.model import NAVIGATION_FORMATS
from qengine.runtime.json_input import MAX_CHARS
from qengine.runtime.play import AnswersFileError, play, read_answers
from qengine.runtime.schema import response_schema


@click.command("play")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@click.option("--answers", "answers_file", required=True, type=click.Path(dir_okay=False),
              help="JSON answers keyed by question code ('-' for standard input).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--format", "fmt", type=click.Choice(NAVIGATION_FORMATS),
              help="Pages: one question, one group (default: the survey's), or all.")
def play_command(survey_file, answers_file, as_json, fmt):
    """Play a respondent who answers every question presented with the value
    from the answers file, page after page.

    Exit 0 when the response is submitted, 1 when a page could not be passed,
    2 for a bad survey or answers file.
    """
    if answers_file == survey_file == "-":
        raise click.UsageError("the survey and the answers cannot both come from standard input")
    survey = load_or_exit(survey_file)
    text = _read_answers_file(answers_file)
    try:
        answers = read_answers(text, survey, origin=answers_file)
        result = play(survey, answers, format=fmt)
    except AnswersFileError as err:
        click.echo(safe(str(err)), err=True)
        raise SystemExit(2) from None
    except EvaluationError as err:
        click.echo(safe(f"error: the survey failed while running: {err}"), err=True)
        raise SystemExit(1) from None
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _transcript(result)
    raise SystemExit(0 if result.complete else 1)


def _read_answers_file(path: str) -> str:
    """The text of the answers file (`-`: standard input), at most
    `json_input.MAX_CHARS` characters read; exit 2 when it cannot be read."""
    try:
        if path == "-":
            # Click's stream helpers are deprecated (8.2 and 8.5): the bytes, decoded as
            # UTF-8 whatever the locale says; a character is at most four bytes, and a
            # sequence cut at the limit is left undecoded rather than refused
            data = sys.stdin.buffer.read(4 * (MAX_CHARS + 1))
            return codecs.getincrementaldecoder("utf-8")().decode(data)[: MAX_CHARS + 1]
        with open(path, encoding="utf-8") as f:
            return f.read(MAX_CHARS + 1)
    except FileNotFoundError:
        problem = "no such file"
    except (OSError, UnicodeDecodeError) as err:
        problem = f"cannot read the answers file: {err}"
    click.echo(safe(f"{path}: {problem}"), err=True)
    raise SystemExit(2)


def _transcript(result):
    for n, step in enumerate(result.steps, 1):
        click.secho(safe(f"── page {n}: {step.title}"), bold=True)
        for code, text, value in step.questions:
            shown = "—" if value is None else as_text(value) if not isinstance(value, dict | list) \
                else json.dumps(value, ensure_ascii=False)
            click.echo(safe(f"  [{code}] {' '.join(text.split())}"))
            click.echo(safe(f"      → {shown}"))
        for p in step.problems:
            click.secho(safe(f"  ✗ [{p.question}] {p.message}"), fg="red")
    if result.complete:
        click.secho(f"submitted: {len(result.shown)} questions shown", fg="green")
    else:
        click.secho("not submitted: a page could not be passed", fg="red")


@click.command("schema")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
def schema_command(survey_file):
    """Print the JSON Schema of the responses to SURVEY, which is also the schema
    of the answers files `qengine play` accepts."""
    survey = load_or_exit(survey_file)
    click.echo(json.dumps(response_schema(survey), ensure_ascii=False, indent=2))
