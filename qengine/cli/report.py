"""`qengine report`: the descriptive tables of the responses, over who was asked."""

from __future__ import annotations

import json

import click

from qengine.cli.codebook import _format_of, _write
from qengine.cli.responses import load_or_exit, source_options


@click.command("report")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@source_options
@click.option("-o", "--output", default="-", help="report.html, .pdf or .json ('-': standard output).")
@click.option("--format", "fmt", type=click.Choice(("html", "pdf", "json")),
              help="HTML, PDF or JSON (default: from the output's extension, else HTML).")
@click.option("--by", metavar="VARIABLE", help="Cross every question with this single choice (or ticked box).")
def report_command(survey_file, database, from_path, limesurvey, partial, strict, output, fmt, by):
    """Report the responses to SURVEY question by question: how many were asked
    (the denominator), answered, counts and percentages with Wilson 95 %
    intervals, numbers summarised, plots; with --by, cross-tables and their test.

    Exit 1 for a problem with --strict; 2 for a bad survey, input or --by.
    """
    fmt = fmt or _format_of(output, ("html", "pdf", "json"), "html")
    if fmt == "pdf" and output == "-":
        raise click.UsageError("a PDF report is a file: give it with -o report.pdf")
    _, loaded = load_or_exit(survey_file, database, from_path, limesurvey, partial=partial, strict=strict)
    from qengine.data import DataError
    from qengine.data.export import Table
    from qengine.data.report import render_html, render_pdf, summary

    document: str | bytes
    try:
        data = summary(Table(loaded), by=by)
        if fmt == "json":
            document = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        elif fmt == "html":
            document = render_html(data)
        else:
            document = render_pdf(data)
    except DataError as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    _write(document, output)
