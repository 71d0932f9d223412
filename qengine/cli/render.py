"""`qengine render`: a survey through any installed renderer."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qengine.cli import main
from qengine.cli.common import load_or_exit
from qengine.render import RenderError, format_for, load_renderer, renderer_names


@main.command("render")
@click.argument("survey", required=False, type=click.Path(dir_okay=False))
@click.option("--to", "to", metavar="NAME", help="The renderer to use (see --list).")
@click.option("--printable", is_flag=True, help="Shortcut for --to printable.")
@click.option("-o", "--output", default="-", metavar="OUT",
              help="Where to write; the suffix chooses the format (.html, .pdf…). Default: standard output.")
@click.option("--list", "list_", is_flag=True, help="List the installed renderers and exit.")
def render_command(survey, to, printable, output, list_):
    """Render SURVEY into a document with an installed renderer.

    \b
      qengine render survey.qdl --printable -o annex.pdf
      qengine render survey.qdl --to printable -o annex.html
      qengine render --list
    """
    if list_:
        _list()
        return
    if printable and to not in (None, "printable"):
        raise click.UsageError("--printable is --to printable: give one or the other")
    name = "printable" if printable else to
    if survey is None:
        raise click.UsageError("give the SURVEY to render")
    if name is None:
        raise click.UsageError("choose a renderer with --to NAME (installed: "
                               f"{', '.join(renderer_names()) or 'none'}) or --printable")
    try:
        renderer = load_renderer(name)
        fmt = format_for(renderer, output)
    except RenderError as err:
        _fail(err)
    model = load_or_exit(survey)
    try:
        document = renderer.render(model, fmt)
    except RenderError as err:
        _fail(err)
    _write(document, output)


def _list():
    names = renderer_names()
    if not names:
        click.echo("no renderer is installed")
        return
    width = max(len(n) for n in names)
    for name in names:
        try:
            r = load_renderer(name)
        except RenderError as err:
            click.echo(f"{name:<{width}}  (broken) {err}")
        else:
            click.echo(f"{name:<{width}}  {'/'.join(r.formats):<10}  {r.summary}")


def _write(document: str | bytes, output: str):
    if output == "-":
        if isinstance(document, bytes):
            sys.stdout.buffer.write(document)
        else:
            click.echo(document, nl=not document.endswith("\n"))
        return
    try:
        if isinstance(document, bytes):
            Path(output).write_bytes(document)
        else:
            Path(output).write_text(document, encoding="utf-8")
    except OSError as err:
        _fail(f"cannot write {output}: {err.strerror or err}")


def _fail(message) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)
