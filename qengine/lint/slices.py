"""Slices: the part of a survey's logic that a question about one page needs.

A goal on page k ("q is shown", "this option is never offered"...) is asked of
respondents who passed pages 0..k-1, are filling in page k, and have not reached
the pages after it. Over the whole survey that is one formula per question: its
*role* (`passed`: what it holds passes its page; `current`: an answer the page
takes; `untouched`: its starting value) with its range and its named facts. Asking
the solver about all of it for every goal costs the size of the survey per check,
hence lint's growth with the square of the survey. A slice asks about less, and
stays exact:

- the questions the goal's formula reads, and everything their relevance,
  options, checks and values depend on (their cone, `SurveyLogic.inputs`): a set
  closed under what its formulas read;
- every question whose role may have *no* answer in some situation (a mandatory
  question whose options can all be filtered away, a validation that reads
  another answer...), with its cone: such a question constrains what the
  respondents before it can have answered, wherever it is.

Every other question is *free*: whatever the answers it reads, some answer of its
own fulfils its role, proved once per question and role by the solver (with every
named fact and every other answer left open, which only makes the proof harder).
A free question outside the slice reads questions of the slice or other free
questions and is read by no formula of the slice; so any solution of the slice
extends, question after question in survey order, to a solution of the whole: a
slice is satisfiable exactly when the whole survey is. "Impossible" on a slice is
therefore a proof, and "possible" is a fact whose witness is completed by giving
each free question outside the slice an answer its page takes (`Prover`).

A role that leaves something unmodelled (reasons) is never taken as free: its
question is kept in every slice, and its reasons go with the verdicts.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

import z3
from z3 import z3core

from qengine.lint import limits
from qengine.lint.constraints import FALSE, TRUE, Cond
from qengine.lint.logic import SurveyLogic, forward_reason
from qengine.lint.progress import SILENT, Progress
from qengine.model import reads

PASSED, CURRENT, UNTOUCHED = "passed", "current", "untouched"


def _proved(s: z3.Solver, formula: z3.BoolRef, own: list[z3.ExprRef]) -> bool:
    """Whether for every value of its other constants, some value of `own` makes
    `formula` true: no counter-example exists (a check given up on is no proof)."""
    s.push()
    if own:
        copies = [z3.FreshConst(v.sort(), "own") for v in own]
        s.add(z3.ForAll(copies, z3.Not(z3.substitute(formula, *zip(own, copies, strict=True)))))
    else:
        s.add(z3.Not(formula))
    result = s.check()
    s.pop()
    return result == z3.unsat


def _substitute(formula: z3.BoolRef, pairs: list[tuple[z3.ExprRef, z3.ExprRef]]) -> z3.BoolRef:
    """`z3.substitute()` through z3's C API: z3py compares the sorts of every pair in
    Python, the better part of a proof of freedom (the pairs are made here, each of
    one sort)."""
    if not pairs:
        return formula
    old = (z3.Ast * len(pairs))(*(a.as_ast() for a, _ in pairs))
    new = (z3.Ast * len(pairs))(*(b.as_ast() for _, b in pairs))
    ctx = formula.ctx
    return z3.BoolRef(z3core.Z3_substitute(ctx.ref(), formula.as_ast(), len(pairs), old, new), ctx)


class Slicer:
    """The slices of one survey's logic, with what they share computed once: each
    question's cone, its roles and whether each is free."""

    def __init__(self, logic: SurveyLogic, progress: Progress = SILENT):
        self.logic = logic
        self.progress = progress
        self.survey = logic.survey
        self.position = {q.code: i for i, q in enumerate(self.survey.questions)}
        by_page: dict[int, list[str]] = {}
        for q in self.survey.questions:
            by_page.setdefault(logic.page_of[q.code], []).append(q.code)
        #: pages holding a question that reads a later one: its checks ran before the
        #: later answers, which the model does not follow; passing it is left out, and
        #: every verdict that rests on it is replayed (its reasons)
        self.flagged: dict[int, frozenset[str]] = {
            j: frozenset(forward_reason(c) for c in codes if c in logic.forward)
            for j, codes in by_page.items() if any(c in logic.forward for c in codes)}
        self._roles: dict[tuple[str, str], Cond] = {}
        self._free: dict[tuple[str, str], bool] = {}
        self._shapes: dict[int, tuple[z3.BoolRef, bool]] = {}
        self._names: dict[tuple, z3.ExprRef] = {}
        self._blanks: dict[str, list[tuple[z3.ExprRef, z3.ExprRef]]] = {}
        #: one solver for the small proofs about single questions, pushed and popped
        self._scratch = limits.solver(self.survey)
        self._nonfree: dict[str, list[str]] | None = None

    # ------------------------------------------------------------ roles
    def role(self, code: str, page: int) -> str:
        """The role of question `code` for a goal on `page`."""
        own = self.logic.page_of[code]
        return PASSED if own < page else CURRENT if own == page else UNTOUCHED

    def constraint(self, code: str, role: str) -> Cond:
        """What question `code` holds in `role`: its range, and passing its page
        (passed), an answer its page takes (current) or its starting value
        (untouched)."""
        key = (code, role)
        if key not in self._roles:
            logic = self.logic
            typed = Cond(logic.typed(code))
            if role == UNTOUCHED:
                cond = typed & Cond(logic.initial(code))
            elif role == CURRENT or logic.page_of[code] in self.flagged:
                cond = typed & logic.rules(code)
            else:
                cond = typed & logic.accept(code)
            if role == PASSED and logic.page_of[code] in self.flagged:
                cond = Cond(cond.formula, cond.reasons | self.flagged[logic.page_of[code]])
            self._roles[key] = cond
        return self._roles[key]

    def free(self, code: str, role: str) -> bool:
        """Whether some answer of `code` always fulfils `role`, whatever everything
        else holds (proved: a check the solver gives up on says no)."""
        key = (code, role)
        if key not in self._free:
            self._free[key] = self._proved_free(code, self.constraint(code, role))
        return self._free[key]

    def _proved_free(self, code: str, cond: Cond) -> bool:
        if cond.reasons or cond.formula is FALSE or code in self._reads_itself:
            return False
        if cond.formula is TRUE or z3.is_true(z3.simplify(_substitute(cond.formula, self._blank(code)))):
            return True  # its starting value (blank, mostly) always does
        # Questions alike have roles alike: the proof is made once per shape (the
        # formula with the constants it may name renamed in a fixed order).
        shape, own = self._shape(code, cond.formula)
        if shape.get_id() not in self._shapes:
            self._shapes[shape.get_id()] = (shape, _proved(self._scratch, shape, own))
        return self._shapes[shape.get_id()][1]

    def _blank(self, code: str) -> list[tuple[z3.ExprRef, z3.ExprRef]]:
        """The starting value of `code`'s answer, as a substitution of its variables."""
        if code not in self._blanks:
            d = self.logic.domains[code]
            s = self._scratch
            s.push()
            s.add(d.typed(), self.logic.initial(code))
            model = s.model() if d.variables and s.check() == z3.sat else None
            s.pop()
            self._blanks[code] = [] if model is None else [(v, model.eval(v, model_completion=True))
                                                           for v in d.variables]
        return self._blanks[code]

    def _shape(self, code: str, formula: z3.BoolRef) -> tuple[z3.BoolRef, list[z3.ExprRef]]:
        """`formula` (a role of `code`) with the constants it may name renamed, one to
        one, own answers apart from the rest, in an order fixed by the question: its
        own answers, its facts and its group's, then the answers and facts of what it
        reads. Two roles of the same shape are renamings of each other, so the same
        proof holds for both (a constant left out of the renaming, such as an
        unknown, keeps its own name: shapes then differ, which costs a proof, never
        a wrong one)."""
        logic = self.logic
        own = list(logic.domains[code].variables)
        others: list[z3.ExprRef] = []
        for c in (code, *sorted(self.logic.direct[code])):
            if c != code:
                others.extend(logic.domains[c].variables)
            group = self.survey.by_code[c].group
            others.extend(d.arg(0) for d in (*logic.facts(("question", c)), *logic.facts(("group", group))))
        pairs = [(v, self._canonical("own", i, v.sort())) for i, v in enumerate(own)]
        pairs += [(v, self._canonical("other", i, v.sort())) for i, v in enumerate(others)]
        return _substitute(formula, pairs), [new for _, new in pairs[:len(own)]]

    def _canonical(self, kind: str, i: int, sort: z3.SortRef) -> z3.ExprRef:
        key = (kind, i, sort.get_id())
        if key not in self._names:
            self._names[key] = z3.Const(f"{kind}!{i}!{sort}", sort)
        return self._names[key]

    @cached_property
    def _reads_itself(self) -> frozenset[str]:
        """Questions whose facts may depend on their own answer (a condition that
        reads its own question, directly or through others): the facts are then not
        independent of the answer chosen, and no freedom is proved for them."""
        logic = self.logic
        out = set()
        for q in self.survey.questions:
            conditions = [c for c in (q.condition, *(i.condition for i in q.items)) if c is not None]
            if q.code in reads(conditions) or q.code in logic.inputs(logic.direct[q.code]):
                out.add(q.code)
        return frozenset(out)

    def nonfree(self) -> dict[str, list[str]]:
        """For each role, the questions not free in it, in survey order."""
        if self._nonfree is None:
            self.progress.phase("questions proved free", len(self.survey.questions))
            out: dict[str, list[str]] = {PASSED: [], CURRENT: [], UNTOUCHED: []}
            for q in self.survey.questions:
                for role, codes in out.items():
                    if not self.free(q.code, role):
                        codes.append(q.code)
                self.progress.advance()
            self._nonfree = out
        return self._nonfree

    # ------------------------------------------------------------ slices
    def reads(self, formula: z3.ExprRef) -> set[str]:
        """The questions whose answers or facts `formula` names (not through the
        facts' definitions: the cone of each question covers those)."""
        anchors = self.logic.anchors
        out: set[str] = set()
        seen: set[int] = set()
        stack = [formula]
        while stack:
            e = stack.pop()
            i = e.get_id()
            if i in seen:
                continue
            seen.add(i)
            if z3.is_const(e):
                anchor = anchors.get(i)
                if anchor is not None:
                    out.add(anchor)
            elif z3.is_quantifier(e):
                stack.append(e.body())
            else:
                stack.extend(e.children())
        return out

    def slice(self, codes: Iterable[str], page: int) -> list[str]:
        """The questions a goal on `page` reading `codes` must be asked with, in
        survey order: their cones, and every question not free in its role with
        its cone."""
        out: set[str] = set()
        for c in codes:
            out |= self.logic.cone(c)
        nonfree = self.nonfree()
        for role in (PASSED, CURRENT, UNTOUCHED):
            for c in nonfree[role]:
                if self.role(c, page) == role and c not in out:
                    out |= self.logic.cone(c)
        return sorted(out, key=self.position.__getitem__)

    def reasons(self, within: frozenset[str], page: int) -> frozenset[str]:
        """What the roles of the slice `within` leave unmodelled on pages up to `page`
        (looked for among the few questions whose roles leave anything)."""
        out: set[str] = set()
        for c in self._unmodelled:
            if c in within and self.logic.page_of[c] <= page:
                out |= self.constraint(c, self.role(c, page)).reasons
        return frozenset(out)

    @cached_property
    def _unmodelled(self) -> list[str]:
        """The questions one of whose roles leaves something unmodelled."""
        return [q.code for q in self.survey.questions
                if any(self.constraint(q.code, role).reasons for role in (PASSED, CURRENT, UNTOUCHED))]
