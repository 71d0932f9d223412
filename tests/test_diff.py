"""`qengine diff`: hand-made pairs of surveys, one author's change each, and the
reference survey against itself and against a mutant of the thesis's kind."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.diff import CHANGED, SAME, UNDECIDED, RenameError, diff
from qengine.runtime.play import play

GP_BACKUP = Path(__file__).parent.parent / "surveys" / "gp_backup.qdl"

BASE = '''survey s "S"
group g "G"
  single a "A?"
    mandatory
    - x "X"
    - y "Y"
  single b "B?"
    - o "Oui"
    - n "Non"
  integer n "How many?"
    min 0
    max 30
  display d "Seen"
    when a == "x" and b != "o"
'''


def pair(old: str, new: str, renames=None):
    return diff(qengine.load(old), qengine.load(new), renames)


def edited(text: str, before: str, after: str) -> str:
    assert before in text, before
    return text.replace(before, after, 1)


def by(report, aspect, status=CHANGED):
    return [c for c in report.changes if c.aspect == aspect and c.status == status]


def replays(change, old: str, new: str) -> None:
    """The witness, played by `qengine play` on each version, shows what the report says."""
    w = change.witness
    assert w is not None and w.old_observed != w.new_observed
    for text, answers in ((old, w.old_answers), (new, w.new_answers)):
        play(qengine.load(text), answers)  # a valid answers file for its version


# ---------------------------------------------------------------- conditions
def test_equality_swapped_gains_and_loses():
    new = edited(BASE, 'b != "o"', 'b == "o"')
    report = pair(BASE, new)
    shown = by(report, "shown")
    assert {c.direction for c in shown} == {"gains", "loses"}
    gains = next(c for c in shown if c.direction == "gains")
    assert gains.witness.old_answers["b"] == "o" and gains.witness.old_answers["a"] == "x"
    assert (gains.witness.old_observed, gains.witness.new_observed) == ("not shown", "shown")
    assert "'d' is now shown to respondents who did not see it before" in gains.message
    replays(gains, BASE, new)
    assert report.exit_code == 1


def test_and_or_swapped():
    report = pair(BASE, edited(BASE, 'a == "x" and b', 'a == "x" or b'))
    gains = by(report, "shown")
    assert [c.direction for c in gains] == ["gains"]  # `or` only widens
    assert gains[0].witness.old_answers.get("a") != "x" or gains[0].witness.old_answers.get("b") == "o"


def test_wrong_existing_code():
    report = pair(BASE, edited(BASE, 'a == "x"', 'a == "y"'))
    assert {c.direction for c in by(report, "shown")} == {"gains", "loses"}


def test_deleted_when():
    report = pair(BASE, edited(BASE, '    when a == "x" and b != "o"\n', ""))
    [change] = by(report, "shown")
    assert change.direction == "gains"
    assert change.witness.new_observed == "shown"


@pytest.mark.parametrize("rewrite", ['b != "o" and a == "x"', 'a.NAOK == "x" and not (b.NAOK == "o")',
                                     '((a == "x")) and !(b == "o" or 1 == 2)'])
def test_equivalent_rewrites_are_no_change(rewrite):
    report = pair(BASE, edited(BASE, 'a == "x" and b != "o"', rewrite))
    assert report.exit_code == 0
    [same] = report.changes
    assert same.status == SAME and same.subject == "d"
    assert same.message.endswith("no change for any respondent")


def test_naok_alone_is_not_even_a_rewrite():
    report = pair(BASE, edited(BASE, 'a == "x"', 'a.NAOK == "x"'))
    assert report.changes == ()


def test_change_upstream_reaches_an_unchanged_condition():
    """A question whose condition is untouched is shown to others when what it
    reads changed: here an equation it compares."""
    old = BASE + '  equation t\n    value sum(n, 1)\n  display e "E"\n    when t > 5\n'
    new = edited(old, "sum(n, 1)", "sum(n, 2)")
    [gains] = [c for c in by(pair(old, new), "shown") if c.subject == "e"]
    assert gains.direction == "gains" and gains.witness.old_answers["n"] == 4


def test_option_filtered_away():
    new = edited(BASE, '    - y "Y"\n', '    - y "Y" when b == "n"\n')
    [loses] = by(pair(BASE, new), "offered")
    assert loses.direction == "loses" and loses.item == "y"
    assert (loses.witness.old_observed, loses.witness.new_observed) == ("offered", "not offered")


def test_group_condition_changed():
    old = BASE + 'group h "H"\n  when b == "o"\n  display f "F"\n'
    new = edited(old, '  when b == "o"\n  display f', '  when b == "n"\n  display f')
    changes = by(pair(old, new), "group")
    assert {c.direction for c in changes} == {"gains", "loses"}


# ---------------------------------------------------------------- acceptance
def test_mandatory_removed():
    new = edited(BASE, "    mandatory\n", "")
    [change] = by(pair(BASE, new), "accepts")
    assert change.direction == "gains" and "mandatory removed" in change.message
    assert change.witness.old_observed.startswith("refused:")
    assert change.witness.new_observed == "accepted"


def test_bounds_changed():
    new = edited(BASE, "max 30", "max 20")
    [change] = by(pair(BASE, new), "accepts")
    assert change.direction == "loses" and "max 30 → 20" in change.message
    assert 20 < change.witness.old_answers["n"] <= 30
    assert "20" in change.witness.new_observed  # the runtime's own refusal


def test_exclusive_dropped():
    old = BASE + '  multiple m "M?"\n    - p "P"\n    - none "None" exclusive\n'
    new = edited(old, '"None" exclusive', '"None"')
    [change] = by(pair(old, new), "accepts")
    assert change.direction == "gains" and "'none' no longer exclusive" in change.message
    assert sorted(change.witness.new_answers["m"]) == ["none", "p"]


def test_validation_weakened():
    old = edited(BASE, "max 30\n", 'max 30\n    validate n >= 2\n      message "At least two."\n')
    new = edited(old, "n >= 2", "n >= 1")
    [change] = by(pair(old, new), "accepts")
    assert change.witness.old_answers["n"] == 1 or change.witness.new_answers["n"] == 1
    assert "At least two." in change.witness.old_observed


# ---------------------------------------------------------------- items, values, wording
def test_option_added_and_removed():
    new = edited(BASE, '    - y "Y"\n', '    - z "Z"\n')
    report = pair(BASE, new)
    assert [(c.item, c.message) for c in by(report, "added")] == [("z", "option 'z' of 'a' was added")]
    assert [c.item for c in by(report, "removed")] == ["y"]


def test_equation_changed():
    old = BASE + "  equation total\n    value sum(n, 1)\n"
    new = edited(old, "sum(n, 1)", "sum(n, 2)")
    [change] = by(pair(old, new), "value")
    assert re.fullmatch(r"total = \d+", change.witness.old_observed)
    assert change.witness.old_observed != change.witness.new_observed


def test_default_changed():
    old = edited(BASE, "max 30\n", "max 30\n    default 5\n")
    new = edited(old, "default 5", "default 6")
    [change] = by(pair(old, new), "default")
    assert (change.witness.old_observed, change.witness.new_observed) == ("n = 5", "n = 6")


def test_wording_variant_changed():
    old = edited(BASE, 'display d "Seen"', 'display d "Seen {if(b == "n", "no", "other")}"')
    new = edited(old, 'if(b == "n"', 'if(b != "n"')
    [change] = by(pair(old, new), "wording")
    assert change.witness.old_observed != change.witness.new_observed
    assert "Seen" in change.witness.old_observed


def test_wording_variant_rewritten_alike():
    old = edited(BASE, 'display d "Seen"', 'display d "Seen {if(b == "n", "no", "other")}"')
    new = edited(old, 'if(b == "n", "no", "other")', 'if(b != "n", "other", "no")')
    report = pair(old, new)
    assert report.exit_code == 0 and [c.status for c in by(report, "wording", SAME)] == [SAME]


def test_plain_words_changed():
    [change] = by(pair(BASE, edited(BASE, '"How many?"', '"How many, roughly?"')), "wording")
    assert "roughly" in change.witness.new_observed


@pytest.mark.parametrize(("part", "changed"), [
    ('{if(a == "x" and a == "y", " (x)", "")}', False),  # a part that never prints: the same text
    ('{if(a == "x", " (x)", "")}', True),
])
def test_wording_part_added(part, changed):
    new = edited(BASE, 'display d "Seen"', f"display d 'Seen{part}'")
    report = pair(BASE, new)
    if changed:
        [change] = by(report, "wording")
        assert (change.witness.old_observed, change.witness.new_observed) == ("Seen", "Seen (x)")
        replays(change, BASE, new)
    else:
        assert report.exit_code == 0 and [c.message for c in by(report, "wording", SAME)] == [
            "the text of 'd' was rewritten: no change for any respondent"]


def test_wording_part_added_beside_an_unmodelled_one():
    """`{b.shown}` is not modelled; it is the same expression over the same answers in
    both versions, so it reads alike by construction."""
    old = edited(BASE, 'display d "Seen"', 'display d "Seen {b.shown}"')
    new = edited(old, '{b.shown}"', '{b.shown}{if(a == "x" and a == "y", " (x)", "")}"')
    report = pair(old, new)
    assert report.exit_code == 0 and [c.status for c in report.changes] == [SAME]


def test_wording_reading_a_later_answer_is_read_on_its_page():
    """On its page, the later question still holds its starting value: respondents
    who go on in order never read the other branch (diff, like play, follows pages)."""
    old = BASE.replace('survey s "S"', 'survey s "S"\nformat question') + '  single c "C?"\n    - o "O"\n'
    new = edited(old, '"How many?"', '"How many?{if(c == "o", " (o)", "")}"')
    report = pair(old, new)
    assert report.exit_code == 0, [c.message for c in report.changes]


def test_condition_reading_a_later_answer_changes_the_response():
    old = (BASE.replace('survey s "S"', 'survey s "S"\nformat question')
           + '  text t "T?"\n    when a == "x"\n  single c "C?"\n    - o "O"\n')
    new = edited(old, 'when a == "x"\n  single c', 'when a == "x" and c != "o"\n  single c')
    [change] = by(pair(old, new), "shown")
    assert change.direction == "loses" and change.witness.old_answers["c"] == "o"
    assert (change.witness.old_observed, change.witness.new_observed) == (
        "shown at submission", "not shown at submission")
    responses = [play(qengine.load(t), change.witness.old_answers).response for t in (old, new)]
    assert "t" in responses[0] and "t" not in responses[1]


def test_a_bound_that_refuses_the_default():
    old = edited(BASE, "    min 0\n    max 30\n", "    min 0\n    max 30\n    default 0\n")
    new = edited(old, "min 0", "min 1")
    [change] = by(pair(old, new), "accepts")
    assert change.witness.old_answers["n"] == 0  # typed, although it is the default
    assert change.witness.new_observed.startswith("refused")


def test_a_rewrite_proved_the_same_leaves_its_readers_alone():
    """A reader whose logic the solver does not model (strlen() of a text) would
    otherwise be asked with one unknown per version, and be undecided."""
    old = BASE + ('  text t "T?"\n    when d.visible\n    pattern "^[A-Z]{3,8}$"\n'
                  '    validate is_empty(t) or strlen(t) >= 3\n      message "Three letters."\n'
                  '  display e "E"\n    when strlen(t) > 4 and a == "x"\n')
    new = edited(old, 'when a == "x" and b != "o"', 'when not (not (a == "x" and b != "o"))')
    report = pair(old, new)
    assert [(c.subject, c.status) for c in report.changes] == [("d", SAME)]


def test_a_witness_resting_on_unmodelled_join_is_looked_for_among_blanks():
    """join() of a number is not modelled: the first respondent the solver gives may
    read the same in both versions; one who leaves the number blank does not."""
    old = edited(BASE, 'display d "Seen"', "display d 'Seen{if(is_empty(n), \".\", join(\", \", n, \" times\"))}'")
    new = edited(old, "{if(is_empty(n), \".\", join(\", \", n, \" times\"))}", "{join(\", \", n, \" times\")}")
    [change] = by(pair(old, new), "wording")
    assert "n" not in change.witness.old_answers or change.witness.old_answers["n"] is None
    assert change.witness.old_observed == "Seen."
    replays(change, old, new)


# ---------------------------------------------------------------- renames and order
def test_renamed_question_with_mapping():
    new = BASE.replace("single b ", "single bb ").replace("b != ", "bb != ")
    report = pair(BASE, new, {"b": "bb"})
    assert report.exit_code == 0 and report.renamed == {"b": "bb"}
    unmapped = pair(BASE, new)
    assert {c.aspect for c in unmapped.changed} >= {"added", "removed"}


def test_renamed_question_with_a_real_change():
    new = BASE.replace("single b ", "single bb ").replace('b != "o"', 'bb == "o"')
    report = pair(BASE, new, {"b": "bb"})
    gains = [c for c in by(report, "shown") if c.direction == "gains"][0]
    assert gains.witness.old_answers["b"] == "o" and gains.witness.new_answers["bb"] == "o"
    replays(gains, BASE, new)


def test_reordered_questions():
    lines = BASE.splitlines(keepends=True)
    a_block, b_block = "".join(lines[2:6]), "".join(lines[6:9])
    new = BASE.replace(a_block + b_block, b_block + a_block)
    report = pair(BASE, new)
    assert {c.aspect for c in report.changed} == {"moved"}
    assert not report.undecided


def test_bad_rename():
    with pytest.raises(RenameError):
        pair(BASE, BASE, {"nope": "b"})


# ---------------------------------------------------------------- command line
def run(*args):
    return CliRunner().invoke(main, ["diff", *map(str, args)])


def test_cli_formats(tmp_path):
    old, new = tmp_path / "old.qdl", tmp_path / "new.qdl"
    old.write_text(BASE, encoding="utf-8")
    new.write_text(edited(BASE, "max 30", "max 20"), encoding="utf-8")
    text = run(old, new)
    assert text.exit_code == 1 and "now refuses answers it accepted before (max 30 → 20)" in text.output
    data = json.loads(run(old, new, "--format", "json").output)
    assert data["changed"] == 1 and data["changes"][0]["aspect"] == "accepts"
    assert data["changes"][0]["witness"]["observed"]["new"].startswith("refused:")
    md = run(old, new, "--format", "markdown").output
    assert md.startswith("### `qengine diff`") and "#### Changes" in md
    same = run(old, old)
    assert same.exit_code == 0 and same.output.endswith("no change for any respondent\n")


def test_cli_bad_input(tmp_path):
    good, broken = tmp_path / "good.qdl", tmp_path / "broken.qdl"
    good.write_text(BASE, encoding="utf-8")
    broken.write_text(edited(BASE, "when a ==", "when a ="), encoding="utf-8")
    result = run(good, broken)
    assert result.exit_code == 2 and "E101" in result.output and "Traceback" not in result.output
    assert run(good, tmp_path / "missing.qdl").exit_code == 2
    assert run(good, good, "--rename", "zz=b").exit_code == 2
    assert run(good, good, "--rename", "b").exit_code == 2


# ---------------------------------------------------------------- the reference survey
def test_gp_backup_against_itself():
    survey = qengine.load(GP_BACKUP)
    report = diff(survey, qengine.load(GP_BACKUP))
    assert report.changes == () and report.exit_code == 0


def test_gp_backup_cloud_mutant():
    """The thesis's own kind of error: `cloud == "cldo"` written for `cloud != "cldo"`."""
    text = GP_BACKUP.read_text(encoding="utf-8")
    mutant = text.replace('  multiple verification "Vérifiez-vous la réussite du processus de sauvegarde ?"\n'
                          '    mandatory\n    when cloud != "cldo"',
                          '  multiple verification "Vérifiez-vous la réussite du processus de sauvegarde ?"\n'
                          '    mandatory\n    when cloud == "cldo"')
    assert mutant != text
    report = diff(qengine.load(text), qengine.load(mutant))
    assert {(c.subject, c.direction) for c in report.changed} == {("verification", "gains"),
                                                                 ("verification", "loses")}
    assert not report.undecided
    for change in report.changed:
        w = change.witness
        played = [play(qengine.load(t), a) for t, a in ((text, w.old_answers), (mutant, w.new_answers))]
        shown = ["verification" in p.shown for p in played]
        assert shown == ([False, True] if change.direction == "gains" else [True, False])
        assert all(p.complete for p in played)  # complete respondents: both versions submit


def test_undecided_is_never_a_verdict():
    """`.shown` is not modelled: a change resting on it is confirmed by the runtime
    or reported undecided, never silently dropped."""
    old = BASE + '  display s "{b.shown}"\n'
    new = edited(old, '    - n "Non"\n', '    - n "Nein"\n')
    report = pair(old, new)
    [about_s] = [c for c in report.changes if c.subject == "s"]
    assert about_s.status in (CHANGED, UNDECIDED)
    if about_s.status == UNDECIDED:
        assert any(".shown" in r for r in about_s.reasons)
    assert report.exit_code == 1
