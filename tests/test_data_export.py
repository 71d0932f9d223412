"""Exports read back: synthetic gp_backup respondents (drawn with qengine.testing)
written in every format and read with pandas, pyreadstat and openpyxl give the
values, labels and missing codes the respondents' own sessions say."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

import qengine
import qengine.responses
from qengine.cli import main
from qengine.kinds import kind_of
from qengine.testing import respondents

pd = pytest.importorskip("pandas")
pyreadstat = pytest.importorskip("pyreadstat")
openpyxl = pytest.importorskip("openpyxl")
pytest.importorskip("pyarrow")

ROOT = Path(__file__).parent.parent
GP = ROOT / "surveys" / "gp_backup.qdl"
SURVEY = qengine.load(GP)


def _expected(respondent) -> dict:
    """Each variable's value as the respondent's own session says: "NA" not
    asked, "NR" asked without an answer, else the value (1/0 for a box)."""
    session, response = respondent.session, respondent.response
    out = {}
    for q in SURVEY.questions:
        shape = kind_of(q).shape
        if shape == "none" and q.formula is None:
            continue
        names = ([q.code] if shape in ("choice", "number", "text", "none")
                 else [f"{q.code}_{'_'.join(p)}" for p in kind_of(q).parts(q)])
        if not session.is_visible(q.code):
            out.update(dict.fromkeys(names, "NA"))
            continue
        value = response.get(q.code)
        if value is None:
            out.update(dict.fromkeys(names, "NR"))
        elif shape == "choices":
            out.update({f"{q.code}_{o.code}": int(o.code in value) for o in q.options})
        elif shape == "row_choice":
            out.update({f"{q.code}_{r.code}": value.get(r.code, "NR") for r in q.rows})
        elif shape == "row_cells":
            out.update({f"{q.code}_{r.code}_{c.code}": (value.get(r.code) or {}).get(c.code, "NR")
                        for r in q.rows for c in q.columns})
        else:
            out[q.code] = value
    return out


def _write_jsonl(path: Path, people) -> list[dict]:
    expected = []
    with path.open("w", encoding="utf-8") as f:
        for i, p in enumerate(people):
            f.write(json.dumps({"id": i, "status": "complete", "response": p.response}, ensure_ascii=False) + "\n")
            expected.append(_expected(p))
    return expected


#: codes no drawn value takes (gp_backup's integers have no lower bound: -1 is an answer)
NA, NR = -7777, -8888
CODES = ("--not-asked", str(NA), "--no-answer", str(NR))


def _export(survey: Path, source: Path, fmt: str, out: Path, *extra: str) -> None:
    result = CliRunner().invoke(main, ["responses", str(survey), "--from", str(source), "--format", fmt,
                                       "-o", str(out), *extra])
    assert result.exit_code == 0, result.output


submitted = respondents(SURVEY).filter(lambda r: r.response is not None)


@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck),
          phases=(Phase.explicit, Phase.generate))  # a failing list of respondents takes minutes to shrink
@given(st.lists(submitted, min_size=3, max_size=6))
def test_every_format_reads_back_with_the_values_labels_and_missing_codes(tmp_path_factory, people):
    tmp = tmp_path_factory.mktemp("export")
    expected = _write_jsonl(tmp / "r.jsonl", people)
    assume(not any(v in (NA, NR) for e in expected for v in e.values() if not isinstance(v, str)))
    names = list(expected[0])

    # CSV: -1 not asked, -2 no answer
    _export(GP, tmp / "r.jsonl", "csv", tmp / "r.csv", *CODES)
    csv = pd.read_csv(tmp / "r.csv", dtype=str, keep_default_na=False)
    assert list(csv.columns[6:]) == names
    for row, want in zip(csv.to_dict("records"), expected, strict=True):
        assert {n: row[n] for n in names} == {n: _text(v, str(NA), str(NR)) for n, v in want.items()}

    # SPSS: numbers, user-missing -1/-2 with labels, variable and value labels
    _export(GP, tmp / "r.jsonl", "sav", tmp / "r.sav", *CODES)
    sav, meta = pyreadstat.read_sav(tmp / "r.sav", user_missing=True)
    labels = dict(zip(meta.column_names, meta.column_labels, strict=True))
    assert labels["sexe"] == "Êtes-vous une femme ou un homme ?"
    assert meta.variable_value_labels["sexe"] == {1.0: "Féminin", 2.0: "Masculin", NA: "non posée",
                                                  NR: "sans réponse"}
    assert meta.variable_value_labels["confiance_securite"][5.0] == "5"
    assert {"lo": NA, "hi": NA} in meta.missing_ranges["pertejours"]
    numbers = {v.name: v.numbers for v in _layout().variables}
    for row, want in zip(sav.to_dict("records"), expected, strict=True):
        for n, v in want.items():
            got = row[n]
            if v in ("NA", "NR"):
                assert got == (NA if v == "NA" else NR), (n, got, v)
            elif isinstance(v, str):
                assert got == numbers[n][v], (n, got, v)
            else:
                assert got == v, (n, got, v)

    # Stata: extended missing values .a / .b
    _export(GP, tmp / "r.jsonl", "dta", tmp / "r.dta")
    dta, meta = pyreadstat.read_dta(tmp / "r.dta", user_missing=True)
    assert all(set(codes) <= {"a", "b"} for codes in meta.missing_user_values.values())
    for row, want in zip(dta.to_dict("records"), expected, strict=True):
        for n, v in want.items():
            if v in ("NA", "NR"):
                assert row[n] == ("a" if v == "NA" else "b"), (n, row[n])
            else:
                assert row[n] == (numbers[n][v] if isinstance(v, str) else v), (n, row[n], v)

    # XLSX: same codes as CSV, numbers as numbers, labels on their own sheet
    _export(GP, tmp / "r.jsonl", "xlsx", tmp / "r.xlsx", *CODES)
    book = openpyxl.load_workbook(tmp / "r.xlsx", read_only=True)
    rows = list(book["responses"].iter_rows(values_only=True))
    for row, want in zip(rows[1:], expected, strict=True):
        got = dict(zip(rows[0], row, strict=True))
        assert {n: got[n] for n in names} == {n: NA if v == "NA" else NR if v == "NR" else v
                                              for n, v in want.items()}
    values = {(r[0], r[1]): r[2] for r in book["values"].iter_rows(min_row=2, values_only=True)}
    assert values["sexe", "F"] == "Féminin" and values["sexe", str(NA)] == "non posée"

    # Parquet and the API: nulls, told apart by QUESTION__asked
    _export(GP, tmp / "r.jsonl", "parquet", tmp / "r.parquet")
    for frame in (pd.read_parquet(tmp / "r.parquet"), qengine.responses.load(GP, tmp / "r.jsonl")):
        for row, want in zip(frame.to_dict("records"), expected, strict=True):
            for n, v in want.items():
                asked = row[_question(n) + "__asked"]
                if v == "NA":
                    assert pd.isna(row[n]) and not asked, n
                elif v == "NR":
                    assert pd.isna(row[n]) and asked, n
                else:
                    assert row[n] == v and asked, (n, row[n], v)


def _text(v, na: str, nr: str) -> str:
    if v == "NA":
        return na
    if v == "NR":
        return nr
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _layout():
    from qengine.data.columns import layout

    return layout(SURVEY)


def _question(name: str) -> str:
    return name.split("_", 1)[0]


HOSTILE = """survey hostile "Hostile"
language en
group g "G"
  single pick "Pick <b>one</b>"
    - a "<script>alert(1)</script>"
    - b "=HYPERLINK(\\"http://x\\")"
  text why "Why?"
"""


def test_hostile_answers_are_neither_markup_nor_formulas(tmp_path):
    survey = tmp_path / "hostile.qdl"
    survey.write_text(HOSTILE, encoding="utf-8")
    texts = ["=1+1", "+cmd|' /C calc'!A0", "-2", "@SUM(A1)", "<img src=x onerror=alert(1)>", "plain"]
    with (tmp_path / "r.jsonl").open("w", encoding="utf-8") as f:
        for t in texts:
            f.write(json.dumps({"response": {"pick": "a", "why": t}}) + "\n")
    _export(survey, tmp_path / "r.jsonl", "csv", tmp_path / "r.csv", "--not-asked", "NA", "--no-answer", "NR")
    cells = pd.read_csv(tmp_path / "r.csv", dtype=str, keep_default_na=False)["why"].tolist()
    assert cells == ["'=1+1", "'+cmd|' /C calc'!A0", "'-2", "'@SUM(A1)", "<img src=x onerror=alert(1)>", "plain"]
    _export(survey, tmp_path / "r.jsonl", "xlsx", tmp_path / "r.xlsx", "--not-asked", "NA", "--no-answer", "NR")
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["responses"]
    column = [c.value for c in sheet["H"]][1:]  # id..duration, pick, why
    assert column == cells and all(c.data_type == "s" for c in sheet["H"])
    # other formats keep the texts exactly
    frame = qengine.responses.load(survey, tmp_path / "r.jsonl")
    assert frame["why"].tolist() == texts
    # reports and codebooks escape them
    for args in (["report", str(survey), "--from", str(tmp_path / "r.jsonl"), "-o", str(tmp_path / "r.html")],
                 ["codebook", str(survey), "-o", str(tmp_path / "c.html")],
                 ["codebook", str(survey), "-o", str(tmp_path / "c.md")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
    for name in ("r.html", "c.html", "c.md"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "<script>" not in text and "<b>one" not in text and "<img src=x" not in text, name
        assert "&lt;script&gt;" in text or name == "r.html", name  # the option's label, escaped


def test_a_value_equal_to_a_missing_code_is_refused_not_written(tmp_path):
    (tmp_path / "r.jsonl").write_text(json.dumps({"response": _loss(pertedefinitive=-1)}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["responses", str(GP), "--from", str(tmp_path / "r.jsonl"), "--format", "csv",
                                       "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 2 and "pertedefinitive holds the value -1" in result.output
    _export(GP, tmp_path / "r.jsonl", "csv", tmp_path / "r.csv", "--not-asked", "-99", "--no-answer", "-98")
    row = pd.read_csv(tmp_path / "r.csv", dtype=str).iloc[0]
    assert row["pertedefinitive"] == "-1" and row["machine"] == "-99"


def _loss(**changes) -> dict:
    answers = json.loads((ROOT / "tests" / "gp_backup" / "loss_partially_restored.expected.json")
                         .read_text(encoding="utf-8"))["response"]
    answers.update(changes)
    return answers


def test_json_lines_keep_the_record_and_the_replayed_response(tmp_path):
    response = _loss()
    (tmp_path / "r.jsonl").write_text(json.dumps({"id": 7, "status": "complete", "page_durations": {"a": 2.5},
                                                  "response": response}) + "\n", encoding="utf-8")
    _export(GP, tmp_path / "r.jsonl", "jsonl", tmp_path / "out.jsonl")
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert record["id"] == 7 and record["response"] == response
    frame = qengine.responses.load(GP, tmp_path / "r.jsonl")
    assert frame["duration"].iloc[0] == 2.5 and not math.isnan(frame["duration"].iloc[0])
