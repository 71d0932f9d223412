"""Witnesses and path statistics, judged by the runtime: every "can be shown"
verdict of the example surveys carries an answers file that `qengine play` replays
to show the question; the reference survey's known flaws are reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.lint import lint, prover
from qengine.lint.prover import IMPOSSIBLE, POSSIBLE
from qengine.lint.stats import NoCompletePath, path_statistics
from qengine.lint.witness import witness, witnesses
from qengine.runtime.play import play

ROOT = Path(__file__).resolve().parent.parent
GP_BACKUP = ROOT / "surveys" / "gp_backup.qdl"
SURVEYS = sorted((ROOT / "surveys").rglob("*.qdl"))


@pytest.fixture(params=["walks", "solver"])
def finder(request, monkeypatch):
    """Witnesses as lint finds them (random walks first), or from the solver alone,
    whose models must be exact too."""
    if request.param == "solver":
        monkeypatch.setattr(prover, "explore", lambda logic, goals, **_: {})
    return request.param


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.relative_to(ROOT / "surveys").as_posix())
def test_every_witness_replays_through_play(path, finder):
    survey = qengine.load(path)
    shown = complete = 0
    for code, verdict in witnesses(survey).items():
        if verdict.status != POSSIBLE or survey.by_code[code].kind == "equation":
            continue
        result = play(survey, verdict.witness)
        assert code in result.shown, (code, verdict.witness, result.errors)
        shown += 1
        complete += result.complete
    assert shown >= len(survey.questions) // 2
    assert complete == shown, "every question of these surveys is shown to someone who can submit"


def test_witness_of_a_question_after_a_mandatory_grid_submits(tmp_path):
    # the grid's cells default to 0: a witness that clears one (null) is blocked there
    out = CliRunner().invoke(main, ["lint", "--witness", "archivesfrequence", str(GP_BACKUP)])
    assert out.exit_code == 0, out.output
    result = play(qengine.load(GP_BACKUP), json.loads(out.output))
    assert "archivesfrequence" in result.shown and result.complete, result.errors


def test_a_mandatory_grid_needs_every_cell_of_its_offered_rows():
    grid = ('survey s "S"\nformat question\n\ngroup g "G"\n  grid h "H"\n    mandatory\n    min 0\n'
            '    max 5\n    default 0\n    row r "R"\n    column a "A"\n    column b "B"\n'
            '  display d "D"\n    when is_empty(h_r_b)\n')
    assert witness(qengine.load(grid), "d").status == IMPOSSIBLE


def test_witness_command_prints_a_replayable_answers_file(tmp_path):
    out = CliRunner().invoke(main, ["lint", "--witness", "pertedefinitive", str(GP_BACKUP)])
    assert out.exit_code == 0, out.output
    answers = json.loads(out.output)
    assert answers["perterestauree"] == "o" and answers["perterestaureetotal"] == "n"
    assert "pertedefinitive" in play(qengine.load(GP_BACKUP), answers).shown


def test_witness_of_a_question_nobody_sees(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text('survey s "S"\n\ngroup g "G"\n  single a "A"\n    - x "X"\n'
                    '  display d "D"\n    when a == "x" and a != "x"\n', encoding="utf-8")
    assert witness(qengine.load(path), "d").status == IMPOSSIBLE
    out = CliRunner().invoke(main, ["lint", "--witness", "d", str(path)])
    assert out.exit_code == 1 and "no respondent can be shown it" in out.output
    assert CliRunner().invoke(main, ["lint", "--witness", "nosuch", str(path)]).exit_code == 2


def test_gp_backup_has_no_error_and_its_visible_flaws_as_warnings():
    result = lint(GP_BACKUP)
    assert result.loaded
    assert [f.format(result.source) for f in result.findings if f.severity == "error"] == []
    warnings = {(f.code, f.message.split("'")[1]) for f in result.findings if f.severity == "warning"}
    assert ("D302", "pertedefinitive") in warnings  # the unbounded count (Q23)
    d301 = {f.message.split("'")[3] + "_" + f.message.split("'")[1] for f in result.findings if f.code == "D301"}
    assert d301 == {"verification_n", "sauvegardemethode_nsp"}  # "Non" (Q35), "Je ne sais pas" (Q28)


def test_gp_backup_path_statistics():
    stats = path_statistics(qengine.load(GP_BACKUP))
    assert (stats.questions, stats.fewest, stats.most) == (44, 13, 44)
    assert stats.exact
    low, high = stats.minutes
    assert 1 <= low <= 3 and 8 <= high <= 20 and stats.seconds_low < stats.seconds_high


STATS_SURVEY = '''survey s "S"

group g "G"
  single first "First?"
    mandatory
    - a "A"
    - b "B"
  integer many "How many?"
    mandatory
    when first == "a"
    min 0
    max 9
  text why "Why?"
    when first == "a" and many > 5
  display bye "Bye"
'''


def test_fewest_and_most_questions_are_exact(tmp_path):
    stats = path_statistics(qengine.load(STATS_SURVEY))
    assert (stats.questions, stats.fewest, stats.most) == (3, 1, 3)
    assert stats.describe().startswith("3 questions; a respondent is shown 1 to 3 of them;")
    out = CliRunner().invoke(main, ["lint", "--stats", "--format", "json", str(_write(tmp_path, STATS_SURVEY))])
    assert json.loads(out.output)["most"] == 3


@pytest.mark.parametrize(("condition", "said"), [
    ("", "1 question; a respondent is shown it;"),
    ('\n    when 1 == 2', "1 question; a respondent is never shown it;"),
])
def test_a_survey_of_one_question_is_said_in_the_singular(condition, said):
    stats = path_statistics(qengine.load(f'survey s "S"\n\ngroup g "G"\n  text t "T"{condition}\n'))
    assert stats.describe().startswith(said)


def test_path_statistics_name_what_makes_them_inexact(tmp_path):
    text = STATS_SURVEY.replace('  text why "Why?"\n', '  text why "Why?"\n    maxlength 4\n')
    stats = path_statistics(qengine.load(text))
    assert stats.unmodelled == ("how long the numbers typed in 'why' are",) and not stats.exact
    out = CliRunner().invoke(main, ["lint", "--stats", str(_write(tmp_path, text))])
    assert "not exact: it rests on how long the numbers typed in 'why' are" in out.output


def test_no_complete_path(tmp_path):
    blocked = ('survey s "S"\n\ngroup g "G"\n  integer b "B"\n    min 0\n    max 5\n'
               '  single a "A"\n    mandatory\n    - x "X" when b > 10\n')
    with pytest.raises(NoCompletePath):
        path_statistics(qengine.load(blocked))
    out = CliRunner().invoke(main, ["lint", "--stats", str(_write(tmp_path, blocked))])
    assert out.exit_code == 1 and "no respondent can complete" in out.output


def _write(tmp_path, text) -> Path:
    path = tmp_path / "s.qdl"
    path.write_text(text, encoding="utf-8")
    return path
