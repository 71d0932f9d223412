"""`qengine render`: a survey through any installed renderer."""

from __future__ import annotations

import inspect
import os
import sys
import warnings
from pathlib import Path

import click

from qengine.cli.common import load_or_exit
from qengine.renderers import RenderError, RenderWarning, format_for, load_renderer, renderer_names


@click.command("render")
@click.argument("survey", required=False, type=click.Path(dir_okay=False))
@click.option("--to", "to", metavar="NAME", help="The renderer to use (see --list).")
@click.option("--printable", is_flag=True, help="Shortcut for --to printable.")
@click.option("-o", "--output", default="-", metavar="OUT",
              help="Where to write; the suffix chooses the format (.html, .pdf…). Default: standard output.")
@click.option("--list", "list_", is_flag=True, help="List the installed renderers and exit.")
@click.option("-O", "--option", "options", multiple=True, metavar="KEY=VALUE",
              help="An option for the renderer, e.g. -O post_url=https://… for html (repeatable).")
def render_command(survey, to, printable, output, list_, options):
    """Render SURVEY into a document with an installed renderer.

    \b
      qengine render survey.qdl --printable -o annex.pdf
      qengine render survey.qdl --to printable -o annex.html
      qengine render survey.qdl --to html -O post_url=/responses -o form.html
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
    _check_output(output)
    try:
        renderer = load_renderer(name)
        fmt = format_for(renderer, output)
    except RenderError as err:
        _fail(err)
    given = _options(options)
    if given and not _takes_options(renderer):
        _fail(f"the renderer '{name}' takes no options")
    model = load_or_exit(survey)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RenderWarning)
            # Options go only to a renderer asked for them: the protocol's render(survey, format)
            # stays enough for renderers that take none.
            document = renderer.render(model, fmt, **given) if given else renderer.render(model, fmt)
    except RenderError as err:
        _fail(err)
    _warn(caught)
    _write(document, output)


def _check_output(output: str) -> None:
    """Refuse a directory for -o before any work: writing `x.html/` would silently
    write `x.html` (the path's trailing separator dropped)."""
    if output == "-":
        return
    if output.endswith(tuple(filter(None, (os.sep, os.altsep)))) or Path(output).is_dir():
        raise click.BadParameter(f"{output!r} names a directory, not a file: give the path of the file to write",
                                 param_hint="'-o' / '--output'")


def _warn(caught: list[warnings.WarningMessage]) -> None:
    """The renderer's own warnings as the command's ("warning: …" on stderr); others as Python shows them."""
    for w in caught:
        if issubclass(w.category, RenderWarning):
            click.echo(f"warning: {w.message}", err=True)
        else:
            warnings.showwarning(w.message, w.category, w.filename, w.lineno)


def _options(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"-O takes KEY=VALUE, not {pair!r}")
        out[key.strip()] = value
    return out


def _takes_options(renderer) -> bool:
    """Whether `render` accepts keyword options (`**options`)."""
    return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(renderer.render).parameters.values())


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
