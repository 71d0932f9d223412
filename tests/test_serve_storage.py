"""What `qengine serve` keeps, on SQLite and on PostgreSQL: the schema its
migrations make, tokens, survey versions, and the records `qengine responses`
exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.runtime.play import play
from qengine.serve import migrate, tokens
from qengine.serve.respond import Conflict, NotFound, Refused, Respondents, SurveyChanged
from qengine.serve.storage import Store, create_engine, database_url
from qengine.serve.tables import metadata
from qengine.serve.versions import version_of

ROOT = Path(__file__).parent.parent
GP = ROOT / "surveys" / "gp_backup.qdl"

SMALL = """survey small "Small"
language en

group one "One"
  single pet "Which pet?"
    mandatory
    - cat "Cat"
    - dog "Dog"
  text name "Its name?"
    when pet == "dog"

group two "Two"
  text colour "Its colour?"
"""


def _engine(url: str) -> sa.Engine:
    engine = create_engine(database_url(url))
    migrate.upgrade(engine)
    return engine


def _respondents(engine: sa.Engine, text: str, clock=None) -> Respondents:
    survey = qengine.load(text)
    version = version_of(survey)
    store = Store(engine, survey.code)
    store.record_version(version, text, datetime.now(UTC))
    return Respondents(survey, version, store, **({"clock": clock} if clock else {}))


def test_migrations_make_the_schema_the_tables_describe(database):
    engine = create_engine(database_url(database))
    assert migrate.current(engine) is None
    migrate.upgrade(engine)
    migrate.upgrade(engine)  # a second start finds nothing to do
    assert migrate.current(engine) == migrate.head()
    with engine.connect() as c:
        context = MigrationContext.configure(c, opts={"version_table": migrate.VERSION_TABLE})
        assert compare_metadata(context, metadata) == []
    engine.dispose()


def test_tokens_have_128_secret_bits_and_one_spelling():
    made = {tokens.new().text for _ in range(200)}
    assert len(made) == 200 and all(len(t) == tokens.LENGTH == 32 for t in made)
    token = tokens.new()
    assert tokens.selector_of(token.text) == token.selector
    assert tokens.matches(token.text, token.verifier_hash)
    assert not tokens.matches(tokens.new().text, token.verifier_hash)
    assert not tokens.matches("short", token.verifier_hash)
    swapped = token.text.replace("-", "+").replace("_", "/")
    assert swapped == token.text or tokens.selector_of(swapped) is None
    assert tokens.selector_of("é" * 32) is None and tokens.selector_of("=" * 32) is None


def test_rows_written_on_the_driver_read_the_same_through_sqlalchemy(database):
    """`Store.insert_response`, `update_response` and `response` run on the driver's
    cursor (`statements.py`); exports and /admin read through SQLAlchemy. Both must
    see one row: JSON as given, datetimes in UTC to the microsecond."""
    engine = _engine(database)
    store = Store(engine, "small")
    started = datetime(2025, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)
    values = {"selector": "00ff00ff00ff00ff", "verifier_hash": "ab" * 32, "version": "v1", "status": "partial",
              "answers": {"name": "Zoë 🐈", "pets": ["cat", "dog"], "age": 3.5, "nested": {"a": [None, True]}},
              "page": 0, "page_durations": {}, "response": None, "started_at": started, "updated_at": started}
    row_id = store.insert_response(values)
    read = store.response("00ff00ff00ff00ff")
    assert read is not None and (read.id, read.revision) == (row_id, 0)
    assert [read] == list(store.responses(partial=True))
    assert read.answers == values["answers"] and read.started_at == started and read.submitted_at is None

    later = started.astimezone(timezone(timedelta(hours=2))) + timedelta(minutes=5)  # any zone, stored in UTC
    written = store.update_response(read, {"status": "complete", "response": {"name": "Zoë 🐈"},
                                           "submitted_at": later, "page_durations": {"one": 12.5}})
    assert store.update_response(read, {"page": 3}) is None  # the revision read is gone
    again = store.response("00ff00ff00ff00ff")
    assert again is not None and [again] == list(store.responses(partial=False))
    assert written == again  # what a worker keeps of the row it wrote is the row stored
    assert (again.revision, again.page, again.status) == (1, 0, "complete")
    assert again.submitted_at == later and again.submitted_at.tzinfo == UTC
    assert again.response == {"name": "Zoë 🐈"} and again.page_durations == {"one": 12.5}
    assert store.response("0000000000000000") is None
    engine.dispose()


PETS = """survey pets "Pets"
language en

group one "One"
  single pet "Which pet?"
    - cat "Cat"
    - dog "Dog"
  text name "Its name?"
    when pet == "dog"
  single size "Its size?"
    - small "Small"
    - big "Big" when pet == "dog"
"""


def test_a_worker_never_writes_over_what_another_changed(database):
    """Each worker keeps the responses it served and changes them without reading
    them first (`Respondents._recalled`): the write is guarded by the revision kept,
    so a change made by another worker meanwhile is never overwritten, and what the
    kept copy would conclude is concluded again from the database."""
    engine = _engine(database)
    a, b = _respondents(engine, PETS), _respondents(engine, PETS)  # two workers, one database
    token = a.create().token
    a.answer(token, {"pet": "cat"})
    b.answer(token, {"pet": "dog"})
    # From a's copy (a cat) "name" is hidden and would be dropped: it is not.
    assert a.answer(token, {"name": "Rex"})["response"] == {"pet": "dog", "name": "Rex", "size": None}
    b.answer(token, {"pet": "cat"})
    # From a's copy (a dog) "big" would be accepted: the database says cat, so it is refused.
    with pytest.raises(Refused):
        a.answer(token, {"size": "big"})
    assert a.state(token)[1]["response"]["pet"] == "cat"  # a keeps it as read
    b.answer(token, {"pet": "dog"})
    # From a's copy (a cat) "big" would be refused: the database says dog.
    assert a.answer(token, {"size": "big"})["response"] == {"pet": "dog", "name": "Rex", "size": "big"}
    b.answer(token, {"size": "small"})
    assert a.submit(token) == {"pet": "dog", "name": "Rex", "size": "small"}
    assert b.state(token)[1]["status"] == "complete"
    engine.dispose()


def test_a_response_deleted_or_given_a_new_token_is_gone_for_the_worker_that_kept_it(database):
    engine = _engine(database)
    serving = _respondents(engine, PETS)
    token = serving.create().token
    serving.answer(token, {"pet": "dog"})
    assert serving.store.delete_response(serving.state(token)[0])
    for attempt in (lambda: serving.answer(token, {"name": "Rex"}), lambda: serving.submit(token)):
        with pytest.raises(NotFound):
            attempt()

    invitation = tokens.new()
    serving.store.add_invitations([(invitation.selector, invitation.verifier_hash)], datetime.now(UTC))
    old = serving.create(invitation=invitation.text).token
    serving.answer(old, {"pet": "cat"})
    new = serving.invited(invitation.text)  # the invitation link again: a new token
    assert new is not None and new != old
    with pytest.raises(NotFound):
        serving.answer(old, {"pet": "dog"})
    assert serving.answer(new, {"pet": "dog"})["response"]["pet"] == "dog"
    engine.dispose()


def test_a_version_is_the_model_not_the_layout():
    plain = qengine.load(SMALL)
    spaced = qengine.load("# a comment\n\n" + SMALL.replace('"Its name?"', '"Its name?"   '))
    reworded = qengine.load(SMALL.replace("Its colour?", "What colour?"))
    assert version_of(plain) == version_of(spaced) != version_of(reworded)


def test_a_partial_response_goes_on_when_its_answers_mean_the_same(database):
    engine = _engine(database)
    first = _respondents(engine, SMALL)
    token = first.create().token
    first.answer(token, {"pet": "dog", "name": "Rex"})
    # The question not answered yet is reworded: the response carries on under the new version.
    second = _respondents(engine, SMALL.replace("Its colour?", "What colour?"))
    assert second.version != first.version
    _, state = second.state(token)
    assert state["response"] == {"pet": "dog", "name": "Rex", "colour": None}
    second.answer(token, {"colour": "brown"})
    assert second.submit(token) == {"pet": "dog", "name": "Rex", "colour": "brown"}
    assert second.store.response(tokens.selector_of(token)).version == second.version
    engine.dispose()


def test_a_partial_response_whose_answers_changed_meaning_is_told_so(database):
    engine = _engine(database)
    first = _respondents(engine, SMALL)
    token = first.create().token
    first.answer(token, {"pet": "cat"})
    changed = _respondents(engine, SMALL.replace('- cat "Cat"', '- cat "Hamster"'))
    for attempt in (lambda: changed.state(token), lambda: changed.answer(token, {"colour": "x"}),
                    lambda: changed.submit(token)):
        with pytest.raises(SurveyChanged) as caught:
            attempt()
        assert caught.value.status == 409 and "changed" in caught.value.problems[0].message
    engine.dispose()


def test_a_submitted_response_keeps_its_version_and_reads_with_it(database, tmp_path):
    engine = _engine(database)
    first = _respondents(engine, SMALL)
    token = first.create().token
    first.answer(token, {"pet": "dog", "name": "Rex", "colour": "brown"})
    first.submit(token)
    survey_file = tmp_path / "small.qdl"
    survey_file.write_text(SMALL.replace('- cat "Cat"', '- cat "Hamster"'), encoding="utf-8")
    second = _respondents(engine, survey_file.read_text())
    _, state = second.state(token)
    assert state["status"] == "complete" and state["texts"]["pet"] == "Which pet?"
    with pytest.raises(Conflict):
        second.answer(token, {"colour": "black"})
    records = _export(database, survey_file, "jsonl")
    assert [(r["version"], r["response"]) for r in records] == [
        (first.version, {"pet": "dog", "name": "Rex", "colour": "brown"})]
    engine.dispose()


def _export(database: str, survey_file: Path, fmt: str, *extra: str):
    result = CliRunner().invoke(main, ["responses", str(survey_file), "--db", database, "--format", fmt, *extra])
    assert result.exit_code == 0, result.output
    if fmt == "jsonl":
        return [json.loads(line) for line in result.stdout.splitlines()]
    if fmt == "json":
        return json.loads(result.stdout)
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_qengine_responses_exports_one_record_a_response(database):
    engine = _engine(database)
    moments = iter(datetime(2025, 3, 1, 9, 0, tzinfo=UTC) + timedelta(seconds=s) for s in range(0, 10_000, 7))
    serving = _respondents(engine, GP.read_text(encoding="utf-8"), clock=lambda: next(moments))
    profiles = sorted((ROOT / "tests" / "gp_backup").glob("loss_*.answers.json"))
    answers = [json.loads(p.read_text(encoding="utf-8")) for p in profiles]
    for given in answers:
        token = serving.create().token
        serving.answer(token, given)
        serving.submit(token)
    partial = serving.create().token
    serving.answer(partial, {"sexe": "M", "age": "age3"})

    complete = _export(database, GP, "jsonl")
    assert [r["status"] for r in complete] == ["complete"] * len(answers)
    assert [r["response"] for r in complete] == [play(serving.survey, a).response for a in answers]
    first = complete[0]
    assert set(first) == {"id", "version", "status", "started_at", "submitted_at", "page_durations", "response"}
    assert first["version"] == serving.version
    assert first["started_at"] == "2025-03-01T09:00:00Z" and first["submitted_at"] == "2025-03-01T09:00:14Z"
    assert first["page_durations"] == {"apropos": 7.0}

    everything = _export(database, GP, "json", "--partial")
    assert everything[:-1] == complete
    assert everything[-1]["status"] == "partial" and everything[-1]["submitted_at"] is None
    assert everything[-1]["response"] == play(serving.survey, {"sexe": "M", "age": "age3"}).response

    table = _export(database, GP, "csv", "--partial", "--layout", "records")
    assert len(table) == len(everything)
    assert table[0]["status"] == "complete"
    # Blank for None, JSON for lists and objects, the value's text otherwise.
    response = complete[0]["response"]
    assert {c: table[0][c] for c in response} == {
        c: "" if v is None else json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else str(v)
        for c, v in response.items()}
    assert table[-1]["submitted_at"] == "" and table[-1]["age"] == "age3"
    engine.dispose()


def test_qengine_responses_refuses_a_database_that_is_not_there(tmp_path):
    result = CliRunner().invoke(main, ["responses", str(GP), "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and "no database" in result.output
    assert not (tmp_path / "none.sqlite").exists()
    bad = CliRunner().invoke(main, ["responses", str(GP), "--db", "mysql://x@y/z"])
    assert bad.exit_code == 2 and "unsupported database" in bad.output


def test_invitations_are_one_use_and_kept_only_as_hashes(database, tmp_path):
    people = tmp_path / "people.csv"
    people.write_text("name,email\nAda,ada@example.org\nBob,bob@example.org\n", encoding="utf-8")
    listed = tmp_path / "invited.csv"
    result = CliRunner().invoke(main, ["participants", "add", str(GP), "--db", database, "--csv", str(people),
                                       "-o", str(listed), "--url", "https://survey.example.org/gp/"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(listed.open(encoding="utf-8")))
    assert [r["name"] for r in rows] == ["Ada", "Bob"]
    assert rows[0]["link"] == f"https://survey.example.org/gp/i/{rows[0]['token']}"
    again = CliRunner().invoke(main, ["participants", "add", str(GP), "--db", database, "--csv", str(people),
                                      "-o", str(listed)])
    assert again.exit_code == 2 and "never overwritten" in again.output

    engine = _engine(database)
    with engine.connect() as c:
        dump = json.dumps([list(map(str, r)) for r in c.execute(sa.text("SELECT * FROM invitations"))])
    assert "Ada" not in dump and "ada@" not in dump and rows[0]["token"] not in dump
    closed = _respondents(engine, GP.read_text(encoding="utf-8"))
    closed.closed = True
    with pytest.raises(Exception) as refused:
        closed.create()
    assert refused.value.status == 403
    with pytest.raises(NotFound):
        closed.create(invitation=tokens.new().text)
    created = closed.create(invitation=rows[0]["token"])
    assert created.state["status"] == "partial"
    with pytest.raises(Conflict):
        closed.create(invitation=rows[0]["token"])
    assert closed.store.invitation_counts() == (2, 1)
    engine.dispose()
