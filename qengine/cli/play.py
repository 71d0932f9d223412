"""`qengine play` and `qengine schema`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from qengine.cli.common import load_or_exit
from qengine.errors import EvaluationError
from qengine.expr.values import as_text
from qengine.model import NAVIGATION_FORMATS
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
    survey = load_or_exit(survey_file)
    try:
        text = click.get_text_stream("stdin").read() if answers_file == "-" else \
            Path(answers_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        click.echo(f"{answers_file}: cannot read the answers file: {err}", err=True)
        raise SystemExit(2) from None
    try:
        answers = read_answers(text, survey, origin=answers_file)
        result = play(survey, answers, format=fmt)
    except AnswersFileError as err:
        click.echo(str(err), err=True)
        raise SystemExit(2) from None
    except EvaluationError as err:
        click.echo(f"error: the survey failed while running: {err}", err=True)
        raise SystemExit(1) from None
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _transcript(result)
    raise SystemExit(0 if result.complete else 1)


def _transcript(result):
    for n, step in enumerate(result.steps, 1):
        click.secho(f"── page {n}: {step.title}", bold=True)
        for code, text, value in step.questions:
            shown = "—" if value is None else as_text(value) if not isinstance(value, dict | list) \
                else json.dumps(value, ensure_ascii=False)
            click.echo(f"  [{code}] {' '.join(text.split())}")
            click.echo(f"      → {shown}")
        for p in step.problems:
            click.secho(f"  ✗ [{p.question}] {p.message}", fg="red")
    if result.complete:
        click.secho(f"submitted: {len(result.shown)} questions shown", fg="green")
    else:
        click.secho("not submitted: a page could not be passed", fg="red")


@click.command("schema")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
def schema_command(survey_file):
    """Print the JSON Schema of the responses to SURVEY."""
    survey = load_or_exit(survey_file)
    click.echo(json.dumps(response_schema(survey), ensure_ascii=False, indent=2))
