"""`qengine diff`: which respondents can tell two versions of a survey apart."""

from __future__ import annotations

import click

from qengine.cli.common import load_or_exit, safe


@click.command("diff")
@click.argument("old_file", metavar="OLD", type=click.Path(dir_okay=False))
@click.argument("new_file", metavar="NEW", type=click.Path(dir_okay=False))
@click.option("--rename", "renames", multiple=True, metavar="OLD=NEW",
              help="A question or group renamed between the versions (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text",
              show_default=True, help="Output format.")
def diff_command(old_file, new_file, renames, fmt):
    """Say, with a witness replayed on both versions, which respondents' experience
    changes from survey OLD to survey NEW: questions, options, rows and groups shown
    to other respondents, what questions accept, values, defaults, wording.

    Exit 0 when no respondent can tell the versions apart, 1 when some can (or
    when that is undecided), 2 for a usage error or a survey that does not load.
    """
    from qengine.diff import RenameError, diff, output, parse_renames

    old, new = load_or_exit(old_file), load_or_exit(new_file)
    try:
        report = diff(old, new, parse_renames(renames), names=(old_file, new_file))
    except RenameError as err:
        raise click.UsageError(str(err)) from None
    render = {"text": output.text, "json": output.to_json, "markdown": output.markdown}[fmt]
    click.echo(safe(render(report)) if fmt == "text" else render(report), nl=False)
    raise SystemExit(report.exit_code)
