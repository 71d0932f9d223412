"""What the commands share: loading a survey or exiting 2 with its diagnostics."""

from __future__ import annotations

import sys

import click

from qengine.errors import QdlError
from qengine.loader import load
from qengine.model import Survey


def use_color(stream=None) -> bool:
    stream = stream or sys.stderr
    return hasattr(stream, "isatty") and stream.isatty()


def load_or_exit(path: str) -> Survey:
    """The survey at `path`; on any problem, print every diagnostic and exit 2."""
    try:
        return load(path)
    except QdlError as err:
        click.echo(err.format(color=use_color()), err=True)
        n = len(err.diagnostics)
        click.echo(f"\n{path}: {n} error{'s' if n != 1 else ''}; fix the survey first", err=True)
        raise SystemExit(2) from None
