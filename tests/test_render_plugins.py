"""Renderer discovery through the `qengine.renderers` entry point group, the
protocol, and `qengine render` on the command line."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.renderers import (
    Renderer,
    RenderError,
    UnknownRenderer,
    format_for,
    load_renderer,
    plugins,
    render,
    renderer_names,
)

SURVEY = '''survey s "Tiny"
group g "G"
  single q "Yes or no?"
    - y "Yes"
    - n "No"
'''


class Outline:
    """A third party's renderer: question codes, one a line."""

    summary = "question codes"
    formats = ("txt",)

    def render(self, survey, format):
        return "\n".join(q.code for q in survey.questions) + "\n"


def outline():
    return Outline()


def broken():
    raise RuntimeError("no luck")


@pytest.fixture
def registry(monkeypatch):
    """Entry points as a test chooses them, on top of the installed ones."""
    extra: list[EntryPoint] = []
    installed = plugins.entry_points

    def fake(group):
        return [*installed(group=group), *(ep for ep in extra if ep.group == group)]

    monkeypatch.setattr(plugins, "entry_points", fake)

    def add(name, value):
        extra.append(EntryPoint(name, value, plugins.GROUP))
    return add


def test_the_printable_renderer_is_found_through_its_entry_point():
    assert "printable" in renderer_names()
    renderer = load_renderer("printable")
    assert isinstance(renderer, Renderer)
    assert renderer.formats[0] == "html" and "pdf" in renderer.formats


def test_an_unknown_name_suggests_the_closest():
    with pytest.raises(UnknownRenderer, match="did you mean 'printable'"):
        load_renderer("printabel")


def test_a_third_party_renderer_registers_like_the_builtin_ones(registry):
    registry("outline", f"{__name__}:outline")
    assert "outline" in renderer_names()
    assert render(qengine.load(SURVEY), "outline") == "q\n"


def test_a_renderer_object_can_be_passed_directly():
    assert render(qengine.load(SURVEY), Outline(), "txt") == "q\n"
    with pytest.raises(RenderError, match="writes txt, not pdf"):
        render(qengine.load(SURVEY), Outline(), "pdf")


def test_a_broken_plugin_is_named_and_does_not_stop_the_others(registry):
    registry("broken", f"{__name__}:broken")
    registry("missing", "no_such_module_anywhere:thing")
    registry("notarenderer", "builtins:object")
    with pytest.raises(RenderError, match=r"'broken' \(.*:broken\) cannot be loaded: RuntimeError: no luck"):
        load_renderer("broken")
    with pytest.raises(RenderError, match="'missing'.*cannot be loaded"):
        load_renderer("missing")
    with pytest.raises(RenderError, match="does not follow the renderer protocol"):
        load_renderer("notarenderer")
    assert isinstance(load_renderer("printable"), Renderer)


def test_two_plugins_with_one_name_are_refused(registry):
    registry("printable", f"{__name__}:outline")
    with pytest.raises(RenderError, match="two plugins register the renderer 'printable'"):
        load_renderer("printable")


def test_the_output_suffix_chooses_the_format():
    r = load_renderer("printable")
    assert format_for(r, "annex.pdf") == "pdf"
    assert format_for(r, "annex.HTM") == "html"
    assert format_for(r, "annex") == "html"
    assert format_for(r, "-") == "html"
    with pytest.raises(RenderError, match="writes html or pdf, not .docx"):
        format_for(r, "annex.docx")


# ------------------------------------------------------------------ command line
@pytest.fixture
def survey_file(tmp_path):
    path = tmp_path / "tiny.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    return path


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def test_cli_lists_renderers():
    result = run("render", "--list")
    assert result.exit_code == 0
    lines = {line.split()[0]: line for line in result.output.splitlines()}
    assert {"printable", "html", "terminal"} <= set(lines)
    assert "html/pdf" in lines["printable"]


def test_cli_lists_a_broken_plugin_without_failing(registry):
    registry("broken", f"{__name__}:broken")
    result = run("render", "--list")
    assert result.exit_code == 0 and "broken" in result.output and "(broken)" in result.output


def test_cli_writes_html(survey_file, tmp_path):
    out = tmp_path / "annex.html"
    result = run("render", survey_file, "--printable", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_cli_writes_html_to_standard_output(survey_file):
    result = run("render", survey_file, "--to", "printable")
    assert result.exit_code == 0 and "Yes or no?" in result.output


def test_cli_writes_pdf(survey_file, tmp_path):
    out = tmp_path / "annex.pdf"
    result = run("render", survey_file, "--to", "printable", "-o", out)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("args, message", [
    (["--to", "nope"], "no renderer named 'nope'"),
    (["--printable", "-o", "annex.docx"], "writes html or pdf, not .docx"),
    ([], "choose a renderer with --to NAME"),
    (["--printable", "--to", "html"], "--printable is --to printable"),
])
def test_cli_usage_errors_exit_2(survey_file, args, message):
    result = run("render", survey_file, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_needs_a_survey():
    result = run("render", "--printable")
    assert result.exit_code == 2 and "give the SURVEY" in result.output


def test_cli_bad_survey_exits_2_with_its_diagnostics(tmp_path):
    bad = tmp_path / "bad.qdl"
    bad.write_text('survey s "S"\ngroup g "G"\n  single q "Q?"\n', encoding="utf-8")
    result = run("render", bad, "--printable")
    assert result.exit_code == 2 and "needs options" in result.output


def test_cli_unwritable_output_exits_2(survey_file, tmp_path):
    result = run("render", survey_file, "--printable", "-o", tmp_path / "no" / "such" / "dir.html")
    assert result.exit_code == 2 and "cannot write" in result.output
