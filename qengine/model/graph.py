"""The dependency graph of a survey's expressions.

Nodes are facts the runtime computes, one of four kinds:

- ``("group", G)``: whether group G is relevant (its condition);
- ``("rel", Q)``: whether question Q is shown (group, then own condition);
- ``("val", Q)``: the value expressions read for Q (its answer while shown, with
  hidden options and rows filtered out; an equation's computed value);
- ``("view", Q)``: Q's wording, visible options and rows, and validation errors.

An edge runs from what is read to what reads it. Reading `x` reads ``("val", x)``,
`x.visible` reads ``("rel", x)``, `x.shown` reads ``("val", x)`` and
``("view", x)`` (labels can be dynamic), `x.question` reads ``("view", x)`` (the
view's inputs are what its wording reads), `x.type` reads nothing (it never changes). Splitting a question into these facts keeps
ordinary surveys acyclic: a question's wording may read a later question whose
condition reads the first one's answer.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from qengine.errors import Diagnostic
from qengine.expr import ast
from qengine.model import Survey

Node = tuple[str, str]


def _read_nodes(exprs: Iterable[ast.Expr], out: set[Node]) -> frozenset[Node]:
    """`out` and the facts that `exprs` read."""
    for e in exprs:
        for v in ast.variables(e):
            if v.question is None:
                continue
            if v.attr == "visible":
                out.add(("rel", v.question))
            elif v.attr == "question":
                out.add(("view", v.question))
            elif v.attr != "type":
                out.add(("val", v.question))
                if v.attr == "shown":
                    out.add(("view", v.question))
    return frozenset(out)


@attrs.frozen
class DependencyGraph:
    inputs: dict[Node, frozenset[Node]]
    dependents: dict[Node, tuple[Node, ...]]
    order: tuple[Node, ...]  # a topological order (empty when the graph has a cycle)
    index: dict[Node, int]

    @classmethod
    def build(cls, survey: Survey) -> DependencyGraph:
        inputs: dict[Node, frozenset[Node]] = {}
        for g in survey.groups:
            inputs[("group", g.code)] = _read_nodes([g.condition] if g.condition else [], set())
        for q in survey.questions:
            rel, val = ("rel", q.code), ("val", q.code)
            filters = q.filters
            inputs[rel] = _read_nodes([q.condition] if q.condition is not None else [], {("group", q.group)})
            inputs[val] = _read_nodes(filters if q.formula is None else [*filters, q.formula], {rel})
            view_reads = [e for t in q.texts for e in t.expressions]
            view_reads += [v.rule for v in q.validations] + filters
            inputs[("view", q.code)] = _read_nodes(view_reads, {rel, val})
        dependents: dict[Node, list[Node]] = {n: [] for n in inputs}
        for node, ins in inputs.items():
            for i in ins:
                dependents.setdefault(i, []).append(node)
        order = _topological(inputs, dependents)
        return cls(inputs, {k: tuple(v) for k, v in dependents.items()}, order,
                   {n: i for i, n in enumerate(order)})

    def downstream(self, changed: Iterable[Node]) -> list[Node]:
        """Every node depending on `changed`, transitively, in topological order."""
        seen: set[Node] = set()
        stack = list(changed)
        while stack:
            for d in self.dependents.get(stack.pop(), ()):
                if d not in seen:
                    seen.add(d)
                    stack.append(d)
        return sorted(seen, key=self.index.__getitem__)

    def questions_read_by(self, node: Node) -> set[str]:
        return {q for _, q in self.inputs.get(node, ()) if _ != "group"}


def _topological(inputs, dependents) -> tuple[Node, ...]:
    remaining = {n: len(ins) for n, ins in inputs.items()}
    ready = [n for n, k in remaining.items() if k == 0]
    order = []
    while ready:
        n = ready.pop()
        order.append(n)
        for d in dependents.get(n, ()):
            remaining[d] -= 1
            if remaining[d] == 0:
                ready.append(d)
    return tuple(order) if len(order) == len(inputs) else ()


def _strongly_connected(inputs) -> list[list[Node]]:
    """Tarjan's algorithm, iterative; components with a cycle only."""
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    on_stack: set[Node] = set()
    stack: list[Node] = []
    out: list[list[Node]] = []
    counter = 0
    for root in inputs:
        if root in index:
            continue
        work = [(root, iter(sorted(inputs.get(root, ()))))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(inputs.get(nxt, ())))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    n = stack.pop()
                    on_stack.discard(n)
                    comp.append(n)
                    if n == node:
                        break
                if len(comp) > 1 or node in inputs.get(node, ()):
                    out.append(comp)
    return out


def _cycle_path(comp: list[Node], inputs) -> list[Node]:
    """One concrete cycle through a strongly connected component."""
    members = set(comp)
    start = min(comp)
    path, seen, node = [start], {start}, start
    while True:
        nxt = min(n for n in inputs[node] if n in members)
        if nxt in seen:
            return path[path.index(nxt):] + [nxt]
        path.append(nxt)
        seen.add(nxt)
        node = nxt


_WHAT = {"group": "the condition of group", "rel": "the condition of", "val": "the value of",
         "view": "the wording or validation of"}


def find_cycles(survey: Survey) -> list[Diagnostic]:
    graph = survey.graph
    if graph.order:
        return []
    diagnostics = []
    spans = {q.code: q.span for q in survey.questions} | {g.code: g.span for g in survey.groups}
    for comp in _strongly_connected(graph.inputs):
        path = _cycle_path(comp, graph.inputs)
        steps = " -> ".join(f"{_WHAT[k]} '{c}'" for k, c in path)
        names = sorted({c for _, c in comp})
        message = (f"'{names[0]}' depends on itself" if len(names) == 1 else
                   f"circular dependency between {', '.join(repr(n) for n in names)}")
        diagnostics.append(Diagnostic(
            "E220", message,
            spans[path[0][1]], f"{steps}: none of them can be computed first"))
    return diagnostics
