"""The HTML renderer's output read as a file: markup, self-containment, escaping,
options and the command line. (Behaviour in a browser: test_browser_form.py.)"""

from __future__ import annotations

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from qengine_renderers.html.spec import messages, survey_module

import qengine
from qengine.model import Array, Equation, Grid, MultipleChoice
from qengine.render import Renderer, RenderError, load_renderer
from qengine.runtime import Session
from qengine.runtime.messages import CATALOGUE

ROOT = Path(__file__).parent.parent
GP = ROOT / "surveys" / "gp_backup.qdl"
SURVEYS = [GP, *sorted((ROOT / "surveys" / "examples").glob("*.qdl"))]


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of the script elements."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)

    def with_attr(self, name: str) -> list[dict]:
        return [a for _, a in self.tags if name in a]


def render(survey, **options) -> str:
    return load_renderer("html").render(survey, "html", **options)


@pytest.fixture(scope="module")
def gp():
    return qengine.load(GP)


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.stem)
def test_each_question_has_a_stable_container_and_inputs_named_after_variables(path):
    survey = qengine.load(path)
    page = Elements(render(survey))
    containers = {a["data-question"]: a for a in page.with_attr("data-question")}
    start = Session(survey)
    for q in survey.questions:
        if isinstance(q, Equation):
            assert q.code not in containers  # computed, never shown
            continue
        assert containers[q.code]["data-kind"] == q.kind
        assert ("hidden" in containers[q.code]) == (not start.is_visible(q.code))
    names = {a["name"] for tag, a in page.tags if tag in ("input", "textarea")}
    wanted = set()
    for q in survey.questions:
        if isinstance(q, MultipleChoice):
            wanted |= {f"{q.code}_{o.code}" for o in q.options}
        elif isinstance(q, Array):
            wanted |= {f"{q.code}_{r.code}" for r in q.rows}
        elif isinstance(q, Grid):
            wanted |= {f"{q.code}_{r.code}_{c.code}" for r in q.rows for c in q.columns}
        elif q.is_input:
            wanted.add(q.code)
    assert names == wanted
    assert names - {q.code for q in survey.questions} <= set(survey.symbols.names)


def test_the_file_is_self_contained(gp):
    html = render(gp)
    page = Elements(html)
    assert not [a for tag, a in page.tags if tag in ("script", "img", "iframe") and "src" in a]
    assert not [a for tag, a in page.tags if tag == "link"]
    assert not re.search(r"https?://", html.replace("http://www.w3.org", ""))
    assert len(page.scripts) == 1 and "</script" not in page.scripts[0]


def test_survey_text_cannot_become_markup():
    survey = qengine.load('survey x "</title><script>alert(1)</script>"\n'
                          'welcome "<img src=x onerror=alert(2)>"\n'
                          'group g "<b>G</b>"\n'
                          '  single q "Q </script><script>alert(3)</script>"\n'
                          '    help "<!-- x"\n'
                          '    - a "<i>A</i>"\n')
    html = render(survey)
    page = Elements(html)
    assert [tag for tag, _ in page.tags].count("script") == 1
    assert not [t for t, _ in page.tags if t in ("img", "b", "i")]
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert "<!-- x" not in html


def test_the_runtime_messages_are_the_catalogues():
    for language, table in CATALOGUE.items():
        templates = messages(language)
        assert templates == table
    assert messages("fr-CA") == CATALOGUE["fr"] and messages("de") == CATALOGUE["en"]


def test_the_survey_module_carries_the_graph_and_pages(gp):
    module = survey_module(gp)
    assert module.startswith("(function(Q){") and module.endswith("})")
    for node in gp.graph.order[:5]:
        assert f'"{node[0]}:{node[1]}"' in module
    assert '"question":[' in module and '"all":[' in module


def test_a_pattern_javascript_cannot_check_is_refused_at_render_time():
    survey = qengine.load('survey x\ngroup g "G"\n  text t "T"\n    pattern "(?>a+)b"\n')
    with pytest.raises(RenderError, match="cannot be checked in the browser"):
        render(survey)


@pytest.mark.parametrize(("options", "problem"), [
    ({"colour": "red"}, "unknown option colour"),
    ({"post_url": "javascript:alert(1)"}, "post_url must be"),
    ({"pages": "book"}, "pages must be one of"),
])
def test_bad_options_are_refused(gp, options, problem):
    with pytest.raises(RenderError, match=problem):
        render(gp, **options)


def test_options_reach_the_page(gp):
    html = render(gp, post_url="https://example.org/r?a=1&b=<2>", pages="all")
    assert '"postUrl":"https://example.org/r?a=1\\u0026b=\\u003c2\\u003e"' in html
    assert '"format":"all"' in html


def test_the_renderer_is_a_plugin_like_any_other():
    renderer = load_renderer("html")
    assert isinstance(renderer, Renderer)
    assert renderer.formats == ("html",)


def _qengine(*args):
    return subprocess.run([sys.executable, "-c", "from qengine.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120)


def test_the_command_line_renders_with_options(tmp_path):
    out = tmp_path / "form.html"
    done = _qengine("render", str(GP), "--to", "html", "-O", "post_url=/responses", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert '"postUrl":"/responses"' in out.read_text(encoding="utf-8")
    assert "html" in _qengine("render", "--list").stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--to", "html", "-O", "post_url"], "KEY=VALUE"),
    (["--to", "html", "-O", "nope=1"], "unknown option nope"),
    (["--to", "printable", "-O", "a=b"], "takes no options"),
])
def test_the_command_line_refuses_bad_options(tmp_path, args, message):
    done = _qengine("render", str(GP), *args, "-o", str(tmp_path / "x.html"))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
