"""Stated routes: `expect` blocks, `qengine test`, lint R150 and the pytest items."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qengine.cli import main
from qengine.expect import expectations_of, run
from qengine.lint import lint
from qengine.lint.replay import replay
from qengine.syntax.loader import load

ROOT = Path(__file__).resolve().parents[1]
SURVEY = '''survey s "S"
group g "G"
  single a "A?"
    - y "Yes"
    - n "No"
  integer n "How many {a}?"
    when a == "y"
    min 0
    max 10
    validate n != 7 message "Not seven"
  equation d
    value n * 2
'''


def results(tail: str):
    survey = load(SURVEY + "\n" + tail)
    return run(survey, survey.expectations)


def test_a_route_that_holds_passes():
    [r] = results('expect "yes leads to n"\n  answer a = y\n  answer n = 3\n  asked n\n'
                  '  wording n contains "How many y"\n  refused n = 11\n  refused n = 7 message "seven"\n'
                  '  value d = 6\n  completes\n')
    assert r.passed, r.failures


@pytest.mark.parametrize(("step", "message"), [
    ("not asked n", "'n' is asked"),
    ("wording n is \"How many?\"", "the wording of 'n' is 'How many y?'"),
    ("refused n = 3", "the answer n = 3 is accepted"),
    ("refused n = 7 message \"eight\"", "the answer is refused with 'Not seven'"),
    ("value d = 5", "'d' holds 6, not 5"),
])
def test_a_step_that_does_not_hold_fails_with_its_line_and_message(step, message):
    [r] = results(f'expect "r"\n  answer a = y\n  answer n = 3\n  {step}\n')
    assert not r.passed
    [f] = r.failures
    assert (f.span.line, f.message) == (17, message)


def test_an_answer_the_route_cannot_give_fails_the_route():
    [r] = results('expect "r"\n  answer a = n\n  answer n = 3\n')
    assert [f.message for f in r.failures] == ["'n' is not asked on this route, so it cannot be answered"]


def test_every_is_proved_or_refuted_with_a_witness_that_replays():
    proved, refuted = results('expect every respondent who a == "y" is asked n\n'
                              'expect every respondent who a != "y" is asked n\n')
    assert proved.passed and proved.note == "proved for every respondent"
    assert refuted.status == "failed"
    session = replay(load(SURVEY), refuted.witness, 0)
    assert session.current_value("a") != "y" and not session.is_visible("n")


def test_unknown_names_in_an_expectation_are_load_errors():
    with pytest.raises(Exception, match="E210"):
        load(SURVEY + '\nexpect "r"\n  answer zz = 1\n')


def test_lint_reports_an_expectation_that_can_never_hold(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY + '\nexpect every respondent who a == "n" is asked n\n', encoding="utf-8")
    [f] = [f for f in lint(path).findings if f.code == "R150"]
    assert f.span.line == 14 and f.witness == {"a": "n"}


def test_lint_reports_the_side_file_expectations_that_do_not_hold_at_their_own_lines(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    side = tmp_path / "s.expect"
    side.write_text('# intent\nexpect "r"\n  answer a = y\n  not asked n\n\n'
                    'expect every respondent who a == "n" is asked n\n'
                    'expect every respondent who a == "y" is asked n\n', encoding="utf-8")
    found = [f for f in lint(path).findings if f.code == "R150"]
    assert [(f.span.path, f.span.line, f.span.column, f.message) for f in found] == [
        (str(side), 4, 3, "'n' is asked"),
        (str(side), 6, 1, "a respondent who meets the condition is not asked 'n'")]
    assert found[1].witness == {"a": "n"}
    result = CliRunner().invoke(main, ["lint", str(path)])
    assert result.exit_code == 1
    # the excerpt is the side file's line, not the survey's line of the same number
    assert f"{side}:4:3: R150 'n' is asked\n 4 |   not asked n\n   |   ^^^^^^^^^^^" in result.output
    result = CliRunner().invoke(main, ["lint", "--format", "json", str(path)])
    assert [(f["path"], f["line"]) for f in json.loads(result.output) if f["code"] == "R150"] == [
        (str(side), 4), (str(side), 6)]
    assert [f for f in lint(path, ignore=["R150"]).findings if f.code == "R150"] == []


def test_lint_reports_a_side_file_that_no_longer_matches_the_survey(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    side = tmp_path / "s.expect"
    side.write_text('expect "r"\n  answer a = y\n  asked nn\n', encoding="utf-8")
    [f] = [f for f in lint(path).findings if f.code == "R150"]
    assert (f.span.path, f.span.line, f.severity) == (str(side), 3, "error")
    assert "s.expect cannot be read: unknown question 'nn'" in f.message
    side.write_text('expect "r"\n  answr a = y\n', encoding="utf-8")
    [f] = [f for f in lint(path).findings if f.code == "R150"]
    assert (f.span.path, f.span.line, f.span.column) == (str(side), 2, 3)
    assert "unexpected name 'answr'" in f.message


def test_lint_of_survey_text_reads_no_side_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "<string>.expect").write_text('expect "r"\n  answer a = y\n  not asked n\n', encoding="utf-8")
    assert [f for f in lint(SURVEY).findings if f.code == "R150"] == []


def test_qengine_test_on_gp_backup_passes_and_reads_its_side_file():
    survey_path = ROOT / "surveys" / "gp_backup.qdl"
    assert len(expectations_of(load(survey_path), survey_path)) >= 10
    result = CliRunner().invoke(main, ["test", str(survey_path)])
    assert result.exit_code == 0, result.output
    assert "0 failed, 0 undecided" in result.output


def test_qengine_test_exits_1_on_a_failure_and_2_on_a_bad_side_file(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    (tmp_path / "s.expect").write_text('expect "r"\n  answer a = y\n  not asked n\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["test", str(path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 's.expect'}:3: 'n' is asked" in result.output
    (tmp_path / "s.expect").write_text('expect "r"\n  answr a = y\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["test", str(path)])
    assert result.exit_code == 2 and "unexpected name 'answr'" in result.output
    assert "Traceback" not in result.output

