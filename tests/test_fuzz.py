"""The fuzz property catches seeded defects, reports coverage, and passes sound surveys."""

from __future__ import annotations

import json
from pathlib import Path
from types import MappingProxyType

import pytest
from click.testing import CliRunner
from defects import DEAD_END, DEAD_END_PAGE

import qengine
from qengine.cli import main
from qengine.runtime import answers as runtime_answers
from qengine.runtime.session import Response, Session
from qengine.testing import FuzzReport, fuzz
from qengine.testing._coverage import Coverage

# A deprecation met by qengine's own code (the command line's included) fails
# these tests, whatever the versions of Click and Hypothesis.
pytestmark = pytest.mark.filterwarnings("error::DeprecationWarning:qengine")

ROOT = Path(__file__).resolve().parent.parent
GP_BACKUP = ROOT / "surveys" / "gp_backup.qdl"

SOUND = '''
survey sound "Sound"
language en

group about "About you"
  single pet "Do you have a pet?"
    mandatory
    - dog "A dog"
    - cat "A cat"
    - none "No pet"
  text petname "What is {pet.shown}'s name?"
    when pet == "dog" or pet == "cat"
  multiple food "What does it eat?"
    when pet != "none" and !is_empty(pet)
    min 1
    max 2
    - dry "Dry food"
    - wet "Wet food"
    - fish "Fish" when pet == "cat"
    - unknown "I don't know" exclusive

group care "Care"
  when pet != "none"
  integer visits "Vet visits a year"
    mandatory
    min 0
    max 12
  grid costs "Costs"
    row food "Food"
    row vet "Vet" when visits > 0
    column euros "Euros"
    min 0
    max 500
    default 0
  equation total
    value sum(costs_food_euros, costs_vet_euros)
  array mood "How is it?"
    row now "Today"
    row week "This week" when visits > 2
    scale 1 to 3
  decimal weight "Weight (kg)"
    min 0.5
    max 80
    validate weight <= 10 or pet == "dog" message "A cat that heavy?"
'''


def _kinds(report) -> set[str]:
    return {r.defect.kind for r in report.failures}


def test_a_sound_survey_passes_and_every_question_is_seen():
    report = fuzz(qengine.load(SOUND), examples=120, seed=3)
    assert report.passed, [r.path for r in report.failures]
    cov = report.coverage
    assert cov.respondents == 120 and cov.submitted == 120
    assert cov.never_shown == []
    assert all(cov.shown[c] for c in ("pet", "petname", "food", "visits", "costs", "mood", "weight"))
    assert dict(cov.choices("pet")).keys() == {"dog", "cat", "none"}
    assert all(n > 0 for _, n in cov.choices("pet"))
    assert "total" not in cov.visible_questions  # equations are never shown


def test_the_same_seed_gives_the_same_run():
    survey = qengine.load(SOUND)
    a, b = fuzz(survey, examples=40, seed=11), fuzz(survey, examples=40, seed=11)
    assert a.coverage.to_json() == b.coverage.to_json()


# ---------------------------------------------------------------- seeded defects


def test_a_dead_end_is_caught_with_a_short_path():
    report = fuzz(qengine.load(DEAD_END), examples=100, seed=1)
    assert _kinds(report) == {"dead-end"}
    respondent = report.failures[0]
    assert "Too few for plan b." in respondent.defect.message
    assert respondent.answers.get("plan") == "b"
    assert [s.action for s in respondent.steps] == ["page", "answer", "answer", "stuck"]


def test_the_searchs_own_answer_to_a_filtered_away_option_is_no_crash():
    # Searching for a way off the page, the fuzzer changes `plan`, which filters
    # away the `x` it had given to `kind`: one dead end, not also a crash.
    report = fuzz(qengine.load('''
survey twice "Dead end once"
group g "G"
  single plan "Plan"
    mandatory
    - a "A"
    - b "B"
    validate plan == "b" message "Pick b."
  single kind "Kind"
    mandatory
    - x "X" when plan == "a"
    - y "Y"
    validate kind == "x" message "Pick x."
'''), examples=100, seed=1)
    assert _kinds(report) == {"dead-end"}, [str(r.defect) for r in report.failures]


def test_an_optional_question_whose_rule_no_answer_passes_is_left_blank_not_a_dead_end():
    # `m` refuses every number, but a blank is an answer it accepts: the page can be
    # left (lint's R121 is what reports the rule).
    report = fuzz(qengine.load('''
survey blank "Blank"
group g "G"
  integer m "M?"
    validate m > 10 and m < 5 message "Never."
  single s "S"
    mandatory
    - a "A"
group h "H"
  text z "Z"
'''), examples=50, seed=1)
    assert _kinds(report) == set(), [str(r.defect) for r in report.failures]


def test_a_default_the_question_refuses_is_reported():
    report = fuzz(qengine.load('''
survey deflt "Default"
group g "G"
  integer n "N?"
    min 0
    max 10
    default 20
'''), examples=20, seed=1)
    assert _kinds(report) == {"default-refused"}
    assert "the default of n (20)" in report.failures[0].defect.message


def test_an_equation_that_raises_is_a_crash_located_in_the_equation():
    report = fuzz(qengine.load('''
survey eq "Equation"
group g "G"
  integer total "Total"
    mandatory
    min 0
    max 10
  integer part "Part"
    min 0
    max 10
  equation share
    value part / total
'''), examples=100, seed=1)
    assert _kinds(report) == {"crash"}
    message = report.failures[0].defect.message
    assert "division by zero" in message and "the value of equation share" in message
    assert report.failures[0].answers == {"total": 0, "part": 0}


def test_a_wording_that_fails_at_run_time_is_a_crash_located_in_the_wording():
    report = fuzz(qengine.load('''
survey word "Wording"
group g "G"
  text name "Your name"
    mandatory
group h "H"
  display hello "Next year you will be {name + 1}."
'''), examples=100, seed=1)
    assert _kinds(report) == {"crash"}
    assert "the wording of question hello" in report.failures[0].defect.message


def test_a_validation_on_an_earlier_page_blocks_submission():
    report = fuzz(qengine.load('''
survey late "Late rule"
group one "One"
  single first "First"
    mandatory
    - a "A"
    - b "B"
    validate second != "b" message "Not b later."
group two "Two"
  single second "Second"
    mandatory
    - a "A"
    - b "B"
'''), examples=100, seed=1)
    # Submitting fails; a respondent who goes back to the first page is stuck there too.
    assert "cannot-submit" in _kinds(report) <= {"cannot-submit", "dead-end"}
    late = next(r for r in report.failures if r.defect.kind == "cannot-submit")
    assert "[first] Not b later." in late.defect.message


PET = '''
survey hid "Hidden"
group g "G"
  single pet "Do you have a pet?"
    mandatory
    - y "Yes"
    - n "No"
  text petname "Its name?"
    when pet == "y"
'''


def test_an_answer_kept_from_a_hidden_question_is_caught(monkeypatch):
    sound = Session.response

    def leaky(self):  # a broken runtime: puts every answer given into the response
        out = dict(sound(self).answers)
        for code in self.survey.by_code:
            if self.given(code) is not None:
                out.setdefault(code, self.given(code))
        return Response(self.survey.code, MappingProxyType(out))

    monkeypatch.setattr(Session, "response", leaky)
    report = fuzz(qengine.load(PET), examples=300, seed=1, witnesses=False)  # lint runs the runtime too
    assert _kinds(report) == {"hidden-answer"}
    respondent = report.failures[0]
    assert "petname" in respondent.defect.message
    path = respondent.path
    assert path.index('pet = "y"') < path.index("petname = ") < path.index('pet = "n"')


def test_an_invalid_value_accepted_by_the_runtime_is_caught(monkeypatch):
    monkeypatch.setattr(runtime_answers, "refusal", lambda *args, **kwargs: None)
    report = fuzz(qengine.load('''
survey inv "Invalid"
group g "G"
  integer n "N"
    min 0
    max 5
'''), examples=100, seed=1, witnesses=False)
    assert _kinds(report) == {"invalid-accepted"}
    assert report.failures[0].steps[-1].action == "refused"


def test_navigation_that_never_ends_is_caught(monkeypatch):
    monkeypatch.setattr(Session, "next", lambda self: True)  # claims to move, stays put
    report = fuzz(qengine.load(PET), examples=20, seed=1, witnesses=False)
    assert _kinds(report) == {"no-end"}


def test_distinct_defects_are_reported_separately():
    report = fuzz(qengine.load(DEAD_END_PAGE + '''  integer d "Divisor"
    mandatory
    min 0
    max 3
  equation q
    value 10 / d
'''), examples=200, seed=2)
    assert _kinds(report) == {"dead-end", "crash"}


# ---------------------------------------------------------------- coverage
# One question behind a condition that random answers almost never meet.
NARROW = '''
survey narrow "Narrow"
group g "G"
  integer code "Your code"
    mandatory
    min 0
    max 1000000
  single rare "Only for one code"
    when code == 777777
    - a "A"
'''


def test_questions_behind_narrow_conditions_are_aimed_at():
    survey = qengine.load(NARROW + '''  single mode "Mode"
    - x "X"
    - y "Y"
  text detail "Only for y and an empty code"
    when mode == "y" and rare == "a"
''')
    report = fuzz(survey, examples=64, seed=1, witnesses=False)
    assert report.passed
    assert "rare" in report.aimed_at
    assert report.coverage.never_shown == []


def test_lint_witnesses_seed_the_search_and_unreachable_questions_are_named():
    survey = qengine.load(NARROW + '''  single never "Never"
    when code > 5 and code < 3
    - a "A"
''')
    report = fuzz(survey, examples=64, seed=1)
    assert report.passed and report.lint_error is None
    assert report.coverage.shown["rare"] > 0
    assert report.unreachable == ("never",) and report.aimed_at == ()


def test_gp_backup_passes_and_shows_its_44_visible_questions():
    survey = qengine.load(GP_BACKUP)
    report = fuzz(survey, examples=400, seed=7)
    assert report.passed, [r.path for r in report.failures]
    assert len(report.coverage.visible_questions) == 44
    assert report.coverage.never_shown == []


@pytest.mark.parametrize("name", ["tutorial", "mobilite"])
def test_example_surveys_pass(name):
    report = fuzz(qengine.load(ROOT / "surveys" / "examples" / f"{name}.qdl"), examples=80, seed=5)
    assert report.passed, [r.path for r in report.failures]


# ---------------------------------------------------------------- size and patterns
def _large(n: int) -> str:
    """A sound survey of `n` questions in groups of 10, taking turns as a single
    choice, a bounded number, a multiple choice and a text (every other one with
    a pattern); most are shown under a condition on an earlier question."""
    lines = [f'survey large{n} "Large"']
    for i in range(n):
        if i % 10 == 0:
            lines.append(f'group g{i // 10} "Group {i // 10}"')
        kind = ("single", "integer", "multiple", "text")[i % 4]
        lines += [f'  {kind} q{i} "Question {i}"'] + ["    mandatory"] * (i % 3 == 0)
        first = i - 4 - i % 4  # the single choice, then the number, of the block before
        if first >= 0 and i % 5:
            lines.append(f'    when q{first} != "c"' if i % 2 else f"    when q{first + 1} > 2")
        lines += {"single": ['    - a "A"', '    - b "B"', '    - c "C"'],
                  "integer": ["    min 0", "    max 9"],
                  "multiple": ["    max 2", '    - x "X"', '    - y "Y"', '    - z "Z"'],
                  "text": ['    pattern "[A-Z]{2}[0-9]{3}"'] * (i % 8 == 7)}[kind]
    return "\n".join(lines) + "\n"


def test_a_survey_of_300_questions_is_fuzzed_to_the_end(tmp_path):
    survey = _write(tmp_path, "large.qdl", _large(300))
    result = CliRunner().invoke(main, ["fuzz", str(survey), "-n", "40", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "40 respondents" in result.output and "every one submitted" in result.output


@pytest.mark.parametrize("fmt", [None, "question"])
def test_a_survey_of_1000_questions_is_fuzzed_to_the_end(fmt):
    report = fuzz(qengine.load(_large(1000)), examples=10, seed=1, format=fmt, witnesses=False)
    assert report.passed, [str(r.defect) for r in report.failures]
    assert report.coverage.submitted >= 10


def test_a_walk_longer_than_its_share_of_an_example_goes_on_past_it(monkeypatch):
    # Each walk of a survey of thousands of questions reads more bytes than an
    # example may draw: past its share, they come from a drawn seed.
    from qengine.testing import _walk

    monkeypatch.setattr(_walk, "EXAMPLE_BYTES", 256)
    survey = qengine.load(_large(200))
    report = fuzz(survey, examples=16, seed=1, format="question", witnesses=False)
    assert report.passed and report.coverage.submitted == 16
    before = "".join(f'group h{i} "H"\n  text t{i} "T"\n' for i in range(200))
    dead = fuzz(qengine.load(DEAD_END_PAGE.replace('group g "G"', before + 'group g "G"')),
                examples=16, seed=1, format="question", witnesses=False)
    assert _kinds(dead) == {"dead-end"}  # found by the bytes past the share, and shrunk
    assert dead.failures[0].answers["plan"] == "b"


PATTERNS = '''
survey codes "Codes"
group g "G"
  text never "A text nothing matches"
    pattern "a^b"
  text short "Five digits in three characters"
    pattern "[0-9]{5}"
    maxlength 3
  text plate "A plate"
    mandatory
    pattern "[A-Z]{2}[0-9]{3}"
'''


def test_a_pattern_no_text_matches_is_left_blank_and_named():
    report = fuzz(qengine.load(PATTERNS), examples=40, seed=1)
    assert report.passed, [str(r.defect) for r in report.failures]
    assert report.textless == ("never", "short")
    assert report.coverage.submitted == 40


def test_a_mandatory_pattern_no_text_matches_is_a_dead_end_that_says_so(tmp_path):
    survey = _write(tmp_path, "codes.qdl", PATTERNS.replace('"a^b"', '"a^b"\n    mandatory'))
    result = CliRunner().invoke(main, ["fuzz", str(survey), "-n", "16", "--seed", "1", "--out", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "Unsatisfiable" not in result.output
    assert "cannot be left: [never] This question is mandatory." in result.output
    assert "no text matching the pattern of never was found" in result.output
    assert ("warning: no text was found that matches the pattern (and maxlength) of never, short: "
            "respondents left them blank") in result.output


# ---------------------------------------------------------------- command line
def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_pass_prints_coverage_and_exits_0(tmp_path):
    survey = _write(tmp_path, "sound.qdl", SOUND)
    result = CliRunner().invoke(main, ["fuzz", str(survey), "--examples", "40", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "every one submitted" in result.output
    assert "coverage: 7 of 7 questions shown" in result.output
    assert "never shown: none" in result.output


def test_cli_names_what_lint_proves_unreachable(tmp_path):
    survey = _write(tmp_path, "never.qdl", 'survey s "S"\ngroup g "G"\n  integer n "N"\n    mandatory\n'
                    '  single never "Never"\n    when n > 5 and n < 3\n    - a "A"\n')
    result = CliRunner().invoke(main, ["fuzz", str(survey), "-n", "16", "--seed", "1"])
    assert result.exit_code == 0, result.output
    assert "never shown: never (lint proves no respondent can see it)" in result.output
    assert "never shown: none" not in result.output  # which would contradict the line above


def test_never_shown_sets_apart_what_lint_proves_and_says_none_only_for_none():
    survey = qengine.load('survey s "S"\ngroup g "G"\n  integer n "N"\n  integer m "M"\n    when n > 5\n'
                          '  integer o "O"\n    when n > 5 and n < 3\n')
    report = fuzz(survey, examples=8, seed=1)
    assert report.unreachable == ("o",)
    unseen = FuzzReport(survey.code, 1, 0, (), Coverage(survey), (), report.unreachable, 0.0)
    assert unseen.never_shown_line() == "never shown: n, m; o (lint proves no respondent can see it)"
    assert fuzz(qengine.load(SOUND), examples=40, seed=2).never_shown_line() == "never shown: none"


def test_cli_json_report(tmp_path):
    survey = _write(tmp_path, "sound.qdl", SOUND)
    result = CliRunner().invoke(main, ["fuzz", str(survey), "-n", "24", "--seed", "2", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["passed"] is True and data["seed"] == 2 and data["respondents"] == 24
    assert data["coverage"]["questions"]["pet"]["shown"] == 24
    assert set(data["coverage"]["questions"]["pet"]["chosen"]) == {"dog", "cat", "none"}


def test_cli_failure_writes_an_answers_file_that_play_replays(tmp_path):
    survey = _write(tmp_path, "dead.qdl", DEAD_END)
    out = tmp_path / "out"
    out.mkdir()
    result = CliRunner().invoke(main, ["fuzz", str(survey), "-n", "100", "--seed", "1", "--out", str(out)])
    assert result.exit_code == 1, result.output
    answers = out / "dead.dead-end.answers.json"
    assert f"answers written to {answers}" in result.output
    assert json.loads(answers.read_text())["plan"] == "b"
    replay = CliRunner().invoke(main, ["play", str(survey), "--answers", str(answers), "--json"])
    assert replay.exit_code == 1
    assert json.loads(replay.output)["errors"][0]["message"] == "Too few for plan b."


def test_cli_crash_is_replayed_by_play(tmp_path):
    survey = _write(tmp_path, "eq.qdl", '''
survey eq "Equation"
group g "G"
  integer total "Total"
    mandatory
    min 0
    max 10
  equation inverse
    value 1 / total
''')
    result = CliRunner().invoke(main, ["fuzz", str(survey), "-n", "50", "--seed", "1", "--out", str(tmp_path),
                                       "--json"])
    assert result.exit_code == 1
    failure = json.loads(result.output)["failures"][0]
    assert failure["kind"] == "crash" and failure["answers"] == {"total": 0}
    assert failure["replay"].startswith("exits 1: the survey fails while running")
    replay = CliRunner().invoke(main, ["play", str(survey), "--answers", failure["answers_file"]])
    assert replay.exit_code == 1 and "division by zero" in replay.output


@pytest.mark.parametrize("args", [["--examples", "0"], ["--seed", "-1"], ["--out", "/nonexistent/dir"]])
def test_cli_usage_errors_exit_2(tmp_path, args):
    survey = _write(tmp_path, "sound.qdl", SOUND)
    result = CliRunner().invoke(main, ["fuzz", str(survey), *args])
    assert result.exit_code == 2


def test_cli_bad_survey_exits_2(tmp_path):
    survey = _write(tmp_path, "bad.qdl", "survey broken\ngroup\n")
    result = CliRunner().invoke(main, ["fuzz", str(survey)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
