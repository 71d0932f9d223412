"""Comparing the two versions as written: what is the same once codes are mapped,
and what changed in structure (added, removed, moved, of another kind).

`in_new_terms()` writes an old question, group or expression with the new
version's codes, so that "unchanged" is plain equality of the model's attrs
classes (spans and positions are not compared): a renamed question that is
otherwise the same compares equal, and so does a condition that only adds `.NAOK`.
"""

from __future__ import annotations

from typing import Any

import attrs

from qengine.diff.changes import CHANGED, Change
from qengine.diff.matching import Matching, items_of
from qengine.expr import ast
from qengine.model import Group, Question, Text, reads

#: how `logic_reads` names a question only the new version has
NEW_ONLY = "\0new:"


def in_new_terms(obj: Any, codes: dict[str, str], keep_texts: bool = True) -> Any:
    """`obj` (a model object or expression) with every question code read through
    `codes`; with `keep_texts` false, every text replaced by None (to compare logic
    alone)."""
    if isinstance(obj, ast.Var):
        q = obj.question
        if q in codes and codes[q] != q:
            return attrs.evolve(obj, name=codes[q] + obj.name[len(q):], question=codes[q])
        return obj
    if isinstance(obj, Text) and not keep_texts:
        return None
    if isinstance(obj, tuple):
        return tuple(in_new_terms(x, codes, keep_texts) for x in obj)
    if attrs.has(type(obj)):
        fields = {f.name: in_new_terms(getattr(obj, f.name), codes, keep_texts)
                  for f in attrs.fields(type(obj)) if f.eq and f.init}
        return attrs.evolve(obj, **fields)
    return obj


def logic_equal(old: Question, new: Question, m: Matching) -> bool:
    """Whether the two questions decide the same things once codes are mapped: kind,
    condition, options and rows with their conditions, bounds, validations,
    equation; texts left out."""
    mapped = in_new_terms(old, m.questions, keep_texts=False)
    mapped = attrs.evolve(mapped, code=new.code, number=new.number, group=m.groups.get(old.group, old.group))
    same: bool = mapped == in_new_terms(new, {}, keep_texts=False)
    return same


def own_changes(m: Matching) -> set[str]:
    """Old codes of matched questions whose own logic differs, or their group's."""
    out: set[str] = set()
    for a, b in m.questions.items():
        qo, qn = m.old.by_code[a], m.new.by_code[b]
        go, gn = m.old.groups_by_code[qo.group], m.new.groups_by_code[qn.group]
        same_group = (m.groups.get(go.code) == gn.code
                      and in_new_terms(go.condition, m.questions) == gn.condition)
        if not (same_group and logic_equal(qo, qn, m)):
            out.add(a)
    return out


def logic_reads(m: Matching) -> dict[str, set[str]]:
    """For each matched question (old code), what its logic and its group's read in
    either version: old codes, and `NEW_ONLY` + code for a question only the new
    version has."""
    out: dict[str, set[str]] = {}
    for a, b in m.questions.items():
        qo, qn = m.old.by_code[a], m.new.by_code[b]
        go, gn = m.old.groups_by_code[qo.group], m.new.groups_by_code[qn.group]
        out[a] = _reads(qo, go) | {m.back.get(r, NEW_ONLY + r) for r in _reads(qn, gn)}
    return out


def lacking(m: Matching) -> set[str]:
    """What one version lacks, as `logic_reads` names it."""
    return {NEW_ONLY + q.code for q in m.added()} | {q.code for q in m.removed()}


def unstable(m: Matching) -> set[str]:
    """Old codes of matched questions whose relevance, options, acceptance or value
    may differ between the versions: their own logic differs, or their group's,
    or they read (through any number of steps) a question that differs or that one
    version lacks."""
    out = own_changes(m)
    reads_of = logic_reads(m)
    missing = lacking(m)
    grew = True
    while grew:
        grew = False
        for a, read in reads_of.items():
            if a not in out and read & (out | missing):
                out.add(a)
                grew = True
    return out


def _reads(q: Question, group: Group) -> set[str]:
    exprs = [e for e in (q.condition, group.condition, q.formula) if e is not None]
    exprs += q.filters + [v.rule for v in q.validations]
    return reads(exprs) - {q.code}


def structural(m: Matching) -> list[Change]:
    """Added and removed questions, groups, options, rows and columns; questions of
    another kind; questions moved to another place; the survey's own texts."""
    out: list[Change] = []
    for q in m.removed():
        out.append(Change("removed", CHANGED, q.code, f"question '{q.code}' ({q.kind}) was removed"))
    for q in m.added():
        out.append(Change("added", CHANGED, q.code, f"question '{q.code}' ({q.kind}) was added"))
    taken = set(m.groups.values())
    out += [Change("removed", CHANGED, g.code, f"group '{g.code}' was removed")
            for g in m.old.groups if g.code not in m.groups]
    out += [Change("added", CHANGED, g.code, f"group '{g.code}' was added")
            for g in m.new.groups if g.code not in taken]
    for qo, qn in m.pairs():
        if qo.kind != qn.kind:
            out.append(Change("kind", CHANGED, qo.code, f"'{qo.code}' was {qo.kind}, is now {qn.kind}"))
            continue
        old_items, new_items = items_of(qo), items_of(qn)
        for role in sorted(old_items.keys() | new_items.keys()):
            before, after = old_items.get(role, {}), new_items.get(role, {})
            word = role[:-1]
            out += [Change("removed", CHANGED, qo.code, f"{word} '{c}' of '{qo.code}' was removed", item=c)
                    for c in before if c not in after]
            out += [Change("added", CHANGED, qo.code, f"{word} '{c}' of '{qo.code}' was added", item=c)
                    for c in after if c not in before]
            if [c for c in before if c in after] != [c for c in after if c in before]:
                out.append(Change("moved", CHANGED, qo.code, f"the {role} of '{qo.code}' are in another order"))
    out += _moved(m)
    for name in ("title", "welcome", "end"):
        if getattr(m.old, name) != in_new_terms(getattr(m.new, name), m.back):
            out.append(Change("wording", CHANGED, m.old.code, f"the survey's {name} text changed", item=name))
    if m.old.format != m.new.format:
        out.append(Change("layout", CHANGED, m.old.code,
                          f"pages are cut by {m.new.format} instead of {m.old.format}"))
    return out


def _moved(m: Matching) -> list[Change]:
    """Questions asked in another group, or in another order: those outside the
    longest run that keeps its order."""
    pairs = m.pairs()
    position = {q.code: i for i, q in enumerate(m.new.questions)}
    order = [position[qn.code] for _, qn in pairs]
    keep = _longest_increasing(order)
    out = []
    for i, (qo, qn) in enumerate(pairs):
        elsewhere = m.groups.get(qo.group) != qn.group
        if elsewhere or i not in keep:
            where = f"to group '{qn.group}'" if elsewhere else "to another place in the order"
            out.append(Change("moved", CHANGED, qo.code, f"'{qo.code}' was moved {where}"))
    return out


def _longest_increasing(seq: list[int]) -> set[int]:
    """Indices of a longest strictly increasing subsequence (patience sorting)."""
    import bisect

    tails: list[int] = []
    tail_at: list[int] = []
    parent = [-1] * len(seq)
    for i, x in enumerate(seq):
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
            tail_at.append(i)
        else:
            tails[k], tail_at[k] = x, i
        parent[i] = tail_at[k - 1] if k else -1
    out, i = set(), tail_at[-1] if tail_at else -1
    while i >= 0:
        out.add(i)
        i = parent[i]
    return out
