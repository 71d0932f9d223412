"""`qengine import`: a LimeSurvey `.lss` written as QDL."""

from __future__ import annotations

from pathlib import Path

import click

from qengine.cli.common import use_color
from qengine.errors import QdlError
from qengine.lss import LssError, import_lss, lss_diagnostic
from qengine.span import Source
from qengine.syntax.loader import check


@click.command("import")
@click.argument("file", metavar="SURVEY.lss", type=click.Path(dir_okay=False))
@click.option("-o", "--output", default="-", metavar="OUT.qdl",
              help="Where to write the QDL (default: standard output).")
@click.option("--language", metavar="CODE",
              help="The language to import (default: the survey's base language).")
def import_command(file, output, language):
    """Convert a LimeSurvey survey structure file (.lss) to QDL.

    Everything that does not come across exactly is written as a comment in the QDL,
    beside the question concerned, and as a warning on standard error.

    Exit 0 when the QDL is written, 1 when it is written but does not check
    (a bug of the importer), 2 when the .lss cannot be used.

    \b
      qengine import survey.lss -o survey.qdl
      qengine import survey.lss --language fr -o survey-fr.qdl
    """
    try:
        imported = import_lss(file, language=language)
    except LssError as err:
        diagnostic = lss_diagnostic(err, file)
        click.echo(QdlError([diagnostic], diagnostic.span and _lss(file)).format(color=use_color()), err=True)
        raise SystemExit(2) from None
    for note in imported.notes:
        click.echo(note.format(file), err=True)
    others = [lang for lang in imported.languages if lang != imported.language]
    if others:
        click.echo(f"{file}: imported the '{imported.language}' version; the survey is also in "
                   f"{', '.join(others)} (--language)", err=True)
    name = output if output != "-" else f"{file} (as QDL)"
    survey, diagnostics = check(Source(imported.qdl, name))
    if output == "-":
        click.echo(imported.qdl, nl=False)
    else:
        try:
            Path(output).write_text(imported.qdl, encoding="utf-8")
        except OSError as err:
            click.echo(f"error: cannot write {output}: {err.strerror or err}", err=True)
            raise SystemExit(2) from None
    n = len(imported.notes)
    if survey is None:
        click.echo(QdlError(diagnostics, Source(imported.qdl, name)).format(color=use_color()), err=True)
        click.echo(f"{file}: the QDL written does not check ({len(diagnostics)} errors): please report this "
                   "file, it is a bug of the importer", err=True)
        raise SystemExit(1)
    click.echo(f"{file}: {len(survey.questions)} questions in {len(survey.groups)} groups imported"
               + (f", {n} warning{'s' if n != 1 else ''}" if n else ", no warning")
               + ("" if output == "-" else f" -> {output}"), err=True)


def _lss(file: str) -> Source:
    try:
        return Source(Path(file).read_bytes().decode("utf-8", "replace"), file)
    except OSError:
        return Source("", file)
