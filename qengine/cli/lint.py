"""`qengine lint`: findings, rule explanations, witnesses and path statistics."""

from __future__ import annotations

import json

import click

from qengine.cli.common import load_or_exit, read_or_exit, safe
from qengine.cli.progress import bar


@click.command("lint")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif"]), default="text",
              show_default=True, help="Output format.")
@click.option("--select", multiple=True, metavar="CODES",
              help="Only these codes or prefixes (comma-separated, repeatable).")
@click.option("--ignore", multiple=True, metavar="CODES", help="Leave out these codes or prefixes.")
@click.option("--explain", metavar="CODE", help="Explain a rule and exit.")
@click.option("--witness", metavar="QUESTION",
              help="Print an answers file that shows QUESTION (for qengine play).")
@click.option("--stats", is_flag=True,
              help="Print the number of questions, the fewest and most shown, and the time range.")
@click.option("--docs", is_flag=True, help="Print every rule as Markdown (docs/lint-rules.md).")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True, metavar="N",
              help="Processes that share the solver's pages (long surveys).")
@click.option("--progress/--no-progress", default=None,
              help="A progress bar on stderr for a run longer than 2 s [default: when stderr is a terminal].")
def lint_command(files, fmt, select, ignore, explain, witness, stats, docs, jobs, progress):
    """Report what is wrong with survey FILES: load errors, questions, options and
    groups nobody can reach, conditions that filter nothing, dead ends, type
    misuse and design flaws.

    Exit 0 when no finding is an error, 1 when one is, 2 for a usage error or a
    survey that does not load.
    """
    from qengine.lint import exit_code, lint_source, output
    from qengine.lint.registry import Selection, lookup

    if docs:
        from qengine.lint.docs import markdown

        click.echo(markdown(), nl=False)
        return
    if explain:
        found = lookup(explain)
        if found is None:
            raise click.UsageError(f"no rule {explain!r}; see qengine lint --docs")
        click.echo(found.explain(), nl=False)
        return
    if not files:
        raise click.UsageError("give at least one survey file")
    selection = Selection.of(select, ignore)
    if selection.unknown():
        raise click.UsageError("unknown code or prefix: " + ", ".join(selection.unknown()))
    if witness or stats:
        if len(files) != 1:
            raise click.UsageError("--witness and --stats take one survey")
        survey = load_or_exit(files[0])
        if witness:
            _witness(survey, witness)
        else:
            _stats(survey, fmt, progress)
        return
    with bar("lint", progress) as shown:
        results = [lint_source(read_or_exit(f), select=select, ignore=ignore, progress=shown, jobs=jobs)
                   for f in files]
    render = {"text": output.text, "json": output.to_json, "sarif": output.sarif}[fmt]
    click.echo(safe(render(results)) if fmt == "text" else render(results), nl=False)
    raise SystemExit(exit_code(results))


def _witness(survey, code):
    from qengine.errors import did_you_mean
    from qengine.lint.witness import witness

    if code not in survey.by_code:
        raise click.UsageError(f"no question {code!r}" + (f" ({hint})" if (hint := did_you_mean(
            code, survey.by_code)) else ""))
    verdict = witness(survey, code)
    if verdict.witness is None:
        reason = ("no respondent can be shown it" if verdict.status == "impossible" else
                  "undecided: it rests on " + "; ".join(sorted(verdict.reasons)))
        click.echo(safe(f"{code}: no witness, {reason}"), err=True)
        raise SystemExit(1)
    click.echo(json.dumps(verdict.witness, ensure_ascii=False, indent=2))


def _stats(survey, fmt, progress):
    from qengine.lint.stats import NoStatistics, path_statistics

    try:
        with bar("lint --stats", progress) as shown:
            result = path_statistics(survey, shown)
    except NoStatistics as err:
        click.echo(safe(str(err)), err=True)
        raise SystemExit(1) from None
    click.echo(json.dumps(result.to_json(), indent=2) if fmt == "json" else safe(result.describe()))
