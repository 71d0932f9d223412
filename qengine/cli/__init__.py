"""The `qengine` command line: one module per command, all on one click group.

Exit codes, for every command: 0 success, 1 the survey (or the run) has problems,
2 usage errors and files that cannot be read at all.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from qengine import __version__
from qengine.errors import EvaluationError

# Where each command lives. A module is imported only when its command runs (or
# when --help lists them all): `qengine check` need not load the renderers, the
# runtime or the fuzzer, and starts in half the time.
COMMANDS = {
    "check": "qengine.cli.check:check_command",
    "codebook": "qengine.cli.codebook:codebook_command",
    "diff": "qengine.cli.diff:diff_command",
    "export": "qengine.cli.check:export_command",
    "fuzz": "qengine.cli.fuzz:fuzz_command",
    "import": "qengine.cli.importing:import_command",
    "lint": "qengine.cli.lint:lint_command",
    "participants": "qengine.cli.participants:participants_command",
    "play": "qengine.cli.play:play_command",
    "render": "qengine.cli.render:render_command",
    "report": "qengine.cli.report:report_command",
    "responses": "qengine.cli.responses:responses_command",
    "run": "qengine.cli.run:run_command",
    "schema": "qengine.cli.play:schema_command",
    "serve": "qengine.cli.serve:serve_command",
    "test": "qengine.cli.test:test_command",
}


class _Commands(click.Group):
    def __call__(self, *args, **kwargs):
        """The `qengine` command itself: no traceback reaches the user. A survey
        that fails while it runs exits 1, as the commands that run one say;
        anything else is a bug of qengine, said in one line with exit 2 (the
        traceback with QENGINE_DEBUG=1). Tests call `main.main()` through Click's
        runner, which does not come here, so that a bug still fails them."""
        try:
            return self.main(*args, **kwargs)
        except Exception as err:  # noqa: BLE001 - the last line of defence, by design
            if os.environ.get("QENGINE_DEBUG"):
                raise
            _report(err)

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        where = COMMANDS.get(name)
        if where is None:
            return None
        module, attribute = where.split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qengine")
def main():
    """qengine: check, run, lint, fuzz and render QDL questionnaires."""


def _report(err: Exception):
    """Say what went wrong in one line and exit (the survey's fault 1, qengine's 2)."""
    from qengine.cli.common import safe

    if isinstance(err, EvaluationError):
        click.echo(safe(f"error: the survey failed while running: {err}"), err=True)
        sys.exit(1)
    message = f"{type(err).__name__}: {err}"[:2000]
    click.echo(safe(f"error: qengine failed, which is a bug of qengine (please report it with "
                    f"the command and its input): {message}"), err=True)
    sys.exit(2)
