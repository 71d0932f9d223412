"""Respondent profiles for the reference survey `surveys/gp_backup.qdl` (the thesis
questionnaire), table-driven.

Each profile is a pair of files in `tests/gp_backup/` (see its README.md):
`NAME.answers.json`, what one respondent answers, and `NAME.expected.json`, written
from the printable questionnaire and its reading notes, holding what `qengine play
--json` must print (`shown`, `complete`, `errors`, `texts`, `response`) and
`dynamic_texts`: every help text, option label and group description with `{if}`
wording that the respondent is presented, keyed `question.help`,
`question.option.CODE` or `group.description`.

The coverage tests compute from the profiles themselves that every conditional
question and group is both shown and hidden, and that both branches of every
`if(...)` in the survey's wording are presented to someone. Last, random complete
respondents are checked against the printed conditions and wording written out a
second time by hand.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qengine
from qengine.errors import AnswerError
from qengine.expr import ast
from qengine.expr.evaluate import evaluate
from qengine.expr.values import truthy
from qengine.kinds import Array, Equation, Grid, MultipleChoice, Number, SingleChoice
from qengine.model import Survey, Text
from qengine.runtime import Session
from qengine.runtime.play import play

ROOT = Path(__file__).resolve().parent.parent
SURVEY_FILE = ROOT / "surveys" / "gp_backup.qdl"
FIXTURES = Path(__file__).resolve().parent / "gp_backup"
PROFILES = sorted(p.name.removesuffix(".answers.json") for p in FIXTURES.glob("*.answers.json"))
PLAYED_KEYS = ("shown", "complete", "errors", "texts", "response")
# Played end to end through the command line; the others through the runtime API.
CLI_PROFILES = ("group_clientserver_thorough", "solo_cloud_and_third_party_cloud",
                "blocked_no_support_declared", "blocked_support_count_out_of_range")


@cache
def survey() -> Survey:
    return qengine.load(SURVEY_FILE)


@cache
def answers(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.answers.json").read_text(encoding="utf-8"))


@cache
def expected(name: str) -> dict:
    return json.loads((FIXTURES / f"{name}.expected.json").read_text(encoding="utf-8"))


@cache
def played(name: str) -> dict:
    return play(survey(), answers(name)).to_json()


@cache
def session(name: str) -> Session:
    """The session as the respondent left it: the answers of the questions play
    presented, given in survey order (every condition and `{if}` reads only earlier
    questions or the question itself, so one pass reaches the final state). A
    refused answer is left out, as play leaves it out."""
    s = Session(survey())
    shown = set(played(name)["shown"])
    for q in survey().questions:
        if q.code in shown and q.code in answers(name):
            with contextlib.suppress(AnswerError):
                s.answer(q.code, answers(name)[q.code])
    return s


def presented_groups(name: str) -> set[str]:
    return {survey().by_code[c].group for c in played(name)["shown"]}


def dynamic_texts(name: str) -> dict[str, str]:
    """The `{if}` help texts, option labels and group descriptions presented."""
    s, out = session(name), {}
    for code in played(name)["shown"]:
        q, view = survey().by_code[code], s.view(code)
        if q.help is not None and not q.help.is_static:
            out[f"{code}.help"] = view.help
        labels = {c.code: c.label for c in view.options}
        for option in getattr(q, "options", ()):
            if not option.label.is_static and option.code in labels:
                out[f"{code}.option.{option.code}"] = labels[option.code]
    for g in survey().groups:
        if g.description is not None and not g.description.is_static and g.code in presented_groups(name):
            out[f"{g.code}.description"] = s.group_texts(g.code)[1]
    return out


# ---------------------------------------------------------------- the table


def test_profiles_come_in_pairs():
    expected_files = sorted(p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json"))
    assert expected_files == PROFILES
    assert len(PROFILES) >= 20


@pytest.mark.parametrize("name", PROFILES)
def test_profile_plays_as_expected(name):
    result, want = played(name), expected(name)
    for key in PLAYED_KEYS:
        assert result[key] == want[key], f"{name}: {key}"
    assert list(result["shown"]) == list(want["texts"]), f"{name}: a text for each question shown"


@pytest.mark.parametrize("name", PROFILES)
def test_profile_dynamic_texts(name):
    assert dynamic_texts(name) == expected(name)["dynamic_texts"]


@pytest.mark.parametrize("name", CLI_PROFILES)
def test_profile_through_the_command_line(name):
    run = subprocess.run(
        [sys.executable, "-c", "from qengine.cli import main; main()", "play", str(SURVEY_FILE),
         "--answers", str(FIXTURES / f"{name}.answers.json"), "--json"],
        capture_output=True, text=True, encoding="utf-8", check=False)
    want = expected(name)
    assert run.returncode == (0 if want["complete"] else 1), run.stderr
    printed = json.loads(run.stdout)
    assert {k: printed[k] for k in PLAYED_KEYS} == {k: want[k] for k in PLAYED_KEYS}


@pytest.mark.parametrize("name", [n for n in PROFILES if expected(n)["complete"]])
def test_one_question_a_page_gives_the_same_result(name):
    """The survey's conditions read only earlier questions, so going one question a
    page presents the same questions and submits the same response."""
    result = play(survey(), answers(name), format="question").to_json()
    assert {k: result[k] for k in PLAYED_KEYS} == {k: expected(name)[k] for k in PLAYED_KEYS}


# ---------------------------------------------------------------- named cases


def test_q30_five_part_wording_in_its_four_cases():
    """Q30's sentence for each combination of cloud = Oui and sauvegardecloud = Oui,
    spelled out in full; every combination is met by some profile."""
    tail = "précisez le nombre de sauvegardes par type de support physique*."
    wording = {
        (False, False): "P" + tail[1:],
        (True, False): "Hormis les sauvegardes de votre progiciel en cloud, " + tail,
        (False, True): "Hormis les sauvegardes réalisées sur un cloud tiers, " + tail,
        (True, True): "Hormis les sauvegardes de votre progiciel en cloud, et les sauvegardes "
                      "réalisées sur un cloud tiers, " + tail,
    }
    met = set()
    for name in PROFILES:
        text = played(name)["texts"].get("sauvegardesupports")
        if text is not None:
            case = (answers(name)["cloud"] == "cldo", answers(name)["sauvegardecloud"] == "sco")
            assert text == wording[case], name
            met.add(case)
    assert met == set(wording)


def test_at_least_one_support_unless_a_cloud_copy():
    """The all-zero grid blocks only when neither cloud is Oui (reading notes)."""
    check = {"question": "sauvegardesupports", "message": "Merci d'indiquer au moins un support de sauvegarde."}
    seen = set()
    for name in PROFILES:
        result = played(name)
        refused = any(e["question"] == check["question"] and e != check for e in result["errors"])
        if check["question"] not in result["shown"] or refused:
            continue
        zero = result["response"]["supportszero"] == 0
        cloud_copy = answers(name)["cloud"] == "cldo" or answers(name)["sauvegardecloud"] == "sco"
        blocked = check in result["errors"]
        assert blocked == (zero and not cloud_copy), name
        seen.add((zero, cloud_copy))
    assert seen == {(True, True), (True, False), (False, True), (False, False)}


def test_thesis_flaws_are_kept():
    zero_lost = played("flaw_loss_zero_days_definitively_lost")
    assert zero_lost["complete"] and zero_lost["response"]["pertedefinitive"] == 0
    ticks = played("flaw_contradictory_ticks")
    assert ticks["complete"]
    assert ticks["response"]["verification"] == ["oui", "n"]
    assert ticks["response"]["sauvegardemethode"] == ["os", "nsp"]
    assert ticks["response"]["anciennete"] == ["anc1", "anc3"]


# ---------------------------------------------------------------- coverage

CONDITIONAL = {  # question -> its own condition or its group's, as the notes list them
    "anciennete", "progicielpartage", "machine", "chemin", "horsprogiciel", "competence",
    "pertecauses", "pertejours", "pertesauvegarde", "perterestauree", "perterestaureetotal",
    "pertedefinitive", "pertefonctionnement",
    "sauvegardeauto", "sauvegardequi", "sauveprogiciel", "sauvegardemethode", "sauvegardecloud",
    "sauvegardesupports", "chiffrement", "cloudtierschiffre", "cloudtierschiffreavant",
    "verification", "restaurationtestee", "restaurationfrequence", "restaurationmachine",
    "archivesduree", "archivessupport", "archiveslieu", "archivesrecopie", "archivesfrequence",
}


def conditional_questions() -> set[str]:
    s = survey()
    return {q.code for q in s.questions if not isinstance(q, Equation)
            and (q.condition is not None or s.groups_by_code[q.group].condition is not None)}


def test_conditional_questions_are_the_ones_of_the_notes():
    assert conditional_questions() == CONDITIONAL


def test_every_conditional_question_is_shown_and_hidden():
    """Shown by one profile and hidden from another that went through the whole
    survey (a blocked profile hides later questions only by stopping early)."""
    complete = [n for n in PROFILES if played(n)["complete"]]
    for code in sorted(conditional_questions()):
        assert any(code in played(n)["shown"] for n in PROFILES), f"{code} never shown"
        assert any(code not in played(n)["shown"] for n in complete), f"{code} never hidden"


def test_every_group_condition_is_met_and_not_met():
    complete = [n for n in PROFILES if played(n)["complete"]]
    for g in survey().groups:
        if g.condition is not None:
            assert any(g.code in presented_groups(n) for n in PROFILES), f"group {g.code} never shown"
            assert any(g.code not in presented_groups(n) for n in complete), f"group {g.code} never hidden"


def survey_texts() -> Iterator[tuple[str, tuple[str, str] | None, Text]]:
    """Every piece of wording in the survey: (place, owner, text); the owner is
    ("question", code), ("group", code) or None for the survey's own texts."""
    s = survey()
    for q in s.questions:
        for n, text in enumerate(q.texts):
            yield f"{q.code}#{n}", ("question", q.code), text
    for g in s.groups:
        yield f"{g.code}.title", ("group", g.code), g.title
        if g.description is not None:
            yield f"{g.code}.description", ("group", g.code), g.description
    for n, text in enumerate(s.texts):
        yield f"survey#{n}", None, text


def is_presented(name: str, owner: tuple[str, str] | None) -> bool:
    if owner is None:
        return True
    kind, code = owner
    return code in (played(name)["shown"] if kind == "question" else presented_groups(name))


def branches(node: ast.Expr, env: Session) -> Iterator[tuple[ast.Call, bool]]:
    """The `if` calls an evaluation goes through, with the branch it takes
    (the branch not taken is not walked: an `if` inside it is not presented)."""
    if isinstance(node, ast.Call) and node.name == "if":
        condition, then, other = node.args
        taken = truthy(evaluate(condition, env))
        yield node, taken
        yield from branches(condition, env)
        yield from branches(then if taken else other, env)
        return
    for child in ast.children(node):
        yield from branches(child, env)


def test_every_if_branch_is_taken():
    """Both branches of every `if(...)` in the wording, evaluated in the session of
    each profile presented with that wording."""
    every_if = {(place, n.span.line, n.span.column)
                for place, _, text in survey_texts() for part in text.expressions
                for n in ast.walk(part) if isinstance(n, ast.Call) and n.name == "if"}
    assert every_if, "the survey has dynamic wording"
    taken: dict[tuple[str, int, int], set[bool]] = {key: set() for key in every_if}
    for name in PROFILES:
        env = session(name)
        for place, owner, text in survey_texts():
            if is_presented(name, owner):
                for part in text.expressions:
                    for call, branch in branches(part, env):
                        taken[place, call.span.line, call.span.column].add(branch)
    missing = sorted(f"{place} (line {line}): {sorted(seen)}" for (place, line, _), seen in taken.items()
                     if seen != {True, False})
    assert not missing, f"if(...) not taken both ways: {missing}"


# ---------------------------------------------------------------- random respondents
# The printed conditions, written out a second time by hand from the printable
# questionnaire (not from the .qdl): question -> condition on the answers kept so far.
# Group conditions are folded into their questions.

def _supports(a: dict) -> int:
    return sum(sum(cells.values()) for cells in a.get("sauvegardesupports", {}).values())


PRINTED_CONDITIONS = {
    "anciennete": lambda a: a.get("age") not in (None, "age1"),
    "progicielpartage": lambda a: a.get("solo") == "solog",
    "machine": lambda a: a.get("reseau") == "rescs" and a.get("cloud") != "cldo",
    "chemin": lambda a: a.get("cloud") != "cldo",
    "horsprogiciel": lambda a: a.get("progicielseul") != "o" and a.get("sauvegarde") == "o",
    "competence": lambda a: a.get("sauvegarde") == "o",
    **dict.fromkeys(("pertecauses", "pertejours", "pertesauvegarde", "pertefonctionnement"),
                    lambda a: a.get("perte") == "o"),
    "perterestauree": lambda a: a.get("perte") == "o" and a.get("pertesauvegarde") == "o",
    "perterestaureetotal": lambda a: a.get("perte") == "o" and a.get("perterestauree") == "o",
    "pertedefinitive": lambda a: a.get("perte") == "o" and a.get("perterestauree") == "o"
    and a.get("perterestaureetotal") == "n",
    **dict.fromkeys(("sauvegardeauto", "sauvegardequi", "sauveprogiciel", "sauvegardecloud",
                     "sauvegardesupports", "restaurationtestee"),
                    lambda a: a.get("sauvegarde") == "o"),
    "sauvegardemethode": lambda a: a.get("sauvegarde") == "o" and a.get("sauveprogiciel") == "n",
    "chiffrement": lambda a: a.get("sauvegarde") == "o" and _supports(a) != 0,
    "cloudtierschiffre": lambda a: a.get("sauvegarde") == "o" and a.get("sauvegardecloud") == "sco",
    "cloudtierschiffreavant": lambda a: a.get("sauvegarde") == "o" and a.get("cloudtierschiffre") == "o",
    "verification": lambda a: a.get("sauvegarde") == "o" and a.get("cloud") != "cldo",
    **dict.fromkeys(("restaurationfrequence", "restaurationmachine"),
                    lambda a: a.get("sauvegarde") == "o" and a.get("restaurationtestee") == "o"),
    **dict.fromkeys(("archivesduree", "archivessupport", "archiveslieu", "archivesrecopie"),
                    lambda a: a.get("archives") == "o"),
    "archivesfrequence": lambda a: a.get("archives") == "o" and a.get("archivesrecopie") == "o",
}


def printed_wording(a: dict) -> dict[str, str]:
    """The five dynamic question texts, spelled out from the printable."""
    cloud, third = a.get("cloud") == "cldo", a.get("sauvegardecloud") == "sco"
    besides = ["les sauvegardes de votre progiciel en cloud, "] if cloud else []
    besides += ["et "] if cloud and third else []
    besides += ["les sauvegardes réalisées sur un cloud tiers, "] if third else []
    tail = "récisez le nombre de sauvegardes par type de support physique*."
    return {
        "sauvegarde": ("Hormis les éventuelles sauvegardes de votre progiciel au sein de son cloud, "
                       "existe-t-il une autre" if cloud else "Existe-t-il au moins une")
        + " sauvegarde* de vos données de santé informatisées ?",
        "perte": ("Depuis le début de votre installation" if a.get("age") == "age1"
                  else "Au cours des 5 dernières années")
        + ", avez déjà perdu tout ou une partie de vos données médicales informatisées ?",
        "sauvegardequi": "Qui réalise " + ("et/ou a automatisé " if a.get("sauvegardeauto") == "sao" else "")
        + "vos sauvegardes ?",
        "sauvegardecloud": "Envoyez-vous une sauvegarde " + ("supplémentaire " if cloud else "")
        + "sur un cloud tiers* ?",
        "sauvegardesupports": ("Hormis " + "".join(besides) + "p" if besides else "P") + tail,
    }


@st.composite
def respondents(draw) -> dict:
    """An answer to every question, valid on its own; the grid is left all-zero only
    when a cloud copy exempts it from the "at least one support" check."""
    out = {}
    for q in survey().questions:
        match q:
            case SingleChoice():
                out[q.code] = draw(st.sampled_from([o.code for o in q.options]))
            case MultipleChoice():
                codes = [o.code for o in q.options]
                out[q.code] = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
            case Array():
                out[q.code] = {r.code: draw(st.sampled_from([c.code for c in q.columns])) for r in q.rows}
            case Grid():
                cells = st.integers(min_value=q.min, max_value=q.max)
                out[q.code] = {r.code: {c.code: draw(cells) for c in q.columns} for r in q.rows}
            case Number():
                out[q.code] = draw(st.integers(min_value=0, max_value=60))
    exempt = out["cloud"] == "cldo" or out["sauvegardecloud"] == "sco"
    if not exempt and _supports(out) == 0:
        out["sauvegardesupports"]["snas"]["slocal"] = 1
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(respondents())
def test_random_respondents_follow_the_printed_conditions(given_answers):
    kept: dict = {}
    for q in survey().questions:
        condition = PRINTED_CONDITIONS.get(q.code)
        if q.code in given_answers and (condition is None or condition(kept)):
            kept[q.code] = given_answers[q.code]
    result = play(survey(), given_answers).to_json()
    assert result["complete"], result["errors"]
    assert result["shown"] == list(kept)
    wording = printed_wording(kept)
    assert {c: t for c, t in result["texts"].items() if c in wording} == \
        {c: t for c, t in wording.items() if c in kept}
