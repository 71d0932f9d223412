"""Deciding questions about a survey with the z3 solver.

A `Goal` is a situation to look for ("question q is shown", "this condition is
false while its group is shown"...), asked on page k: pages before k passed
without problems, page k answered, later pages untouched. `Prover.decide()` answers
many goals with few solver calls:

1. random respondents walk through the runtime (`qengine.lint.explore`): what
   they meet is possible, with a witness exact by construction;
2. the goals left are asked page by page, each page's goals of one slice
   (`qengine.lint.slices`): the questions they read with their cones, and every
   question not proved free. A verdict on the slice is the verdict on the whole
   survey, at a cost that follows the slice. The solver is asked for "any of the
   remaining goals" until none is left or none is possible: one model usually
   settles several goals.

One solver carries the slices of successive pages (`_Store`): facts are held as
they are, roles and goals behind literals, assumed for the slice asked about.
A quantified goal is asked on its own: of a solver holding only what its formula
reaches, then pushed and popped on its page. A "possible" verdict carries its
witness, an answers file: the slice's answers, completed on the runtime (and
walked on to submission when it can be); when the constraints it rests on leave
something unmodelled, the witness is replayed before it is believed, and the
verdict is "undecided" if the replay does not confirm it.

Every check is limited (`qengine.lint.limits`). A goal whose check answers
neither "sat" nor "unsat" is undecided: "unknown" is never read as a verdict.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cached_property

import attrs
import z3
from z3 import z3core

from qengine.errors import EvaluationError
from qengine.lint import limits
from qengine.lint.constraints import FALSE, TRUE, Cond, disj, holds
from qengine.lint.explore import complete, explore
from qengine.lint.logic import SurveyLogic
from qengine.lint.progress import SILENT, Progress
from qengine.lint.replay import replay
from qengine.lint.slices import Slicer

POSSIBLE, IMPOSSIBLE, UNDECIDED = "possible", "impossible", "undecided"
#: walks that try to complete a slice's witness to the end of the survey
_TRIES = 3


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
    #: whether the witness of a possible verdict may be asked for: the solver's model
    #: is kept for it (a model of a long survey is large, and most are never used)
    witnessed: bool = True


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


class Prover:
    def __init__(self, logic: SurveyLogic, progress: Progress = SILENT, jobs: int = 1):
        self.logic = logic
        self.progress = progress
        self.jobs = jobs
        self.slicer = Slicer(logic, progress)
        self._store = _Store(self)
        self._rounds = itertools.count()

    # ------------------------------------------------------------ deciding
    def decide(self, goals: Iterable[Goal]) -> dict[tuple, Verdict]:
        goals = list(goals)
        verdicts = {key: Verdict(POSSIBLE, witness_of=witness_of)
                    for key, witness_of in explore(self.logic, goals, progress=self.progress).items()}
        by_page: dict[int, list[Goal]] = defaultdict(list)
        for g in goals:
            if g.key not in verdicts:
                by_page[g.page].append(g)
        if by_page:
            self.slicer.nonfree()  # proved before the pages, with a progress of its own
        self.progress.phase("solving, page by page", len(by_page))
        if self.jobs > 1 and len(by_page) > 1 and "fork" in multiprocessing.get_all_start_methods():
            verdicts.update(self._decide_in_processes(by_page))
        else:
            for page in sorted(by_page):
                verdicts.update(self._decide_page(page, by_page[page]))
                self.progress.advance()
        return {g.key: verdicts[g.key] for g in goals}

    def _decide_in_processes(self, by_page: dict[int, list[Goal]]) -> dict[tuple, Verdict]:
        """The pages shared among `jobs` processes, in runs of consecutive pages (whose
        slices are alike). z3's terms cannot be sent to another process, so the
        workers are forked from this one, the survey's logic and goals in hand, and
        send back statuses and reasons. A possible verdict whose witness or model may
        be asked for is decided again here, where its model can live (they are few:
        the reach rules' possible findings)."""
        pages = sorted(by_page)
        size = max(1, len(pages) // (4 * self.jobs))
        runs = [pages[i:i + size] for i in range(0, len(pages), size)]
        global _FORKED
        _FORKED = (self, by_page, runs)
        out: dict[tuple, Verdict] = {}
        again: dict[int, list[Goal]] = defaultdict(list)
        goal_of = {g.key: g for goals in by_page.values() for g in goals}
        try:
            with multiprocessing.get_context("fork").Pool(self.jobs) as pool:
                for run, decided in pool.imap_unordered(_decide_run, range(len(runs))):
                    for key, (status, reasons) in decided.items():
                        g = goal_of[key]
                        if status == POSSIBLE and (g.witnessed or g.needs_model):
                            again[g.page].append(g)
                        else:
                            out[key] = Verdict(status, reasons)
                    self.progress.advance(len(runs[run]))
        finally:
            _FORKED = None
        for page in sorted(again):
            out.update(self._decide_page(page, again[page]))
        return out

    def _decide_page(self, page: int, goals: list[Goal]) -> dict[tuple, Verdict]:
        """The goals of one page, asked of one slice: what they all read. A solver
        out of its memory (`limits.MAX_MEMORY`) leaves them undecided, and the next
        page starts from a fresh solver."""
        try:
            part = self._slice(set().union(*(self.slicer.reads(g.cond.formula) for g in goals)), page)
            found = part.batch([g for g in goals if not g.alone])
            for g in goals:
                if g.alone:
                    found[g.key] = ("unsat", None) if self._impossible_anywhere(g) else part.single(g)
            return {g.key: self._verdict(g, *found[g.key], part) for g in goals}
        except z3.Z3Exception as err:
            if "memory" not in str(err):
                raise
            self._store = _Store(self)
            return {g.key: Verdict(UNDECIDED, g.cond.reasons | {limits.GAVE_UP}) for g in goals}

    def _slice(self, reads: set[str], page: int) -> _Slice:
        return self._store.slice(self.slicer.slice(reads, page), page)

    def possible_with(self, goal: Goal, also: z3.BoolRef) -> str:
        """Whether `goal` is still possible on its page when `also` holds too
        (POSSIBLE, IMPOSSIBLE, or UNDECIDED when the solver gives up): how lint
        tells what a finding rests on, such as a question left blank (R140's "only
        because 'x' may be left blank"). IMPOSSIBLE is a proof, as in `decide`."""
        reads = self.slicer.reads(goal.cond.formula) | self.slicer.reads(also)
        part = self._slice(reads, goal.page)
        result, _ = part.check([part.literal(goal), part.store.literal(("also", also.get_id()), also)])
        return POSSIBLE if result == z3.sat else IMPOSSIBLE if result == z3.unsat else UNDECIDED

    def _impossible_anywhere(self, goal: Goal) -> bool:
        """Whether a quantified goal fails in every situation, asked of a solver of its
        own holding what its formula reaches: the facts and ranges of the questions
        it reads and of their cones, without their roles. Leaving the rest out keeps
        "unsat" a proof; and quantifier instantiation over the whole survey can take
        seconds where this takes milliseconds."""
        logic, slicer = self.logic, self.slicer
        cone = logic.inputs(slicer.reads(goal.cond.formula))
        formulas = [goal.cond.formula, *(logic.typed(c) for c in cone), *logic.facts_of(cone, set())]
        s = limits.solver(logic.survey)
        assert_all(s, formulas)
        return s.check() == z3.unsat

    def _verdict(self, goal: Goal, status: str, model, part: _Slice) -> Verdict:
        """The verdict of a solver's answer on a slice; a possible one's witness is
        the slice's answers, completed on the runtime (`_witness`)."""
        reasons = goal.cond.reasons | part.reasons
        if status == "unsat":
            return Verdict(IMPOSSIBLE, reasons)
        if status != "sat":
            return Verdict(UNDECIDED, reasons | {limits.GAVE_UP})
        within = part.within  # not the slice: its solver is let go after its page
        verdict = Verdict(POSSIBLE, reasons, model, lambda: self._witness(goal, model, within))
        if reasons:
            witness = verdict.witness
            session = replay(self.logic.survey, witness, goal.page) if witness is not None else None
            if session is None or goal.confirm is None or not _confirmed(goal, session, model):
                return Verdict(UNDECIDED, reasons)
        return verdict if goal.witnessed else Verdict(POSSIBLE, reasons)

    def _witness(self, goal: Goal, model: z3.ModelRef, within: frozenset[str]) -> dict | None:
        """The answers file of a slice's model: the slice's questions answered as the
        model says, the others on the runtime with answers their pages take (there
        are such answers: they are free, `qengine.lint.slices`), then on to the end
        of the survey. When no such walk submits, a complete respondent is asked of
        the solver (every page passed); when the runtime does not confirm the goal,
        the goal is asked of the whole survey, whose model answers every question."""
        logic = self.logic

        def met(session) -> bool:
            return goal.confirm is None or _confirmed(goal, session, model)

        fixed = logic.witness(model, goal.page, within)
        first = None
        for seed in range(_TRIES):
            answers, submitted = complete(logic, fixed, within, goal.page, goal.page, met, seed)
            if submitted:
                return answers
            first = first or answers
        if goal.confirm is not None or self._answerable_complete(goal):
            last = len(logic.pages) - 1
            part = self._slice(self.slicer.reads(goal.cond.formula), last)
            status, full = part.single(goal)
            if status == "sat" and full is not None:
                answers, submitted = complete(logic, logic.witness(full, last, part.within), part.within, last,
                                              goal.page, met)
                if submitted:
                    return answers
        if first is not None:
            return first
        whole = self._store.slice([q.code for q in logic.survey.questions], goal.page)
        status, full = whole.single(goal)
        return logic.witness(full, goal.page) if status == "sat" and full is not None else None

    def _answerable_complete(self, goal: Goal) -> bool:
        """Whether a complete respondent's answers up to the goal's page make a
        witness for it: nothing it rests on reads a later page, or a page the model
        does not follow."""
        if any(page <= goal.page for page in self.slicer.flagged):
            return False
        return all(self.logic.cone_page.get(r, 0) <= goal.page for r in goal.reads)


class _Store:
    """One solver for the slices of successive pages (`qengine.lint.slices`): what a
    slice holds stays for the next, whose slice is mostly the same. Facts are held
    as they are (definitions, true of any situation); roles behind a literal each,
    assumed for the questions of the slice asked about, so that what an earlier
    page needed and this one does not is inert. When the solver holds more than
    twice what a slice needs, it starts again from that slice."""

    def __init__(self, prover: Prover):
        self.prover = prover
        self._reset()

    def slice(self, codes: list[str], page: int) -> _Slice:
        slicer = self.prover.slicer
        if len(self.held) > 2 * len(codes) + 64:
            self._reset()
        domains = self.prover.logic.domains
        assumptions, prefer = [], []
        for c in codes:
            self._hold(c)
            role = slicer.role(c, page)
            lit = self.literals.get((c, role))
            assumptions.append(lit if lit is not None else self.literal((c, role), slicer.constraint(c, role).formula))
            preferred = domains[c].preferred()
            if preferred is not TRUE:
                prefer.append(self.literal((c, "prefer"), preferred))
        within = frozenset(codes)
        return _Slice(self, codes, within, page, assumptions, prefer, slicer.reasons(within, page))

    def _reset(self) -> None:
        self.solver: z3.Solver = limits.solver(self.prover.logic.survey)
        self.held: set[str] = set()
        self.groups: set[str] = set()
        self.literals: dict[tuple, z3.BoolRef] = {}

    def _hold(self, code: str):
        if code in self.held:
            return
        self.held.add(code)
        assert_all(self.solver, self.prover.logic.facts_of([code], self.groups))

    def literal(self, key: tuple, formula: z3.BoolRef) -> z3.BoolRef:
        """The literal standing for `formula` (added on first use) in this solver."""
        if key not in self.literals:
            lit = z3.Bool(f"lit{len(self.literals)}")
            ctx = self.solver.ctx
            implies = z3core.Z3_mk_implies(ctx.ref(), lit.as_ast(), formula.as_ast())
            z3core.Z3_solver_assert(ctx.ref(), self.solver.solver, implies)
            self.literals[key] = lit
        return self.literals[key]


class _Slice:
    """The slice of one page's goals in the store's solver: each goal's formula is
    added once, behind a literal, and asked for by assumption with the roles of the
    slice's questions."""

    def __init__(self, store: _Store, codes: list[str], within: frozenset[str], page: int,
                 assumptions: list[z3.BoolRef], prefer: list[z3.BoolRef], reasons: frozenset[str]):
        self.prover = store.prover
        self.store = store
        self.solver = store.solver
        self.literals = store.literals
        self.codes = codes
        self.within = within
        self.page = page
        self.assumptions = assumptions
        self.prefer = prefer
        self.reasons = reasons

    def literal(self, goal: Goal) -> z3.BoolRef:
        key = ("goal", goal.key, self.page)
        if key not in self.literals:
            self.literals[key] = lit = z3.Bool(f"lit{len(self.literals)}")
            self.solver.add(z3.Implies(lit, goal.cond.formula))
        return self.literals[key]

    def batch(self, goals: list[Goal]) -> dict[tuple, tuple[str, z3.ModelRef | None]]:
        """Decide many goals with few solver calls: each round asks for any one of the
        remaining goals (a fresh literal stands for their disjunction), and its model
        settles every goal it satisfies; "none" settles them all as impossible.
        Asking for all of them at once instead fails on every pair that excludes each
        other (a condition and its negation), at the cost of a check each time.
        When the solver gives up on a round, the goals left are asked one by one."""
        out: dict[tuple, tuple[str, z3.ModelRef | None]] = {}
        s = self.solver
        remaining = [g for g in goals if g.cond.formula is not FALSE]
        out.update((g.key, ("unsat", None)) for g in goals if g.cond.formula is FALSE)
        while remaining:
            any_goal = z3.Bool(f"any{next(self.prover._rounds)}")
            s.add(z3.Implies(any_goal, disj(*(self.literal(g) for g in remaining))))
            result, model = self.check([any_goal])
            if result == z3.unsat:
                out.update((g.key, ("unsat", None)) for g in remaining)
                break
            hit = [g for g in remaining if holds(model, g.cond.formula)] if result == z3.sat else []
            if not hit:  # the solver gave up
                out.update((g.key, self.single(g)) for g in remaining)
                break
            out.update((g.key, ("sat", model)) for g in hit)
            remaining = [g for g in remaining if g.key not in out]
        return out

    def single(self, goal: Goal) -> tuple[str, z3.ModelRef | None]:
        if goal.alone:  # quantified: kept out of the solver once decided
            self.solver.push()
            self.solver.add(goal.cond.formula)
            result, model = self.check([])
            self.solver.pop()
        else:
            result, model = self.check([self.literal(goal)])
        return str(result), model

    def check(self, assumptions) -> tuple[z3.CheckSatResult, z3.ModelRef | None]:
        """Check, preferring witnesses the runtime cannot doubt (`Domain.preferred`).
        A check over its limits (`qengine.lint.limits`) answers unknown, and is not
        asked again without the preference: the goal is then undecided."""
        result = self._check([*self.assumptions, *assumptions, *self.prefer])
        if result == z3.unsat:
            result = self._check([*self.assumptions, *assumptions])
        return result, self.solver.model() if result == z3.sat else None

    def _check(self, assumptions: list[z3.BoolRef]) -> z3.CheckSatResult:
        """`Solver.check()` through z3's C API: z3py checks the sort of each
        assumption in Python, which cost more than the checks themselves with the
        hundreds of literals a slice assumes (they are all literals, made here)."""
        given = (z3.Ast * len(assumptions))(*(a.as_ast() for a in assumptions))
        return z3.CheckSatResult(z3core.Z3_solver_check_assumptions(
            self.solver.ctx.ref(), self.solver.solver, len(assumptions), given))


def assert_all(solver: z3.Solver, formulas: list[z3.BoolRef]) -> None:
    """`Solver.add()` through z3's C API: z3py checks the sort of each formula in
    Python, which a slice's thousands of facts made a sizeable cost (these are all
    formulas of the survey's logic, of sort Bool)."""
    ctx, native = solver.ctx.ref(), solver.solver
    for f in formulas:
        if f is not TRUE:
            z3core.Z3_solver_assert(ctx, native, f.as_ast())


#: what forked workers decide from (`Prover._decide_in_processes`)
_FORKED: tuple | None = None


def _decide_run(run: int) -> tuple[int, dict[tuple, tuple[str, frozenset[str]]]]:
    """In a worker: the statuses and reasons of the goals of one run of pages."""
    assert _FORKED is not None  # set by the parent before it forks
    prover, by_page, runs = _FORKED
    decided: dict[tuple, tuple[str, frozenset[str]]] = {}
    for page in runs[run]:
        decided.update((key, (v.status, v.reasons)) for key, v in prover._decide_page(page, by_page[page]).items())
    return run, decided


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
