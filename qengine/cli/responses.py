"""`qengine responses`: the responses a server collected, as JSON lines, CSV or JSON."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from qengine.cli.serve import database_option, open_database


@click.command("responses")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@database_option
@click.option("--format", "fmt", type=click.Choice(("jsonl", "csv", "json")), default="jsonl", show_default=True,
              help="One JSON record a line, one CSV line a response, or one JSON array.")
@click.option("-o", "--output", default="-", help="File to write ('-': standard output).")
@click.option("--partial", is_flag=True, help="Also the responses not submitted (yet).")
@click.option("--delete", "delete", type=int, multiple=True, metavar="ID",
              help="Delete the response with this id instead (repeat for several).")
def responses_command(survey_file, database, fmt, output, partial, delete):
    """Print the responses to SURVEY stored by `qengine serve`, one record each:
    id, version, status, started_at, submitted_at, page_durations and the response
    (what `qengine play` gives for the same answers). With --delete, delete
    responses for good instead (a respondent's request, a test run).

    Exit 2 for a bad survey, a database that cannot be read or an unknown id.
    """
    database, prepared = open_database(survey_file, database, must_exist=True)
    from qengine.serve.records import records, write
    from qengine.serve.storage import Store, create_engine

    engine = create_engine(prepared.url, pool_size=1)
    store = Store(engine, prepared.survey.code)
    if delete:
        missing = [i for i in delete if not store.delete_response(i)]
        engine.dispose()
        for i in missing:
            click.echo(f"no response {i} to {prepared.survey.code} in {database}", err=True)
        deleted = len(delete) - len(missing)
        click.echo(f"{deleted} response{'s' if deleted != 1 else ''} deleted", err=True)
        raise SystemExit(2 if missing else 0)
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
