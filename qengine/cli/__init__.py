"""The `qengine` command line: one module per command, all on one click group.

Exit codes, for every command: 0 success, 1 the survey (or the run) has problems,
2 usage errors and files that cannot be read at all.
"""

from __future__ import annotations

import click

from qengine import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qengine")
def main():
    """qengine: check, run, lint, fuzz and render QDL questionnaires."""


def _register():
    # Each module adds its commands to `main`.
    from qengine.cli import check, fuzz, lint, play, render, run  # noqa: F401

_register()
