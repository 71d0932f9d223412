"""`qengine check`: what it prints and how it exits (0 clean, 1 errors, 2 usage or
unreadable input), in-process through click and once as a real process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main

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
def test_examples_are_clean(path):
    result = run("check", str(path))
    survey = qengine.load(path)
    assert result.exit_code == 0, result.output
    n, g = len(survey.questions), len(survey.groups)
    assert result.output == f"{path}: ok ({n} questions in {g} group{'s' if g != 1 else ''})\n"


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
    loaded = {m for m in modules if m.startswith(("qengine.render", "qengine.runtime.play", "qengine.testing",
                                                  "qengine.cli.", "hypothesis"))}
    assert loaded == {"qengine.cli.check", "qengine.cli.common"}
    listed = run("--help").output
    assert all(f"  {name} " in listed for name in ("check", "export", "fuzz", "lint", "play", "render",
                                                   "run", "schema"))
