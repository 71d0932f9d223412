"""The interactive HTML form: one self-contained file a respondent opens in a browser.

The file holds the markup of every group and question (written here, escaped by
Jinja2), the stylesheet, the runtime `qengine.js`, the survey compiled to a JS
module (`spec.py`) and the form's own script `form.js`, which shows the pages,
sends every answer to the browser's `Session` and redraws what it says. Nothing is
fetched from anywhere: it works from `file://` as from a web server.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

import attrs
import jinja2
import markupsafe

from qengine.errors import EvaluationError
from qengine.expr.evaluate import evaluate_text
from qengine.expr.values import as_text
from qengine.kinds.base import Widget
from qengine.kinds.registry import kind_of
from qengine.model import NAVIGATION_FORMATS, Question, Survey, Text
from qengine.renderers.errors import RenderError, RenderWarning
from qengine.renderers.typography import finalize, rules
from qengine.runtime import Session
from qengine.runtime.navigation import pages_of
from qengine_renderers.html.spec import survey_module
from qengine_renderers.html.strings import strings
from qengine_renderers.html.to_js import js_literal, runtime

#: The options `render` accepts (`qengine render --to html -O post_url=...`).
OPTIONS = {
    "post_url": "where to POST the response as JSON on submission (http, https or a relative URL)",
    "pages": "one page per question, group or all (default: the survey's own format)",
}


@cache
def _assets() -> dict[str, str]:
    here = files("qengine_renderers.html")
    out = {name: here.joinpath(name).read_text(encoding="utf-8") for name in ("form.js", "form.css")}
    out["qengine.js"] = runtime()  # with the function table written in
    for name, text in out.items():
        # Inline code must not close its own element.
        if "</script" in text.lower() or "</style" in text.lower() or "<!--" in text:
            raise RenderError(f"{name} cannot be inlined: it holds an HTML end tag")
    return out


@cache
def _environment() -> jinja2.Environment:
    here = files("qengine_renderers.html")
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: here.joinpath(name).read_text(encoding="utf-8")),
        autoescape=True,  # every survey text is data, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,  # the language's spacing; form.js applies the same rules as it redraws
    )


class HtmlRenderer:
    """Respondents' form: pages by group, conditions, dynamic wording and checks live
    in the browser, progress kept on the device, the response downloaded and, when
    a URL is given, posted."""

    summary = "interactive form for respondents: one self-contained HTML file"
    formats = ("html",)
    options = OPTIONS

    def render(self, survey: Survey, format: str = "html", **options) -> str:  # noqa: A002
        if format != "html":
            raise RenderError(f"the html renderer writes html, not {format}")
        unknown = sorted(set(options) - set(OPTIONS))
        if unknown:
            raise RenderError(f"unknown option {', '.join(unknown)} for the html renderer; options: "
                              + "; ".join(f"{k}: {v}" for k, v in OPTIONS.items()))
        post_url = _post_url(options.get("post_url") or None)
        if post_url is None:
            warnings.warn(RenderWarning("no post_url: this form sends the answers nowhere; respondents can "
                                        "only download them as a file (give post_url=URL to have them posted)"),
                          stacklevel=2)
        pages = options.get("pages") or survey.format
        if pages not in NAVIGATION_FORMATS:
            raise RenderError(f"pages must be one of {', '.join(NAVIGATION_FORMATS)}, not {pages!r}")
        assets = _assets()
        words = strings(survey.language)
        reading = _Reading(survey, format=pages)
        scale = lambda q: _fits_one_line([reading(c.label) for c in q.columns])  # noqa: E731
        config = {"postUrl": post_url, "format": pages, "strings": words, "spacing": rules(survey.language),
                  "widgets": _widgets(survey, scale)}
        script = "\n".join([
            assets["qengine.js"],
            f"var QENGINE_SURVEY={survey_module(survey)}(QEngine);",
            f"var QENGINE_CONFIG={js_literal(config)};",
            assets["form.js"],
        ])
        # The markup of the page a new respondent lands on; form.js makes the others from
        # the survey and config.widgets when they are first shown.
        first = reading.session.page if reading.session is not None else None
        if first is None and reading.session is None:
            first = next(iter(pages_of(survey, pages)), None)
        return _environment().get_template("form.html.j2").render(
            survey=survey, language=survey.language, words=words, reading=reading, posts=bool(post_url),
            scale=scale, widget=_widget, visible_questions=_questions_by_group(survey),
            groups=[g for g in survey.groups if first is not None and g.code in first.groups], served=None,
            style=markupsafe.Markup(assets["form.css"]), script=markupsafe.Markup(script))


@attrs.frozen
class Served:
    """A page as `qengine serve` sends it (qengine/serve/pages.py): the same markup,
    standing on the respondent's session, with what the server adds: a form that
    posts each page, values and problems written in for browsers without scripts,
    and the screens of a response kept on a server."""

    session: Session  # the respondent's, standing on the page to show
    screen: str  # "welcome", "form", "saved" (the resume link) or "end"
    action: str  # where the form posts
    csrf: str  # the form's CSRF value
    nonce: str  # the Content-Security-Policy nonce of the page's script
    shown_at: int  # when the page was made (ms since the epoch), posted back for its duration
    start: str  # where Start leads from the welcome text
    restart: str  # where "Start a new response" leads
    download: str = ""  # the submitted response, as a file
    resume: str = ""  # the resume link
    problems: tuple = ()  # Problem(question, message) to show on the page
    typed: Mapping[str, list[str]] = attrs.field(factory=dict)  # values posted and refused, shown as typed
    response: Mapping | None = None  # the submitted response (end screen)


class ServedForm:
    """The form of one survey as `qengine serve` sends it, a page at a time. The
    survey is compiled to JavaScript once, here; each page then costs a template."""

    def __init__(self, survey: Survey):
        self.survey = survey
        assets = _assets()
        self.words = strings(survey.language)
        self._runtime = "\n".join([assets["qengine.js"], f"var QENGINE_SURVEY={survey_module(survey)}(QEngine);"])
        self._form = assets["form.js"]
        self._style = markupsafe.Markup(assets["form.css"])

    def page(self, served: Served) -> str:
        survey, session = self.survey, served.session
        page = session.page if served.screen == "form" else None
        on_page = set(page.questions) if page else set()
        config = {"postUrl": None, "format": session.format, "strings": self.words, "spacing": rules(survey.language),
                  "served": {"session": session.to_json(), "screen": served.screen, "restart": served.restart,
                             "response": served.response, "flagged": sorted({p.question for p in served.problems}),
                             "refused": _typed_refusals(served)}}
        script = "\n".join([self._runtime, f"var QENGINE_CONFIG={js_literal(config)};", self._form])
        reading = _Reading(survey, session, served.typed, served.problems)
        at = session.page_number
        return _environment().get_template("form.html.j2").render(
            survey=survey, language=survey.language, words=self.words, reading=reading, posts=True,
            scale=lambda q: _fits_one_line([reading(c.label) for c in q.columns]), widget=_widget,
            visible_questions={g: [q for q in qs if q.code in on_page] for g, qs in _questions_by_group(survey).items()},
            groups=[g for g in survey.groups if page and g.code in page.groups], served=served,
            summary={p.question: reading.wording(p.question) for p in served.problems if p.question in on_page},
            has_back=any(session.questions(p) for p in session.pages[:max(at, 0)]),
            last=not any(session.questions(p) for p in session.pages[at + 1:]),
            style=self._style, script=markupsafe.Markup(script))


def _widgets(survey: Survey, scale) -> dict[str, list]:
    """What form.js needs beyond the compiled survey to draw a question as form.html.j2
    does: [widget, input type, whether an array is one line on a phone, range min, max]."""
    out = {}
    for q in survey.questions:
        if q.formula is not None:
            continue  # equations have no markup
        w = _widget(q)
        out[q.code] = [w.name, w.input_type, bool(w.name == "choice_table" and scale(q)),
                       str(getattr(q, "min", None)), str(getattr(q, "max", None))]
    return out


def _widget(q: Question) -> Widget:
    """What the markup draws for `q`: its kind's widget."""
    return kind_of(q).widget


def _typed_refusals(served: Served) -> dict:
    """The inputs whose typed text was refused, for the script to leave as typed
    (names are variables: the question's code, then `_` and its parts)."""
    refused = {p.question: p.message for p in served.problems}
    return {name: {"question": name.split("_")[0], "message": refused[name.split("_")[0]], "shown": True}
            for name in served.typed if name.split("_")[0] in refused}


def _post_url(url: str | None) -> str | None:
    """The URL the browser will POST to, refused here rather than by a respondent's
    browser after the survey was handed out: only http(s) with a host, or relative."""
    if url is None:
        return None
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise RenderError(f"post_url must not contain spaces or control characters: {url!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - parsing the port is what checks it
    except ValueError as err:
        raise RenderError(f"post_url is not a valid URL ({err}): {url!r}") from None
    if parts.scheme not in ("", "http", "https"):
        raise RenderError(f"post_url must be an http(s) or relative URL, not {url!r}")
    if parts.scheme and not parts.hostname:
        raise RenderError(f"post_url names no host: {url!r}")
    return url


#: Room for an array's cells on the narrowest phone the form is laid out for (360 CSS px,
#: less the page's and the card's padding), and what a cell takes: a label's average
#: character at 0.85rem, the padding and gap around it, the radio button alone.
_PHONE_ROOM = 312
_CHARACTER = 7.5
_AROUND = 14
_RADIO = 20


def _fits_one_line(labels: list[str]) -> bool:
    """Whether an array's columns fit side by side on a phone, each label under its
    radio button and broken only between words: then the scale is one line (1 to 5
    never wraps as 3 + 2); else the cells go one under the other."""
    longest = max((len(word) for label in labels for word in label.split()), default=0)
    return len(labels) * (max(longest * _CHARACTER, _RADIO) + _AROUND) <= _PHONE_ROOM


def _questions_by_group(survey: Survey) -> dict[str, list]:
    """Each group's questions that have markup (equations have none)."""
    return {g.code: [survey.by_code[c] for c in g.questions if survey.by_code[c].formula is None]
            for g in survey.groups}


class _Reading:
    """Texts as a new respondent first reads them, written into the markup so that
    the page reads right before the script has run (the script then keeps them up
    to date). A text that cannot be evaluated yet shows its literal parts.

    For a served page (`session` given) it reads the respondent's session instead,
    and also gives what a browser without scripts needs written in: the answers in
    the inputs (or, after a refusal, the values as typed), the options and rows
    offered now, and the problems of each question."""

    def __init__(self, survey: Survey, session: Session | None = None,
                 typed: Mapping[str, list[str]] | None = None, problems: tuple = (), format: str | None = None):  # noqa: A002
        self.served = session is not None
        self.typed = typed or {}
        self.problems: dict[str, list[str]] = {}
        for p in problems:
            self.problems.setdefault(p.question, []).append(p.message)
        if session is not None:
            self.session: Session | None = session
            return
        try:
            self.session = Session(survey, format=format)
        except EvaluationError:  # the form will say so in the browser
            self.session = None

    def __call__(self, text: Text | None) -> str:
        if text is None:
            return ""
        if text.is_static or self.session is None:
            return text.plain
        try:
            return evaluate_text(text, self.session)
        except EvaluationError:
            return text.plain

    @property
    def _respondent(self) -> Session:
        """The session of a served page."""
        assert self.session is not None, "not a served page"
        return self.session

    def shown(self, code: str) -> bool:
        return self.session is not None and self.session.is_visible(code)

    def group_shown(self, code: str) -> bool:
        return self.session is not None and self.session.group_visible(code)

    # What a served page writes in (the static form's script fills these in itself).
    def value(self, name: str) -> str:
        """The text an input named `name` holds."""
        if not self.served:
            return ""
        if name in self.typed:
            return self.typed[name][0]
        part = self._part(name)
        return "" if part is None else as_text(part)

    def checked(self, name: str, value: str) -> bool:
        if not self.served:
            return False
        if self.typed:
            return value in self.typed.get(name, ())
        part = self._part(name)
        return part is not None and as_text(part) == value

    def offered(self, code: str, item: str) -> bool:
        """Whether option or row `item` of question `code` is offered now."""
        if not self.served:
            return True
        view = self._respondent.view(code)
        return view is None or any(c.code == item for c in (*view.options, *view.rows))

    def messages(self, code: str) -> list[str]:
        return self.problems.get(code, [])

    def wording(self, code: str) -> str:
        """A question's first line, as the problem summary names it."""
        return self._respondent.preview(code).text.split("\n")[0]

    def _part(self, name: str):
        """The answer given that the input `name` stands for (kept while hidden, as
        the script shows it): a whole answer, or a box, line or cell of one."""
        survey = self._respondent.survey
        symbol = survey.symbols.get(name)
        if symbol is None:
            return None
        given = self._respondent.given(symbol.question)
        if given is None or not symbol.sub:
            return given
        q = survey.by_code[symbol.question]
        return kind_of(q).read(q, given, symbol.sub)
