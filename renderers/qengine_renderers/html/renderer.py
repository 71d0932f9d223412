"""The interactive HTML form: one self-contained file a respondent opens in a browser.

The file holds the markup of every group and question (written here, escaped by
Jinja2), the stylesheet, the runtime `qengine.js`, the survey compiled to a JS
module (`spec.py`) and the form's own script `form.js`, which shows the pages,
sends every answer to the browser's `Session` and redraws what it says. Nothing is
fetched from anywhere: it works from `file://` as from a web server.
"""

from __future__ import annotations

import warnings
from functools import cache
from importlib.resources import files
from urllib.parse import urlsplit

import jinja2
import markupsafe

from qengine.errors import EvaluationError
from qengine.expr.evaluate import evaluate_text
from qengine.expr.to_js import js_literal
from qengine.model import NAVIGATION_FORMATS, Equation, Survey, Text
from qengine.render.errors import RenderError, RenderWarning
from qengine.render.typography import finalize, rules
from qengine.runtime import Session
from qengine_renderers.html.spec import survey_module
from qengine_renderers.html.strings import strings

#: The options `render` accepts (`qengine render --to html -O post_url=...`).
OPTIONS = {
    "post_url": "where to POST the response as JSON on submission (http, https or a relative URL)",
    "pages": "one page per question, group or all (default: the survey's own format)",
}


@cache
def _assets() -> dict[str, str]:
    here = files("qengine_renderers.html")
    out = {name: here.joinpath(name).read_text(encoding="utf-8")
           for name in ("qengine.js", "form.js", "form.css")}
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
        config = {"postUrl": post_url, "format": pages, "strings": words, "spacing": rules(survey.language)}
        script = "\n".join([
            assets["qengine.js"],
            f"var QENGINE_SURVEY={survey_module(survey)}(QEngine);",
            f"var QENGINE_CONFIG={js_literal(config)};",
            assets["form.js"],
        ])
        reading = _Reading(survey)
        return _environment().get_template("form.html.j2").render(
            survey=survey, language=survey.language, words=words, reading=reading, posts=bool(post_url),
            scale=lambda q: _fits_one_line([reading(c.label) for c in q.columns]),
            visible_questions=_questions_by_group(survey),
            style=markupsafe.Markup(assets["form.css"]), script=markupsafe.Markup(script))


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
    return {g.code: [survey.by_code[c] for c in g.questions if not isinstance(survey.by_code[c], Equation)]
            for g in survey.groups}


class _Reading:
    """Texts as a new respondent first reads them, written into the markup so that
    the page reads right before the script has run (the script then keeps them up
    to date). A text that cannot be evaluated yet shows its literal parts."""

    def __init__(self, survey: Survey):
        try:
            self.session: Session | None = Session(survey)
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

    def shown(self, code: str) -> bool:
        return self.session is not None and self.session.is_visible(code)

    def group_shown(self, code: str) -> bool:
        return self.session is not None and self.session.group_visible(code)
