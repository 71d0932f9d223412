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
  integer n10 "n10"
  integer n5 "n5"
  integer nz "nz"
  decimal d15 "d15"
  integer nu "nu"
  text t "t"
  text tnum "tnum"
  text tsp "tsp"
  text tu "tu"
  single c "c"
    - A1 "A1"
    - A2 "A2"
  multiple mf "mf"
    - y "y"
    - n "n"
  equation e
    value {}
'''

#: The answers of `make_corpus.VARIABLES`, as qengine takes them (unanswered ones left out).
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
