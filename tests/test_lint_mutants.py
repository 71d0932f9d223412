"""Lint's catch rate on author mistakes of our own making (tests/mutants.py): at least
95 % of the provably wrong mutants flagged, and no finding on an equivalent one."""

from __future__ import annotations

import collections
import functools

import attrs

from qengine.diff.compare import diff
from qengine.lint import lint_source
from qengine.span import Source
from tests.mutants import PROVABLY_WRONG, all_mutants, load, sample

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
    empty-value mistakes sorted by `qengine diff`: an unobservable one is equivalent."""
    rows = []
    for m in sample(all_mutants(), PER_KIND):
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
