"""`qengine responses`: the responses to a survey, from the server's database, JSON
lines, a folder of response files or a LimeSurvey results CSV, as JSON lines,
JSON, CSV, XLSX, SPSS, Stata or Parquet (docs/data.md).

The inputs and their problems are shared with `qengine report` (`source_options`,
`load_or_exit`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qengine.cli.serve import database_option, open_database

TABLE_FORMATS = ("csv", "xlsx", "sav", "dta", "parquet")
BINARY = ("xlsx", "sav", "dta", "parquet")
#: problems printed one by one; the rest are counted
SHOWN_PROBLEMS = 50


def source_options(function):
    """--db (the shared option), --from, --from-limesurvey, --partial, --strict."""
    for option in reversed((
        database_option,
        click.option("--from", "from_path", metavar="FILE.jsonl|DIR", type=click.Path(exists=True),
                     help="JSON lines (one record a line) or a folder of response files."),
        click.option("--from-limesurvey", "limesurvey", metavar="RESULTS.csv",
                     type=click.Path(exists=True, dir_okay=False),
                     help="A LimeSurvey response export (CSV, question codes, answer codes)."),
        click.option("--partial", is_flag=True, help="Also the responses not submitted (yet)."),
        click.option("--strict", is_flag=True, help="Stop at the first problem in the input (exit 1)."),
    )):
        function = option(function)
    return function


def load_or_exit(survey_file: str, database, from_path, limesurvey, *, partial: bool, strict: bool):
    """The survey and its responses, replayed; problems printed to stderr. Exit 2
    for a source that cannot be read, 1 for a problem with --strict."""
    from qengine.cli.common import load_or_exit as load_survey
    from qengine.data import DataError, MissingExtra
    from qengine.data.sources import Source, load

    if sum(x is not None for x in (database, from_path, limesurvey)) > 1:
        raise click.UsageError("give one input: --db, --from or --from-limesurvey")
    if from_path is not None:
        survey = load_survey(survey_file)
        source = Source("dir" if Path(from_path).is_dir() else "jsonl", from_path)
    elif limesurvey is not None:
        survey = load_survey(survey_file)
        source = Source("limesurvey", limesurvey)
    else:
        _, prepared = open_database(survey_file, database, must_exist=True)
        survey = prepared.survey
        source = Source("db", prepared.url.render_as_string(hide_password=False))
    try:
        loaded = load(survey, source, partial=partial, strict=strict)
    except MissingExtra as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    except DataError as err:
        from qengine.cli.common import safe

        click.echo(safe(f"error: {err}"), err=True)
        raise SystemExit(1 if strict and "--strict" in str(err) else 2) from None
    _say_problems(loaded)
    return survey, loaded


def _say_problems(loaded) -> None:
    from qengine.cli.common import safe

    for p in loaded.problems[:SHOWN_PROBLEMS]:
        click.echo(safe(f"warning: {p}"), err=True)
    more = len(loaded.problems) - SHOWN_PROBLEMS
    if more > 0:
        click.echo(f"warning: … and {more} more problem{'s' if more != 1 else ''}", err=True)
    if loaded.partial_left_out:
        n = loaded.partial_left_out
        click.echo(f"note: {n} partial response{'s' if n != 1 else ''} left out (--partial includes them)",
                   err=True)


@click.command("responses")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@source_options
@click.option("--format", "fmt", type=click.Choice(("jsonl", "json", *TABLE_FORMATS)), default="jsonl",
              show_default=True,
              help="JSON lines, JSON, or a table: CSV, Excel, SPSS (.sav), Stata (.dta), Parquet.")
@click.option("--layout", type=click.Choice(("variables", "records")), default="variables", show_default=True,
              help="CSV only: one column a variable, or (from --db) the server's records: one column a "
                   "question with JSON cells, as the first version of this command wrote them.")
@click.option("--not-asked", default="-1", show_default=True, help="The code of 'not asked' (CSV, XLSX, SPSS).")
@click.option("--no-answer", default="-2", show_default=True,
              help="The code of 'asked, no answer' (CSV, XLSX, SPSS).")
@click.option("-o", "--output", default="-", help="File to write ('-': standard output, text formats only).")
@click.option("--delete", "delete", type=int, multiple=True, metavar="ID",
              help="Delete the response with this id from the database instead (repeat for several).")
def responses_command(survey_file, database, from_path, limesurvey, partial, strict, fmt, layout, not_asked,
                      no_answer, output, delete):
    """Write the responses to SURVEY, one record or one row each. From the server's
    database (--db, the default), JSON lines or a folder (--from), or a LimeSurvey
    results CSV (--from-limesurvey). Who was asked each question is replayed by
    the survey; "not asked" and "asked, no answer" stay distinct in every format
    (docs/data.md). Problems in the input are warnings (--strict: fatal).

    With --delete, delete responses for good instead (a respondent's request, a
    test run).

    Exit 1 for a problem with --strict; 2 for a bad survey, an input that cannot
    be read, an unknown id.
    """
    if delete:
        if from_path or limesurvey:
            raise click.UsageError("--delete removes responses from the database (--db), not from files")
        _delete(survey_file, database, delete)
    if fmt in BINARY and output == "-":
        raise click.UsageError(f"--format {fmt} writes a file: give it with -o FILE.{fmt}")
    from_files = from_path is not None or limesurvey is not None
    if layout == "records" and fmt != "csv":
        raise click.UsageError("--layout records is a CSV layout (JSON lines and JSON are records anyway)")
    if not from_files and (fmt in ("jsonl", "json") or (fmt == "csv" and layout == "records")):
        _server_records(survey_file, database, fmt, output, partial)
        return
    if from_files and fmt == "csv" and layout == "records":
        raise click.UsageError("--layout records reads the server's database (--db)")
    from qengine.data import DataError, MissingExtra
    from qengine.data.export import Codes, Table, write

    _, loaded = load_or_exit(survey_file, database, from_path, limesurvey, partial=partial, strict=strict)
    try:
        codes = Codes(not_asked, no_answer)
        table = Table(loaded)
        if output == "-":
            write(table, fmt, sys.stdout, codes)
        else:
            write(table, fmt, output, codes)
    except (DataError, MissingExtra) as err:
        click.echo(f"error: {err}", err=True)
        raise SystemExit(2) from None
    except OSError as err:
        click.echo(f"{output}: cannot write: {err.strerror or err}", err=True)
        raise SystemExit(2) from None
    if output != "-":
        n = len(loaded.records)
        click.echo(f"{n} response{'s' if n != 1 else ''} written to {output}", err=True)


def _delete(survey_file, database, delete):
    database, prepared = open_database(survey_file, database, must_exist=True)
    from qengine.serve.storage import Store, create_engine

    engine = create_engine(prepared.url, pool_size=1)
    store = Store(engine, prepared.survey.code)
    missing = [i for i in delete if not store.delete_response(i)]
    engine.dispose()
    for i in missing:
        click.echo(f"no response {i} to {prepared.survey.code} in {database}", err=True)
    deleted = len(delete) - len(missing)
    click.echo(f"{deleted} response{'s' if deleted != 1 else ''} deleted", err=True)
    raise SystemExit(2 if missing else 0)


def _server_records(survey_file, database, fmt, output, partial):
    """The records as the server stored them (the layout of the first version of
    this command): JSON lines, JSON, or CSV with one column a question."""
    database, prepared = open_database(survey_file, database, must_exist=True)
    from qengine.serve.records import records, write
    from qengine.serve.storage import Store, create_engine

    engine = create_engine(prepared.url, pool_size=1)
    store = Store(engine, prepared.survey.code)
    rows = records(store, prepared.survey, prepared.version, partial=partial)
    try:
        if output == "-":
            n = write(sys.stdout, rows, fmt, prepared.survey)
        else:
            with Path(output).open("w", encoding="utf-8", newline="") as out:
                n = write(out, rows, fmt, prepared.survey)
    except OSError as err:
        click.echo(f"{output}: cannot write: {err.strerror or err}", err=True)
        raise SystemExit(2) from None
    finally:
        engine.dispose()
    if output != "-":
        click.echo(f"{n} response{'s' if n != 1 else ''} written to {output}", err=True)
