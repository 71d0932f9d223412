"""A survey's logic as one set of solver terms: every situation a respondent can
be in, and what is shown in it.

`SurveyLogic` is the symbolic environment of `qengine.lint.constraints` for one
survey: group and question relevance, offered options and rows, the values
expressions read (each question's domain, built by its kind: `Kind.domain`), all built once, in the dependency
graph's order, and shared by every rule and every solver query.

Pages follow the runtime (`qengine.runtime.navigation`): a respondent sees the
questions of page k after passing pages 0..k-1, while later pages still hold their
starting values. A question whose logic reads a question after it ("forward") is
answered in an order this model does not follow; its page is left unconstrained,
which keeps "impossible" verdicts proofs, and marks the others for replay.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Mapping
from functools import cached_property

import z3

from qengine.expr import ast
from qengine.expr.values import as_number, equal, is_empty
from qengine.kinds.attributes import type_letter, wording, wording_texts
from qengine.kinds.domain import Domain
from qengine.kinds.registry import kind_of
from qengine.lint import limits
from qengine.lint.constraints import (
    ALWAYS,
    EMPTY,
    FALSE,
    TRUE,
    Cond,
    Const,
    Num,
    Sym,
    Text,
    Whole,
    condition,
    disj,
    holds,
    neg,
    symbolic,
)
from qengine.lint.toolkit import Toolkit, model_number
from qengine.model import Question, Survey, reads
from qengine.runtime.navigation import pages_of


def _per_question(method):
    """Cache a method of one question code: constraints are built once per survey."""
    name = "_cache_" + method.__name__

    def cached(self, code):
        table = self.__dict__.setdefault(name, {})
        if code not in table:
            table[code] = method(self, code)
        return table[code]

    cached.__doc__ = method.__doc__
    cached.__name__ = method.__name__
    return cached


class SurveyLogic:
    """The logic of `survey`. `prefix` starts the name of every fact and unknown it
    defines, and `literals` replaces the survey's own table of strings free text is
    told apart from (`literal_tables`): two logics in one solver (`qengine diff`'s
    two versions) then keep their facts apart and read free text alike."""

    def __init__(self, survey: Survey, *, prefix: str = "",
                 literals: Mapping[str, frozenset[str]] | None = None):
        self.survey = survey
        self.prefix = prefix
        self.pages = pages_of(survey, survey.format)
        self.page_of = _pages_by_question(survey, self.pages)
        self.unknown_reasons: set[str] = set()
        self._fresh = itertools.count()
        self._literals = dict(literals) if literals is not None else literal_tables(survey)
        self._groups: dict[str, Cond] = {}
        self._shown: dict[str, Cond] = {}
        self._own: dict[str, Cond] = {}
        self._offered: dict[tuple[str, str], Cond] = {}
        self._values: dict[tuple, Sym] = {}
        self._cones: dict[str, frozenset[str]] = {}
        #: name == formula of every named fact; every solver of the survey holds them
        self.definitions: list[z3.BoolRef] = []
        self._facts: dict[tuple[str, str], list[z3.BoolRef]] = {}
        self._fact_owner: dict[int, tuple[str, str]] = {}
        tools = Toolkit(self)
        self.domains: dict[str, Domain] = {q.code: kind_of(q).domain(q, tools) for q in survey.questions}
        # Building in the graph's order keeps recursion shallow on long surveys.
        for kind, code in survey.graph.order:
            if kind == "group":
                self.group(code)
            elif kind == "rel":
                self.shown(code)
            elif kind == "val":
                q = survey.by_code[code]
                self._items(q)
                if q.formula is not None:
                    self.value_of(q)

    # ------------------------------------------------------------ facts
    def group(self, code: str) -> Cond:
        if code not in self._groups:
            cond = self.survey.groups_by_code[code].condition
            self._groups[code] = self._named("group", code, ALWAYS if cond is None else condition(cond, self),
                                             ("group", code))
        return self._groups[code]

    def shown(self, code: str) -> Cond:
        """Whether question `code` is shown (its group's and its own condition)."""
        if code not in self._shown:
            self._shown[code] = self._named("shown", code,
                                            self.group(self.survey.by_code[code].group) & self.own(code),
                                            ("question", code))
        return self._shown[code]

    def own(self, code: str) -> Cond:
        """Whether the own condition of question `code` holds."""
        if code not in self._own:
            cond = self.survey.by_code[code].condition
            self._own[code] = self._named("own", code, ALWAYS if cond is None else condition(cond, self),
                                          ("question", code))
        return self._own[code]

    def parent(self, code: str) -> Cond:
        """Whether what contains question `code` is shown (its group)."""
        return self.group(self.survey.by_code[code].group)

    def offered(self, question: str, item: str) -> Cond:
        """Whether option or row `item` of `question` is offered (its own condition)."""
        key = (question, item)
        if key not in self._offered:
            q = self.survey.by_code[question]
            found = next(i for i in q.items if i.code == item)
            self._offered[key] = self._named("offered", f"{question}_{item}", ALWAYS if found.condition is None
                                             else condition(found.condition, self), ("question", question))
        return self._offered[key]

    def _named(self, kind: str, code: str, cond: Cond, owner: tuple[str, str]) -> Cond:
        """A fact as a named boolean, defined once in `definitions`: formulas that
        read it stay small however deep the cascade of conditions above it. The
        fact belongs to `owner`, a ("question" | "group", code) pair (`facts`)."""
        if cond.formula is TRUE or cond.formula is FALSE or z3.is_const(cond.formula):
            return cond
        name = z3.Bool(f"{self.prefix}{kind}:{code}")
        definition = name == cond.formula
        self.definitions.append(definition)
        self._facts.setdefault(owner, []).append(definition)
        self._fact_owner[name.get_id()] = owner
        return Cond(name, cond.reasons)

    def facts(self, owner: tuple[str, str]) -> list[z3.BoolRef]:
        """The definitions of the named facts of a ("question" | "group", code):
        whether it is shown, its own condition, its options and rows offered."""
        return self._facts.get(owner, [])

    def facts_of(self, codes: Iterable[str], groups: set[str]) -> list[z3.BoolRef]:
        """The facts of the questions `codes` and of their groups not in `groups`
        (which it extends): what a solver of those questions must hold."""
        out: list[z3.BoolRef] = []
        for c in codes:
            out += self.facts(("question", c))
            group = self.survey.by_code[c].group
            if group not in groups:
                groups.add(group)
                out += self.facts(("group", group))
        return out

    @cached_property
    def anchors(self) -> dict[int, str]:
        """The question each answer variable and each named fact belongs to, by the
        id of the solver constant (a group's facts go to its first question: its
        relevance reads what the group's condition reads). Unknowns have none."""
        out = {v.get_id(): code for code, d in self.domains.items() for v in d.variables}
        first: dict[str, str] = {}
        for q in self.survey.questions:
            first.setdefault(q.group, q.code)
        for const, (kind, code) in self._fact_owner.items():
            anchor = code if kind == "question" else first.get(code)
            if anchor is not None:
                out[const] = anchor
        return out

    def _items(self, q: Question):
        for i in q.items:
            self.offered(q.code, i.code)

    def value_of(self, q: Question) -> Sym:
        """The value of a whole question (an equation's computed value)."""
        return self.value(ast.Var(q.code, question=q.code))

    # ------------------------------------------------------------ SymbolicEnvironment
    def value(self, var: ast.Var) -> Sym:
        key = var.key
        if key not in self._values:
            assert var.question is not None  # names are resolved before lint reads them
            q = self.survey.by_code[var.question]
            if q.formula is not None:
                computed = symbolic(q.formula, self)
                shown = self.shown(q.code)
                self._values[key] = Sym.of(
                    computed.with_guard(shown.formula) + ((z3.Not(shown.formula), EMPTY),),
                    computed.reasons | shown.reasons)
            else:
                self._values[key] = self.domains[q.code].read(var.sub)
        return self._values[key]

    def whole(self, var: ast.Var) -> Whole | None:
        assert var.question is not None  # names are resolved before lint reads them
        return self.domains[var.question].whole()

    def visible(self, question: str) -> Cond:
        return self.shown(question)

    def unknown(self, reason: str) -> z3.BoolRef:
        self.unknown_reasons.add(reason)
        return z3.Bool(f"{self.prefix}unknown{next(self._fresh)}")

    def literals(self, question: str) -> frozenset[str]:
        return self._literals.get(question, frozenset())

    def fixed(self, var: ast.Var) -> str | None:
        assert var.question is not None  # names are resolved before lint reads them
        q = self.survey.by_code[var.question]
        if var.attr == "type":
            return type_letter(q)
        if all(t is None or t.is_static for t in wording_texts(q, var.sub)):
            return wording(q, var.sub, lambda t: t.plain)
        return None

    # ------------------------------------------------------------ constraints
    @_per_question
    def accept(self, code: str) -> Cond:
        """Question `code` passes: what was stored is allowed and, when shown, leaves no
        problem on its page."""
        checks = self.domains[code].checks()
        shown = self.shown(code)
        return self.rules(code) & Cond(z3.Implies(shown.formula, checks.formula), checks.reasons | shown.reasons)

    @_per_question
    def rules(self, code: str) -> Cond:
        return self.domains[code].rules()

    @_per_question
    def typed(self, code: str) -> z3.BoolRef:
        return self.domains[code].typed()

    @_per_question
    def initial(self, code: str) -> z3.BoolRef:
        return self.domains[code].initial()

    def inputs(self, codes) -> set[str]:
        """The questions whose answers what `codes` show or hold depend on, `codes`
        included (relevance, options, equations, through any number of steps)."""
        return set().union(*(self.cone(c) for c in codes))

    @cached_property
    def direct(self) -> dict[str, frozenset[str]]:
        """The questions each question's relevance, options, checks or value read."""
        survey = self.survey
        return {q.code: frozenset(logic_reads(q) | group_reads(survey, q)) for q in survey.questions}

    def cone(self, code: str) -> frozenset[str]:
        """`code` and every question what it shows, accepts or computes depends on,
        built once from the cones of the questions it reads (lint's slices ask for
        the cone of every question of a long survey)."""
        cones, direct = self._cones, self.direct
        if code not in cones:
            stack = [code]
            while stack:  # the cones of what is read first, without recursion
                c = stack[-1]
                todo = [r for r in direct[c] if r not in cones and r not in stack]
                if todo:
                    stack.extend(todo)
                    continue
                stack.pop()
                if any(r in stack for r in direct[c]):  # a cycle (a forward read): walk it
                    cones[c] = self._walk(c)
                else:
                    cones[c] = frozenset({c}).union(*(cones[r] for r in direct[c]))
        return cones[code]

    def _walk(self, code: str) -> frozenset[str]:
        seen = {code}
        stack = [code]
        while stack:
            for r in self.direct[stack.pop()]:
                if r not in seen:
                    seen.add(r)
                    stack.append(r)
        return frozenset(seen)

    def page_inputs(self, code: str) -> list[str]:
        """Questions of `code`'s page its relevance, options or checks depend on
        (through other questions and equations too), in survey order."""
        page = self.page_of[code]
        seen: set[str] = set()
        stack = [code]
        while stack:
            for r in self.direct[stack.pop()]:
                if r not in seen and r != code and self.page_of[r] == page:
                    seen.add(r)
                    stack.append(r)
        by_code = self.survey.by_code
        return sorted((c for c in seen if c not in self.forward), key=lambda c: by_code[c].number)

    def no_answer(self, code: str) -> tuple[Cond, bool] | None:
        """Whether question `code` has no acceptable non-blank answer in the situation,
        and whether that formula is quantified (over the question's own variables);
        None when its checks leave something unmodelled."""
        q = self.survey.by_code[code]
        d = self.domains[code]
        items = q.items
        if not q.validations and d.typeable:  # untypeable: only its default, if any
            return Cond(neg(d.possible([self.offered(code, i.code).formula for i in items]))), False
        ok = d.rules() & Cond(d.answered()) & d.checks()
        if ok.reasons:
            return None
        alternatives = d.alternatives()
        if alternatives is not None:
            return Cond(neg(disj(*(z3.substitute(ok.formula, *pairs) for pairs in alternatives)))), False
        if not items and logic_reads(q) <= {code}:
            # checks that read nothing but the answer: decided once, on the answer alone
            # (when the solver gives up there, the general formula below is asked)
            alone = limits.solver(self.survey)
            alone.add(d.typed(), z3.substitute(ok.formula, (self.shown(code).formula, TRUE)))
            result = alone.check()
            if result != z3.unknown:
                return Cond(FALSE if result == z3.sat else TRUE), False
        copies = [z3.FreshConst(v.sort(), "any") for v in d.variables]
        pairs = list(zip(d.variables, copies, strict=True))
        return Cond(z3.ForAll(copies, z3.Implies(z3.substitute(d.typed(), *pairs),
                                                 z3.Not(z3.substitute(ok.formula, *pairs))))), True

    @cached_property
    def forward(self) -> frozenset[str]:
        """Questions whose relevance, options or checks read a question after them."""
        survey = self.survey
        number = {q.code: q.number for q in survey.questions}
        cones: dict[str, set[str]] = {}
        for q in survey.questions:  # survey order: an equation read is done before
            direct = logic_reads(q)
            cone = set(direct)
            for r in direct:
                if survey.by_code[r].formula is not None:
                    cone |= cones.get(r, set())
            cones[q.code] = cone
        return frozenset(q.code for q in survey.questions
                         if any(number[r] > q.number for r in cones[q.code]))

    @cached_property
    def cone_page(self) -> dict[str, int]:
        """For each question, the last page whose answers its relevance, options or
        value can depend on."""
        survey = self.survey
        out: dict[str, int] = {}
        for q in survey.questions:
            out[q.code] = max([self.page_of[q.code], *(out.get(r, self.page_of[r]) for r in self.direct[q.code])])
        return out

    def parts(self, var: ast.Var) -> list[ast.Var]:
        """The variables a read stands for: the read itself, or for a whole question
        of several parts (`count(m)` of a multiple choice), each part."""
        assert var.question is not None  # names are resolved before lint reads them
        if var.sub or self.whole(var) is None:
            return [var]
        return [ast.Var(f"{var.question}_{i.code}", question=var.question, sub=(i.code,))
                for i in self.survey.by_code[var.question].items]

    def holds_value(self, var: ast.Var, model: z3.ModelRef, actual) -> bool:
        """Whether `actual` (what the runtime reads) is the value the model gives `var`."""
        for guard, term in self.value(var).cases:
            if not holds(model, guard):
                continue
            match term:
                case Const(value=v):
                    return equal(v, actual) and is_empty(v) == is_empty(actual)
                case Num(expr=e):
                    return as_number(actual) == model_number(model.eval(e, model_completion=True))
                case Text(question=q):
                    return (isinstance(actual, str) and as_number(actual) is None
                            and actual not in self.literals(q))
            return False
        return False

    def free_word(self, question) -> str:
        """Some text that is not a number, not one of the survey's strings, and fits
        the question's maxlength (for witnesses of `Text`)."""
        taken = set().union(*self._literals.values()) if self._literals else set()
        limit = question.max_length
        for word in ("texte" if self.survey.language.startswith("fr") else "text", *"xyzwvqk"):
            if word not in taken and (limit is None or len(word) <= limit):
                return word
        return next(w for w in (f"t{i}" for i in itertools.count()) if w not in taken)

    def witness(self, model: z3.ModelRef, last_page: int, codes: Collection[str] | None = None) -> dict:
        """The answers file of a model: what the shown questions of pages 0..last_page
        (of `codes`, when the model is of those only) hold (a blank that must clear a
        default is written null; a question left with its default is not written)."""
        out = {}
        for q in self.survey.questions:
            if not q.is_input or self.page_of[q.code] > last_page or (codes is not None and q.code not in codes):
                continue
            if not holds(model, self.shown(q.code).formula):
                continue
            value = self.domains[q.code].witness(model)
            default = getattr(q, "default", None)
            if value != default:  # the default is left untouched (answer() may refuse it typed)
                out[q.code] = value
        return out



def logic_reads(q: Question) -> set[str]:
    """The other questions that decide what `q` shows, accepts or computes (its
    wording left out: it changes no answer)."""
    exprs = [q.condition] if q.condition is not None else []
    exprs += q.filters
    exprs += [v.rule for v in q.validations]
    if q.formula is not None:
        exprs.append(q.formula)
    return reads(exprs) - {q.code}


def group_reads(survey: Survey, q: Question) -> set[str]:
    """The questions the condition of `q`'s group reads."""
    cond = survey.groups_by_code[q.group].condition
    return set() if cond is None else reads([cond])


def forward_reason(code: str) -> str:
    """What a verdict that rests on question `code`, which reads a question after it,
    leaves unmodelled."""
    return f"'{code}' reads a question after it, answered later than the model assumes"


def _pages_by_question(survey: Survey, pages) -> dict[str, int]:
    """Page index of every question; an equation without a page of its own (format
    "question") goes with the question before it."""
    page_of = {code: i for i, p in enumerate(pages) for code in p.questions}
    last = 0
    for q in survey.questions:
        last = page_of.setdefault(q.code, last)
    return page_of


def literal_tables(survey: Survey) -> dict[str, frozenset[str]]:
    """For each question, the strings (not numbers) of the expressions that read it:
    the texts a free-text answer must be told apart from (what `SurveyLogic`
    models free text with, unless it is given other tables)."""
    tables: dict[str, set[str]] = {}

    def note(expr):
        strings = {n.value for n in ast.walk(expr) if isinstance(n, ast.Literal)
                   and isinstance(n.value, str) and n.value and as_number(n.value) is None}
        if strings:
            for v in ast.variables(expr):
                if v.question:
                    tables.setdefault(v.question, set()).update(strings)

    for g in survey.groups:
        if g.condition is not None:
            note(g.condition)
    for q in survey.questions:
        for e in q.expressions():
            note(e)
        default = getattr(q, "default", None)
        if isinstance(default, str) and default and as_number(default) is None:
            tables.setdefault(q.code, set()).add(default)
    return {k: frozenset(v) for k, v in tables.items()}
