"""Both versions of a survey in one solver, over one respondent's answers.

Each version's logic is lint's own (`qengine.lint.logic.SurveyLogic`, built from
`qengine.lint.constraints`), so that `diff` and lint mean the same thing by every
expression. Two things make them one model:

- **Shared answers.** A question's answer variables are named after its code, so a
  question of both versions reads the same variables; a renamed question's new
  variables are replaced by the old ones, and those of a question only the new
  version has are given names of their own. When a question is shown in both
  versions the respondent gives it the same answer in both; an option or row only
  one version has is not picked where the other version shows the question.
- **Separate facts.** Everything else a version names (its shown/offered facts and
  the unknowns standing for what is not modelled) is prefixed in the new version,
  so the two definitions of `shown:q` never meet.

The stored answers are not forced blank when hidden, as lint does for one version:
a question hidden in one version may be answered in the other. What a version reads
is filtered by its own relevance anyway. A respondent reaches a page of a version
after passing the pages before it there (every shown question accepted, without
problem); questions whose logic reads later ones are left unconstrained, as in lint.

`Joint.ask(goal, pages)` answers sat (with a model), unsat (a proof: every
constraint left out only makes more situations possible) or unknown, within
lint's limits (`qengine.lint.limits`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

import z3

from qengine.lint import limits
from qengine.lint.constraints import TRUE, Cond, Num, Sym, SymbolicEnvironment, compare, conj, emptiness
from qengine.lint.logic import SurveyLogic, forward_reason, literal_tables
from qengine.model import Question, Survey

NEW = "new|"


class Version(SurveyLogic):
    """One version's logic, with its facts prefixed and its literal texts shared.

    The free-text abstraction (a text is one of the strings compared with, a number,
    or other text) must mean the same in both versions, so both use the strings of
    both; more strings only refine it."""

    def __init__(self, survey: Survey, prefix: str, literals: Mapping[str, frozenset[str]]):
        super().__init__(survey, prefix=prefix, literals=literals)
        self._renaming: list[tuple[z3.ExprRef, z3.ExprRef]] = []

    # ------------------------------------------------------------ answer variables
    def rename_answers(self, target: Mapping[str, str | None]) -> None:
        """Replace each question's answer variables: question `code`'s by those of
        question `target[code]` (its partner's code), or by names of its own when
        the target is None."""
        pairs = []
        for code, domain in self.domains.items():
            to = target.get(code)
            for v in domain.variables:
                name = v.decl().name()
                if to is None:
                    renamed = self.prefix + name
                elif to != code:
                    renamed = to + name[len(code):]
                else:
                    continue
                pairs.append((v, z3.Const(renamed, v.sort())))
        self._renaming = pairs

    def tr(self, formula: z3.ExprRef) -> z3.ExprRef:
        """A formula of this version over the shared answer variables."""
        return z3.substitute(formula, *self._renaming) if self._renaming else formula

    def tr_cond(self, cond: Cond) -> Cond:
        return Cond(self.tr(cond.formula), cond.reasons)

    def tr_sym(self, sym: Sym) -> Sym:
        if not self._renaming:
            return sym
        cases = []
        for guard, term in sym.cases:
            if isinstance(term, Num):
                term = Num(self.tr(term.expr), tuple(map(self.tr, term.counted)) if term.counted else None,
                           term.degree)
            cases.append((self.tr(guard), term))
        return Sym(tuple(cases), sym.reasons)

    def variables_of(self, code: str) -> list[z3.ExprRef]:
        """The shared variables of question `code`."""
        return [self.tr(v) for v in self.domains[code].variables]

    def model_for(self, model: z3.ModelRef) -> z3.ModelRef:
        """`model` as this version's own variables read it (for its witness)."""
        if not self._renaming:
            return model
        out = z3.Model()
        for d in model.decls():
            if d.arity() == 0:
                out.update_value(d, model[d])
        for original, shared in self._renaming:
            out.update_value(original.decl(), model.eval(shared, model_completion=True))
        return out

    def acceptance(self, code: str) -> Cond:
        """Question `code`, when shown, accepts what is stored and leaves no problem."""
        own = self.rules(code) & self.domains[code].checks()
        return self.tr_cond(Cond(conj(self.typed(code), own.formula), own.reasons))

    def shown_of(self, code: str) -> Cond:
        return self.tr_cond(self.shown(code))


def shared_literals(old: Survey, new: Survey, questions: Mapping[str, str]) -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """Each version's table of strings compared with a question, joined with its
    partner's (`questions`: old code -> new code)."""
    a, b = literal_tables(old), literal_tables(new)
    back = {n: o for o, n in questions.items()}
    out_old = {c: a.get(c, frozenset()) | b.get(questions.get(c, ""), frozenset()) for c in old.by_code}
    out_new = {c: b.get(c, frozenset()) | a.get(back.get(c, ""), frozenset()) for c in new.by_code}
    return out_old, out_new


class Joint:
    """The two versions in one solver; a goal is asked behind assumption literals."""

    def __init__(self, old: Version, new: Version, questions: Mapping[str, str]):
        self.old, self.new = old, new
        self.questions = dict(questions)
        biggest = max(old.survey, new.survey, key=lambda s: len(s.questions))
        self.solver = limits.solver(biggest)
        self.solver.add(*old.definitions, *map(new.tr, new.definitions))
        self._names = itertools.count()
        self._untouched_lits: dict[tuple[int, int], list[z3.BoolRef]] = {}
        # typed[v][code]: a question shown in a version holds what the version can store
        self.typed = [{c: self._behind(z3.Implies(v.shown_of(c).formula, v.tr(v.typed(c))))
                       for c in v.domains} for v in (old, new)]
        self._absent(old, new)
        self.passed = [self._pages(v) for v in (old, new)]
        self.page_reasons = [self._page_reasons(v) for v in (old, new)]
        self.prefer = self._behind(conj(*(old.domains[c].preferred() for c in old.domains),
                                        *(new.tr(new.domains[c].preferred()) for c in new.domains)))

    def _behind(self, formula: z3.BoolRef) -> z3.BoolRef:
        lit = z3.Bool(f"diff|lit{next(self._names)}")
        self.solver.add(z3.Implies(lit, formula))
        return lit

    def _absent(self, old: Version, new: Version) -> None:
        """A part only one version has (an added option, row or cell) holds its blank
        value wherever the other version shows the question: the respondent cannot
        give that version an answer it does not have."""
        for a, b in self.questions.items():
            mine = {v.decl().name(): v for v in old.variables_of(a)}
            theirs = {v.decl().name(): v for v in new.variables_of(b)}
            for names, other_shown in ((mine.keys() - theirs.keys(), new.shown_of(b)),
                                       (theirs.keys() - mine.keys(), old.shown_of(a))):
                for name in names:
                    v = mine.get(name, theirs.get(name))
                    if z3.is_bool(v):
                        blank = v if name.endswith("_empty") else z3.Not(v)
                        self.solver.add(z3.Implies(other_shown.formula, blank))

    def _pages(self, v: Version) -> list[z3.BoolRef]:
        """passed[j]: pages 0..j of version `v` left without problem."""
        out: list[z3.BoolRef] = []
        for page in v.pages:
            codes = [c for c in page.questions if c not in v.forward]
            here = conj(*(z3.Implies(v.shown_of(c).formula, v.acceptance(c).formula) for c in codes))
            out.append(self._behind(conj(here, out[-1]) if out else here))
        return out

    def _page_reasons(self, v: Version) -> list[frozenset[str]]:
        """What passing pages 0..j of `v` leaves unmodelled."""
        out: list[frozenset[str]] = []
        acc: frozenset[str] = frozenset()
        for page in v.pages:
            for c in page.questions:
                if c in v.forward:
                    acc |= {forward_reason(c)}
                else:
                    acc |= v.acceptance(c).reasons
            out.append(acc)
        return out

    def context(self, old_page: int | None, new_page: int | None, skip: tuple[str, str] | None = None
                ) -> tuple[list[z3.BoolRef], frozenset[str]]:
        """Assumptions for a respondent on page `old_page` of the old version and
        `new_page` of the new (None: every page passed), and what they leave
        unmodelled. `skip` leaves the stored-answer range of one question (old code,
        new code) out: its acceptance is what is asked."""
        lits = [lit for (which, table) in enumerate(self.typed) for c, lit in table.items()
                if skip is None or c != skip[which]]
        reasons: frozenset[str] = frozenset()
        for which, page in enumerate((old_page, new_page)):
            passed = self.passed[which]
            last = len(passed) - 1 if page is None else page - 1
            if last >= 0 and passed:
                lits.append(passed[last])
                reasons |= self.page_reasons[which][last]
        if old_page is not None and new_page is not None:
            lits += self._untouched(old_page, new_page)
        return lits, reasons

    def _untouched(self, old_page: int, new_page: int) -> list[z3.BoolRef]:
        """The questions after the respondent's page still hold their starting
        values (default or blank): nobody has been shown them yet. A question the
        other version asks earlier, or that starts with another default there, may
        hold an answer in one walk and not the other: it is left free."""
        key = (old_page, new_page)
        if key not in self._untouched_lits:
            old, new = self.old, self.new
            back = {b: a for a, b in self.questions.items()}
            parts = []
            for a in old.domains:
                b = self.questions.get(a)
                if old.page_of[a] > old_page and (b is None or (new.page_of[b] > new_page and _same_start(
                        old.survey.by_code[a], new.survey.by_code[b]))):
                    parts.append(old.initial(a))
            parts += [new.tr(new.initial(b)) for b in new.domains
                      if new.page_of[b] > new_page and b not in back]
            self._untouched_lits[key] = [self._behind(conj(*parts))] if parts else []
        return self._untouched_lits[key]

    def ask(self, goal: z3.BoolRef, assumptions: list[z3.BoolRef]) -> tuple[str, z3.ModelRef | None]:
        """sat (with a model), unsat or unknown; a witness the runtime cannot doubt
        is preferred when there is one."""
        if goal is TRUE:
            goal_lit = []
        else:
            goal_lit = [self._behind(goal)]
        result = self.solver.check(*assumptions, *goal_lit, self.prefer)
        if result == z3.unsat:
            result = self.solver.check(*assumptions, *goal_lit)
        return str(result), self.solver.model() if result == z3.sat else None


def _same_start(old: Question, new: Question) -> bool:
    return getattr(old, "default", None) == getattr(new, "default", None)


def differ(a: Sym, b: Sym, env: SymbolicEnvironment) -> Cond:
    """The two values differ as a respondent would see them: one empty and not the
    other, or not equal (by the rules of `==`)."""
    ea, eb = emptiness(a, env), emptiness(b, env)
    ne = compare("!=", a, b, env)
    return Cond(z3.Or(ea.formula != eb.formula, ne.formula), ea.reasons | eb.reasons | ne.reasons)
