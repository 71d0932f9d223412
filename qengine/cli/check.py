"""`qengine check` and `qengine export`."""

from __future__ import annotations

import json
import sys

import click

from qengine.cli.common import format_diagnostics, load_or_exit, read_survey, safe, use_color
from qengine.errors import QdlError
from qengine.export import survey_json
from qengine.model import Survey
from qengine.runtime.messages import CATALOGUE, built_in, message
from qengine.span import Source
from qengine.syntax.loader import check

UNREADABLE = ("E001", "E002")  # the file is missing or is not text


@click.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, allow_dash=True))
def check_command(files):
    """Parse and check survey FILES ('-' for standard input); report every error
    with its place.

    Exit 0 when every file is clean, 1 when any has errors, 2 when a file cannot
    be read at all (missing, not UTF-8 text).
    """
    total = 0
    unreadable = False
    for path in files:
        source: Source | None
        survey: Survey | None = None
        try:
            source = read_survey(path)
        except QdlError as err:
            diagnostics, source = list(err.diagnostics), err.source
        else:
            survey, diagnostics = check(source)
        for text in format_diagnostics(diagnostics, source, color=use_color(sys.stdout)):
            click.echo(text)
            click.echo()
        total += len(diagnostics)
        unreadable = unreadable or any(d.code in UNREADABLE for d in diagnostics)
        if not diagnostics and survey is not None:  # no diagnostic: the survey was built
            click.echo(f"{safe(path)}: ok ({contents(survey)})")
            if not built_in(survey.language):
                click.echo(f"{safe(path)}: {untranslated(survey.language)}")
    if total:
        click.echo(f"{total} error{'s' if total != 1 else ''} found")
        raise SystemExit(2 if unreadable else 1)


def contents(survey: Survey) -> str:
    """What the survey holds: the questions a respondent answers, counted as `qengine
    lint --stats` counts them, then the display texts and equations, named apart
    so that no total differs between the commands without saying why."""
    inputs = sum(q.is_input for q in survey.questions)
    computed = sum(q.formula is not None for q in survey.questions)
    extras = [_count(n, noun) for n, noun in ((len(survey.questions) - inputs - computed, "display text"),
                                              (computed, "equation")) if n]
    held = [_count(inputs, "question"), *extras]
    listed = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
    return f"{listed} in {_count(len(survey.groups), 'group')}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def untranslated(language: str) -> str:
    """The warning for a survey in a language qengine writes none of its own texts
    in: they fall back to English, which should not happen unnoticed."""
    return (f"warning: qengine has no texts of its own in '{language}' (messages such as "
            f"\"{message('en', 'mandatory')}\", the forms' buttons, the printable annex's words): "
            f"respondents read them in English (qengine has {', '.join(CATALOGUE)})")

@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
              help="Output format.")
@click.option("-o", "--output", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write (default: standard output).")
def export_command(file, fmt, output):
    """Write the survey model of FILE as JSON (schema: qengine/schemas/survey.schema.json)."""
    survey = load_or_exit(file)
    json.dump(survey_json(survey), output, ensure_ascii=False, indent=2)
    output.write("\n")
