"""`qengine fuzz`: many random respondents, the property checked on each, coverage.

Exit 0 when every respondent submitted a consistent response, 1 when a defect was
found (each written as an answers file `qengine play` replays), 2 for a survey
that does not load or options that make no sense.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from qengine.cli.common import load_or_exit
from qengine.errors import EvaluationError
from qengine.model import NAVIGATION_FORMATS, Survey
from qengine.runtime.play import play

if TYPE_CHECKING:  # Hypothesis is imported only when fuzzing: every other command starts faster
    from qengine.testing import FuzzReport
    from qengine.testing._steps import Respondent


@click.command("fuzz")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@click.option("--examples", "-n", default=500, show_default=True, type=click.IntRange(min=1),
              help="How many respondents to walk through the survey (rounded up to a multiple of 8).")
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the search (printed after each run, "
              "so that a run can be repeated).")
@click.option("--format", "fmt", type=click.Choice(NAVIGATION_FORMATS),
              help="Pages: one question, one group (default: the survey's), or all.")
@click.option("--out", "out_dir", default=".", show_default=True,
              type=click.Path(file_okay=False, exists=True, writable=True),
              help="Directory for the answers files of failing paths.")
@click.option("--no-witnesses", is_flag=True, help="Do not seed the search with lint's witnesses.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
def fuzz_command(survey_file, examples, seed, fmt, out_dir, no_witnesses, as_json):
    """Walk many random respondents through SURVEY and check that each reaches
    submission: no exception, every text renders, invalid answers are refused and
    not stored, the response fits the response schema and holds only questions
    shown. Then print how often each question was shown and each option chosen.

    A failing path is shrunk to a short one and written as an answers file that
    `qengine play` replays.
    """
    survey = load_or_exit(survey_file)
    from qengine.testing import fuzz

    report = fuzz(survey, examples=examples, seed=seed, format=fmt, witnesses=not no_witnesses)
    written = [_write(survey, survey_file, r, Path(out_dir), fmt) for r in report.failures]
    if as_json:
        click.echo(json.dumps(_to_json(report, survey_file, written), ensure_ascii=False, indent=2))
    else:
        _print(report, survey_file, written)
    raise SystemExit(0 if report.passed else 1)


def _write(survey: Survey, survey_file: str, respondent: Respondent, out_dir: Path, fmt) -> dict:
    """Write the failing path's answers; replay them as `qengine play` would."""
    defect = respondent.defect
    assert defect is not None  # a failing respondent
    path = out_dir / f"{Path(survey_file).stem}.{defect.kind}.answers.json"
    path.write_text(json.dumps(respondent.answers, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    command = f"qengine play {survey_file} --answers {path}" + (f" --format {fmt}" if fmt else "")
    try:
        result = play(survey, respondent.answers, format=fmt)
        replay = ("exits 1: the page cannot be passed" if not result.complete else
                  "submits: the failure needs the path's detours (going back, invalid values, changes)")
    except EvaluationError as err:
        replay = f"exits 1: the survey fails while running ({err.message})"
    return {"file": str(path), "command": command, "replay": replay}


def _print(report: FuzzReport, survey_file: str, written: list[dict]) -> None:
    cov = report.coverage
    rate = cov.respondents / report.elapsed if report.elapsed else 0.0
    head = (f"{survey_file}: {cov.respondents} respondent{'s' if cov.respondents != 1 else ''} in {report.elapsed:.1f} s "
            f"({rate:.0f}/s), seed {report.seed}")
    if report.passed:
        click.secho(f"{head}: every one submitted", fg="green")
    else:
        click.secho(f"{head}: {len(report.failures)} defect{'s' if len(report.failures) > 1 else ''} found",
                    fg="red")
    for respondent, out in zip(report.failures, written, strict=True):
        click.echo()
        click.secho(f"✗ {respondent.defect}", fg="red", bold=True)
        click.echo("  shortest path found:")
        for line in respondent.path.splitlines()[:-1] or ["(none: it fails before the first page)"]:
            click.echo(f"  {line}")
        click.echo(f"  answers written to {out['file']}")
        click.echo(f"  replay: {out['command']}  ({out['replay']})")
    click.echo()
    _print_coverage(report)


def _print_coverage(report: FuzzReport) -> None:
    cov = report.coverage
    visible = cov.visible_questions
    shown = len(visible) - len(cov.never_shown)
    click.secho(f"coverage: {shown} of {len(visible)} questions shown, over {cov.respondents} "
                f"respondent{'s' if cov.respondents != 1 else ''} "
                f"({cov.submitted} submitted)", bold=True)
    width = max((len(c) for c in visible), default=8)
    for code in visible:
        options = "  ".join(f"{o} {n}" for o, n in cov.choices(code))
        click.echo(f"  {code:<{width}} {cov.shown[code]:>7}  {options}".rstrip())
    click.echo(report.never_shown_line())
    if report.lint_error:
        click.secho(f"warning: lint gave no witnesses ({report.lint_error})", fg="yellow")
    if report.textless:
        click.secho(report.textless_line(), fg="yellow")
    never = cov.never_chosen
    click.echo("never chosen: " + ("; ".join(f"{q}: {', '.join(o)}" for q, o in never.items()) or "none"))
    if report.aimed_at:
        click.echo(f"the last quarter of the respondents aimed at: {', '.join(report.aimed_at)}")


def _to_json(report: FuzzReport, survey_file: str, written: list[dict]) -> dict:
    from qengine.testing._steps import KINDS

    cov = report.coverage
    return {
        "survey": report.survey,
        "file": survey_file,
        "seed": report.seed,
        "respondents": cov.respondents,
        "elapsed": round(report.elapsed, 3),
        "passed": report.passed,
        "failures": [{"kind": d.kind, "meaning": KINDS[d.kind], "message": d.message,
                      "path": [str(s).strip() for s in r.steps], "answers": dict(r.answers),
                      "answers_file": out["file"], "replay": out["replay"]}
                     for r, out in zip(report.failures, written, strict=True) if (d := r.defect) is not None],
        "coverage": cov.to_json(),
        "aimed_at": list(report.aimed_at),
        "unreachable": list(report.unreachable),
        "lint_error": report.lint_error,
        "textless": list(report.textless),
    }
