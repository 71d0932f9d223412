"""`qengine test`: check the routes a survey's author stated (`expect` blocks in the
survey and in `SURVEY.expect`)."""

from __future__ import annotations

import click

from qengine.cli.common import _exit, load_or_exit, safe
from qengine.errors import QdlError


@click.command("test")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
def test_command(survey_file):
    """Check the stated routes of SURVEY: its `expect` blocks and those of
    SURVEY.expect beside it. Routes are played through the runtime; `expect
    every respondent who ...` statements are proved or refuted by the solver, a
    refutation with a counter-example that `qengine play` replays.

    Exit 0 when every expectation holds, 1 when one fails or cannot be decided,
    2 for a usage error, a survey or side file that does not load, or no
    expectation at all.
    """
    from qengine.expect import expectations_of, run, side_file
    from qengine.expect.output import describe, summary

    survey = load_or_exit(survey_file)
    try:
        items = expectations_of(survey, survey_file)
    except QdlError as err:
        _exit(str(side_file(survey_file)), err)
    if not items:
        click.echo(f"{safe(survey_file)}: no expectation to check (write expect blocks in the survey "
                   f"or in {safe(str(side_file(survey_file)))})", err=True)
        raise SystemExit(2)
    results = run(survey, items)
    for r in results:
        click.echo(safe(describe(r, survey_file)))
    click.echo(summary(results))
    raise SystemExit(0 if all(r.passed for r in results) else 1)
