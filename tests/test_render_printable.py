"""The printable annex: structure of the HTML for the reference survey, escaping of
hostile text, English wording, and a PDF of sane length."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from qengine_renderers.printable import PrintableRenderer

import qengine
from qengine.kinds import Array, Grid, MultipleChoice, Number, SingleChoice
from qengine.lint.stats import WORDS_PER_MINUTE, path_statistics

ROOT = Path(__file__).resolve().parent.parent
GP_BACKUP = ROOT / "surveys" / "gp_backup.qdl"


class Page(HTMLParser):
    """The parts of the annex a test looks at: each question's attributes and text,
    each section's text, every element name and attribute seen."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.questions: list[dict] = []
        self.sections: dict[str, str] = {}
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._open: list[tuple[str, dict, list]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("article", "section"):
            self._open.append((tag, attrs, []))
        elif self._open and self._open[-1][0] == "article":
            self._open[-1][1].setdefault("inside", set()).update((attrs.get("class") or "").split())

    def handle_endtag(self, tag):
        if tag in ("article", "section") and self._open and self._open[-1][0] == tag:
            _, attrs, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if tag == "article":
                self.questions.append({**attrs, "text": text})
            else:
                self.sections[attrs["id"]] = text
            for _, _, outer in self._open:
                outer.append(" ".join(parts))

    def handle_data(self, data):
        self.text.append(data)
        if self._open:
            self._open[-1][2].append(data)

    @property
    def all_text(self) -> str:
        return " ".join("".join(self.text).split())


@pytest.fixture(scope="module")
def gp():
    return qengine.load(GP_BACKUP)


@pytest.fixture(scope="module")
def gp_page(gp):
    return Page(PrintableRenderer().render(gp, "html"))


def by_code(page: Page) -> dict[str, dict]:
    return {q["data-code"]: q for q in page.questions}


def test_every_question_is_printed_numbered_in_order(gp, gp_page):
    assert [q["data-code"] for q in gp_page.questions] == [q.code for q in gp.questions]
    assert [int(q["data-number"]) for q in gp_page.questions] == list(range(1, 46))
    for q in gp_page.questions:
        assert q["text"].startswith(q["data-number"] + " "), q["text"][:40]


def test_the_count_follows_the_survey_numbering(gp_page):
    assert "Il y a 45 questions dans ce questionnaire." in gp_page.all_text


def test_the_time_is_said_to_be_an_estimate_with_the_paths_it_rests_on(gp, gp_page):
    stats = path_statistics(gp)
    low, high = stats.minutes
    fast, slow = WORDS_PER_MINUTE
    assert (f"Selon ses réponses, un répondant voit de {stats.fewest} questions (parcours le plus court) "
            f"à {stats.most} questions (parcours le plus long).") in gp_page.all_text
    assert (f"Durée estimée par qengine d'après la longueur des parcours, une lecture de {slow} à {fast} mots "
            f"par minute et un temps de réponse par question : de {low} minutes (parcours le plus court, lecture "
            f"rapide) à {high} minutes (parcours le plus long, lecture lente).") in gp_page.all_text


def test_a_varying_wording_is_in_the_title_as_a_new_respondent_reads_it(gp, gp_page):
    printed = by_code(gp_page)
    assert printed["sauvegardecloud"]["text"].startswith(
        "29 Envoyez-vous une sauvegarde sur un cloud tiers* ? * [sauvegardecloud]")
    assert printed["sauvegardesupports"]["text"].startswith(
        "30 Précisez le nombre de sauvegardes par type de support physique*. * [sauvegardesupports]")


def test_every_condition_is_in_words(gp, gp_page):
    printed = by_code(gp_page)
    for q in gp.questions:
        if q.condition is not None:
            assert "Répondre à cette question seulement si" in printed[q.code]["text"], q.code
    assert ("Répondre à cette question seulement si les conditions suivantes sont réunies : La réponse était "
            "'En groupe' à la question '4 [solo]' (Exercez-vous seul ou en groupe ?)") in printed["progicielpartage"]["text"]
    assert ("La réponse était 'Oui' à la question '21 [perterestauree]' (Avez-vous pu restaurer les données "
            "perdues à partir d'une sauvegarde ?) et la réponse était 'Non' à la question '22 [perterestaureetotal]'"
            ) in printed["pertedefinitive"]["text"]
    assert ("La somme de toutes les cases de la question '30 [sauvegardesupports]' (Précisez le nombre de "
            "sauvegardes par type de support physique*.) ne valait pas 0") in printed["chiffrement"]["text"]


def test_group_conditions_are_printed(gp_page):
    section = gp_page.sections["group-pertedonnees"]
    assert ("Répondre à cette section seulement si les conditions suivantes sont réunies : La réponse était 'Oui' "
            "à la question '17 [perte]'") in section
    assert "Répondre à cette section seulement si" not in gp_page.sections["group-apropos"].split(" 1 ")[0]


def test_options_rows_and_columns_are_printed(gp, gp_page):
    printed = by_code(gp_page)
    reader_free = re.compile(r"\{")
    for q in gp.questions:
        text = printed[q.code]["text"]
        labels = []
        if isinstance(q, SingleChoice | MultipleChoice):
            labels = [o.label for o in q.options]
        elif isinstance(q, Array | Grid):
            labels = [r.label for r in q.rows] + [c.label for c in q.columns]
        for label in labels:
            if label.is_static:
                assert " ".join(label.plain.split()) in text, (q.code, label.plain)
        assert not reader_free.search(text), q.code


def test_instructions_by_kind(gp, gp_page):
    printed = by_code(gp_page)
    for q in gp.questions:
        text = printed[q.code]["text"]
        if isinstance(q, SingleChoice):
            assert "Veuillez sélectionner une seule des propositions suivantes :" in text
            assert text.count("○") == len(q.options)
        elif isinstance(q, MultipleChoice):
            assert "Cochez la ou les réponses" in text
            assert "Veuillez choisir toutes les réponses qui conviennent :" in text
            assert text.count("□") == len(q.options)
        elif isinstance(q, Number):
            assert "Seul un nombre entier peut être inscrit dans ce champ." in text
        elif isinstance(q, Array):
            assert text.count("○") == len(q.rows) * len(q.columns)


def test_mandatory_marks(gp, gp_page):
    printed = by_code(gp_page)
    for q in gp.questions:
        assert ("mandatory" in printed[q.code].get("inside", ())) == q.mandatory, q.code


def test_dynamic_wording_shows_every_variant_with_its_condition(gp_page):
    text = by_code(gp_page)["sauvegarde"]["text"]
    assert "{" not in text and "NAOK" not in text
    assert ("Hormis les éventuelles sauvegardes de votre progiciel au sein de son cloud, existe-t-il une autre "
            "sauvegarde* de vos données de santé informatisées ? si la réponse était 'Oui' à la question "
            "'8 [cloud]'") in text
    assert ("Existe-t-il au moins une sauvegarde* de vos données de santé informatisées ? si la réponse "
            "n'était pas 'Oui' à la question '8 [cloud]'") in text
    supports = by_code(gp_page)["sauvegardesupports"]["text"]
    assert supports.count("si la réponse") >= 4 and "Précisez le nombre de sauvegardes" in supports
    option = by_code(gp_page)["sauvegardequi"]["text"]
    assert "Un tiers contractuel, hors cabinet" in option and "hors groupe d'exercice" in option


def test_checks_help_and_validation(gp_page):
    printed = by_code(gp_page)
    assert "Veuillez sélectionner au moins une réponse." in printed["pertecauses"]["text"]
    supports = printed["sauvegardesupports"]["text"]
    assert "Chaque valeur doit être comprise entre 0 et 6." in supports
    assert "Chaque case est préremplie à 0." in supports
    assert "Merci d'indiquer au moins un support de sauvegarde." in supports
    assert "Réponse acceptée seulement si au moins une des conditions suivantes est remplie" in supports
    assert "Tous les" in printed["archivesfrequence"]["text"] and printed["archivesfrequence"]["text"].endswith("ans")
    assert "Commune rurale = une commune n'appartenant pas à une unité urbaine." in printed["territoire"]["text"]


def test_equations_are_a_discreet_block_in_words(gp_page):
    text = by_code(gp_page)["supportszero"]["text"]
    assert "Valeur calculée, non affichée au répondant" in text
    assert "Valeur : La somme de toutes les cases de la question '30 [sauvegardesupports]'" in text
    assert "une valeur vide comptant pour 0" in text and "is_empty" not in text


def test_welcome_and_end(gp_page):
    assert gp_page.all_text.startswith("Protection, sauvegarde et archivage")
    assert "Ce questionnaire est destiné aux médecins généralistes installés uniquement." in gp_page.all_text
    assert "Fin du questionnaire Un grand merci à vous !" in gp_page.all_text


# ------------------------------------------------------------------ escaping
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'
ATTRIBUTE = '" onmouseover="alert(3)'


def hostile_survey() -> str:
    h = HOSTILE.replace('"', '\\"')
    a = ATTRIBUTE.replace('"', '\\"')
    return f'''survey evil "{h}"
language en
welcome "{h}"
end "{h}"
group g "{h}"
  description "{a}"
  single q "{h}"
    help "{h}"
    - a "{h}"
    - b "{a}"
  array t "{a}"
    row r "{h}"
    column c "{h}"
  integer n "{h} {{q}}"
    prefix "{h}"
    suffix "{a}"
    validate n > 1 message "{h}"
  display d "{{if(q == 'a', '<b onclick=alert(4)>bold</b>', 'x')}}"
'''


def test_survey_text_cannot_inject_markup():
    html = PrintableRenderer().render(qengine.load(hostile_survey()), "html")
    page = Page(html)
    assert {tag for tag, _ in page.tags}.isdisjoint({"script", "img"})
    assert {tag for tag, _ in page.tags}.isdisjoint({"script", "img", "b"})
    assert not any(set(attrs) & {"onmouseover", "onerror", "onclick"} for _, attrs in page.tags)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert page.all_text.count("<script>alert(1)</script>") >= 10


# ------------------------------------------------------------------ English
def test_english_wording():
    survey = qengine.load('''survey s "Short"
language en
group g "G"
  single q "Yes or no?"
    mandatory
    - y "Yes"
    - n "No"
  multiple m "Which?"
    when q == "y"
    min 2
    - a "A"
    - b "B"
  decimal d "How much?"
    min 0.5
''')
    text = Page(PrintableRenderer().render(survey, "html")).all_text
    assert "There are 3 questions in this survey." in text
    assert "Please choose only one of the following:" in text
    assert ("Only answer this question if the following conditions are met: The answer was 'Yes' to "
            "question '1 [q]' (Yes or no?)") in text
    assert "Please select at least 2 answers." in text
    assert "Only numbers may be entered in this field." in text and "The answer must be at least 0.5." in text


# ------------------------------------------------------------------ PDF
def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} (poppler-utils) is needed to check the PDF")
        pytest.skip(f"{name} (poppler-utils) is not installed")
    return path


def test_gp_backup_pdf_has_a_sane_page_count(gp, tmp_path):
    pdfinfo, pdftotext = _tool("pdfinfo"), _tool("pdftotext")
    out = tmp_path / "gp_backup.pdf"
    out.write_bytes(PrintableRenderer().render(gp, "pdf"))
    info = subprocess.run([pdfinfo, out], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    assert 8 <= pages <= 20, pages
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info, re.M), info
    text = subprocess.run([pdftotext, "-layout", out, "-"], capture_output=True, text=True, check=True).stdout
    assert "Il y a 45 questions dans ce questionnaire." in text
    assert f"{pages} / {pages}" in text  # page numbers in the footer


def _page_texts(pdf: Path) -> list[str]:
    pdfinfo, pdftotext = _tool("pdfinfo"), _tool("pdftotext")
    info = subprocess.run([pdfinfo, pdf], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return [subprocess.run([pdftotext, "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True,
                           text=True, check=True).stdout for n in range(1, pages + 1)]


def test_a_question_splits_across_pages_only_when_taller_than_a_page(tmp_path):
    def single(code, title, n):
        return [f'  single {code} "{title}"'] + [f'    - o{i} "{title} option {i}"' for i in range(n)]

    survey = qengine.load("\n".join([
        'survey s "Pages"', 'group g "G"',
        *single("first", "Twenty", 20), *single("fits", "Forty", 40), *single("tall", "Ninety", 90),
        *single("last", "Another twenty", 20)]) + "\n")
    out = tmp_path / "pages.pdf"
    out.write_bytes(PrintableRenderer().render(survey, "pdf"))
    pages = _page_texts(out)

    def page_of(words):
        return next(i for i, text in enumerate(pages) if words in text)

    # forty options fit on a page, not below the first question: the question moves whole
    assert page_of("Twenty option 19") == 0
    assert page_of("Forty option 0") == page_of("Forty option 39") == 1
    # ninety do not fit on any page: the question starts where it is and goes on after
    assert page_of("Ninety option 0") == 1 and page_of("Ninety option 89") > 1
    assert page_of("Another twenty option 0") == page_of("Another twenty option 19")


def test_no_question_of_gp_backup_is_split(gp, tmp_path):
    from weasyprint import HTML

    layout = HTML(string=PrintableRenderer().render(gp, "html")).render()
    anchors = [a for page in layout.pages for a in page.anchors if a.startswith("q-")]
    assert sorted(anchors) == sorted(f"q-{q.code}" for q in gp.questions)  # each on one page
    out = tmp_path / "gp_backup.pdf"
    out.write_bytes(PrintableRenderer().render(gp, "pdf"))
    pages = _page_texts(out)
    # Q30 (sauvegardesupports) from its first row to its help text, on one page
    first = next(i for i, text in enumerate(pages) if "Clé USB" in text)
    assert "Disque dur en réseau (NAS)" in pages[first] and "Si vous avez plus de 6 supports" in pages[first]
