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
def responses_command(survey_file, database, fmt, output, partial):
    """Print the responses to SURVEY stored by `qengine serve`, one record each:
    id, version, status, started_at, submitted_at, page_durations and the response
    (what `qengine play` gives for the same answers).

    Exit 2 for a bad survey or a database that cannot be read.
    """
    database, prepared = open_database(survey_file, database, must_exist=True)
    from qengine.serve.records import records, write
    from qengine.serve.storage import Store, create_engine

    engine = create_engine(prepared.url, pool_size=1)
    rows = records(Store(engine, prepared.survey.code), prepared.survey, prepared.version, partial=partial)
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
