"""A third party's question kind, installed and used with no change to qengine.

tests/plugins/qengine_slider is a distribution of its own: `slider`, a whole number
from 0 to 10 asked with a range input, registered in the `qengine.kinds` entry
point group. pip installs it into a directory of the test's (no network: no
dependencies, no build isolation, hatchling is installed), and every command runs
in a process that has that directory on its PYTHONPATH, as a user's environment
would. The process running the tests never sees the plugin: its kinds stay the
built-in ones.

Then plugins that cannot be used (an import error, a name two plugins register,
an object that is not a kind) must be said in the survey's error, never raise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from browser_form import Respondent, browser
from terminal_drive import DRIVE

PLUGIN = Path(__file__).parent / "plugins" / "qengine_slider"

SURVEY = '''
survey likes "Likes"
language en

group g "How much"
  slider s "How much do you like it, from 0 to 10?"
    mandatory
  display lots "You like it a lot."
    when s > 7
  display beyond "More than the slider goes."
    when s > 10
'''



@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A directory the slider distribution is pip-installed into."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--disable-pip-version-check", "--root-user-action=ignore",
                    "--target", str(target), str(PLUGIN)], check=True, capture_output=True)
    assert (target / "qengine_slider" / "__init__.py").exists()
    return target


@pytest.fixture(scope="module")
def survey(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("survey") / "likes.qdl"
    path.write_text(SURVEY, encoding="utf-8")
    return path


def run(site: Path | None, *args: str, script: str = "from qengine.cli import main; main()") \
        -> subprocess.CompletedProcess:
    """`python -c script args` with `site` (None: nothing) on the PYTHONPATH."""
    path = os.pathsep.join(str(p) for p in (site, os.environ.get("PYTHONPATH")) if p)
    return subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": path})


def qengine(site: Path | None, *args: str) -> subprocess.CompletedProcess:
    return run(site, *args)


def test_the_plugin_is_not_seen_without_being_installed(survey):
    done = qengine(None, "check", str(survey))
    assert done.returncode == 1 and "unknown keyword 'slider'" in done.stdout


def test_check(site, survey):
    done = qengine(site, "check", str(survey))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 question and 2 display texts" in done.stdout


@pytest.mark.parametrize(("answer", "code", "shown", "problem"), [
    (8, 0, ["s", "lots"], None),
    (3, 0, ["s"], None),
    (11, 1, ["s"], "at most 10"),
    (4.5, 1, ["s"], "whole number"),
])
def test_play(site, survey, tmp_path, answer, code, shown, problem):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"s": answer}))
    done = qengine(site, "play", str(survey), "--answers", str(answers), "--json")
    assert done.returncode == code, done.stderr
    result = json.loads(done.stdout)
    assert result["shown"] == shown
    if problem is None:
        assert result["complete"] and result["response"] == {"s": answer}
    else:
        assert [e["question"] for e in result["errors"]] == ["s"] and problem in result["errors"][0]["message"]


def test_play_refuses_an_answer_of_the_wrong_shape(site, survey, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"s": "eight"}))
    done = qengine(site, "play", str(survey), "--answers", str(answers))
    assert done.returncode == 2 and "s: expected a number" in done.stderr


def test_lint_knows_the_bounds(site, survey):
    done = qengine(site, "lint", str(survey), "--format", "json")
    findings = json.loads(done.stdout)
    assert [(f["code"], f["line"]) for f in findings] == [("R101", 11)], findings
    assert "'beyond' is never shown" in findings[0]["message"]


def test_lint_witness_replays(site, survey, tmp_path):
    done = qengine(site, "lint", str(survey), "--witness", "lots")
    assert done.returncode == 0, done.stderr
    witness = json.loads(done.stdout)
    assert 7 < witness["s"] <= 10 and isinstance(witness["s"], int)
    answers = tmp_path / "witness.json"
    answers.write_text(done.stdout)
    played = json.loads(qengine(site, "play", str(survey), "--answers", str(answers), "--json").stdout)
    assert played["complete"] and "lots" in played["shown"]
    assert qengine(site, "lint", str(survey), "--witness", "beyond").returncode == 1


def test_fuzz(site, survey, tmp_path):
    done = qengine(site, "fuzz", str(survey), "-n", "48", "--seed", "3", "--json", "--out", str(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["passed"] and report["failures"] == []
    shown = report["coverage"]["questions"]
    assert shown["s"]["shown"] == report["respondents"]  # mandatory and always shown
    assert 0 < shown["lots"]["shown"] < report["respondents"]  # answers on both sides of 7 were drawn
    assert report["unreachable"] == ["beyond"]


def test_export_and_response_schema(site, survey):
    exported = json.loads(qengine(site, "export", str(survey)).stdout)
    schema = json.loads(run(site, script="import json; from qengine.export import survey_schema; "
                                         "print(json.dumps(survey_schema()))").stdout)
    jsonschema.validate(exported, schema, cls=jsonschema.Draft202012Validator)
    s = exported["questions"][0]
    assert (s["kind"], s["min"], s["max"]) == ("slider", 0, 10)

    responses = json.loads(qengine(site, "schema", str(survey)).stdout)
    answer = responses["properties"]["s"]
    assert {"type": "integer", "minimum": 0, "maximum": 10} in answer["anyOf"]
    for value, valid in ((0, True), (10, True), (None, True), (11, False), (2.5, False), ("3", False)):
        errors = list(jsonschema.Draft202012Validator(responses).iter_errors({"s": value}))
        assert (not errors) == valid, value


@pytest.mark.parametrize(("language", "words"), [
    ("en", "Please move the slider to a whole number from 0 to 10:"),
    ("fr", "Veuillez placer le curseur sur un nombre entier de 0 à 10\u00a0:"),  # typeset: a no-break space
])
def test_printable_annex_says_the_format(site, survey, tmp_path, language, words):
    source = tmp_path / f"likes_{language}.qdl"
    source.write_text(SURVEY.replace("language en", f"language {language}"), encoding="utf-8")
    out = tmp_path / "annex.html"
    done = qengine(site, "render", str(source), "--printable", "-o", str(out))
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert words in html
    assert 'class="question kind-slider widget-number"' in html


def test_html_form_draws_a_range_whose_answer_reaches_the_session(site, survey, tmp_path):
    form = tmp_path / "form.html"
    done = qengine(site, "render", str(survey), "--to", "html", "-o", str(form))
    assert done.returncode == 0, done.stderr
    with browser() as chromium:
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        page.goto(form.as_uri())
        respondent = Respondent(page)
        respondent.start()
        slider = "[data-question=s] input[name=s]"
        assert page.get_attribute(slider, "type") == "range"
        assert (page.get_attribute(slider, "min"), page.get_attribute(slider, "max")) == ("0", "10")
        assert respondent.hidden("lots")
        page.focus(slider)
        page.keyboard.press("End")  # 10
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("ArrowLeft")  # 8
        assert not respondent.hidden("lots")  # the session has 8 > 7: its condition holds
        page.keyboard.press("ArrowLeft")  # 7
        assert respondent.hidden("lots")
        page.keyboard.press("ArrowRight")
        respondent.next()
        assert respondent.screen() == "end"
        response = respondent.download()
        context.close()
    assert response == {"s": 8}
    answers = tmp_path / "downloaded.json"  # and the Python runtime takes the response back
    answers.write_text(json.dumps(response))
    assert json.loads(qengine(site, "play", str(survey), "--answers", str(answers), "--json").stdout)["complete"]


def test_terminal_form_asks_for_a_number_within_bounds(site, survey):
    keys = ["enter", "1", "1", "enter", "ctrl-u", "8", "enter", "enter"]
    done = run(site, str(survey), json.dumps(keys), script=DRIVE)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert "How much do you like it, from 0 to 10?" in out["screens"][0]
    assert "between 0 and 10" in out["screens"][0]
    assert "✗" in out["screens"][3] and "10" in out["screens"][3].split("✗")[1]  # 11 refused, said
    assert "You like it a lot." in out["screens"][6]
    assert out["events"][-1] == "submitted" and out["response"] == {"s": 8}


# ------------------------------------------------------------------ plugins that cannot be used
def fake_distribution(site: Path, name: str, entry_points: str) -> None:
    """An installed distribution as importlib.metadata reads it: its METADATA and
    entry_points.txt (what pip writes), without the code."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[qengine.kinds]\n{entry_points}\n")


@pytest.mark.parametrize(("word", "entry_point", "reason"), [
    ("gauge", "gauge = qengine_gauge:GaugeKind",
     "the question kind 'gauge' (qengine_gauge:GaugeKind) cannot be loaded: ModuleNotFoundError: "
     "No module named 'qengine_gauge'"),
    ("slider", "slider = qengine_slider:IntegerKind",
     "two plugins register the question kind 'slider': qengine_slider:SliderKind and "
     "qengine_slider:IntegerKind; uninstall one"),
    ("cwd", "cwd = os:getcwd", "the question kind 'cwd' (os:getcwd) is not a qengine.kinds.Kind"),
])
def test_a_plugin_that_cannot_be_used_is_the_error_of_a_survey_using_it(site, tmp_path, word, entry_point,
                                                                        reason):
    broken = tmp_path / "broken"
    fake_distribution(broken, "broken", entry_point)
    survey = tmp_path / "uses.qdl"
    survey.write_text(f'survey u "U"\ngroup g "G"\n  {word} x "X?"\n  integer n "N?"\n', encoding="utf-8")
    both = Path(f"{site}{os.pathsep}{broken}")
    done = qengine(both, "check", str(survey))
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    first, *rest = done.stdout.splitlines()
    assert first == f"{survey}:3:3: error[E103]: {reason}"
    assert "1 error found" in rest  # the other kinds still work: `integer n` is fine

    elsewhere = tmp_path / "other.qdl"  # a survey that does not use the word loads
    elsewhere.write_text('survey o "O"\ngroup g "G"\n  integer n "N?"\n', encoding="utf-8")
    assert qengine(both, "check", str(elsewhere)).returncode == 0


def test_html_form_leaves_an_untouched_range_blank(site, survey, tmp_path):
    """A range input always sits somewhere; until it is moved the session has no
    answer, the thumb is not drawn, and the mandatory question says so."""
    form = tmp_path / "form.html"
    done = qengine(site, "render", str(survey), "--to", "html", "-o", str(form))
    assert done.returncode == 0, done.stderr
    with browser() as chromium:
        page = chromium.new_page()
        page.goto(form.as_uri())
        respondent = Respondent(page)
        respondent.start()
        slider = "[data-question=s] input[name=s]"
        assert page.get_attribute(slider, "data-blank") is not None
        blank = page.locator(slider).screenshot()
        page.eval_on_selector(slider, "el => { el.value = 0; }")  # where the thumb sits is not drawn
        assert page.locator(slider).screenshot() == blank
        respondent.next()
        assert respondent.summary() == ["s"]  # no answer, whatever position the input holds
        page.eval_on_selector(slider, "el => { el.value = 5; }")
        page.click(slider)  # a press on the track is an answer, even where the thumb already sat
        assert page.get_attribute(slider, "data-blank") is None
        assert page.locator(slider).screenshot() != blank
        respondent.next()
        assert respondent.screen() == "end"


@pytest.fixture(scope="module")
def served(site, tmp_path_factory):
    """`qengine serve` of the survey with an optional slider, in a process that has the plugin."""
    from serve_fixtures import free_port

    directory = tmp_path_factory.mktemp("served")
    source = directory / "optional.qdl"
    source.write_text(SURVEY.replace("    mandatory\n", ""), encoding="utf-8")
    port = free_port()
    path = os.pathsep.join(str(p) for p in (site, os.environ.get("PYTHONPATH")) if p)
    server = subprocess.Popen([sys.executable, "-c", "from qengine.cli import main; main()", "serve", str(source),
                               "--port", str(port), "--db", f"sqlite:///{directory / 'r.sqlite'}"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              env={**os.environ, "PYTHONPATH": path})
    try:
        assert "Serving" in server.stdout.readline()
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_served_page_never_posts_an_untouched_range(served, javascript):
    import httpx

    with browser() as chromium:
        context = chromium.new_context(java_script_enabled=javascript)
        page = context.new_page()
        page.goto(served + "/")
        slider = "[data-question=s] input[name=s]"
        # Without JavaScript the page asks for the number in a box, with the slider's bounds.
        assert page.get_attribute(slider, "type") == ("range" if javascript else "number")
        assert (page.get_attribute(slider, "min"), page.get_attribute(slider, "max")) == ("0", "10")
        page.click("#qe-next")
        page.wait_for_selector("#qe-end", state="visible")
        token = re.search(r"/r/([A-Za-z0-9_-]+)", page.url)
        context.close()
    assert token, page.url
    state = httpx.get(f"{served}/api/responses/{token.group(1)}").json()["state"]
    assert state["complete"] and state["response"] == {"s": None}  # shown, not answered
