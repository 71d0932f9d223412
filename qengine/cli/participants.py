"""`qengine participants add`: one-use invitations for a closed survey."""

from __future__ import annotations

import contextlib
import csv
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from qengine.cli.serve import database_option, open_database, require_server_stack


@click.group("participants")
def participants_command():
    """Invitations to a survey fielded with `qengine serve --closed`."""


@participants_command.command("add")
@click.argument("survey_file", metavar="SURVEY", type=click.Path(dir_okay=False))
@database_option
@click.option("--csv", "csv_file", required=True, type=click.Path(dir_okay=False),
              help="The people to invite: a CSV file with a header line, one person a line.")
@click.option("-o", "--output", default="-",
              help="Where to write the list with each person's token ('-': standard output).")
@click.option("--url", help="The survey's public address; adds each person's link to the list.")
def add_command(survey_file, database, csv_file, output, url):
    """Make one invitation token per line of the CSV file and write the list again
    with a `token` column (and a `link` column with --url), for a mail merge.

    The database keeps only a hash of each token and nothing of the CSV file: who
    was invited, and so who answered, is known only from the list written here.

    Exit 2 for a bad survey, CSV file or database.
    """
    require_server_stack()
    people, columns = _read(csv_file)
    for name in ("token", "link"):
        if name in columns:
            click.echo(f"{csv_file}: already has a {name!r} column; remove it first", err=True)
            raise SystemExit(2)
    database, prepared = open_database(survey_file, database)
    from qengine.serve import tokens
    from qengine.serve.storage import Store, create_engine

    made = [tokens.new() for _ in people]
    out_columns = [*columns, "token", *(["link"] if url else [])]
    rows = [{**person, "token": t.text, **({"link": f"{url.rstrip('/')}/i/{t.text}"} if url else {})}
            for person, t in zip(people, made, strict=True)]
    if output != "-" and Path(output).exists():
        click.echo(f"{output}: already exists; an invitation list is never overwritten", err=True)
        raise SystemExit(2)
    engine = create_engine(prepared.url, pool_size=1)
    try:
        Store(engine, prepared.survey.code).add_invitations(
            [(t.selector, t.verifier_hash) for t in made], datetime.now(UTC))
    finally:
        engine.dispose()
    try:
        with contextlib.nullcontext(sys.stdout) if output == "-" else \
                Path(output).open("x", encoding="utf-8", newline="") as target:
            writer = csv.DictWriter(target, out_columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    except OSError as err:
        click.echo(f"{output}: cannot write the list: {err.strerror or err}", err=True)
        raise SystemExit(2) from None
    click.echo(f"{len(made)} invitation{'s' if len(made) != 1 else ''} added to {database}"
               + ("" if output == "-" else f"; the tokens are only in {output}: keep it safe"), err=True)


def _read(path: str) -> tuple[list[dict], list[str]]:
    try:
        with Path(path).open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            people = list(reader)
            columns = list(reader.fieldnames or [])
    except (OSError, UnicodeDecodeError, csv.Error) as err:
        click.echo(f"{path}: cannot read the CSV file: {err}", err=True)
        raise SystemExit(2) from None
    if not columns:
        click.echo(f"{path}: the CSV file is empty: it needs a header line, then one person a line", err=True)
        raise SystemExit(2)
    for n, person in enumerate(people, 2):
        if None in person:
            click.echo(f"{path}:{n}: more fields than the header line names", err=True)
            raise SystemExit(2)
    return people, columns
