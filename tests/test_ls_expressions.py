"""qengine's expressions against LimeSurvey's own: the oracle corpus.

`tests/expr_oracle/ls_cases.json` holds what LimeSurvey 6.2.1's ExpressionManager
gives for several hundred expressions over fixed answers (made by
`tests/expr_oracle/make_corpus.py`, by hand, where PHP runs). Each expression is
evaluated here by qengine over the same answers and must read the same: the same
text in `{…}`, the same truth as a condition, and refused (a load error or an
evaluation error) where LimeSurvey refuses it. The exceptions are QDL's deliberate
differences, each listed in `expr_oracle/ls_differences.json` under the row of
docs/qdl.md's LimeSurvey table that states it; a listed case that stops differing
fails too, so the list stays exact.

`python tests/test_ls_expressions.py` prints the agreement and the cases that
differ (listed or not), to measure a change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import qengine
from qengine.errors import EvaluationError, QdlError
from qengine.expr.values import as_text, truthy
from qengine.runtime import Session

ROOT = Path(__file__).resolve().parents[1]
CORPUS = json.loads((Path(__file__).parent / "expr_oracle" / "ls_cases.json").read_text(encoding="utf-8"))

SURVEY = '''survey oracle "Oracle"
language en
group g "G"
  integer n10 "Ten"
  integer n5 "Five"
  integer nz "Zero"
  decimal d15 "One and a half"
  integer nu "No number"
  text t "Some text"
  text tnum "Text of digits"
  text tsp "Spaced text"
  text tu "No text"
  single c "A choice"
    - A1 "A1"
    - A2 "A2"
  multiple mf "Multiple"
    - y "Yes box"
    - n "No box"
  integer nh "Hidden number"
    when nz == 1
  equation e
    value {}
'''

#: The answers of `make_corpus.VARIABLES`, as qengine takes them (unanswered ones and
#: the hidden one, which reads as empty, left out).
ANSWERS = {"n10": 10, "n5": 5, "nz": 0, "d15": 1.5, "t": "abc", "tnum": "12", "tsp": " Hello World ",
           "c": "A2", "mf_y": "Y"}

#: Where QDL reads an expression differently from LimeSurvey on purpose: the row of
#: docs/qdl.md's LimeSurvey table that says so → the expressions of the corpus it covers.
DIFFERENCES: dict[str, list[str]] = json.loads(
    (Path(__file__).parent / "expr_oracle" / "ls_differences.json").read_text(encoding="utf-8"))
ROW_OF = {expr: row for row, exprs in DIFFERENCES.items() for expr in exprs}


def qengine_reading(expr: str) -> dict:
    """How qengine reads `expr`: refused, or its text and truth."""
    try:
        survey = qengine.load(SURVEY.format(expr))
    except QdlError as err:
        return {"refused": err.diagnostics[0].code}
    try:
        session = Session(survey)
        for name, value in ANSWERS.items():
            session.answer(name, value)
        value = session.current_value("e")
    except EvaluationError as err:
        return {"refused": err.message}
    return {"text": as_text(value), "bool": truthy(value)}


def limesurvey_reading(case: dict) -> dict:
    if case["errors"]:
        return {"refused": case["errors"][0]}
    return {"text": case["text"], "bool": case["bool"]}


def agree(ours: dict, theirs: dict) -> bool:
    if "refused" in theirs or "refused" in ours:
        return ("refused" in theirs) == ("refused" in ours)
    return ours == theirs


def disagreements() -> list[tuple[str, dict, dict]]:
    out = []
    for case in CORPUS["cases"]:
        ours, theirs = qengine_reading(case["expr"]), limesurvey_reading(case)
        if not agree(ours, theirs):
            out.append((case["expr"], ours, theirs))
    return out


CASES = [pytest.param(c, id=c["expr"]) for c in CORPUS["cases"]]


@pytest.mark.parametrize("case", CASES)
def test_qengine_reads_as_limesurvey_or_as_documented(case):
    ours, theirs = qengine_reading(case["expr"]), limesurvey_reading(case)
    row = ROW_OF.get(case["expr"])
    if row is None:
        assert agree(ours, theirs), (ours, theirs)
    else:
        assert not agree(ours, theirs), f"no longer differs: remove it from {row!r} in ls_differences.json"


def test_every_listed_difference_is_a_row_of_the_limesurvey_table():
    table = (ROOT / "docs" / "qdl.md").read_text(encoding="utf-8").split("## QDL and LimeSurvey ExpressionScript")[1]
    rows = {line.split("|")[1].strip() for line in table.splitlines() if line.startswith("| ")}
    assert set(DIFFERENCES) <= rows, set(DIFFERENCES) - rows
    corpus = {c["expr"] for c in CORPUS["cases"]}
    assert set(ROW_OF) <= corpus, set(ROW_OF) - corpus  # none left over from an older corpus


def test_the_survey_is_the_corpus_s():
    """Each variable of the corpus has, in the survey, LimeSurvey's type letter, its
    text and its answer; those LimeSurvey held hidden are hidden."""
    survey = qengine.load(SURVEY.format("1"))
    session = Session(survey)
    for name, value in ANSWERS.items():
        session.answer(name, value)
    for name, (letter, _, code, text) in CORPUS["variables"].items():
        question, *sub = name.split("_")
        var = f"{{{name}.type}}|{{{name}.question}}|{{{name}}}"
        shown = qengine.load(SURVEY.format("1") + f'  display x "{var}"\n').start(answers=ANSWERS).view("x")
        assert shown is not None and shown.text == f"{letter}|{text}|{'' if name in CORPUS['hidden'] else code}", name
        assert session.is_visible(question) == (name not in CORPUS["hidden"]), name


#: QDL expressions -> how the .lss exporter writes them; make_corpus.py asked LimeSurvey
#: about the exported text.
EXPORTED = {
    'listifop("value", ">", 4, "code", ",", "n10", "n5", "nz")':
        'listifop("NAOK", ">", 4, "NAOK", ",", "n10", "n5", "nz")',
    'listifop("visible", "==", false, "question", "; ", "n10", "nh", "nz")':
        'listifop("relevanceStatus", "==", if(0, 1, 0), "question", "; ", "n10", "nh", "nz")',
    'listifop("shown", "==", "Yes box", "type", "", "mf_y", "mf_n", "c")':
        'listifop("shown", "==", "Yes box", "type", "", "mf_y", "mf_n", "c")',
    'listifop("type", "==", "N", "value", "+", "n10", "t", "d15", "nh")':
        'listifop("type", "==", "N", "NAOK", "+", "n10", "t", "d15", "nh")',
    "n10.question": "n10.question", "nh.type": "nh.type", "mf.type": "mf_y.type", 'c.type == "L"': '(c.type == "L")',
}


@pytest.mark.parametrize(("qdl", "exported"), EXPORTED.items())
def test_the_exporter_writes_what_limesurvey_reads_as_qdl_does(qdl, exported):
    """listifop(), `.question` and `.type` exported: LimeSurvey reads the export as
    qengine reads the QDL."""
    from qengine_renderers.lss.script import ScriptWriter

    survey = qengine.load(SURVEY.format(qdl))
    assert ScriptWriter(survey, {}, {}).write(survey.question("e").formula) == exported  # codes kept as they are
    (case,) = [c for c in CORPUS["cases"] if c["expr"] == exported]
    assert limesurvey_reading(case) == qengine_reading(qdl)


def test_the_corpus_is_large_and_covers_every_function():
    from qengine.expr.functions import FUNCTIONS

    exprs = [c["expr"] for c in CORPUS["cases"]]
    assert len(exprs) > 800
    for name in FUNCTIONS:
        assert any(e.startswith(f"{name}(") for e in exprs), name


if __name__ == "__main__":
    found = disagreements()
    total = len(CORPUS["cases"])
    print(f"{total - len(found)} of {total} expressions read as LimeSurvey reads them; "
          f"{sum(e in ROW_OF for e, _, _ in found)} differ as documented, {sum(e not in ROW_OF for e, _, _ in found)} not")
    for expr, ours, theirs in found:
        print(f"{ROW_OF.get(expr, 'UNDOCUMENTED')}: {expr}  qengine={ours}  LimeSurvey={theirs}")
