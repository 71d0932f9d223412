"""How the HTML form draws, in Chromium (issue 20): a click is handled once, redraws only
the questions its answer changed, writes the device's copy once (debounced); the file
carries the markup of the first page and form.js makes the others, the same elements as
form.html.j2 writes (compared here with a one-page rendering, which holds them all)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from browser_form import Respondent, browser, render_form
from qengine_renderers.html.strings import strings

import qengine
from qengine.renderers import RenderWarning, load_renderer
from qengine.runtime import Session

ROOT = Path(__file__).parent.parent
GP = ROOT / "surveys" / "gp_backup.qdl"
PROFILES = ROOT / "tests" / "gp_backup"
SURVEYS = [GP, *sorted((ROOT / "surveys" / "examples").glob("*.qdl"))]

COUNT = """() => {
  window.__writes = 0;
  const setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) { window.__writes++; return setItem.call(this, k, v); };
  window.__answers = 0;
  const answer = QEngine.Session.prototype.answer;
  QEngine.Session.prototype.answer = function () { window.__answers++; return answer.apply(this, arguments); };
}"""


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


@pytest.fixture(scope="module")
def gp_form(tmp_path_factory):
    return render_form(GP, tmp_path_factory.mktemp("gp"))


def stats(page) -> dict:
    return page.evaluate("({redraws: QEngineForm.stats.redraws, drawn: QEngineForm.stats.drawn.slice(),"
                         " writes: window.__writes, answers: window.__answers})")


def test_a_click_is_answered_once_redraws_nothing_whole_and_is_saved_once(page, gp_form):
    page.goto(gp_form.as_uri())
    Respondent(page).start()
    page.evaluate(COUNT)
    before = stats(page)
    page.click("[data-question=age] input[value=age2]")
    after = stats(page)
    assert after["answers"] == 1  # input and change: one handler answers
    assert after["redraws"] == before["redraws"]  # no whole redraw
    page.wait_for_timeout(700)
    assert stats(page)["writes"] == 1
    # A burst of clicks is one write; the last state is what is kept.
    for value in ("age3", "age1", "age4"):
        page.click(f"[data-question=age] input[value={value}]")
    page.wait_for_timeout(700)
    assert stats(page)["writes"] == 2
    saved = page.evaluate("JSON.parse(Object.values(localStorage).find(v => v.includes('session/1')))")
    assert saved["session"]["answers"]["age"] == "age4"


def test_a_click_draws_exactly_the_questions_it_changed(page, gp_form):
    survey = qengine.load(GP)
    session = Session(survey)
    on_page = set(session.page.questions)
    page.goto(gp_form.as_uri())
    Respondent(page).start()
    for value, appears in (("age2", True), ("age1", False)):
        page.click(f"[data-question=age] input[value={value}]")
        drawn = stats(page)["drawn"]
        before = session.is_visible("anciennete")
        session.answer("age", value)
        # The answered question, and shown questions of this page whose wording, options,
        # problems or relevance follow it (the graph's dependents): nothing else.
        dependents = {code for kind, code in survey.graph.downstream([("val", "age")])}
        assert drawn[0] == "age" and len(drawn) == len(set(drawn))
        assert set(drawn) <= ({"age"} | dependents) & on_page
        assert set(drawn) == {"age"} | {c for c in dependents & on_page if session.is_visible(c)}
        assert ("anciennete" in drawn) == appears and before != appears
        assert Respondent(page).hidden("anciennete") != appears


# What a respondent sees: the progress line, Back, Next's label, and each question on
# screen as rendered text with the state of its inputs and its clear button.
SCREEN = """() => ({
  progress: document.querySelector("#qe-progress").checkVisibility()
    ? document.querySelector("#qe-progress-text").textContent : null,
  back: document.querySelector("#qe-back").checkVisibility(),
  next: document.querySelector("#qe-next").textContent,
  questions: Array.from(document.querySelectorAll("[data-question]")).filter(q => q.checkVisibility())
    .map(q => [q.dataset.question, q.innerText, Array.from(q.querySelectorAll("input"))
      .map(i => i.type === "radio" || i.type === "checkbox" ? i.checked : i.value)]),
})"""


def assert_clicks_draw_as_a_load(page, form, clicks):
    """Each click leaves the screen as the whole redraw of a load draws the same answers
    (the device's copy, saved when the page goes away, brings them back)."""
    page.goto(form.as_uri())
    Respondent(page).start()
    for selector in clicks:
        page.click(selector)
        drawn = page.evaluate(SCREEN)
        page.reload()
        assert page.evaluate(SCREEN) == drawn, selector


FORWARD = """survey s "S"
language en
format group
group a "A"
  integer x "X, since you said {y.shown}"
    when y == "y1"
group b "B"
  single y "Y"
    - y1 "Yes"
    - y2 "No"
  single w "W"
    when y == "y1"
    - w1 "One"
    - w2 "Two {y.shown}"
group c "C"
  when y == "y1"
  integer z "Z"
"""


def test_a_click_draws_the_pages_before_and_after_as_a_load_does(page, tmp_path):
    # y shows x on the page before (Back and the progress follow), group c after it
    # (Next or Submit), w and its wording on its own page.
    form = render_form(FORWARD, tmp_path)
    page.goto(form.as_uri())
    assert not page.is_visible("#qe-back")  # x hidden: the form starts on y's page
    clicks = ["input[value=y1]", "input[value=w2]", "input[value=y2]", "input[value=y1]", "input[value=y2]"]
    assert_clicks_draw_as_a_load(page, form, clicks)
    page.click("input[value=y1]")
    assert page.is_visible("#qe-back")
    assert page.text_content("#qe-next") == strings("en")["next"]
    page.click("input[value=y2]")
    assert not page.is_visible("#qe-back")
    assert page.text_content("#qe-next") == strings("en")["submit"]
    assert page.inner_text("[data-question=y] [data-clear]") == strings("en")["clear"]


@pytest.mark.parametrize("profile", ["group_clientserver_thorough", "young_solo_monoposte_no_backup"])
def test_every_answer_on_gp_backup_draws_as_a_load_does(page, gp_form, profile):
    checked = []

    def as_a_load(code):
        drawn = page.evaluate(SCREEN)
        page.reload()
        assert page.evaluate(SCREEN) == drawn, code
        checked.append(code)

    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    answers = json.loads((PROFILES / f"{profile}.answers.json").read_text(encoding="utf-8"))
    while r.screen() == "form":
        r.fill_page(answers, after=as_a_load)
        r.next()
    assert r.screen() == "end" and len(checked) >= 13


def test_typing_is_answered_on_input_and_its_refusal_said_on_leaving(page, tmp_path):
    form = render_form('survey t "T"\ngroup g "G"\n  integer n "N"\n    min 0\n    max 10\n'
                       '  text t "Hello {n}"\n', tmp_path)
    page.goto(form.as_uri())
    page.evaluate(COUNT)
    page.fill("input[name=n]", "4")
    assert stats(page)["drawn"] == ["n", "t"]  # the wording of t reads n
    assert Respondent(page).text("t") == "Hello 4"
    page.fill("input[name=n]", "40")
    assert Respondent(page).errors("n") == []  # said when the field is left
    page.focus("input[name=t]")
    assert Respondent(page).errors("n") != []
    assert stats(page)["redraws"] == 1  # the load's


def skeleton(page, selector: str):
    """The elements under `selector`: tags and attributes, without the state the
    script changes (hidden, data-offpage, aria-invalid) or the texts."""
    return page.eval_on_selector_all(selector, """els => els.map(function walk(el) {
      const attrs = Array.from(el.attributes).map(a => [a.name, a.name === "style" ? a.value.replace(/\\s+/g, " ") : a.value])
        .filter(a => !["hidden", "data-offpage", "aria-invalid"].includes(a[0]))
        .map(a => a[0] === "class" ? [a[0], a[1].replace("qe-invalid", "").trim()] : a).sort();
      return [el.tagName, attrs, Array.from(el.children).map(walk)];
    })""")


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.stem)
def test_pages_made_on_demand_have_the_templates_markup(page, tmp_path, path):
    survey = qengine.load(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RenderWarning)
        # Every group on one page: the whole survey as form.html.j2 writes it.
        whole = load_renderer("html").render(survey, "html", pages="all")
    (tmp_path / "whole.html").write_text(whole, encoding="utf-8")
    page.goto((tmp_path / "whole.html").as_uri())
    expected = {g.code: skeleton(page, f"[data-group={g.code}]") for g in survey.groups}
    form = render_form(path, tmp_path)
    page.goto(form.as_uri())
    for g in survey.groups:
        page.evaluate("code => QEngineForm.build(code)", g.code)
        assert skeleton(page, f"[data-group={g.code}]") == expected[g.code], g.code
    # In the survey's order, whatever the order they were made in.
    assert page.eval_on_selector_all("[data-group]", "els => els.map(e => e.dataset.group)") == \
        [g.code for g in survey.groups]


def test_survey_text_on_a_page_made_on_demand_stays_text(page, tmp_path):
    hostile = "<img src=x onerror=alert(1)><b>B</b>"
    form = render_form(f'survey x "X"\ngroup a "A"\n  single q "Q"\n    - y "Y"\n'
                       f'group b "{hostile}"\n  single r "{hostile} {{q.shown}}"\n    help "{hostile}"\n'
                       f'    - o "{hostile}"\n  integer n "N"\n    prefix "{hostile}"\n', tmp_path)
    page.goto(form.as_uri())
    assert page.query_selector("[data-group=b]") is None  # not in the file: made when shown
    r = Respondent(page)
    r.answer("q", "y")
    r.next()
    assert r.text("r") == f"{hostile} Y"
    assert page.text_content("[data-group=b] [data-text=title]") == hostile
    assert page.text_content("[data-question=r] [data-option=o] [data-text=label]") == hostile
    assert page.text_content("[data-question=n] [data-text=prefix]") == hostile
    assert page.query_selector("img") is None and page.query_selector("b") is None
