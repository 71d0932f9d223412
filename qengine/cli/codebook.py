"""`qengine codebook`: every variable of the survey's data files, in words."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qengine.cli.common import load_or_exit


@click.command("codebook")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@click.option("-o", "--output", default="-", help="codebook.md, .html or .pdf ('-': Markdown on standard output).")
@click.option("--format", "fmt", type=click.Choice(("md", "html", "pdf")),
              help="Markdown, HTML or PDF (default: from the output's extension, else Markdown).")
@click.option("--not-asked", default="-1", show_default=True, help="The code of 'not asked' (as for responses).")
@click.option("--no-answer", default="-2", show_default=True, help="The code of 'asked, no answer'.")
def codebook_command(survey_file, output, fmt, not_asked, no_answer):
    """Write the codebook of SURVEY: each variable's name, question, type, values
    with labels, missing codes, and when it is asked, in plain words.

    Exit 2 for a bad survey or a file that cannot be written.
    """
    fmt = fmt or _format_of(output, ("md", "html", "pdf"), "md")
    if fmt == "pdf" and output == "-":
        raise click.UsageError("a PDF codebook is a file: give it with -o codebook.pdf")
    survey = load_or_exit(survey_file)
    from qengine.data import DataError
    from qengine.data.codebook import render
    from qengine.data.export import Codes

    try:
        document = render(survey, fmt, Codes(not_asked, no_answer))
    except DataError as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    _write(document, output)


def _format_of(output: str, formats: tuple[str, ...], default: str) -> str:
    suffix = Path(output).suffix.lower().lstrip(".")
    return {"markdown": "md", "htm": "html"}.get(suffix, suffix) if suffix in (*formats, "markdown", "htm") \
        else default


def _write(document: str | bytes, output: str) -> None:
    try:
        if output == "-":
            sys.stdout.write(document if isinstance(document, str) else document.decode())
            return
        if isinstance(document, bytes):
            Path(output).write_bytes(document)
        else:
            Path(output).write_text(document, encoding="utf-8")
    except OSError as err:
        click.echo(f"{output}: cannot write: {err.strerror or err}", err=True)
        raise SystemExit(2) from None
    click.echo(f"written to {output}", err=True)
