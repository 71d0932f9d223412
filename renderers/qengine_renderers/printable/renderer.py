"""The printable renderer: HTML with print CSS (A4), or PDF through WeasyPrint."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import jinja2
import markupsafe

from qengine.model import Survey
from qengine.render.errors import RenderError
from qengine.render.typography import finalize
from qengine_renderers.printable.view import annex


@cache
def _environment() -> jinja2.Environment:
    here = files("qengine_renderers.printable")
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: here.joinpath(name).read_text(encoding="utf-8")),
        autoescape=True,  # every survey text is data, never markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=finalize,  # the language's spacing ("Quel âge ?" with a no-break space in French)
    )
    # Our own stylesheet, not survey text: it goes in as it is.
    env.globals["stylesheet"] = markupsafe.Markup(here.joinpath("annex.css").read_text(encoding="utf-8"))
    return env


class PrintableRenderer:
    """The survey on paper, as a thesis annex or for the people who must approve
    it: every question numbered, every condition and wording variant in words."""

    summary = "printable annex: every question and condition in words (HTML or PDF, A4)"
    formats = ("html", "pdf")

    def render(self, survey: Survey, format: str) -> str | bytes:
        html = self.html(survey)
        if format == "html":
            return html
        if format == "pdf":
            return _pdf(html)
        raise RenderError(f"the printable renderer writes html or pdf, not {format}")

    def html(self, survey: Survey) -> str:
        return _environment().get_template("annex.html.j2").render(annex=annex(survey), language=survey.language)


def _pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as err:  # OSError: the Pango/Cairo libraries are missing
        raise RenderError(f"PDF output needs WeasyPrint and its libraries: {err}") from err
    return HTML(string=html).write_pdf()
