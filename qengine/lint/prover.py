"""Deciding questions about a survey with one z3 solver.

A `Goal` is a situation to look for ("question q is shown", "this condition is
false while its group is shown"...), asked on page k: pages before k passed
without problems, page k answered, later pages untouched. `Prover.decide()` answers
many goals with few solver calls:

1. goals that cannot depend on later pages are first asked of complete
   respondents (every page passed): one model usually shows many goals possible
   at once, so the solver is asked for "any of the remaining goals" until none is
   left or none is possible;
2. the goals still open are asked of what holds in every situation (the
   definitions alone): "impossible" there is impossible anywhere;
3. the rest are asked on their own page, in the same way as in 1.

The solver holds the survey once; pages and goals are switched by assumption
literals (each goal's formula is added once, behind a literal of its own). A
quantified goal is asked on its own: of a solver holding only what its formula
reaches in step 2, pushed and popped in step 3. A "possible" verdict carries its
witness, an answers file; when the constraints it rests on leave something
unmodelled, the witness is replayed through the runtime before it is believed, and
the verdict is "undecided" if it fails.

Every check is limited (`qengine.lint.limits`). A goal whose check answers
neither "sat" nor "unsat" is undecided, and is not asked again in a later step:
"unknown" is never read as a verdict.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property

import attrs
import z3

from qengine.errors import EvaluationError
from qengine.lint import limits
from qengine.lint.constraints import FALSE, Cond, conj, disj, holds
from qengine.lint.explore import explore
from qengine.lint.logic import SurveyLogic
from qengine.lint.replay import replay

POSSIBLE, IMPOSSIBLE, UNDECIDED = "possible", "impossible", "undecided"


@attrs.frozen(eq=False)
class Goal:
    key: tuple
    page: int
    cond: Cond
    reads: frozenset[str] = frozenset()  # questions the goal reads directly
    #: how to confirm a witness on the runtime (a predicate over the replayed session)
    confirm: Callable | None = None
    #: asked on its own, never batched (quantified formulas)
    alone: bool = False
    #: the confirmation also compares the runtime's values with the solver's model
    needs_model: bool = False


class Verdict:
    """The answer to a goal; a possible one knows its witness (computed on demand:
    most are never asked for)."""

    def __init__(self, status: str, reasons: frozenset[str] = frozenset(),
                 model: z3.ModelRef | None = None, witness_of: Callable | None = None):
        self.status = status
        self.reasons = reasons
        self.model = model
        self._witness_of = witness_of

    @cached_property
    def witness(self) -> dict | None:
        return self._witness_of() if self._witness_of is not None else None


@attrs.frozen(eq=False)
class PageConstraints:
    """One page as a respondent may leave it (`passed`), answer it (`current`) or not
    have reached it yet (`untouched`), and what these leave unmodelled."""

    passed: z3.BoolRef
    current: z3.BoolRef
    untouched: z3.BoolRef
    reasons: frozenset[str]
    out_of_order: bool


def page_constraints(logic: SurveyLogic) -> list[PageConstraints]:
    by_page: dict[int, list[str]] = defaultdict(list)
    for q in logic.survey.questions:
        by_page[logic.page_of[q.code]].append(q.code)
    out = []
    for j in range(len(logic.pages)):
        codes = by_page.get(j, [])
        forward = sorted(c for c in codes if c in logic.forward)
        reasons: set[str] = {f"'{c}' reads a question after it, answered later than the model assumes"
                             for c in forward}
        rules = [logic.rules(c) for c in codes]
        current = conj(*(r.formula for r in rules))
        reasons |= set().union(*(r.reasons for r in rules))
        if forward:
            # its checks ran before the later answers: not modelled, left out
            passed = current
        else:
            acc = [logic.accept(c) for c in codes]
            passed = conj(*(a.formula for a in acc))
            reasons |= set().union(*(a.reasons for a in acc))
        untouched = conj(*(logic.initial(c) for c in codes))
        out.append(PageConstraints(passed, current, untouched, frozenset(reasons), bool(forward)))
    return out


def typed(logic: SurveyLogic) -> list[z3.BoolRef]:
    """The ranges of every answer variable."""
    return [logic.typed(c) for c in logic.domains]


class Prover:
    def __init__(self, logic: SurveyLogic):
        self.logic = logic
        self.solver = limits.solver(logic.survey)
        self.solver.add(*typed(logic), *logic.definitions)
        # only what holds in every situation: "impossible" there is impossible anywhere
        self.relaxed = limits.solver(logic.survey)
        self.relaxed.add(*typed(logic), *logic.definitions)
        self._literals: dict[int, dict[tuple, z3.BoolRef]] = {}
        self._rounds = itertools.count()
        pages = page_constraints(logic)
        n = len(pages)
        self.passed = [z3.Bool(f"passed{j}") for j in range(n)]
        self.untouched = [z3.Bool(f"untouched{j}") for j in range(n)]
        self.current = [z3.Bool(f"current{j}") for j in range(n)]
        for j, page in enumerate(pages):
            before = self.passed[j - 1] if j else z3.BoolVal(True)
            after = self.untouched[j + 1] if j + 1 < n else z3.BoolVal(True)
            self.solver.add(z3.Implies(self.passed[j], z3.And(page.passed, before)))
            self.solver.add(z3.Implies(self.untouched[j], z3.And(page.untouched, after)))
            self.solver.add(z3.Implies(self.current[j], page.current))
        # what a goal on page k rests on: pages 0..k
        self.context_reasons: list[frozenset[str]] = []
        acc: frozenset[str] = frozenset()
        for page in pages:
            acc = acc | page.reasons
            self.context_reasons.append(acc)
        self.first_flagged = next((j for j, p in enumerate(pages) if p.out_of_order), n)
        self.prefer = z3.Bool("prefer")
        self.solver.add(z3.Implies(self.prefer, conj(*(d.preferred() for d in logic.domains.values()))))

    # ------------------------------------------------------------ contexts
    def context(self, page: int) -> list[z3.BoolRef]:
        out = [self.current[page]]
        if page:
            out.append(self.passed[page - 1])
        if page + 1 < len(self.passed):
            out.append(self.untouched[page + 1])
        return out

    def complete(self) -> list[z3.BoolRef]:
        return [self.passed[-1]] if self.passed else []

    # ------------------------------------------------------------ deciding
    def decide(self, goals: Iterable[Goal]) -> dict[tuple, Verdict]:
        goals = list(goals)
        by_key = {g.key: g for g in goals}
        verdicts = {key: Verdict(POSSIBLE, witness_of=witness_of)
                    for key, witness_of in explore(self.logic, goals).items()}
        found: dict[tuple, tuple[str, z3.ModelRef | None]] = {}
        rest = [g for g in goals if g.key not in verdicts]
        # 1. complete respondents: their models are witnesses for early goals
        early = [g for g in rest if not g.alone and self._answerable_complete(g)]
        found.update((k, r) for k, r in self._batch(early, self.complete(), singly=False).items()
                     if r[0] == "sat")
        complete = set(found)
        # 2. only what holds in every situation: "impossible" there is impossible anywhere;
        #    a goal the solver gives up on here is not asked again
        unsure = [g for g in rest if g.key not in found]
        for g in unsure:
            if g.alone and self._impossible_anywhere(g):
                found[g.key] = ("unsat", None)
        found.update((k, r) for k, r in self._batch([g for g in unsure if not g.alone], [], self.relaxed).items()
                     if r[0] != "sat")
        # 3. the rest, each on its own page
        by_page: dict[int, list[Goal]] = defaultdict(list)
        for g in rest:
            if g.key not in found:
                by_page[g.page].append(g)
        for page in sorted(by_page):
            context = self.context(page)
            found.update(self._batch([g for g in by_page[page] if not g.alone], context))
            found.update((g.key, self._single(g, context)) for g in by_page[page] if g.alone)
        verdicts.update((key, self._verdict(by_key[key], *result, complete=key in complete))
                        for key, result in found.items())
        return {g.key: verdicts[g.key] for g in goals}

    def possible_with(self, goal: Goal, also: z3.BoolRef) -> str:
        """Whether `goal` is still possible on its page when `also` holds too
        (POSSIBLE, IMPOSSIBLE, or UNDECIDED when the solver gives up): how lint
        tells what a finding rests on, such as a question left blank (R140's "only
        because 'x' may be left blank"). IMPOSSIBLE is a proof, as in `decide`."""
        s = self.solver
        s.push()
        s.add(goal.cond.formula, also)
        result = s.check(*self.context(goal.page))
        s.pop()
        return POSSIBLE if result == z3.sat else IMPOSSIBLE if result == z3.unsat else UNDECIDED

    def _answerable_complete(self, goal: Goal) -> bool:
        """Whether a complete respondent's answers up to the goal's page make a
        witness for it: nothing it rests on reads a later page."""
        if goal.page >= self.first_flagged:
            return False
        return all(self.logic.cone_page.get(r, 0) <= goal.page for r in goal.reads)

    def _impossible_anywhere(self, goal: Goal) -> bool:
        """Whether a quantified goal fails in every situation, asked of a solver of its
        own holding what its formula reaches: the definitions of the names it reads
        (and of those these read) and the ranges of the answers among them. Leaving
        the rest out keeps "unsat" a proof; and quantifier instantiation over the
        whole survey can take seconds where this takes milliseconds."""
        s = limits.solver(self.logic.survey)
        s.add(goal.cond.formula)
        seen: set[int] = set()
        stack = [goal.cond.formula]
        while stack:
            e = stack.pop()
            if e.get_id() in seen:
                continue
            seen.add(e.get_id())
            if z3.is_quantifier(e):
                stack.append(e.body())
            elif z3.is_const(e):
                definition = self._definitions.get(e.get_id())
                if definition is not None:
                    s.add(definition)
                    stack.append(definition.arg(1))
                elif e.get_id() in self._typed:
                    s.add(self._typed[e.get_id()])
            else:
                stack.extend(e.children())
        return s.check() == z3.unsat

    @cached_property
    def _definitions(self) -> dict[int, z3.BoolRef]:
        """Each definition of `SurveyLogic.definitions` by the id of the name it defines."""
        return {d.arg(0).get_id(): d for d in self.logic.definitions}

    @cached_property
    def _typed(self) -> dict[int, z3.BoolRef]:
        """The range of each answer variable's question, by the variable's id."""
        return {v.get_id(): self.logic.typed(code)
                for code, d in self.logic.domains.items() for v in d.variables}

    def _literal(self, goal: Goal, solver) -> z3.BoolRef:
        """A literal standing for the goal in `solver`: each goal's formula is added
        (and internalised by z3) once, asked for by assumption afterwards."""
        table = self._literals.setdefault(id(solver), {})
        if goal.key not in table:
            table[goal.key] = lit = z3.Bool(f"goal{len(table)}_{id(solver) % 1000}")
            solver.add(z3.Implies(lit, goal.cond.formula))
        return table[goal.key]

    def _batch(self, goals: list[Goal], assumptions, solver=None, singly: bool = True
               ) -> dict[tuple, tuple[str, z3.ModelRef | None]]:
        """Decide many goals with few solver calls: each round asks for any one of the
        remaining goals (a fresh literal stands for their disjunction), and its model
        settles every goal it satisfies; "none" settles them all as impossible.
        Asking for all of them at once instead fails on every pair that excludes each
        other (a condition and its negation), at the cost of a check each time.
        When the solver gives up on a round, the goals left are asked one by one
        (`singly`), or all left "unknown": of complete respondents, a hard page
        anywhere makes every round hard, and the goals are better asked on their own
        pages than one by one of the same hard context."""
        out: dict[tuple, tuple[str, z3.ModelRef | None]] = {}
        s = solver or self.solver
        remaining = [g for g in goals if g.cond.formula is not FALSE]
        out.update((g.key, ("unsat", None)) for g in goals if g.cond.formula is FALSE)
        while remaining:
            any_goal = z3.Bool(f"any{next(self._rounds)}")
            s.add(z3.Implies(any_goal, disj(*(self._literal(g, s) for g in remaining))))
            result, model = self._check([*assumptions, any_goal], s)
            if result == z3.unsat:
                out.update((g.key, ("unsat", None)) for g in remaining)
                break
            hit = [g for g in remaining if holds(model, g.cond.formula)] if result == z3.sat else []
            if not hit:  # the solver gave up
                out.update((g.key, self._single(g, assumptions, s) if singly else ("unknown", None))
                           for g in remaining)
                break
            out.update((g.key, ("sat", model)) for g in hit)
            remaining = [g for g in remaining if g.key not in out]
        return out

    def _single(self, goal: Goal, assumptions, solver=None) -> tuple[str, z3.ModelRef | None]:
        s = solver or self.solver
        if goal.alone:  # quantified: kept out of the solver once decided
            s.push()
            s.add(goal.cond.formula)
            result, model = self._check(assumptions, s)
            s.pop()
        else:
            result, model = self._check([*assumptions, self._literal(goal, s)], s)
        return str(result), model

    def _check(self, assumptions, solver) -> tuple[z3.CheckSatResult, z3.ModelRef | None]:
        """Check, preferring witnesses the runtime cannot doubt (`Domain.preferred`).
        A check over its limits (`qengine.lint.limits`) answers unknown, and is not
        asked again without the preference: the goal is then undecided."""
        if solver is self.relaxed:
            result = solver.check(*assumptions)
        else:
            result = solver.check(*assumptions, self.prefer)
            if result == z3.unsat:
                result = solver.check(*assumptions)
        return result, solver.model() if result == z3.sat else None

    def _verdict(self, goal: Goal, status: str, model, complete: bool = False) -> Verdict:
        """The verdict of a solver's answer; the witness of a complete respondent's
        model (step 1) answers every page, so that `qengine play` submits it."""
        reasons = goal.cond.reasons | self.context_reasons[goal.page]
        if status == "unsat":
            return Verdict(IMPOSSIBLE, reasons)
        if status != "sat":
            return Verdict(UNDECIDED, reasons | {limits.GAVE_UP})
        last_page = len(self.passed) - 1 if complete else goal.page
        verdict = Verdict(POSSIBLE, reasons, model, lambda: self.logic.witness(model, last_page))
        if reasons:
            witness = verdict.witness
            session = replay(self.logic.survey, witness, goal.page) if witness is not None else None
            if session is None or goal.confirm is None or not _confirmed(goal, session, model):
                return Verdict(UNDECIDED, reasons)
        return verdict


def _confirmed(goal: Goal, session, model) -> bool:
    """Whether the runtime agrees with the solver's situation (confirmations that
    compare values also get the model)."""
    confirm = goal.confirm
    if confirm is None:  # nothing to confirm with (the caller asks only when there is)
        return False
    try:
        return confirm(session, model) if goal.needs_model else confirm(session)
    except EvaluationError:
        return False
