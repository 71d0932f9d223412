"""Dynamic wording on paper: every reading a respondent can meet, each with the
condition under which it appears, checked against the evaluator itself."""

from __future__ import annotations

import itertools

from hypothesis import assume, given, settings
from hypothesis import strategies as st

import qengine
from qengine.expr.evaluate import evaluate_text
from qengine.model import Text
from qengine.renderers.wording import MAX_ATOMS, Variant, _atoms, _cover, frame, variants
from qengine.renderers.words import Reader, flatten, vocabulary

HEAD = '''survey w "W"
language fr
group g "G"
  single x "X ?"
    - a "Alpha"
    - b "Bêta"
    - c "Gamma"
  single y "Y ?"
    - a "Oui"
    - b "Non"
  integer n "Combien ?"
'''


def text_of(wording: str) -> tuple:
    survey = qengine.load(HEAD + f"  display t {wording}\n")
    return survey, survey.question("t").text


def readings(wording: str, language: str = "fr"):
    survey, text = text_of(wording)
    return variants(text, Reader(survey, language).about("t"))


def words(v: Variant) -> str:
    return flatten(v.when, vocabulary("fr"))


def test_static_text_is_one_reading():
    assert readings('"Bonjour"') == (Variant("Bonjour"),)


def test_an_if_gives_two_readings_then_before_else():
    out = readings('''"{if(x == 'a', 'Avec', 'Sans')} cloud"''')
    assert [v.text for v in out] == ["Avec cloud", "Sans cloud"]
    assert words(out[0]) == "la réponse était 'Alpha' à la question '1 [x]' (X ?)"
    assert words(out[1]) == "la réponse n'était pas 'Alpha' à la question '1 [x]'"


def test_readings_that_cannot_happen_are_left_out():
    # x cannot be both a and b: three readings, not four, and "Aucun" needs neither.
    out = readings('''"{if(x == 'a', 'A', if(x == 'b', 'B', 'Aucun'))}"''')
    assert [v.text for v in out] == ["A", "B", "Aucun"]
    assert words(out[1]) == "la réponse était 'Bêta' à la question '1 [x]'"
    assert words(out[2]).count("n'était pas") == 2


def test_several_parts_are_combined_and_described_briefly():
    out = readings('''"{if(x == 'a' or y == 'a', 'Hormis ', '')}{if(x == 'a', 'le cloud, ', '')}précisez"''')
    assert [v.text for v in out] == ["Hormis le cloud, précisez", "Hormis précisez", "précisez"]
    assert words(out[0]) == "la réponse était 'Alpha' à la question '1 [x]' (X ?)"
    assert words(out[1]) == ("la réponse n'était pas 'Alpha' à la question '1 [x]' et "
                             "la réponse était 'Oui' à la question '2 [y]' (Y ?)")


def test_values_become_placeholders():
    out = readings('''"Vous avez dit {n} jours, {if(n > 3, 'beaucoup', 'peu')}"''')
    assert [v.text for v in out] == ["Vous avez dit [réponse à la question 3 [n]] jours, beaucoup",
                                     "Vous avez dit [réponse à la question 3 [n]] jours, peu"]


def test_frame_keeps_the_shared_text_once():
    shared = [Variant("Aide commune. Ligne en plus.", "c"), Variant("Aide commune.", "d")]
    prefix, middles, suffix = frame(tuple(shared))
    assert (prefix, [m.text for m in middles], suffix) == ("Aide commune.", ["Ligne en plus.", ""], "")
    prefix, middles, suffix = frame((Variant("Qui réalise et/ou a automatisé vos sauvegardes ?", "c"),
                                     Variant("Qui réalise vos sauvegardes ?", "d")))
    assert (prefix, [m.text for m in middles], suffix) == (
        "Qui réalise", ["et/ou a automatisé", ""], "vos sauvegardes ?")


def test_frame_never_cuts_a_word():
    prefix, middles, suffix = frame((Variant("cabinet médical", "c"), Variant("cabane médicale", "d")))
    assert prefix == "" and suffix == ""


# ------------------------------------------------------------------ properties
_ATOMS = ["x == 'a'", "x == 'b'", "x != 'c'", "y == 'a'", "is_empty(y)", "n > 3", "n == 2"]


def _conditions():
    return st.recursive(st.sampled_from(_ATOMS), lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda c: f"!({c})")), max_leaves=3)


def _parts():
    literal = st.sampled_from(["'A'", "'B'", "''", "'C D'"])
    return st.recursive(literal, lambda inner: st.tuples(_conditions(), inner, inner).map(
        lambda t: f"if({t[0]}, {t[1]}, {t[2]})"), max_leaves=4)


class _Answers:
    def __init__(self, values):
        self.values = values

    def value(self, var):
        return self.values.get(var.question)

    def visible(self, question):
        return True

    def shown(self, var):
        return ""


@settings(max_examples=60, deadline=None)
@given(parts=st.lists(_parts(), min_size=1, max_size=3))
def test_the_readings_are_exactly_what_respondents_can_see(parts):
    wording = '"' + " | ".join("{" + p + "}" for p in parts) + '"'
    survey, text = text_of(wording)
    assume(len(_atoms(text)) <= MAX_ATOMS)  # beyond, the parts are read one by one
    out = variants(text, Reader(survey).about("t"))
    seen = set()
    for x, y, n in itertools.product(["a", "b", "c", None], ["a", "b", None], [None, 2, 3, 5]):
        seen.add(" ".join(evaluate_text(text, _Answers({"x": x, "y": y, "n": n})).split()))
    printed = {" ".join(v.text.split()) for v in out}
    assert printed == seen
    assert len(out) == 1 or all(v.when is not None for v in out)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(1, 4), data=st.data())
def test_the_cover_is_exact(n, data):
    assignments = list(itertools.product((True, False), repeat=n))
    indexes = list(range(len(assignments)))
    ones = set(data.draw(st.lists(st.sampled_from(indexes), min_size=1, unique=True)))
    dont_care = set(data.draw(st.lists(st.sampled_from([i for i in indexes if i not in ones]), unique=True))) \
        if len(ones) < len(indexes) else set()
    cubes = _cover(ones, dont_care, assignments)
    covered = {i for i, a in enumerate(assignments)
               for c in cubes if all(v is None or v == x for v, x in zip(c, a, strict=True))}
    assert ones <= covered <= ones | dont_care


def test_a_text_given_as_none_has_no_reading():
    assert variants(None, Reader(qengine.load(HEAD))) == ()


def test_english_placeholder():
    survey = qengine.load(HEAD.replace("language fr", "language en") + '  display t "You said {n}."\n')
    assert variants(survey.question("t").text, Reader(survey)) == (Variant("You said [answer to question 3 [n]]."),)
    assert isinstance(survey.question("t").text, Text)


def test_too_many_conditions_are_read_part_by_part():
    parts = "".join("{if(n == " + str(i) + ", 'x', '')}" for i in range(MAX_ATOMS + 1))
    (only,) = readings(f'"{parts}"')
    assert only.when is None and only.text.count(", sinon rien]") == MAX_ATOMS + 1
    assert only.text.startswith("['x' si la réponse à la question '3 [n]' valait 0, sinon rien]")
