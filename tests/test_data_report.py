"""`qengine report` and the inputs: denominators equal independent counts of who
was shown each question (counted by playing each response with `qengine play`'s
engine), a hand-made LimeSurvey CSV goes through `--from-limesurvey`, bad input
is reported row by row with line numbers, and `--strict` makes it fatal."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.data.stats import association, wilson
from qengine.errors import AnswerError
from qengine.kinds import kind_of
from qengine.runtime.play import play
from qengine.runtime.session import Session

pytest.importorskip("pandas")
pytest.importorskip("scipy")

ROOT = Path(__file__).parent.parent
GP = ROOT / "surveys" / "gp_backup.qdl"
SURVEY = qengine.load(GP)
LIMESURVEY = ROOT / "tests" / "data" / "gp_backup_limesurvey.csv"
PROFILES = sorted((ROOT / "tests" / "gp_backup").glob("*.answers.json"))


def _run(*args: str, code: int = 0):
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result


def _report(*args: str, by: str | None = None) -> dict:
    result = _run("report", str(GP), *args, "--format", "json", *(["--by", by] if by else []))
    return json.loads(result.stdout)


def _independent(answer_files) -> tuple[list[dict], dict[str, int]]:
    """Each submitted profile's response and how many were shown each question,
    as `play` (page by page, answering what is presented) finds it."""
    responses, shown = [], {}
    for answers in answer_files:
        result = play(SURVEY, answers)
        if not result.complete:
            continue
        responses.append(result.response)
        for code in result.shown:
            shown[code] = shown.get(code, 0) + 1
        for q in SURVEY.questions:  # equations: computed when relevant, never "shown"
            if q.formula is not None and q.code in result.response:
                shown[q.code] = shown.get(q.code, 0) + 1
    return responses, shown


def test_denominators_are_those_who_were_shown_each_question(tmp_path):
    answers = [json.loads(p.read_text(encoding="utf-8")) for p in PROFILES]
    responses, shown = _independent(answers)
    with (tmp_path / "r.jsonl").open("w", encoding="utf-8") as f:
        for r in responses:
            f.write(json.dumps({"response": r}) + "\n")
    report = _report("--from", str(tmp_path / "r.jsonl"))
    assert report["respondents"] == len(responses)
    for code, q in report["questions"].items():
        assert q["asked"] == shown.get(code, 0), code
        answered = sum(1 for r in responses if r.get(code) is not None)
        assert q["answered"] == answered, code
    # counts of a single choice: over those who answered, Wilson intervals
    sexe = report["questions"]["sexe"]
    assert sexe["counts"] == {c: sum(r["sexe"] == c for r in responses) for c in ("F", "M")}
    low, high = wilson(sexe["counts"]["F"], sexe["answered"])
    assert sexe["options"]["F"]["ci"] == [round(100 * low, 2), round(100 * high, 2)]
    # a multiple choice: each option over those asked
    causes = report["questions"]["pertecauses"]
    assert causes["options"]["materiel"]["percent"] == round(
        100 * sum("materiel" in (r.get("pertecauses") or []) for r in responses) / causes["asked"], 2)
    assert causes["denominator"] == f"Parmi les {causes['asked']} répondants à qui la question a été posée"
    # numbers and equations summarised
    assert report["questions"]["supportszero"]["summary"]["n"] == shown["supportszero"]


def test_by_gives_cross_tables_with_their_test(tmp_path):
    answers = [json.loads(p.read_text(encoding="utf-8")) for p in PROFILES]
    responses, _ = _independent(answers)
    (tmp_path / "r.jsonl").write_text("".join(json.dumps({"response": r}) + "\n" for r in responses * 5),
                                      encoding="utf-8")
    report = _report("--from", str(tmp_path / "r.jsonl"), by="solo")
    cross = report["questions"]["sexe"]["by"]
    assert cross["groups"] == ["soloo", "solog"] and cross["answers"] == ["F", "M"]
    for g, row in zip(cross["groups"], cross["counts"], strict=True):
        assert row == [5 * sum(1 for r in responses if r["solo"] == g and r["sexe"] == a) for a in ("F", "M")]
    assert cross["test"]["method"] in ("chi2", "fisher", "montecarlo") and 0 <= cross["test"]["p"] <= 1
    assert "--by needs" in _run("report", str(GP), "--from", str(tmp_path / "r.jsonl"), "--by", "pertejours",
                                code=2).output
    html = _run("report", str(GP), "--from", str(tmp_path / "r.jsonl"), "--by", "solo", "-o",
                str(tmp_path / "r.html"))
    assert "written" in html.output
    text = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Parmi les" in text and "Test" in text and "data:image/svg+xml;base64," in text


def test_the_tests_follow_cochrans_rule():
    assert association([[40, 10], [10, 40]]).method == "chi2"
    assert association([[3, 1], [1, 3]]).method == "fisher"
    assert association([[3, 1, 2], [1, 3, 0]]).method == "montecarlo"
    assert association([[3, 1]]) is None


def _limesurvey_rows() -> list[dict]:
    """The fixture's rows as responses, read independently of qengine.data (the
    CSV's columns follow the survey's codes one to one)."""
    import csv

    out = []
    with LIMESURVEY.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if not row["submitdate"]:
                continue
            answers: dict = {}
            for q in SURVEY.questions:
                shape = kind_of(q).shape
                if shape in ("choice", "text"):
                    if row.get(q.code):
                        answers[q.code] = row[q.code]
                elif shape == "number":
                    if row.get(q.code):
                        answers[q.code] = int(row[q.code])
                elif shape == "choices":
                    ticked = [o.code for o in q.options if row.get(f"{q.code}_{o.code}") == "Y"]
                    if ticked:
                        answers[q.code] = ticked
                elif shape == "row_choice":
                    cells = {r.code: row[f"{q.code}_{r.code}"] for r in q.rows if row.get(f"{q.code}_{r.code}")}
                    if cells:
                        answers[q.code] = cells
                elif shape == "row_cells":
                    grid = {r.code: {c.code: int(row[f"{q.code}_{r.code}_{c.code}"]) for c in q.columns
                                     if row.get(f"{q.code}_{r.code}_{c.code}")} for r in q.rows}
                    if any(grid.values()):
                        answers[q.code] = grid
            out.append(answers)
    return out


def test_a_limesurvey_export_is_read_by_code_and_its_impossible_row_is_reported(tmp_path):
    result = _run("report", str(GP), "--from-limesurvey", str(LIMESURVEY), "--format", "json")
    report = json.loads(result.stdout)
    # row 11 of the data (line 12): under 31 yet seniority ticked, and a sex 'X'
    assert "gp_backup_limesurvey.csv:12: sexe: 'X' is no answer code" in result.output
    assert "gp_backup_limesurvey.csv:12: anciennete: answered, but the survey does not ask it" in result.output
    assert "1 partial response left out" in result.output
    assert report["respondents"] == 11
    shown: dict[str, int] = {}
    for answers in _limesurvey_rows():
        # a respondent answering in the survey's order what is shown, whatever is refused
        session = Session(SURVEY)
        for q in SURVEY.questions:
            if q.code in answers and session.is_visible(q.code):
                with contextlib.suppress(AnswerError):
                    session.answer(q.code, answers[q.code])
        for q in SURVEY.questions:
            if q.is_input and session.is_visible(q.code):
                shown[q.code] = shown.get(q.code, 0) + 1
    for code in shown:
        assert report["questions"][code]["asked"] == shown[code], code
    # strict: the first problem stops it
    assert "--strict" in _run("report", str(GP), "--from-limesurvey", str(LIMESURVEY), "--strict",
                              "--format", "json", code=1).output
    # LimeSurvey's other column style, QCODE[SQCODE], reads the same
    text = LIMESURVEY.read_text(encoding="utf-8").split("\n", 1)
    heading = ",".join(_brackets(c) for c in text[0].split(","))
    (tmp_path / "b.csv").write_text(heading + "\n" + text[1], encoding="utf-8")
    other = json.loads(_run("report", str(GP), "--from-limesurvey", str(tmp_path / "b.csv"),
                            "--format", "json").stdout)
    assert other["questions"] == report["questions"]


def _brackets(column: str) -> str:
    code, _, rest = column.partition("_")
    return f"{code}[{rest}]" if rest else column


def test_bad_input_is_reported_row_by_row_never_a_traceback(tmp_path):
    good = json.loads((ROOT / "tests" / "gp_backup" / "loss_not_restored.expected.json")
                      .read_text(encoding="utf-8"))["response"]
    lines = [json.dumps({"response": good}), "{not json", json.dumps([1, 2]),
             json.dumps({"response": {**good, "sexe": "Z"}}), json.dumps({"response": {**good, "nope": 1}}),
             json.dumps({"response": {**good, "pertejours": "three"}}), "", json.dumps({"response": good})]
    (tmp_path / "r.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run("responses", str(GP), "--from", str(tmp_path / "r.jsonl"), "--format", "csv", "-o",
                  str(tmp_path / "r.csv"))
    for expected in ("r.jsonl:2: not JSON", "r.jsonl:3: expected a JSON object", "r.jsonl:4: sexe:",
                     "r.jsonl:5: 'nope' is no question", "r.jsonl:6: pertejours:"):
        assert expected in result.output
    assert "5 responses written" in result.output  # the bad lines left out; the bad values said
    strict = _run("responses", str(GP), "--from", str(tmp_path / "r.jsonl"), "--strict", "--format", "csv",
                  "-o", str(tmp_path / "s.csv"), code=1)
    assert "r.jsonl:2: not JSON" in strict.output and "--strict" in strict.output
    assert "cannot write" in _run("report", str(GP), "--from", str(tmp_path / "r.jsonl"), "-o",
                                 str(tmp_path / "no" / "r.html"), code=2).output
    (tmp_path / "folder").mkdir()
    assert "no .json" in _run("report", str(GP), "--from", str(tmp_path / "folder"), code=2).output


def _served(tmp_path, code: str, answered: dict[str, list[dict]], partial: dict | None = None) -> str:
    """An SQLite database as `qengine serve` fills it: for each version's text, its
    responses answered and submitted (and one `partial` left open under the last)."""
    from qengine.serve import migrate
    from qengine.serve.respond import Respondents
    from qengine.serve.storage import Store, create_engine, database_url
    from qengine.serve.versions import version_of

    database = f"sqlite:///{tmp_path / 'r.sqlite'}"
    engine = create_engine(database_url(database))
    migrate.upgrade(engine)
    store = Store(engine, code)
    for text, responses in answered.items():
        survey = qengine.load(text)
        store.record_version(version_of(survey), text, datetime.now(UTC))
        serving = Respondents(survey, version_of(survey), store)
        for a in responses:
            token = serving.create().token
            serving.answer(token, a)
            serving.submit(token)
    if partial is not None:
        serving.answer(serving.create().token, partial)
    engine.dispose()
    return database


def test_a_folder_of_response_files_and_the_servers_database(tmp_path):
    pytest.importorskip("sqlalchemy")

    answers = [a for a in (json.loads(p.read_text(encoding="utf-8")) for p in PROFILES if "blocked" not in p.name)
               if play(SURVEY, a).complete]
    folder = tmp_path / "downloads"
    folder.mkdir()
    for i, a in enumerate(answers):
        result = play(SURVEY, a)
        # what `qengine play --json` prints, and what the HTML form downloads
        payload = result.to_json() if i % 2 else result.response
        (folder / f"{i}.json").write_text(json.dumps(payload), encoding="utf-8")
    from_folder = _report("--from", str(folder))

    database = _served(tmp_path, SURVEY.code, {GP.read_text(encoding="utf-8"): answers},
                       partial={"sexe": "M"})
    from_database = _report("--db", database)
    assert from_database["questions"] == from_folder["questions"]
    assert from_database["respondents"] == len(answers)
    with_partial = _report("--db", database, "--partial")
    assert with_partial["respondents"] == len(answers) + 1
    assert with_partial["questions"]["sexe"]["asked"] == len(answers) + 1
    assert with_partial["questions"]["age"]["asked"] == len(answers) + 1  # presented with sexe, not answered
    assert with_partial["questions"]["archives"]["asked"] == len(answers)  # never reached
    _run("responses", str(GP), "--db", database, "--format", "sav", "-o", str(tmp_path / "r.sav"))
    # CSV is one column a variable from every source; the record CSV of earlier
    # versions (one column a question) is asked for by name
    table = _run("responses", str(GP), "--db", database, "--format", "csv").stdout.splitlines()
    assert {"responsabilite_sans", "responsabilite_avec"} <= set(table[0].split(","))
    assert "responsabilite" not in table[0].split(",")
    records = _run("responses", str(GP), "--db", database, "--format", "csv", "--layout", "records").stdout.splitlines()
    assert records[0].startswith("id,version,status") and "responsabilite" in records[0].split(",")


def test_the_codebook_says_when_each_question_is_asked(tmp_path):
    text = _run("codebook", str(GP)).stdout
    assert "## 3. `anciennete`" in text and "Posée seulement si" in text
    assert "`sauvegardesupports_susb_slocal`" in text
    _run("codebook", str(GP), "-o", str(tmp_path / "c.html"))
    assert "Posée à tous les répondants" in (tmp_path / "c.html").read_text(encoding="utf-8")


FIRST = '''survey versions "Versions"
group g "G"
  single a "A?"
    - y "Yes"
    - n "No"
  single b "B?"
    when a == "y"
    - x "X"
    - z "Z"
  text old "Old?"
'''
# the condition of b turned round, its option z and the question `old` gone
SECOND = FIRST.replace('when a == "y"', 'when a == "n"').replace('    - z "Z"\n', "").replace('  text old "Old?"\n', "")


def test_a_response_of_an_earlier_version_is_replayed_with_that_version(tmp_path):
    """Who was asked what is what the conditions of the version answered said: the
    respondent of the first version who said a = y was asked b, though the second
    version would not ask it; what the current columns cannot hold is said, once."""
    pytest.importorskip("sqlalchemy")
    from qengine.data.sources import Source, load
    from qengine.export import version_of

    database = _served(tmp_path, "versions", {SECOND: [{"a": "n", "b": "x"}],
                                              FIRST: [{"a": "y", "b": "x", "old": "hi"}, {"a": "y", "b": "z"},
                                                      {"a": "n"}]})

    current = qengine.load(SECOND)
    loaded = load(current, Source("db", database))
    by_answers = {tuple(sorted((k, v) for k, v in r.replayed.response.items() if v is not None)): r
                  for r in loaded.records}
    assert set(by_answers) == {(("a", "n"), ("b", "x")), (("a", "y"), ("b", "x")), (("a", "y"),), (("a", "n"),)}
    # asked b under the first version (a = y), though the second would not ask it
    assert "b" in by_answers[(("a", "y"), ("b", "x"))].replayed.asked
    assert "b" not in by_answers[(("a", "n"),)].replayed.asked  # the first version did not ask it there
    said = [str(p) for p in loaded.problems]
    first = version_of(qengine.load(FIRST))
    assert sorted(said) == sorted([
        # asked of the three (answered by one): its column is gone
        f"version {first}: old: a question this version of the survey no longer has: left out of 3 responses",
        f"version {first}: b: a value this version of the question refuses "
        f"('z' is not an option; options: x): left out of 1 response",
    ]), said

    # a record naming a version whose text the source does not hold is read with the current one, and said
    lines = tmp_path / "r.jsonl"
    lines.write_text(json.dumps({"id": 1, "version": "0123456789abcdef", "response": {"a": "n", "b": "x"}}) + "\n",
                     encoding="utf-8")
    loaded = load(current, Source("jsonl", str(lines)))
    assert [r.replayed.response for r in loaded.records] == [{"a": "n", "b": "x"}]
    assert [str(p) for p in loaded.problems] == [
        "version 0123456789abcdef: 1 response answered under a version of the survey this source does not hold: "
        f"replayed with the current version ({version_of(current)}), whose conditions say who was asked what"]
