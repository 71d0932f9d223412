"""Hints of "did you mean": the names closest to a misspelt one, every one of them when
several are equally close, the likeliest misreading (l/1, O/0, rn/m) first. Lint
(V201) and check (E210...) give the same hints."""

from __future__ import annotations

import pytest

from qengine.errors import close_matches, did_you_mean
from qengine.lint import lint_source
from qengine.span import Source
from qengine.syntax.loader import check

AGES = 'survey s "S"\n\ngroup g "G"\n  single age "Age?"\n    - age2 "Old"\n    - age1 "Young"\n'


@pytest.mark.parametrize(("word", "candidates", "expected"), [
    ("agel", ["age2", "age1"], ["age1", "age2"]),  # l read for 1
    ("c0de", ["cade", "code"], ["code", "cade"]),  # 0 for o
    ("modeI", ["model", "modes"], ["model", "modes"]),  # I for l
    ("forrn", ["fork", "form"], ["form", "fork"]),  # rn for m
    ("q", ["q3", "q1", "q2"], ["q1", "q2", "q3"]),  # equally close, none misread
    ("zzz", ["age1"], []),
])
def test_equally_close_names_are_all_listed_likeliest_first(word, candidates, expected):
    assert close_matches(word, candidates) == expected


def test_one_close_name_is_named_alone():
    assert did_you_mean("mandatroy", ["mandatory", "min", "max"]) == "did you mean 'mandatory'?"


def test_lint_suggests_every_equally_close_code():
    text = AGES + '  display d "D"\n    when age.NAOK != "agel"\n'
    [finding] = lint_source(Source(text, "t.qdl"), select=["V201"]).findings
    assert finding.hint == "did you mean 'age1' or 'age2'?"


def test_check_suggests_every_equally_close_question():
    text = 'survey s "S"\n\ngroup g "G"\n  integer age2 "A"\n  integer age1 "B"\n  display d "{agel}"\n'
    _, diagnostics = check(Source(text, "t.qdl"))
    assert [d.hint for d in diagnostics] == ["did you mean 'age1' or 'age2'?"]
