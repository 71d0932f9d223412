"""Lint's catch rate on author mistakes of our own making (tests/mutants.py): at least
95 % of the provably wrong mutants flagged, and no finding on an equivalent one."""

from __future__ import annotations

import collections
import functools

import attrs

from qengine.diff.compare import diff
from qengine.lint import lint_source
from qengine.span import Source
from tests.mutants import INTENT, PROVABLY_WRONG, all_mutants, load, sample

PER_KIND = 3  # mutants of each kind and survey: the whole run stays well under a minute


def _signature(result) -> collections.Counter:
    return collections.Counter((f.code, f.message) for f in result.findings)


@functools.cache
def _baseline(path: str) -> collections.Counter:
    with open(path, encoding="utf-8") as f:
        return _signature(lint_source(Source(f.read(), path)))


def new_findings(m) -> list[tuple[str, str]]:
    found = _signature(lint_source(Source(m.text, m.path))) - _baseline(m.path)
    return sorted(found.elements())


@functools.cache
def _original(path: str):
    with open(path, encoding="utf-8") as f:
        return load(f.read(), path)


def observable(m) -> bool | None:
    """Whether some respondent can tell the mutant from its survey, as `qengine diff`
    proves it (None: undecided)."""
    report = diff(_original(m.path), load(m.text, m.path))
    return True if report.changed else None if report.undecided else False


@functools.cache
def measured():
    """(mutant, its new findings or None when it does not load), the families of the
    empty-value mistakes sorted by `qengine diff`: an unobservable one is equivalent.
    Mistakes of intent are valid logic, for `qengine diff` to report, not lint."""
    rows = []
    for m in sample([m for m in all_mutants() if m.family != INTENT], PER_KIND):
        if load(m.text, m.path) is None:
            rows.append((m, None))
            continue
        if m.family != PROVABLY_WRONG:
            seen = observable(m)
            if seen is None:
                continue
            if m.family == "equivalent" and seen:
                rows.append((m, None))  # the generator's mistake: reported by test_every_mutant_loads
                continue
            m = attrs.evolve(m, family="empty" if seen else "equivalent")
        rows.append((m, new_findings(m)))
    return rows


def rates(rows):
    table: dict[str, list[int]] = {}
    for m, new in rows:
        if new is None:
            continue
        for key in (m.family, f"{m.family}/{m.kind}"):
            t = table.setdefault(key, [0, 0])
            t[0] += bool(new)
            t[1] += 1
    return table


def test_every_mutant_loads_and_equivalent_ones_are_so():
    assert [m.name for m, new in measured() if new is None] == []


def test_provably_wrong_mutants_are_caught():
    caught, total = rates(measured())[PROVABLY_WRONG]
    missed = [m.name for m, new in measured() if m.family == PROVABLY_WRONG and new == []]
    assert caught / total >= 0.95, missed


def test_equivalent_mutants_are_never_flagged():
    assert [(m.name, new) for m, new in measured() if m.family == "equivalent" and new] == []


CAUSE = "; it happens only because "
BECAUSE_BLANK = ("R120", "R121", "R130", "R140")


def _without_cause(result) -> collections.Counter:
    return collections.Counter((f.code, f.message.split(CAUSE)[0]) for f in result.findings)


def test_findings_a_deleted_mandatory_makes_possible_name_it_as_their_cause():
    """A finding that appears when `mandatory` is deleted from q happens only to
    respondents who leave q blank (with q answered, the mutant is its survey): it
    must say so."""
    chosen = sample([m for m in all_mutants() if m.kind == "deleted-mandatory"], 2)
    said = []
    for m in chosen:
        with open(m.path, encoding="utf-8") as f:
            before = _without_cause(lint_source(Source(f.read(), m.path), ignore=["R150"]))
        after = lint_source(Source(m.text, m.path), ignore=["R150"])
        new = _without_cause(after) - before
        for f in after.findings:
            if f.code in BECAUSE_BLANK and (f.code, f.message.split(CAUSE)[0]) in new:
                said.append((m.name, f.code, f"'{m.where}' may be left blank (not mandatory)" in f.message))
    assert said and all(named for *_, named in said), said


if __name__ == "__main__":
    import sys
    import time

    t = time.time()
    rows = measured()
    for key, (c, n) in sorted(rates(rows).items()):
        print(f"{key:45} {c:3}/{n:3} {100 * c / n:5.1f} %")
    for m, new in rows:
        if new is None:
            print("DOES NOT LOAD", m.name)
        elif (m.family == "equivalent") == bool(new) or "-v" in sys.argv:
            print(m.family, m.name, new[:2])
    print(f"{len(rows)} mutants, {time.time() - t:.1f} s")
