"""`qengine diff`'s rate on author mistakes of our own making (tests/mutants.py),
measured against an oracle that does not use it (tests/observable.py): scripted
respondents walked through the survey and the mutant, compared at every step.

- every mutant the walkers can tell from its survey, diff reports changed;
- every change diff reports has a witness, which the walkers, replaying it on both
  versions, find to be a visible difference (so a change the walkers' own
  respondents missed is still proved: they are counted apart);
- every mutant of the "equivalent" family is "no change" (exit 0), and the
  walkers find no difference either (a check of the oracle).

`python tests/test_diff_mutants.py` prints the rates per family and kind on the
test's sample; `--all` on the whole corpus (several minutes), `--respondents=N`
with more respondents per survey than the test's.
"""

from __future__ import annotations

import collections
import functools

import attrs

from qengine.diff import Change, Report, diff
from qengine.model import Survey
from tests.mutants import Mutant, all_mutants, load, sample
from tests.observable import Difference, boundary_values, difference, drawn

PER_KIND = 1  # mutants of each kind and survey: the whole test stays under a minute
RESPONDENTS = 40  # respondents drawn per survey
PROBED = 4  # of them, those whose pages are probed answer by answer
EQUIVALENT = "equivalent"


@functools.cache
def _corpus() -> tuple[Mutant, ...]:
    return tuple(all_mutants())


@functools.cache
def _original(path: str) -> Survey:
    with open(path, encoding="utf-8") as f:
        survey = load(f.read(), path)
    assert survey is not None
    return survey


@functools.cache
def _population(path: str) -> tuple[dict, tuple[dict, ...]]:
    """The boundary values of a survey and of all its mutants (every literal any of
    them compares a question with), and the respondents drawn on the survey."""
    mutants = [load(m.text, m.path) for m in _corpus() if m.path == path]
    values = boundary_values(_original(path), *(s for s in mutants if s is not None))
    return values, tuple(drawn(_original(path), values, RESPONDENTS))


@attrs.frozen
class Verdict:
    mutant: Mutant
    #: the first difference the walkers met, or None
    walkers: Difference | None
    report: Report
    #: each change diff reports, with what the walkers met replaying its witness
    replayed: tuple[tuple[Change, Difference | None], ...]

    @property
    def observable(self) -> bool:
        return self.walkers is not None

    @property
    def proved(self) -> bool:
        """diff says changed, and a witness replays to a visible difference."""
        return any(seen is not None for _, seen in self.replayed)


def judge(m: Mutant) -> Verdict:
    old, new = _original(m.path), load(m.text, m.path)
    assert new is not None, m.name
    values, people = _population(m.path)
    walkers = next((d for i, answers in enumerate(people)
                    if (d := difference(old, new, answers, probes=values if i < PROBED else None)) is not None), None)
    report = diff(old, new)
    replayed = tuple((c, difference(old, new, c.witness.old_answers, c.witness.new_answers)
                      if c.witness is not None else None) for c in report.changed)
    return Verdict(m, walkers, report, replayed)


@functools.cache
def measured(everything: bool = False) -> tuple[Verdict, ...]:
    chosen = list(_corpus()) if everything else sample(list(_corpus()), PER_KIND, whole=())
    return tuple(judge(m) for m in chosen)


def rates(rows) -> dict[str, collections.Counter]:
    """Per family and per family/kind: mutants, observable (walkers), observable
    reported changed, changed by diff alone (proved by replay), undecided, and
    equivalent ones flagged (changed or undecided)."""
    table: dict[str, collections.Counter] = {}
    for v in rows:
        for key in (v.mutant.family, f"{v.mutant.family}/{v.mutant.kind}"):
            t = table.setdefault(key, collections.Counter())
            t["mutants"] += 1
            t["observable"] += v.observable
            t["caught"] += v.observable and bool(v.report.changed)
            t["diff only"] += not v.observable and v.proved
            t["undecided"] += not v.report.changed and bool(v.report.undecided)
            t["flagged"] += v.mutant.family == EQUIVALENT and v.report.exit_code != 0
    return table


def test_every_observable_mutant_is_reported_changed():
    missed = [(v.mutant.name, str(v.walkers), [c.message for c in v.report.undecided])
              for v in measured() if v.observable and not v.report.changed]
    assert missed == []


def test_every_change_has_a_witness_that_replays_to_a_visible_difference():
    unproved = [(v.mutant.name, c.message, c.witness.to_json() if c.witness else None)
                for v in measured() for c, seen in v.replayed if seen is None]
    assert unproved == []


def test_equivalent_mutants_are_no_change_for_any_respondent():
    rows = [v for v in measured() if v.mutant.family == EQUIVALENT]
    assert rows
    assert [(v.mutant.name, [c.message for c in v.report.changes if c.status != "same"])
            for v in rows if v.report.exit_code != 0] == []
    assert [(v.mutant.name, str(v.walkers)) for v in rows if v.observable] == []


def test_the_sample_holds_observable_mutants_of_every_family():
    families = {v.mutant.family for v in measured() if v.observable}
    assert families >= {"broken", "intent"}, families


if __name__ == "__main__":
    import sys
    import time

    t = time.time()
    for arg in sys.argv[1:]:
        if arg.startswith("--respondents="):
            RESPONDENTS = int(arg.split("=", 1)[1])
    rows = measured("--all" in sys.argv)
    columns = ("mutants", "observable", "caught", "diff only", "undecided", "flagged")
    print(f"{'family/kind':40}" + "".join(f"{c:>11}" for c in columns))
    for key, counts in sorted(rates(rows).items()):
        print(f"{key:40}" + "".join(f"{counts[c]:>11}" for c in columns))
    observable = [v for v in rows if v.observable]
    caught = sum(bool(v.report.changed) for v in observable)
    print(f"observable mutants reported changed: {caught}/{len(observable)}")
    for v in rows:
        if (v.observable and not v.report.changed) or (v.mutant.family == EQUIVALENT and v.report.exit_code):
            print("MISSED" if v.observable else "FLAGGED", v.mutant.name, v.walkers,
                  [c.message for c in v.report.changes if c.status != "same"])
        elif any(seen is None for _, seen in v.replayed) or "-v" in sys.argv:
            print("NOT REPLAYED" if any(seen is None for _, seen in v.replayed) else "",
                  v.mutant.name, [(c.message, str(seen)[:80]) for c, seen in v.replayed])
    print(f"{len(rows)} mutants, {time.time() - t:.1f} s")
