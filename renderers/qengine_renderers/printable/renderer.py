"""The printable renderer: HTML with print CSS (A4), or PDF through WeasyPrint.

A question is never split across pages unless it is taller than a page: each is laid
out whole (`break-inside: avoid`), which WeasyPrint gives up only for a question that
cannot fit on a fresh page either. Such a question would then start on a new page and
leave most of the previous one blank, so the PDF is laid out a second time with these
questions (and only these) free to start where they are and break between their parts.
Measured, not estimated: no question that fits on a page is ever split.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from importlib.resources import files

import jinja2
import markupsafe

from qengine.model import Survey
from qengine.renderers.errors import RenderError
from qengine.renderers.typography import finalize
from qengine_renderers.printable.view import Annex, annex


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
        if format not in self.formats:
            raise RenderError(f"the printable renderer writes html or pdf, not {format}")
        view = annex(survey)
        if format == "html":
            return _html(view)
        return _pdf(view)


def _html(view: Annex, tall: frozenset[str] = frozenset()) -> str:
    """The annex; the questions in `tall` (codes) may break between their parts."""
    return _environment().get_template("annex.html.j2").render(annex=view, language=view.language, tall=tall)


def _pdf(view: Annex) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as err:  # OSError: the Pango/Cairo libraries are missing
        raise RenderError(f"PDF output needs WeasyPrint and its libraries: {err}") from err
    document = HTML(string=_html(view)).render()
    tall = _split(document)
    if tall:
        document = HTML(string=_html(view, tall)).render()
    return document.write_pdf()


def _split(document) -> frozenset[str]:
    """The questions a laid-out document prints on more than one page (their
    `q-CODE` anchor is on every page they cross)."""
    pages = Counter(anchor for page in document.pages for anchor in page.anchors if anchor.startswith("q-"))
    return frozenset(anchor.removeprefix("q-") for anchor, n in pages.items() if n > 1)
