"""What the commands share: reading a survey file (or exiting 2 with its
diagnostics), and printing survey texts safely to a terminal."""

from __future__ import annotations

import sys
from typing import NoReturn

import attrs
import click

from qengine.errors import QdlError
from qengine.model import Survey
from qengine.span import Source
from qengine.syntax.loader import check, decode_source, read_file
from qengine.terminal import safe

#: The file argument that means standard input.
STDIN = "-"


def use_color(stream=None) -> bool:
    stream = stream or sys.stderr
    return hasattr(stream, "isatty") and stream.isatty()


def read_survey(path: str) -> Source:
    """The survey in the file `path` (`-`: standard input). The argument is always
    a file name, never survey text. Raises QdlError (E001, E002)."""
    if path == STDIN:
        return decode_source(sys.stdin.buffer.read(), "<stdin>")
    return read_file(path)


def format_diagnostics(diagnostics, source: Source | None, *, color: bool) -> list[str]:
    """The diagnostics as `Diagnostic.format` prints them, with the survey's own
    words (messages, hints, the quoted lines) made safe for the terminal first, so
    that only qengine's colours reach it."""
    if source is not None:  # line by line, so that only a line with escapes changes width
        source = Source("\n".join(map(safe, source.text.split("\n"))), source.path)
    return [attrs.evolve(d, message=safe(d.message), hint=d.hint and safe(d.hint)).format(source, color=color)
            for d in diagnostics]


def print_diagnostics(err: QdlError, *, color: bool) -> None:
    click.echo("\n\n".join(format_diagnostics(err.diagnostics, err.source, color=color)), err=True)


def read_or_exit(path: str) -> Source:
    """The survey text in the file `path` (`-`: standard input); when it cannot be
    read, say why and exit 2."""
    try:
        return read_survey(path)
    except QdlError as err:
        _exit(path, err)


def load_or_exit(path: str) -> Survey:
    """The survey in the file `path` (`-`: standard input); on any problem, print
    every diagnostic and exit 2."""
    source = read_or_exit(path)
    survey, diagnostics = check(source)
    if survey is None:
        _exit(path, QdlError(diagnostics, source))
    return survey


def _exit(path: str, err: QdlError) -> NoReturn:
    print_diagnostics(err, color=use_color())
    n = len(err.diagnostics)
    click.echo(f"\n{safe(path)}: {n} error{'s' if n != 1 else ''}; fix the survey first", err=True)
    raise SystemExit(2)
