"""A language's spacing in what the renderers print: French no-break spaces before
"? ! ; :" (qengine/renderers/typography.py), in the annex and the HTML form's markup.
(The form's script applies the same rules: test_browser_form.py.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from qengine_renderers.printable import PrintableRenderer

import qengine
from qengine.renderers.typography import NARROW_NO_BREAK_SPACE as NNBSP
from qengine.renderers.typography import NO_BREAK_SPACE as NBSP
from qengine.renderers.typography import rules, typeset

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize(("text", "expected"), [
    ("Quel âge avez-vous ?", f"Quel âge avez-vous{NNBSP}?"),
    ("Oui ! Non ; peut-être", f"Oui{NNBSP}! Non{NNBSP}; peut-être"),
    ("Exemples :\n- Windows", f"Exemples{NBSP}:\n- Windows"),
    ("Vraiment  \t?", f"Vraiment{NNBSP}?"),
    # no space is added where the author typed none
    ("10:30, http://x.org, C:\\Users, a?b", "10:30, http://x.org, C:\\Users, a?b"),
    ("fin de ligne\n? début", "fin de ligne\n? début"),
])
def test_french_spacing(text, expected):
    assert typeset(text, "fr") == expected
    assert typeset(text, "fr-CA") == typeset(text, "fr_BE") == expected


def test_other_languages_are_left_as_written():
    assert typeset("What ? Really !", "en") == "What ? Really !"
    assert rules("de") == () and rules("") == ()


@given(st.text(alphabet=" \t\n?!;:ab\u00a0"))
def test_french_spacing_is_settled_in_one_pass(text):
    once = typeset(text, "fr")
    assert typeset(once, "fr") == once
    assert not re.search(r"[ \t][?!;:]", once)


class Texts(HTMLParser):
    """The text of a page outside its style and script elements, and the stylesheet."""

    def __init__(self, html: str):
        super().__init__()
        self.texts: list[str] = []
        self.style = ""
        self._in = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._in = tag

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.style += data
        elif self._in != "script":
            self.texts.append(data)


def test_the_annex_is_typeset_in_french_and_its_stylesheet_is_not():
    page = Texts(PrintableRenderer().render(qengine.load(ROOT / "surveys" / "gp_backup.qdl"), "html"))
    text = "".join(page.texts)
    assert not re.search(r"[ \t][?!;:]", text)
    assert typeset("Êtes-vous une femme ou un homme ?", "fr") in text
    assert typeset("Veuillez sélectionner une seule des propositions suivantes :", "fr") in text  # the annex's own words
    css = files("qengine_renderers.printable").joinpath("annex.css").read_text(encoding="utf-8")
    assert page.style.strip() == css.strip()


def test_an_english_annex_is_left_as_written():
    survey = qengine.load('survey s "Really ?"\nlanguage en\ngroup g "G"\n  integer n "How many ?"\n')
    text = "".join(Texts(PrintableRenderer().render(survey, "html")).texts)
    assert "How many ?" in text and NBSP not in text and NNBSP not in text
