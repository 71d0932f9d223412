"""The HTML form in Chromium: a respondent clicks, ticks and types, and the page must
behave as the Python runtime says.

gp_backup profiles (tests/gp_backup/) are filled page after page: the questions on
screen, their wording and the downloaded response must equal `qengine play`'s, and
a blocked profile must be stopped on the same questions with the same messages.
Then single behaviours: questions appearing and disappearing, wording following the
answers, validation blocking, refused input, progress kept across a reload, the
response posted, hostile text left as text, keyboard use, no network, a phone's
width; and complete respondents drawn for each example survey.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from browser_form import Respondent, browser, render_form
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qengine_renderers.html.strings import strings

import qengine
from qengine.renderers.typography import typeset
from qengine.runtime import Session
from qengine.runtime.play import play
from qengine.testing import answers as valid_answers

ROOT = Path(__file__).parent.parent
GP = ROOT / "surveys" / "gp_backup.qdl"
PROFILES = Path(__file__).parent / "gp_backup"


@pytest.fixture(scope="module")
def chromium():
    with browser() as b:
        yield b


@pytest.fixture(scope="module")
def gp_form(tmp_path_factory):
    return render_form(GP, tmp_path_factory.mktemp("gp"))


FR = strings("fr")


def at_most(n: int) -> str:
    """gp_backup's progress on its n-th page when no page was skipped before it: some
    later groups have conditions, so every group counts, as the most there can be."""
    return FR["page_of_most"].format(n=n, total=len(qengine.load(GP).groups))


@pytest.fixture
def page(chromium):
    context = chromium.new_context(viewport={"width": 1000, "height": 900}, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda err: errors.append(str(err)))
    yield page
    context.close()
    assert not errors, f"JavaScript errors: {errors}"


def as_shown(texts: dict[str, str], survey) -> dict[str, str]:
    """`qengine play`'s texts as the form shows them: in the typography of the survey's
    language (no-break spaces before "? ! ; :" in French, qengine/renderers/typography.py)."""
    return {code: typeset(text, survey.language) for code, text in texts.items()}


def walk(page, answers: dict) -> tuple[str, list[str], dict]:
    """Fill the form page after page; the outcome, the questions presented and their
    wording when each page was left."""
    r = Respondent(page)
    r.start()
    shown: list[str] = []
    texts: dict[str, str] = {}
    for _ in range(40):
        r.fill_page(answers)
        for code in r.shown():
            if code not in texts:
                shown.append(code)
            texts[code] = r.text(code)
        r.next()
        if r.screen() == "end":
            return "end", shown, texts
        if r.summary():
            return "blocked", shown, texts
    raise AssertionError("the form never ended")


# ------------------------------------------------------------------ gp_backup profiles
COMPLETE = ["group_clientserver_thorough", "solo_cloud_and_third_party_cloud", "young_solo_monoposte_no_backup",
            "loss_partially_restored", "hidden_answers_dropped", "flaw_contradictory_ticks"]
BLOCKED = ["blocked_fractional_days_lost", "blocked_no_support_declared", "blocked_responsibility_row_missing",
           "blocked_support_count_out_of_range"]


@pytest.mark.parametrize("profile", COMPLETE)
def test_a_profile_filled_in_the_browser_gives_plays_response(page, gp_form, profile):
    answers = json.loads((PROFILES / f"{profile}.answers.json").read_text(encoding="utf-8"))
    survey = qengine.load(GP)
    expected = play(survey, answers)
    assert expected.complete
    page.goto(gp_form.as_uri())
    outcome, shown, texts = walk(page, answers)
    assert outcome == "end"
    assert shown == list(expected.shown)
    assert texts == as_shown(expected.texts, survey)
    assert Respondent(page).download() == expected.response


@pytest.mark.parametrize("profile", BLOCKED)
def test_a_blocked_profile_stops_on_plays_problems(page, gp_form, profile):
    answers = json.loads((PROFILES / f"{profile}.answers.json").read_text(encoding="utf-8"))
    survey = qengine.load(GP)
    expected = play(survey, answers)
    assert not expected.complete
    page.goto(gp_form.as_uri())
    outcome, _, _ = walk(page, answers)
    assert outcome == "blocked"
    r = Respondent(page)
    wanted: dict[str, list[str]] = {}
    for problem in expected.errors:
        wanted.setdefault(problem.question, []).append(typeset(problem.message, survey.language))
    assert r.summary() == list(wanted)
    for code, messages in wanted.items():
        assert r.errors(code) == messages
        assert page.get_attribute(f"[data-question={code}] input", "aria-invalid") == "true"


# ------------------------------------------------------------------ behaviours
def test_questions_appear_and_disappear_as_answers_change(page, gp_form):
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    assert r.hidden("anciennete")  # age unanswered
    r.answer("age", "age2")
    assert not r.hidden("anciennete") and "anciennete" in r.shown()
    r.answer("age", "age1")
    assert r.hidden("anciennete") and "anciennete" not in r.shown()
    r.answer("age", "age3")
    r.answer("anciennete", ["anc3"])
    r.answer("age", "age1")  # hidden again: the ticks are kept, the response will not hold them
    r.answer("age", "age4")
    assert page.is_checked("input[name=anciennete_anc3]")


def test_wording_follows_the_answers(page, gp_form):
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    r.fill_page({"sexe": "M", "age": "age1", "solo": "soloo", "territoire": "rur"})
    r.next()
    assert r.text("sauvegarde").startswith("Existe-t-il au moins une sauvegarde")
    r.answer("cloud", "cldo")
    assert r.text("sauvegarde").startswith("Hormis les éventuelles sauvegardes de votre progiciel")
    r.answer("cloud", "cldn")
    assert r.text("sauvegarde").startswith("Existe-t-il au moins une sauvegarde")
    assert r.hidden("progicielpartage")  # solo


def test_mandatory_questions_block_the_page(page, gp_form):
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    r.answer("sexe", "F")
    r.next()
    assert r.summary() == ["age", "solo", "territoire"]
    assert r.errors("age") == ["Cette question est obligatoire."]
    assert r.errors("sexe") == []
    assert page.inner_text("#qe-progress-text") == at_most(1)
    assert page.evaluate("document.activeElement.id") == "qe-summary"
    r.answer("age", "age2")  # fixed: its message goes at once
    assert r.errors("age") == []


def test_refused_input_is_said_and_blocks(page, gp_form):
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    r.fill_page({"sexe": "M", "age": "age1", "solo": "soloo", "territoire": "rur"})
    r.next()
    r.fill_page({"reseau": "resmp", "cloud": "cldn", "progicielseul": "o", "sauvegarde": "n"})
    r.next()
    r.fill_page({"responsabilite": {"sans": "o", "avec": "o"}, "chemin": "o"})
    r.next()
    r.fill_page({"confiance": {"securite": "3"}, "perte": "o"})
    r.next()
    r.type("[name=pertejours]", "2,5")
    assert r.errors("pertejours") == ["Seul un nombre entier peut être inscrit dans ce champ."]
    r.type("[name=pertejours]", "beaucoup")
    assert r.errors("pertejours") == ["Seul un nombre peut être inscrit dans ce champ."]
    r.next()
    assert "pertejours" in r.summary()
    r.type("[name=pertejours]", "12")
    assert r.errors("pertejours") == []


def test_a_grid_cell_out_of_bounds_is_refused(page, gp_form):
    answers = json.loads((PROFILES / "group_clientserver_thorough.answers.json").read_text(encoding="utf-8"))
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    for _ in range(4):
        r.fill_page(answers)
        r.next()
    r.fill_page(answers)
    r.type("[name=sauvegardesupports_susb_slocal]", "7")
    assert r.errors("sauvegardesupports") == ["La valeur doit être au plus 6."]
    assert page.input_value("[name=sauvegardesupports_susb_slocal]") == "7"  # left as typed
    r.type("[name=sauvegardesupports_susb_slocal]", "6")
    assert r.errors("sauvegardesupports") == []


def test_progress_is_kept_across_a_reload(page, gp_form):
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    r.fill_page({"sexe": "F", "age": "age3", "anciennete": ["anc4"], "solo": "solog", "territoire": "urb"})
    r.next()
    r.answer("cloud", "cldo")
    page.reload()
    assert r.screen() == "form"
    assert page.inner_text("#qe-progress-text") == at_most(2)
    assert page.is_checked("input[name=cloud][value=cldo]")
    assert r.text("sauvegarde").startswith("Hormis")
    page.click("#qe-back")
    assert page.is_checked("input[name=anciennete_anc4]")


def test_the_response_is_posted_when_a_url_is_given(chromium, tmp_path):
    form = render_form(ROOT / "surveys" / "examples" / "tutorial.qdl", tmp_path,
                       post_url="http://127.0.0.1:9/collect")
    survey = qengine.load(ROOT / "surveys" / "examples" / "tutorial.qdl")
    answers = {"name": "Zoé", "drinks": "yes", "cups": 3, "how": ["milk", "sugar"]}
    for reply in (200, 500):
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        posted: list[dict] = []

        def answering(status: int, into: list):
            def collect(route):
                into.append(json.loads(route.request.post_data))
                route.fulfill(status=status, body="ok")
            return collect

        # Playwright answers the request itself: nothing leaves the machine.
        page.route("http://127.0.0.1:9/collect", answering(reply, posted))
        page.goto(form.as_uri())
        assert walk(page, answers)[0] == "end"
        page.wait_for_function("document.getElementById('qe-status').textContent.length > 0 && "
                               "!document.getElementById('qe-status').textContent.endsWith('…')")
        assert posted == [play(survey, answers).response]
        status = page.inner_text("#qe-status")
        if reply == 200:
            assert status == "Your answers have been sent."
            # Sent: nothing of it is left for the next person at this computer.
            assert not page.is_visible("#qe-download")
            assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('qengine:'))") == []
            page.reload()  # and it is not sent again
            assert Respondent(page).screen() != "end" and len(posted) == 1
            Respondent(page).start()
            assert page.input_value("[name=name]") == ""
        else:
            assert status.startswith("Your answers could not be sent")
            assert page.is_visible("#qe-retry")
            page.reload()  # not sent: sent again on opening
            page.wait_for_function("document.getElementById('qe-retry').hidden === false")
            assert len(posted) == 2
        context.close()


def test_without_post_url_the_end_screen_says_nothing_was_sent(page, tmp_path):
    form = render_form(ROOT / "surveys" / "examples" / "tutorial.qdl", tmp_path)
    page.goto(form.as_uri())
    assert page.inner_text("#qe-welcome .qe-note") == strings("en")["kept_here"]
    answers = {"name": "Zoé", "drinks": "yes", "cups": 3, "how": ["milk", "sugar"]}
    assert walk(page, answers)[0] == "end"
    assert page.inner_text("#qe-status") == strings("en")["not_sent"]
    assert page.is_visible("#qe-download")  # the only way the answers can leave
    page.reload()
    assert page.inner_text("#qe-status") == strings("en")["not_sent"]


@pytest.mark.parametrize("width", [360, 390])
def test_the_download_button_is_whole_on_a_phone(chromium, gp_form, width):
    context = chromium.new_context(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(gp_form.as_uri())
    answers = json.loads((PROFILES / "young_solo_monoposte_no_backup.answers.json").read_text(encoding="utf-8"))
    assert Respondent(page).play(answers) == "end"
    assert page.eval_on_selector("#qe-download", "b => b.scrollWidth <= b.clientWidth")  # no word cut off
    context.close()


def _progress(page) -> tuple[int, int, bool]:
    """(page, total, whether the total is a most) from the form's French progress line."""
    text = page.inner_text("#qe-progress-text")
    for template, most in ((FR["page_of"], False), (FR["page_of_most"], True)):
        pattern = re.escape(template).replace(r"\{n\}", r"(\d+)").replace(r"\{total\}", r"(\d+)")
        if found := re.fullmatch(pattern, text):
            return int(found[1]), int(found[2]), most
    raise AssertionError(f"not a progress line: {text!r}")


@pytest.mark.parametrize("profile", ["group_clientserver_thorough", "young_solo_monoposte_no_backup"])
def test_the_page_count_never_grows_as_answers_come(page, gp_form, profile):
    answers = json.loads((PROFILES / f"{profile}.answers.json").read_text(encoding="utf-8"))
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    seen, totals = 0, []
    while r.screen() == "form":
        before = _progress(page)
        r.fill_page(answers)
        assert _progress(page) == before  # answering on a page changes nothing of it
        seen += 1
        assert before[0] == seen
        totals.append(before[1])
        r.next()
    assert totals == sorted(totals, reverse=True)  # it may fall as pages are skipped, never rise
    assert seen <= totals[-1]


def test_the_page_count_is_exact_where_no_condition_can_hide_a_page(page, tmp_path):
    survey = ('survey s "S"\nlanguage en\ngroup a "A"\n  integer x "X"\ngroup b "B"\n  integer y "Y"\n'
              'group c "C"\n  when x > 1\n  integer z "Z"\n')
    page.goto(render_form(survey, tmp_path).as_uri())
    en = strings("en")
    assert page.inner_text("#qe-progress-text") == en["page_of_most"].format(n=1, total=3)
    Respondent(page).next()
    assert page.inner_text("#qe-progress-text") == en["page_of_most"].format(n=2, total=3)
    page.goto(render_form(survey.replace("  when x > 1\n", ""), tmp_path, "exact.html").as_uri())
    assert page.inner_text("#qe-progress-text") == en["page_of"].format(n=1, total=3)


_OUTSIDE_LANDMARKS = """() => {
  const out = [], walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (node.textContent.trim() && el.checkVisibility() && !el.closest("main, header")) out.push(node.textContent);
  }
  return out;
}"""


def test_all_content_is_in_landmarks(page, gp_form):
    answers = json.loads((PROFILES / "young_solo_monoposte_no_backup.answers.json").read_text(encoding="utf-8"))
    page.goto(gp_form.as_uri())
    assert page.locator("main").count() == 1 and page.locator("body > div > header").count() == 1
    r = Respondent(page)
    assert r.screen() == "welcome" and page.evaluate(_OUTSIDE_LANDMARKS) == []
    r.start()
    assert page.evaluate(_OUTSIDE_LANDMARKS) == []
    assert walk(page, answers)[0] == "end"
    assert page.evaluate(_OUTSIDE_LANDMARKS) == []


SCALES = '''survey scales "Scales"
language en
group g "G"
  array short "How sure are you?"
    row a "First"
    scale 1 to 5
  array long "Do you agree?"
    row a "First"
    column c1 "Strongly disagree"
    column c2 "Disagree"
    column c3 "Neither agree nor disagree"
    column c4 "Agree"
    column c5 "Strongly agree"
'''


@pytest.mark.parametrize("width", [360, 390, 1000])
def test_a_scale_is_one_line_or_one_cell_a_line_never_wrapped(chromium, tmp_path, width):
    context = chromium.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(render_form(SCALES, tmp_path).as_uri())
    Respondent(page).start()

    def boxes(code):
        return page.eval_on_selector_all(f"[data-question={code}] input[type=radio]",
                                         "es => es.map(e => e.getBoundingClientRect()).map(b => [b.x, b.y])")

    short, long = boxes("short"), boxes("long")
    assert len({round(y) for _, y in short}) == 1  # 1 to 5 on one line
    lines = len({round(y) for _, y in long})
    assert lines == 1 if width == 1000 else lines == 5  # a table row, or one cell a line
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


FRENCH = '''survey typographie "Typographie ?"
language fr
group g "Groupe ; un"
  text nom "Votre nom ?"
  display d "Vous avez écrit : {nom} !"
'''


def test_french_spacing_follows_the_text_as_it_changes(page, tmp_path):
    page.goto(render_form(FRENCH, tmp_path).as_uri())
    r = Respondent(page)
    r.start()
    assert r.text("nom") == typeset("Votre nom ?", "fr") != "Votre nom ?"
    assert page.title() == typeset("Typographie ?", "fr")
    r.type("[name=nom]", "Zoé ; Paul")
    assert r.text("d") == typeset("Vous avez écrit : Zoé ; Paul !", "fr")
    assert page.inner_text("[data-group=g] h2") == typeset("Groupe ; un", "fr")


HOSTILE = '''
survey hostile "<script>window.hacked = 1</script>Title"
language en
welcome "<img src=x onerror='window.hacked = 2'> welcome"
group g "<b>bold?</b>"
  description "& <i>not italic</i>"
  text name "Name <img src=x onerror='window.hacked = 3'>?"
    help "</div><script>window.hacked = 4</script>"
  single pick "You wrote: {name}"
    - a "<a href='javascript:window.hacked=5'>link</a>"
    - b "{name}"
'''


def test_survey_text_and_answers_stay_text(page, tmp_path):
    form = render_form(HOSTILE, tmp_path)
    page.goto(form.as_uri())
    r = Respondent(page)
    r.start()
    r.type("[name=name]", "<img src=y onerror='window.hacked = 6'>")
    assert r.text("pick") == "You wrote: <img src=y onerror='window.hacked = 6'>"
    assert page.inner_text("[data-option=b]") == "<img src=y onerror='window.hacked = 6'>"
    assert page.inner_text("[data-group=g] h2") == "<b>bold?</b>"
    assert page.evaluate("window.hacked") is None
    assert page.eval_on_selector_all("form img, form b, form i, form script, form a", "es => es.length") == 0


def test_the_form_works_with_the_keyboard(page, gp_form, tmp_path):
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    page.focus("input[name=sexe][value=F]")
    page.keyboard.press("Space")
    assert page.is_checked("input[name=sexe][value=F]")
    page.keyboard.press("ArrowDown")  # within the group: the next option
    assert page.is_checked("input[name=sexe][value=M]")
    page.keyboard.press("Tab")  # to the next question
    assert page.evaluate("document.activeElement.name") == "age"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    r.next()
    assert "sexe" not in r.summary() and "age" not in r.summary()

    tutorial = render_form(ROOT / "surveys" / "examples" / "tutorial.qdl", tmp_path)
    page.goto(tutorial.as_uri())
    r.start()
    page.focus("[name=name]")
    page.keyboard.type("Ann")
    page.keyboard.press("Enter")  # a text field's Enter is Next
    assert r.text("drinks") == "Do you drink coffee, Ann?"
    assert r.shown() == ["drinks"]


def test_a_survey_that_fails_says_so(chromium, tmp_path):
    form = render_form('survey broken "Broken"\ngroup g "G"\n  integer n "N"\n    default 0\n'
                       '  display d "{10 / n}"\n  integer m "M"\n', tmp_path)
    page = chromium.new_page()
    page.goto(form.as_uri())
    assert page.inner_text("#qe-defect") == "This questionnaire has a defect and cannot go on: division by zero"
    assert not page.is_visible("#qe-form")
    page.close()


def test_nothing_is_fetched_from_the_network(page, gp_form):
    requests: list[str] = []
    page.on("request", lambda req: requests.append(req.url))
    page.goto(gp_form.as_uri())
    answers = json.loads((PROFILES / "young_solo_monoposte_no_backup.answers.json").read_text(encoding="utf-8"))
    assert walk(page, answers)[0] == "end"
    assert [u for u in requests if not u.startswith("file://")] == []


def test_a_phone_needs_no_sideways_scrolling(chromium, gp_form):
    context = chromium.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    answers = json.loads((PROFILES / "group_clientserver_thorough.answers.json").read_text(encoding="utf-8"))
    page.goto(gp_form.as_uri())
    r = Respondent(page)
    r.start()
    for _ in range(5):  # the pages with arrays, a grid and long help texts
        r.fill_page(answers)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, page.inner_text("#qe-progress-text")
        r.next()
    context.close()


# ------------------------------------------------------------------ the example surveys
def _complete_answers(survey, draw) -> dict:
    """A respondent's answers, drawn page by page (valid ones, from qengine.testing)."""
    session = Session(survey)
    out: dict = {}
    while not session.finished:
        progressed = True
        while progressed:
            progressed = False
            for view in session.questions():
                # an answer given in this loop may have hidden a question listed before it
                if view.code in out or view.kind == "display" or not session.is_visible(view.code):
                    continue
                value = draw(valid_answers(session, view.code))
                session.answer(view.code, value)
                out[view.code] = value
                progressed = True
        if not session.next():
            break
    return out


EXAMPLES = sorted((ROOT / "surveys" / "examples").glob("*.qdl"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_surveys_filled_in_the_browser_give_plays_response(chromium, tmp_path, path):
    survey = qengine.load(path)
    form = render_form(path, tmp_path)

    @settings(max_examples=2, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(st.data())
    def check(data):
        answers = _complete_answers(survey, data.draw)
        expected = play(survey, answers)
        context = chromium.new_context(accept_downloads=True)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(form.as_uri())
        outcome, shown, texts = walk(page, answers)
        assert not errors
        assert outcome == ("end" if expected.complete else "blocked")
        assert shown == list(expected.shown)
        assert texts == as_shown(expected.texts, survey)
        if expected.complete:
            assert Respondent(page).download() == expected.response
        context.close()

    check()
