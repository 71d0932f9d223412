"""The command line's contract with hostile input: file arguments are files,
survey texts cannot drive the terminal, an unexpected failure is one line and exit
2, hostile saved sessions exit 2 (issue 14, items 20, 28, 29, 30, 31, 32)."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner

from qengine.cli import main

SURVEY = 'survey s "S"\ngroup g "G"\n  integer n "N"\n    min 0\n    max 9\n  text t "T"\n'
# A window title, the clipboard (OSC 52), clearing the screen, a bidi override, C1 CSI.
ESCAPES = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202e\x9b31m"
HOSTILE = f'survey s "S"\ngroup g "G {ESCAPES}"\n  integer n "N {ESCAPES}"\n    when n > 1\n    mandatory\n'


def run(*args, input=None):  # noqa: A002
    return CliRunner().invoke(main, [str(a) for a in args], input=input)


@pytest.fixture
def survey(tmp_path):
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    return path


# ---------------------------------------------------------------- files (29)

@pytest.mark.parametrize("command", [["check"], ["export"], ["schema"], ["lint"], ["lint", "--stats"],
                                     ["render", "--to", "printable"], ["fuzz", "--examples", "1"],
                                     ["play", "--answers", "-"]])
@pytest.mark.parametrize("argument", ["missing.qdl", "missing.txt", 'survey s "x"\ngroup g "G"\n  text t "T"'])
def test_a_file_argument_that_is_no_file_is_no_such_file(tmp_path, command, argument):
    result = run(*command[:1], str(tmp_path / argument) if "\n" not in argument else argument, *command[1:],
                 input="{}")
    assert result.exit_code == 2, result.output
    assert "cannot read the file: no such file" in result.output
    assert "ok (" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)


def test_a_string_is_never_read_as_a_survey(tmp_path):
    result = run("check", 'survey s "x"')
    assert result.exit_code == 2 and "no such file" in result.output


def test_dash_reads_the_survey_from_standard_input(survey):
    assert run("check", "-", input=SURVEY).output == "-: ok (2 questions in 1 group)\n"
    assert run("lint", "-", input=SURVEY).exit_code in (0, 1)
    played = run("play", "-", "--answers", survey.with_suffix(".json"), input=SURVEY)
    assert played.exit_code == 2 and "no such file" in played.output
    both = run("play", "-", "--answers", "-", input=SURVEY)
    assert both.exit_code == 2 and "cannot both come from standard input" in both.output


def test_a_directory_is_not_a_survey(tmp_path):
    result = run("check", tmp_path)
    assert result.exit_code == 2


# ---------------------------------------------------------------- escapes (30)

@pytest.mark.parametrize("command", [["check"], ["lint"], ["play", "--answers", "-"], ["export"]])
def test_survey_texts_cannot_drive_the_terminal(tmp_path, command):
    path = tmp_path / "h.qdl"
    broken = command == ["check"]
    path.write_text(HOSTILE + ("  integer m {ESC}\n".replace("{ESC}", ESCAPES) if broken else ""), encoding="utf-8")
    result = run(command[0], path, *command[1:], input='{"n": 5}')
    shown = result.output if command[0] != "export" else ""
    for raw in ("\x1b", "\x07", "\u202e", "\x9b"):
        assert raw not in shown, (command, result.output)
    if command[0] == "play":
        assert "\\x1b]0;pwned" in result.output


def test_diagnostics_keep_their_colours_and_lose_the_surveys(tmp_path):
    from qengine.cli.common import format_diagnostics
    from qengine.span import Source
    from qengine.syntax.loader import check

    source = Source(HOSTILE.replace("when n > 1", "when nn > 1"), "h.qdl")
    _, diagnostics = check(source)
    (text,) = format_diagnostics(diagnostics, source, color=True)
    assert "\x1b[1m" in text and "\x1b]0" not in text and "\\x1b]0;pwned" not in text.split("\n")[0]


# ---------------------------------------------------------------- the contract: 0, 1 or 2 (28)

def test_an_unexpected_exception_is_one_line_and_exit_2(survey, monkeypatch, capsys):
    import qengine.cli.check as check_module

    def broken(source):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(check_module, "check", broken)
    with pytest.raises(SystemExit) as stopped:
        main(["check", str(survey)])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RuntimeError: simulated bug" in err and "bug of qengine" in err
    # Through Click's test runner (as every test calls the CLI) the bug is not hidden.
    assert isinstance(run("check", survey).exception, RuntimeError)


def test_an_evaluation_error_at_the_top_level_exits_1(tmp_path, monkeypatch, capsys):
    import qengine.cli.play as play_module
    from qengine.errors import EvaluationError
    from qengine.span import Source

    def failing(*args, **kwargs):
        raise EvaluationError("division by zero", Source("x", "s.qdl").span(0, 1))

    monkeypatch.setattr(play_module, "response_schema", failing)
    path = tmp_path / "s.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:
        main(["schema", str(path)])
    assert stopped.value.code == 1 and "the survey failed while running" in capsys.readouterr().err


def test_a_real_process_never_prints_a_traceback(survey, tmp_path):
    answers = tmp_path / "a.json"
    answers.write_text("[" * 100_000, encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from qengine.cli import main; main()", "play", str(survey),
                           "--answers", str(answers)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "nest more than 16 deep" in done.stderr


@pytest.mark.parametrize("content", [
    '{"qengine": "session/1", "survey": "s", "page": ' + "9" * 5000 + "}",
    '{"qengine": "session/1", "survey": "s", "answers": ' + "[" * 100_000,
    '{"qengine": "session/1", "survey": "s", "answers": {"n": 1e400}}',
    '{"qengine": "session/1", "survey": "s", "answers": {"t": "\\udfff"}}',
    '{"qengine": "session/1", "survey": "s", "page": -7}',
    '{"qengine": "session/1", "survey": "s", "format": "pages"}',
    '{"qengine": "session/1", "survey": "s", "answers": {"n": NaN}}',
    '"session/1"',
], ids=["huge-page", "deep", "infinite", "surrogate", "negative-page", "format", "nan", "string"])
def test_hostile_resume_files_exit_2(survey, tmp_path, content):
    saved = tmp_path / "state.json"
    saved.write_text(content, encoding="utf-8")
    result = run("run", survey, "--resume", saved)
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit) and "cannot resume this session" in result.output


# ---------------------------------------------------------------- numbers, schema (20, 31)

def test_a_bound_out_of_range_is_located(tmp_path):
    path = tmp_path / "b.qdl"
    path.write_text(SURVEY.replace("max 9", "max " + "9" * 4301), encoding="utf-8")
    result = run("check", path)
    assert result.exit_code == 1 and f"{path}:5:9: error[E111]" in result.output


def test_plays_own_response_replays_as_an_answers_file(tmp_path):
    survey = tmp_path / "e.qdl"
    survey.write_text(SURVEY + "  equation e\n    value n + 1\n", encoding="utf-8")
    answers = tmp_path / "a.json"
    answers.write_text('{"n": 3, "t": "x"}', encoding="utf-8")
    first = run("play", survey, "--answers", answers, "--json")
    response = json.loads(first.output)["response"]
    answers.write_text(json.dumps(response), encoding="utf-8")
    second = run("play", survey, "--answers", answers, "--json")
    assert response["e"] == 4
    assert second.exit_code == 0 and json.loads(second.output)["response"] == response


# ---------------------------------------------------------------- quadratic costs (32)

def test_check_is_linear_in_the_number_of_unknown_names(tmp_path):
    def timed(n):
        path = tmp_path / f"u{n}.qdl"
        path.write_text('survey s "S"\ngroup g "G"\n' + "".join(
            f'  integer q{i} "Q"\n    when zz{i} > 1\n' for i in range(n)), encoding="utf-8")
        began = time.perf_counter()
        result = run("check", path)
        assert result.output.endswith(f"{n} errors found\n")
        return time.perf_counter() - began

    small, large = timed(500), timed(4000)
    assert large < 8 * small + 2, (small, large)  # 8 times the names: about 8 times the time
