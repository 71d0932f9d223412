"""`qengine check`: what it prints and how it exits (0 clean, 1 errors, 2 usage or
unreadable input), in-process through click and once as a real process."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main

# A deprecation met by qengine's own code fails these tests, whatever Click
# version runs them (Click's own internals are left to Click).
pytestmark = pytest.mark.filterwarnings("error::DeprecationWarning:qengine")

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted(ROOT.glob("surveys/**/*.qdl"))
BAD = 'survey s "S"\ngroup g "G"\n  integer age1 "Age"\n  display d "D"\n    when agel > 1\n'


def run(*args: str):
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def bad(tmp_path) -> Path:
    path = tmp_path / "bad.qdl"
    path.write_text(BAD, "utf-8")
    return path


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_are_clean_and_counted_as_lint_stats_counts(path):
    result = run("check", str(path))
    survey = qengine.load(path)
    assert result.exit_code == 0, result.output
    stats = run("lint", "--stats", str(path))
    asked = int(stats.output.split()[0])  # "44 questions; a respondent is shown ..."
    equations = sum(q.kind == "equation" for q in survey.questions)
    displays = sum(q.kind == "display" for q in survey.questions)
    assert asked + equations + displays == len(survey.questions)
    held = [f"{asked} question{'s' if asked != 1 else ''}"]
    held += [f"{displays} display text{'s' if displays != 1 else ''}"] * bool(displays)
    held += [f"{equations} equation{'s' if equations != 1 else ''}"] * bool(equations)
    listed = held[0] if len(held) == 1 else ", ".join(held[:-1]) + " and " + held[-1]
    g = len(survey.groups)
    assert result.output == f"{path}: ok ({listed} in {g} group{'s' if g != 1 else ''})\n"


def test_check_and_lint_stats_give_the_same_number_of_questions():
    gp_backup = str(ROOT / "surveys" / "gp_backup.qdl")
    assert run("check", gp_backup).output.endswith(": ok (44 questions and 1 equation in 9 groups)\n")
    assert run("lint", "--stats", gp_backup).output.startswith("44 questions;")


@pytest.mark.parametrize("language", ["de", "es"])
def test_a_language_without_messages_is_warned_about_without_failing(tmp_path, language):
    path = tmp_path / "s.qdl"
    path.write_text(f'survey s "S"\nlanguage {language}\ngroup g "G"\n  integer n "N"\n    mandatory\n', "utf-8")
    result = run("check", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{path}: ok (1 question in 1 group)",
        f"{path}: warning: qengine has no texts of its own in '{language}' (messages such as \"This question is "
        "mandatory.\", the forms' buttons, the printable annex's words): respondents read them in English "
        "(qengine has en, fr)",
    ]
    assert qengine.load(path).start().problems()[0].message == "This question is mandatory."  # as it says


@pytest.mark.parametrize("language", ["en", "fr", "fr_BE", "EN"])
def test_a_language_with_messages_gets_no_warning(tmp_path, language):
    path = tmp_path / "s.qdl"
    path.write_text(f'survey s "S"\nlanguage {language}\ngroup g "G"\n  integer n "N"\n', "utf-8")
    assert run("check", str(path)).output == f"{path}: ok (1 question in 1 group)\n"


def test_standard_input_is_read_without_clicks_deprecated_stream_helpers(tmp_path):
    """`-` reads the survey (check) and the answers file (play) from standard
    input; Click deprecated its stream helpers (8.2 get_text_stream, 8.5 both),
    so none of them may be met, and the bytes are UTF-8 whatever the locale."""
    survey = 'survey s "S"\ngroup g "G"\n  text nom "Nom ?"\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        checked = CliRunner().invoke(main, ["check", "-"], input=survey.encode("utf-8"))
        path = tmp_path / "s.qdl"
        path.write_text(survey, encoding="utf-8")
        played = CliRunner().invoke(main, ["play", str(path), "--answers", "-", "--json"],
                                    input=json.dumps({"nom": "Élodie"}, ensure_ascii=False).encode("utf-8"))
    assert checked.exit_code == 0 and checked.output == "-: ok (1 question in 1 group)\n"
    assert played.exit_code == 0, played.output
    assert json.loads(played.stdout)["response"] == {"nom": "Élodie"}
    assert not [w for w in caught if "click" in str(w.filename).lower() or "Click" in str(w.message)]
    bad = CliRunner().invoke(main, ["play", str(path), "--answers", "-"], input=b'{"nom": "\xff"}')
    assert bad.exit_code == 2 and "cannot read the answers file" in bad.output


def test_errors_exit_1_with_place_caret_and_hint(bad):
    result = run("check", str(bad))
    assert result.exit_code == 1
    assert result.output == (
        f"{bad}:5:10: error[E210]: unknown question 'agel'\n"
        " 5 |     when agel > 1\n"
        "   |          ^^^^\n"
        "  = hint: did you mean 'age1'?\n"
        "\n"
        "1 error found\n")


def test_several_files_are_all_checked(bad):
    tutorial = ROOT / "surveys/examples/tutorial.qdl"
    result = run("check", str(tutorial), str(bad), str(bad))
    assert result.exit_code == 1
    assert result.output.count("error[E210]") == 2
    assert f"{tutorial}: ok" in result.output and result.output.endswith("2 errors found\n")


def test_a_missing_file_exits_2(tmp_path):
    missing = tmp_path / "missing.qdl"
    result = run("check", str(missing))
    assert result.exit_code == 2
    assert result.output.startswith(f"{missing}:1:1: error[E001]: cannot read the file")


def test_a_file_that_is_not_text_exits_2(tmp_path, bad):
    binary = tmp_path / "binary.qdl"
    binary.write_bytes(b'survey s "\xff\xfe"\n')
    result = run("check", str(bad), str(binary))
    assert result.exit_code == 2
    assert "error[E002]: the file is not UTF-8 text" in result.output
    assert "error[E210]" in result.output  # the readable file is still checked


@pytest.mark.parametrize("args", [["check"], ["check", "--nope", "x.qdl"], ["check", "."], ["chekc", "x.qdl"]])
def test_usage_errors_exit_2(args):
    result = run(*args)
    assert result.exit_code == 2
    assert "Usage:" in result.output


def test_version_and_help():
    assert run("--version").output == f"qengine, version {qengine.__version__}\n"
    help_text = run("check", "--help").output
    assert "Parse and check survey FILES" in help_text and "Exit 0" in help_text


def _qengine(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from qengine.cli import main; main()", *args],
                          cwd=cwd, capture_output=True, text=True)


def test_a_real_process_from_another_directory(bad):
    """End to end, from a directory outside the checkout: exit codes, no traceback."""
    ok = _qengine("check", str(ROOT / "surveys/examples/tutorial.qdl"), cwd=bad.parent)
    assert ok.returncode == 0 and ok.stdout.endswith("ok (5 questions in 1 group)\n"), ok.stderr
    failed = _qengine("check", "bad.qdl", cwd=bad.parent)
    assert failed.returncode == 1 and failed.stdout.startswith("bad.qdl:5:10: error[E210]")
    assert "Traceback" not in failed.stderr


def test_a_command_loads_only_its_own_module():
    """`qengine check` starts without the renderers, the runtime's player, the
    fuzzer or Hypothesis; `--help` still lists every command."""
    script = ("import sys\nfrom qengine.cli import main\n"
              f"main(['check', {str(EXAMPLES[0])!r}], standalone_mode=False)\n"
              "print(' '.join(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    modules = set(out.split())
    assert "qengine.cli.check" in modules
    loaded = {m for m in modules if m.startswith(("qengine.renderers", "qengine.runtime.play", "qengine.testing",
                                                  "qengine.cli.", "hypothesis"))}
    assert loaded == {"qengine.cli.check", "qengine.cli.common"}
    listed = run("--help").output
    assert all(f"  {name} " in listed for name in ("check", "export", "fuzz", "lint", "play", "render",
                                                   "run", "schema"))
