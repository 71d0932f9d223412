"""The pytest plugin: a lint test and a fuzz test per survey file, opt-in, failures
that show the finding or the path."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from defects import DEAD_END

# pytester's in-process runs forget the modules they import: loaded here once,
# Hypothesis and the fuzzing engine are not imported afresh by every run.
import qengine.testing._fuzz  # noqa: F401

pytest_plugins = ["pytester"]

SOUND = '''
survey sound "Sound"
group g "G"
  single pet "Pet?"
    mandatory
    - y "Yes"
    - n "No"
  text name "Its name"
    when pet == "y"
'''


INI = "[pytest]\nqengine_surveys = surveys/*.qdl\nqengine_examples = 24\n"


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    """A survey author's project: surveys beside a tests directory of their own."""
    pytester.mkdir("surveys")
    (pytester.path / "surveys" / "sound.qdl").write_text(SOUND, encoding="utf-8")
    (pytester.path / "surveys" / "deadend.qdl").write_text(DEAD_END, encoding="utf-8")
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_nothing.py").write_text("def test_ok():\n    pass\n", encoding="utf-8")
    return pytester


def test_without_opting_in_no_survey_is_collected(project):
    result = project.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_the_ini_setting_adds_one_test_per_survey(project):
    project.makeini(INI + "testpaths = tests\n")
    result = project.runpytest("-p", "no:cacheprovider", "-v")
    result.assert_outcomes(passed=3, failed=2)
    result.stdout.fnmatch_lines([
        "*surveys/deadend.qdl::lint FAILED*",
        "*surveys/deadend.qdl::fuzz FAILED*",
        "*surveys/sound.qdl::lint PASSED*",
        "*surveys/sound.qdl::fuzz PASSED*",
    ])
    result.stdout.fnmatch_lines([
        "*a respondent cannot leave a page*Too few for plan b.*",
        "shortest path found:",
        "page g: G",
        '    plan = "b"',
        '*{"plan": "b", "n": 0}*',
    ])


def test_explicit_paths_collect_only_what_they_name(project):
    project.makeini(INI)
    project.runpytest("-p", "no:cacheprovider", "tests").assert_outcomes(passed=1)
    project.runpytest("-p", "no:cacheprovider", "surveys/sound.qdl").assert_outcomes(passed=2)


def test_the_option_collects_every_survey_file_visited(project):
    result = project.runpytest("-p", "no:cacheprovider", "--qengine-fuzz", "--qengine-examples", "16", "surveys")
    result.assert_outcomes(passed=2, failed=2)


def test_a_survey_that_does_not_load_fails_with_its_diagnostics(project):
    (project.path / "surveys" / "broken.qdl").write_text('survey broken "B"\ngroup g "G"\n  single q\n    - a\n',
                                                        encoding="utf-8")
    result = project.runpytest("-p", "no:cacheprovider", "--qengine-fuzz", "surveys/broken.qdl")
    result.assert_outcomes(failed=2)  # lint's load errors, and the fuzz test's
    result.stdout.fnmatch_lines(["*broken.qdl:4:*", "*the survey does not load*", "*broken.qdl:4:*"])


# Respondents all submit, but lint proves nobody sees `never` (an error) and finds
# that `n` has no bounds (a warning).
HIDDEN = '''
survey hidden "Hidden"
group g "G"
  integer n "N"
    mandatory
  single never "Never"
    when n > 5 and n < 3
    - a "A"
'''


def test_lint_errors_fail_the_lint_test_and_warnings_do_not(project):
    (project.path / "surveys" / "hidden.qdl").write_text(HIDDEN, encoding="utf-8")
    (project.path / "surveys" / "loose.qdl").write_text(HIDDEN.split("  single never")[0], encoding="utf-8")
    project.makeini(INI)
    result = project.runpytest("-p", "no:cacheprovider", "-v", "-rA", "surveys/hidden.qdl", "surveys/loose.qdl")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["*surveys/hidden.qdl::lint FAILED*", "*surveys/hidden.qdl::fuzz PASSED*",
                                 "*surveys/loose.qdl::lint PASSED*", "*surveys/loose.qdl::fuzz PASSED*"])
    result.stdout.fnmatch_lines(["*hidden.qdl:7:10: R101 'never' is never shown*", "1 lint error (turn*"])
    result.stdout.fnmatch_lines(["*Captured lint call*", "*loose.qdl:4:3: D302 'n' accepts any number*"])


def test_a_pattern_no_text_matches_is_named_in_the_captured_output(project):
    (project.path / "surveys" / "codes.qdl").write_text(
        'survey codes "Codes"\ngroup g "G"\n  text never "Never"\n    pattern "a^b"\n', encoding="utf-8")
    result = project.runpytest("-p", "no:cacheprovider", "-rA", "--qengine-fuzz", "--qengine-no-lint",
                               "surveys/codes.qdl")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*Captured patterns call*", "warning: no text was found that matches the "
                                 "pattern (and maxlength) of never: respondents left it blank"])


@pytest.mark.parametrize("how", ["ini", "option"])
def test_the_lint_tests_can_be_turned_off(project, how):
    (project.path / "surveys" / "hidden.qdl").write_text(HIDDEN, encoding="utf-8")
    project.makeini(INI + "qengine_lint = false\n" if how == "ini" else INI)
    args = ["--qengine-no-lint"] if how == "option" else []
    result = project.runpytest("-p", "no:cacheprovider", "-v", *args, "surveys/hidden.qdl")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*surveys/hidden.qdl::fuzz PASSED*"])
    result.stdout.no_fnmatch_line("*::lint*")


def test_a_bad_ini_value_is_a_usage_error(project):
    project.makeini("[pytest]\nqengine_surveys = surveys/sound.qdl\nqengine_examples = many\n")
    result = project.runpytest("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*qengine_examples must be a whole number*"])


# ---------------------------------------------------------------- the CI recipe of docs/testing.md
TESTING_DOC = Path(__file__).resolve().parent.parent / "docs" / "testing.md"


def _recipe_steps() -> list[str]:
    """The `run:` commands of the GitHub Actions workflow in docs/testing.md."""
    block = TESTING_DOC.read_text(encoding="utf-8").split("# .github/workflows/surveys.yml", 1)[1]
    block = block.split("```", 1)[0]
    return [line.split("- run:", 1)[1].strip() for line in block.splitlines() if "- run:" in line]


def _run_step(step: str, cwd: Path) -> int:
    """Exit status of one recipe step, run by a shell in `cwd` with this
    environment's `qengine` and pytest."""
    if step.startswith("pytest"):
        step = f"{sys.executable} -m pytest -p no:cacheprovider" + step[len("pytest"):]
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(step, shell=True, cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PATH": path}, timeout=300).returncode


@pytest.mark.parametrize(("survey", "passes"), [(SOUND, True), (HIDDEN, False)])
def test_the_ci_recipe_lints_so_a_question_nobody_can_see_fails_the_build(tmp_path, survey, passes):
    install, *steps = _recipe_steps()
    assert install.startswith("pip install qengine-survey")
    (tmp_path / "surveys").mkdir()
    (tmp_path / "surveys" / "survey.qdl").write_text(survey, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(INI, encoding="utf-8")
    statuses = {step: _run_step(step, tmp_path) for step in steps}
    assert all(status == 0 for status in statuses.values()) == passes, statuses
    if not passes:
        assert statuses["qengine check surveys/*.qdl"] == 0  # it loads: only lint can tell
        assert statuses["qengine lint surveys/*.qdl"] == 1


def test_each_stated_route_is_a_test_item(pytester):
    survey = 'survey s "S"\ngroup g "G"\n  single a "A?"\n    - y "Yes"\n    - n "No"\n  integer n "N?"\n' \
             '    when a == "y"\n    min 0\n    max 9\n\nexpect every respondent who a == "y" is asked n\n'
    (pytester.path / "s.qdl").write_text(survey, encoding="utf-8")
    (pytester.path / "s.expect").write_text('expect "r"\n  answer a = y\n  not asked n\n', encoding="utf-8")
    result = pytester.runpytest("--qengine-fuzz", "--qengine-no-lint", "--qengine-examples", "8", "s.qdl")
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(["*s.expect:3: 'n' is asked*"])
