"""The interactive HTML form: one self-contained file a respondent opens in a browser.

The file holds the markup of every group and question (written here, escaped by
Jinja2), the stylesheet, the runtime `qengine.js`, the survey compiled to a JS
module (`spec.py`) and the form's own script `form.js`, which shows the pages,
sends every answer to the browser's `Session` and redraws what it says. Nothing is
fetched from anywhere: it works from `file://` as from a web server.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from urllib.parse import urlparse

import jinja2
import markupsafe

from qengine.errors import EvaluationError
from qengine.expr.evaluate import evaluate_text
from qengine.expr.to_js import js_literal
from qengine.model import NAVIGATION_FORMATS, Equation, Survey, Text
from qengine.render.errors import RenderError
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
        post_url = options.get("post_url") or None
        if post_url is not None and urlparse(post_url).scheme not in ("", "http", "https"):
            raise RenderError(f"post_url must be an http(s) or relative URL, not {post_url!r}")
        pages = options.get("pages") or survey.format
        if pages not in NAVIGATION_FORMATS:
            raise RenderError(f"pages must be one of {', '.join(NAVIGATION_FORMATS)}, not {pages!r}")
        assets = _assets()
        words = strings(survey.language)
        config = {"postUrl": post_url, "format": pages, "strings": words}
        script = "\n".join([
            assets["qengine.js"],
            f"var QENGINE_SURVEY={survey_module(survey)}(QEngine);",
            f"var QENGINE_CONFIG={js_literal(config)};",
            assets["form.js"],
        ])
        return _environment().get_template("form.html.j2").render(
            survey=survey, words=words, reading=_Reading(survey),
            visible_questions=_questions_by_group(survey),
            style=markupsafe.Markup(assets["form.css"]), script=markupsafe.Markup(script))


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
