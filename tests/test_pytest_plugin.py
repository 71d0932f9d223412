"""The pytest plugin: one test per survey file, opt-in, failures that show the path."""

from __future__ import annotations

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
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines([
        "*surveys/deadend.qdl::fuzz FAILED*",
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
    project.runpytest("-p", "no:cacheprovider", "surveys/sound.qdl").assert_outcomes(passed=1)


def test_the_option_collects_every_survey_file_visited(project):
    result = project.runpytest("-p", "no:cacheprovider", "--qengine-fuzz", "--qengine-examples", "16", "surveys")
    result.assert_outcomes(passed=1, failed=1)


def test_a_survey_that_does_not_load_fails_with_its_diagnostics(project):
    (project.path / "surveys" / "broken.qdl").write_text('survey broken "B"\ngroup g "G"\n  single q\n    - a\n',
                                                        encoding="utf-8")
    result = project.runpytest("-p", "no:cacheprovider", "--qengine-fuzz", "surveys/broken.qdl")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the survey does not load*", "*broken.qdl:4:*"])


def test_a_bad_ini_value_is_a_usage_error(project):
    project.makeini("[pytest]\nqengine_surveys = surveys/sound.qdl\nqengine_examples = many\n")
    result = project.runpytest("-p", "no:cacheprovider")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*qengine_examples must be a whole number*"])
