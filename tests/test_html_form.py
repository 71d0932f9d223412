"""The HTML renderer's output read as a file: markup, self-containment, escaping,
options and the command line. (Behaviour in a browser: test_browser_form.py.)"""

from __future__ import annotations

import re
import subprocess
import sys
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from qengine_renderers.html.spec import messages, survey_module

import qengine
from qengine.kinds import Array, Equation, Grid, MultipleChoice
from qengine.renderers import Renderer, RenderError, RenderWarning, load_renderer
from qengine.renderers.typography import typeset
from qengine.runtime import Session
from qengine.runtime.messages import CATALOGUE

ROOT = Path(__file__).parent.parent
GP = ROOT / "surveys" / "gp_backup.qdl"
SURVEYS = [GP, *sorted((ROOT / "surveys" / "examples").glob("*.qdl"))]


class Elements(HTMLParser):
    """Every start tag with its attributes, the text of the script elements, and the
    text of the page (outside scripts and styles)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self.texts: list[str] = []
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in != "style":
            self.texts.append(data)

    def with_attr(self, name: str) -> list[dict]:
        return [a for _, a in self.tags if name in a]


def render(survey, **options) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenderWarning)  # no post_url: said by its own test
        return load_renderer("html").render(survey, "html", **options)


@pytest.fixture(scope="module")
def gp():
    return qengine.load(GP)


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.stem)
def test_each_question_has_a_stable_container_and_inputs_named_after_variables(path):
    survey = qengine.load(path)
    # One page holds every question: the file carries the markup of the page shown first
    # (the others are made by form.js, the same elements: test_browser_form.py).
    page = Elements(render(survey, pages="all"))
    containers = {a["data-question"]: a for a in page.with_attr("data-question")}
    start = Session(survey, format="all")
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


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.stem)
def test_the_file_carries_the_markup_of_the_first_page_only(path):
    survey = qengine.load(path)
    first = Session(survey).page
    page = Elements(render(survey))
    groups = {a["data-group"] for a in page.with_attr("data-group")}
    questions = {a["data-question"] for a in page.with_attr("data-question")}
    assert groups == set(first.groups)
    # Whole groups: with a page per question, the first page's group comes with its questions.
    assert questions == {c for g in survey.groups if g.code in first.groups for c in g.questions
                         if survey.question(c).formula is None}


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


def test_a_pattern_javascript_cannot_check_is_refused_when_the_survey_loads():
    """So that every survey that loads renders: the form never meets a pattern it
    cannot check as Python does."""
    with pytest.raises(qengine.QdlError, match="E107"):
        qengine.load('survey x\ngroup g "G"\n  text t "T"\n    pattern "(?>a+)b"\n')


def test_a_form_that_sends_nowhere_warns(gp):
    with pytest.warns(RenderWarning, match="sends the answers nowhere"):
        load_renderer("html").render(gp, "html")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RenderWarning)
        load_renderer("html").render(gp, "html", post_url="/responses")


def test_the_page_has_one_main_landmark(gp):
    assert [tag for tag, _ in Elements(render(gp)).tags].count("main") == 1


def test_french_text_keeps_its_punctuation_on_its_line(gp):
    texts = "".join(Elements(render(gp)).texts)
    assert not re.search(r"[ \t][?!;:]", texts)
    assert typeset("Êtes-vous une femme ou un homme ?", "fr") in texts
    english = "".join(Elements(render(qengine.load(ROOT / "surveys" / "examples" / "tutorial.qdl"))).texts)
    assert "What is your first name?" in english


def test_pages_say_whether_every_respondent_sees_them(gp):
    by_group = re.search(r'"group":\[(.*?)\],"all":', survey_module(gp))[1]
    pages = re.findall(r'\{"key":"(\w+)","groups":\["\w+"\],"questions":\[[^]]*\],"always":(true|false)\}', by_group)
    assert dict(pages) == {g.code: "true" if g.condition is None else "false" for g in gp.groups}


@pytest.mark.parametrize(("options", "problem"), [
    ({"colour": "red"}, "unknown option colour"),
    ({"post_url": "javascript:alert(1)"}, "post_url must be"),
    ({"post_url": "http://[::1"}, "post_url is not a valid URL"),
    ({"post_url": "https://example.org:99999/r"}, "post_url is not a valid URL"),
    ({"post_url": "https:///r"}, "post_url names no host"),
    ({"post_url": "https://example.org/a b"}, "post_url must not contain spaces"),
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
    (["--to", "html", "-O", "post_url=http://[::1"], "post_url is not a valid URL"),
])
def test_the_command_line_refuses_bad_options(tmp_path, args, message):
    done = _qengine("render", str(GP), *args, "-o", str(tmp_path / "x.html"))
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_the_command_line_warns_when_the_form_sends_nowhere(tmp_path):
    done = _qengine("render", str(GP), "--to", "html", "-o", str(tmp_path / "form.html"))
    assert done.returncode == 0
    assert done.stderr.startswith("warning: no post_url: this form sends the answers nowhere")
    done = _qengine("render", str(GP), "--to", "html", "-O", "post_url=/r", "-o", str(tmp_path / "form.html"))
    assert done.returncode == 0 and done.stderr == ""


@pytest.mark.parametrize("name", ["x.html/", "folder"])
def test_the_command_line_refuses_a_directory_for_output(tmp_path, name):
    (tmp_path / "folder").mkdir()
    done = _qengine("render", str(GP), "--to", "html", "-O", "post_url=/r", "-o", f"{tmp_path}/{name}")
    assert done.returncode == 2
    assert "names a directory" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder"]
