"""The plain-words backend: conditions read as LimeSurvey printed them, in French
and English, with exact negations and no trace of QDL syntax."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qengine
from qengine.expr import ast
from qengine.renderers.words import Clauses, Reader, capitalize, flatten, vocabulary

SURVEY = '''survey demo "Démo"
language fr
group g "Groupe"
  single age "Dans quelle tranche d'âge êtes-vous ?"
    - age1 "Moins de 31 ans"
    - age2 "31 ans et plus"
  single solo "Exercez-vous seul ou en groupe ?"
    - soloo "Seul"
    - solog "En groupe"
  multiple causes "Quelles causes ?"
    - virus "Virus informatique"
    - vol "Vol d'un support"
  array resp "Êtes-vous responsable :"
    row sans "sans prestataire ?"
    row avec "avec un prestataire ?"
    column n "Non"
    column o "Oui"
  grid sup "{if(solo == 'solog', 'Votre groupe a', 'Vous avez')} combien de supports ?"
    row usb "Clé USB"
    row nas "NAS"
    column loc "Au cabinet"
    column ext "Hors cabinet"
  integer jours "Combien de jours ?"
  text nom "Votre nom ?"
  equation total
    value sum(sup_usb_loc, sup_usb_ext, sup_nas_loc, sup_nas_ext)
  integer last "Dernière ?"
'''


@pytest.fixture(scope="module")
def survey():
    return qengine.load(SURVEY)


def expr(survey, source: str) -> ast.Expr:
    """`source` as a resolved condition, borrowed from a one-question survey."""
    s = qengine.load(SURVEY + f"    when {source}\n")
    return s.question("last").condition


def said(survey, source: str, language: str = "fr", here: str | None = None) -> str:
    return Reader(survey, language).about(here).sentence(expr(survey, source))


def test_single_choice_reads_like_limesurvey(survey):
    assert said(survey, 'solo == "solog"') == (
        "La réponse était 'En groupe' à la question '2 [solo]' (Exercez-vous seul ou en groupe ?)")
    assert said(survey, 'solo.NAOK != "solog"') == (
        "La réponse n'était pas 'En groupe' à la question '2 [solo]' (Exercez-vous seul ou en groupe ?)")


def test_a_literal_on_the_left_reads_the_same(survey):
    assert said(survey, '"solog" == solo') == said(survey, 'solo == "solog"')
    assert said(survey, "3 < jours") == said(survey, "jours > 3")


def test_english(survey):
    assert said(survey, 'solo == "solog"', "en") == (
        "The answer was 'En groupe' to question '2 [solo]' (Exercez-vous seul ou en groupe ?)")
    assert said(survey, 'causes_virus == "Y"', "en") == (
        "'Virus informatique' was ticked in question '3 [causes]' (Quelles causes ?)")


def test_unknown_languages_fall_back_to_english():
    assert vocabulary("de") is vocabulary("en")
    assert vocabulary("fr-CA") is vocabulary("fr")
    assert vocabulary("FR_be") is vocabulary("fr")


def test_a_question_is_named_in_full_once_per_sentence(survey):
    text = said(survey, 'age != "age1" and !is_empty(age)')
    assert text == ("La réponse n'était pas 'Moins de 31 ans' à la question '1 [age]' "
                    "(Dans quelle tranche d'âge êtes-vous ?) et la question '1 [age]' avait reçu une réponse")


def test_the_question_itself_is_this_question(survey):
    assert said(survey, "jours > 3", here="jours") == "La réponse à cette question valait plus de 3"


def test_multiple_choice_options(survey):
    assert said(survey, 'causes_virus == "Y"').startswith("La case 'Virus informatique' était cochée à la question")
    assert said(survey, "causes_vol").startswith("La case 'Vol d'un support' était cochée")
    assert said(survey, "not causes_vol").startswith("La case 'Vol d'un support' n'était pas cochée")
    assert said(survey, 'causes_vol == ""').startswith("La case 'Vol d'un support' n'était pas cochée")
    assert said(survey, "is_empty(causes)").startswith("Aucune case n'était cochée à la question '3 [causes]'")
    assert said(survey, "count(causes) >= 2").startswith(
        "Le nombre de cases cochées à la question '3 [causes]' (Quelles causes ?) valait au moins 2")


def test_array_rows_and_grid_cells(survey):
    assert said(survey, 'resp_avec == "o"') == (
        "La réponse était 'Oui' pour 'avec un prestataire ?' à la question '4 [resp]' (Êtes-vous responsable :)")
    assert said(survey, "sup_nas_ext > 0").startswith("La case 'NAS / Hors cabinet' de la question '5 [sup]'")
    assert said(survey, "count(resp) >= 1").startswith("Le nombre de lignes répondues à la question '4 [resp]'")
    assert said(survey, "count(sup) == 0").startswith("Le nombre de cases remplies à la question '5 [sup]'")
    assert said(survey, "count(sup) == 0", "en").startswith("The number of cells filled in question '5 [sup]'")


def test_numbers_and_their_exact_negations(survey):
    assert said(survey, "jours >= 2").endswith("valait au moins 2")
    assert said(survey, "jours <= 2").endswith("valait au plus 2")
    assert said(survey, "jours < 2.5").endswith("valait moins de 2,5")
    assert said(survey, "jours < 2.5", "en").endswith("was less than 2.5")
    # `not (x < 5)` also holds when x is empty: it must not read as "at least 5".
    assert said(survey, "!(jours < 5)").endswith("ne valait pas moins de 5")
    assert said(survey, "!(jours == 5)").endswith("ne valait pas 5")


def test_empty_and_answered(survey):
    assert said(survey, "is_empty(jours)") == "La question '6 [jours]' (Combien de jours ?) n'avait pas reçu de réponse"
    assert said(survey, "!is_empty(nom)").endswith("avait reçu une réponse")
    assert said(survey, 'nom == ""').endswith("n'avait pas reçu de réponse")
    assert said(survey, 'nom == "Paul"').endswith("était 'Paul'")


def test_de_morgan(survey):
    phrase = Reader(survey).condition(expr(survey, '!(solo == "solog" or age == "age1")'))
    assert isinstance(phrase, Clauses) and phrase.op == "and"
    assert [p.split(" à ")[0] for p in phrase.items] == [
        "la réponse n'était pas 'En groupe'", "la réponse n'était pas 'Moins de 31 ans'"]


def test_nested_groups_keep_their_structure(survey):
    phrase = Reader(survey).condition(expr(survey, 'jours > 1 and (solo == "solog" or age == "age1")'))
    assert phrase.op == "and" and isinstance(phrase.items[1], Clauses) and phrase.items[1].op == "or"
    text = flatten(phrase, vocabulary("fr"))
    assert " et (la réponse était 'En groupe'" in text and ") ou " not in text.split("(", 1)[0]


def test_visibility(survey):
    assert said(survey, "solo.visible").endswith("(Exercez-vous seul ou en groupe ?) était affichée")
    assert said(survey, "!solo.relevanceStatus", "en").endswith("was not shown")


def test_sums_of_a_whole_grid_are_named_once(survey):
    assert said(survey, "sum(sup_usb_loc, sup_usb_ext, sup_nas_loc, sup_nas_ext) != 0") == (
        "La somme de toutes les cases de la question '5 [sup]' (Vous avez combien de supports ?) ne valait pas 0")
    assert said(survey, "sum(sup_usb_loc, sup_nas_loc) > 1").startswith(
        "La somme des cases 'Clé USB / Au cabinet' et 'NAS / Au cabinet' de la question '5 [sup]'")


def test_french_contracts_a_preposition_and_an_article(survey):
    assert said(survey, "jours < count(causes)").endswith(
        "valait moins du nombre de cases cochées à la question '3 [causes]' (Quelles causes ?)")
    assert said(survey, "floatval(count(causes)) > 1").startswith("La valeur numérique du nombre de cases cochées")
    fr = vocabulary("fr")
    assert fr.say("la réponse à {q}", q="les questions 1 et 2") == "la réponse aux questions 1 et 2"
    assert fr.say("la case {v} de {q}", v="'x'", q="le groupe") == "la case 'x' du groupe"
    # Survey text, quoted in a part, is left as written; and only whole words contract.
    assert fr.say("la somme de {items}", items="'les cases'") == "la somme de 'les cases'"
    assert fr.say("la somme de {items}", items="lest") == "la somme de lest"
    assert vocabulary("en").say("the sum of {items}", items="the boxes") == "the sum of the boxes"


def test_empty_as_zero_idiom(survey):
    text = said(survey, "sum(if(is_empty(sup_usb_loc), 0, sup_usb_loc), if(is_empty(sup_nas_loc), 0, sup_nas_loc)) > 0")
    assert "une valeur vide comptant pour 0" in text and "si " not in text
    assert said(survey, "if(is_empty(jours), 0, jours) > 3").startswith(
        "La réponse à la question '6 [jours]' (Combien de jours ?) (0 si vide) valait plus de 3")


def test_computed_values(survey):
    assert said(survey, "total > 0") == "La valeur calculée '8 [total]' valait plus de 0"
    q = survey.question("total")
    assert Reader(survey).term(q.value).startswith("la somme de toutes les cases de la question '5 [sup]'")


def test_if_as_a_statement_and_as_a_value(survey):
    text = said(survey, 'if(solo == "soloo", jours > 1, jours > 5)')
    assert text.startswith("Si la réponse était 'Seul'") and ", alors la réponse à" in text and "; sinon, " in text
    assert "2 si la réponse était 'Seul'" in said(survey, 'jours > if(solo == "soloo", 2, 10)')


def test_reference_wording_is_read_as_for_a_blank_respondent(survey):
    # {if(solo == 'solog', …)} takes its else branch when nothing is answered.
    assert Reader(survey).reading(survey.question("sup").text) == "Vous avez combien de supports ?"


def test_placeholders(survey):
    r = Reader(survey)
    assert r.placeholder(ast.Var("age", question="age")) == "[réponse à la question 1 [age]]"
    assert r.placeholder(ast.Var("total", question="total")) == "[valeur calculée 8 [total]]"
    assert Reader(survey, "en").placeholder(ast.Var("age", "shown", question="age")) == "[answer to question 1 [age]]"
    assert r.placeholder(survey.question("total").value).startswith("[la somme de toutes les cases de la question '5 [sup]'")


def test_capitalize_skips_leading_quotes():
    assert capitalize("'oui' était coché") == "'Oui' était coché"
    assert capitalize("") == ""


# ------------------------------------------------------------------ properties
_LEAVES = ['solo == "solog"', 'age != "age1"', "causes_virus", "is_empty(causes)", "jours > 3",
           "resp_sans == \"o\"", "sup_usb_loc >= 2", "solo.visible", "count(causes) == 1",
           'nom == "x"', "total < 4", "regexMatch('^[0-9]+$', nom)", "strlen(nom) > 2",
           "jours + 1 > total", "-jours < 0", "intval(nom) == 2", "max(jours, total) > min(1, 2)",
           'if(age == "age1", 1, 0) == 1', "round(jours / 7, 1) > 1", "jours % 2 == 0",
           "countif(\"o\", resp_sans, resp_avec) > 0", "join(nom, 'x') == 'ax'", "true", "floatval(nom) > 1.5"]


def _conditions():
    leaves = st.sampled_from(_LEAVES)
    return st.recursive(leaves, lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]}) {t[1]} ({t[2]})"),
        inner.map(lambda c: f"!({c})")), max_leaves=6)


_CODE = re.compile(r"==|!=|&&|\|\||\bis_empty\(|\.NAOK|\bsum\(|\bif\(|_[a-z]+_|\{|\}")


@settings(max_examples=120, deadline=None)
@given(source=_conditions(), language=st.sampled_from(["fr", "en"]))
def test_every_condition_reads_as_words(survey, source, language):
    text = said(survey, source, language)
    first_letter = next(ch for ch in text if ch.isalpha())
    assert first_letter.isupper(), text
    assert not _CODE.search(text), text
    if language == "fr":
        assert not re.search(r"\b(de|à) les?\b", text), text
