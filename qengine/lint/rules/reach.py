"""Reachability: what some respondent can or can never see, decided by the solver
over the whole survey (`qengine.lint.logic`, `qengine.lint.prover`).

Every check here is a `Goal`, a situation to look for. "Never" verdicts are proofs
(the constraints describe at least every real situation); "possible" ones carry a
witness, an answers file that `qengine play` replays.
"""

from __future__ import annotations

import json
from typing import cast

import attrs
import z3

from qengine.errors import Diagnostic
from qengine.expr import ast
from qengine.expr.evaluate import evaluate
from qengine.expr.functions import make_call
from qengine.expr.values import is_empty, truthy
from qengine.kinds.base import Ticks
from qengine.kinds.registry import kind_of
from qengine.lint.constraints import (
    ALWAYS,
    FALSE,
    TRUE,
    Cond,
    condition,
    emptiness,
    holds,
    symbolic,
)
from qengine.lint.context import LintContext
from qengine.lint.diagnostic import finding
from qengine.lint.prover import IMPOSSIBLE, POSSIBLE, UNDECIDED, Goal, Verdict
from qengine.lint.registry import check, rule
from qengine.lint.replay import replay
from qengine.lint.rules.design import impossible_bounds
from qengine.lint.withheld import Leaning, Withheld, withheld
from qengine.model import Option, Question, Row, reads

rule("R101", "unreachable-question", "error", "a question no respondent can ever be shown",
     what="Proves that no combination of answers makes the question's condition true together "
          "with its group's condition, given every question it reads, their options, bounds, "
          "validations and their own conditions.",
     why="The question is dead: its data will be missing for everybody, which is usually found "
         "only after the survey has closed.",
     example='single age "Age?"\n  - age1 "Under 30"\n  - age2 "30 or more"\n'
             'display young "…"\n  when age == "age1" and age == "age2"',
     instead='display young "…"\n  when age == "age1"')

rule("R102", "unreachable-group", "error", "a group no respondent can ever be shown",
     what="Proves that the group's condition can never be true for a respondent who reaches it.",
     why="Every question of the group is dead.",
     example='group g "…"\n  when count(pets) > 5   # pets has 3 options',
     instead='group g "…"\n  when count(pets) > 1')

rule("R103", "unreachable-option", "error", "an option that is never offered",
     what="Proves that an option's condition is false whenever its question is shown.",
     why="Respondents for whom the option was meant never see it and pick something else.",
     example='single a "…"\n  when age == "age1"\n  - x "…" when age == "age2"',
     instead="Fix or remove the option's condition.")

rule("R104", "unreachable-row", "error", "a row of an array or grid that is never offered",
     what="Proves that a row's condition is false whenever its question is shown.",
     why="The row is never answered.",
     example='array a "…"\n  when perte == "o"\n  row r "…" when perte == "n"',
     instead="Fix or remove the row's condition.")

rule("R110", "always-true-condition", "warning", "a condition that is never false",
     what="Proves that a condition (of a group, a question given its group, an option or row given "
          "its question) is true in every situation where it is evaluated.",
     why="The condition filters nothing: either it is useless, or it does not say what the author "
         "meant (`or` for `and`, a wrong code) and respondents see questions not meant for them.",
     example='single b "…"\n  when age != "age1" or age != "age2"',
     instead='single b "…"\n  when age != "age1" and age != "age2"')

rule("R120", "dead-end", "error", "a mandatory question with no acceptable answer",
     what="Finds a situation a respondent can reach where a mandatory question is shown but no "
          "answer passes: every option filtered away, more ticks required than options offered, "
          "or validations that reject every answer.",
     why="The respondent is stuck on the page and abandons the survey.",
     example='multiple m "…"\n  mandatory\n  min 2\n  - a "A"\n  - b "B" when age == "age1"',
     instead='multiple m "…"\n  mandatory\n  min 1\n  - a "A"\n  - b "B" when age == "age1"')

rule("R121", "only-blank-accepted", "warning", "an optional question that accepts no answer",
     what="Finds a reachable situation where an optional question is shown but every answer other "
          "than a blank is refused (contradictory validations, every option filtered away).",
     why="Respondents who try to answer get an error message they cannot satisfy.",
     example='integer n "…"\n  validate n > 10 and n < 5 message "…"',
     instead='integer n "…"\n  validate n > 5 and n < 10 message "…"')

rule("R130", "true-when-hidden", "warning", "a condition that holds because the question it reads is hidden",
     what="Finds a situation where a condition is true because a question it reads is hidden, or "
          "an option or row it reads is withheld by its own condition: either reads as empty, so "
          "`x != \"o\"` is true, where the same condition with x answered \"o\" would be false. "
          "A condition true whatever x holds (`a == \"n\" or x < 2` when a is \"n\"), or that tests "
          "`x.visible`, is_empty() or count() itself, is left alone.",
     why="The question is then shown to respondents who never saw, let alone answered, the one "
         "it depends on. Intended or not, it should be said.",
     example='single x "…"\n  when a == "y"\n  - o "Oui"\n  - n "Non"\n'
             'single y "…"\n  when x != "o"',
     instead='single y "…"\n  when x.visible and x != "o"\n'
             '# or, when it is intended: when x != "o"  # noqa: R130')

rule("R140", "empty-wording", "warning", "dynamic wording that can print nothing",
     what="Finds a situation where an `{expression}` of a shown question's wording (text, help, "
          "option and row labels, prefix, suffix) or of a group's title or description reads an "
          "empty value, because what it reads is hidden or unanswered; likewise an answer joined "
          "into a sentence with join() where it can be empty (outside an if() that tests it). The "
          "finding names the cause: the questions hidden in its witness, and an optional question "
          "whose blank it happens only because of (\"it happens only because 'name' may be left "
          "blank (not mandatory)\").",
     why="The respondent reads a sentence with a hole in it.",
     example='text name "Your name?"\ndisplay hi "Hello {name}!"',
     instead='display hi "Hello{if(is_empty(name), \'\', \' \' + name)}!"\n'
             '# or make name mandatory, or show hi only when name is answered')

rule("R190", "undecided", "info", "a verdict lint could not decide",
     what="Reports a question, group, option or row whose reachability (or a dead end) lint could "
          "not decide, because it rests on something the solver does not model (`.shown`, "
          "regexMatch(), strlen() of free text, text patterns, questions read before they are "
          "answered) and the runtime did not confirm the solver's candidate, or because the "
          "solver gave up at its work limit (arithmetic that multiplies answers together, as in "
          "`a*a*a + b*b*b == c*c*c`, can be beyond any solver).",
     why="Lint never guesses: where it cannot prove, it says so, and the question should be "
         "checked by hand or by `qengine fuzz`.",
     example='display d "…"\n  when regexMatch("^[0-9]+$", code)',
     instead="Nothing is wrong as such; simpler conditions can be decided.")

rule("R111", "useless-part", "warning", "a part of a condition that never decides it",
     what="Proves, for each part of a condition joined by `or` or `and`, that a part of an `or` is "
          "never true, or that a part of an `and` is never false, in every situation where the "
          "condition is evaluated (the group shown, for a question's condition; the question "
          "shown, for an option's or row's). Guards (is_empty(), count(), `.visible`) are left "
          "alone.",
     why="The whole condition may still be right for some respondents, which is why R101 and "
         "R110 do not see it; but the part says something the author meant and that never "
         "happens: a wrong code, `and` for `or`, a population that can never be reached.",
     example='single b "…"\n  when (cloud == "cldo" and cloud == "cldn") or solo == "soloo"',
     instead='single b "…"\n  when (cloud == "cldo" or cloud == "cldn") or solo == "soloo"')

rule("R112", "fixed-wording-branch", "warning", "an if() in wording that always takes the same branch",
     what="Proves that the condition of an `if()` inside wording (a question's text, help, prefix, "
          "suffix, option, row or column labels, a group's title or description) is always true, "
          "or never true, whenever that wording is shown.",
     why="One of the two wordings is never printed: the respondents it was written for never "
         "read it, which usually means the condition tests a wrong code or a population that "
         "cannot see the question.",
     example='single q "…{if(age == \'age1\', \' (young)\', \'\')}"\n  when age == "age2"',
     instead="Fix the condition, or keep only the wording that is printed.")

rule("R113", "validation-never-fails", "warning", "a validation rule that every answer passes",
     what="Proves that a validation rule holds for every answer the question accepts otherwise "
          "(its kind, options and bounds), in every situation where the question is shown: its "
          "message can never appear. Each rule is decided on its own, so that a rule the solver "
          "does not model leaves the others decided.",
     why="A rule that nothing fails checks nothing: usually a bound or a code that is not what the "
         "author meant (`<=` for `>=`, the question's own maximum).",
     example='integer n "…"\n  min 0\n  max 10\n  validate n <= 10 message "At most 10."',
     instead='integer n "…"\n  min 0\n  max 10\n  validate n <= 5 message "At most 5."')

_CODES = ("R101", "R102", "R103", "R104", "R110", "R111", "R112", "R113", "R120", "R121", "R130",
          "R140", "R190")
#: the goals whose possible verdicts are findings, given with their witness
_WITNESSED = frozenset({"hidden", "hidden-group", "empty-text", "empty-group-text", "hole", "dead"})
_MARK = "\x00filled"  # stands for a literal "" (an intended blank) in wording checks


@check(*_CODES)
def reachability(ctx: LintContext):
    analysis = _Analysis(ctx)
    yield from analysis.findings()


_MOST_BLANKS = 5  # blanks of a witness tried as the cause of its finding


@attrs.frozen
class _Blank:
    """The optional questions a finding happens only because of (they may be left
    blank), as the message and the hint say it."""

    codes: tuple[str, ...] = ()

    @property
    def said(self) -> str:
        if not self.codes:
            return ""
        names = ", ".join(f"'{c}'" for c in self.codes)
        return f"; it happens only because {names} may be left blank (not mandatory)"

    @property
    def hint(self) -> str:
        return f"; or make {', '.join(repr(c) for c in self.codes)} mandatory" if self.codes else ""


@attrs.frozen
class _Item:
    question: Question
    item: Option | Row
    what: str  # "option" | "row"


class _Analysis:
    def __init__(self, ctx: LintContext):
        self.ctx = ctx
        self.survey = ctx.survey
        self.logic = ctx.logic
        self.goals: list[Goal] = []
        #: what each goal is about, by its kind (read back with the type the kind puts there)
        self.subjects: dict[tuple, object] = {}
        #: replayed witnesses, and the blanks found to be a cause (`_blank_cause`)
        self._sessions: dict[tuple[str, int], object] = {}
        self._answered: dict[tuple, bool] = {}

    def add(self, key, page, cond: Cond, reads, confirm=None, subject=None, alone=False, needs_model=False):
        self.goals.append(Goal(key, page, cond, frozenset(reads), confirm, alone, needs_model,
                               witnessed=key[0] in _WITNESSED))
        self.subjects[key] = subject

    # ------------------------------------------------------------ goals
    def build(self):
        logic, survey, wants = self.logic, self.survey, self.ctx.wants
        for k in range(len(logic.pages)):
            self.add(("page", k), k, Cond(TRUE), (), lambda s: True)
        first_page: dict[str, int] = {}
        for q in survey.questions:
            first_page.setdefault(q.group, logic.page_of[q.code])
        for g in survey.groups:
            if g.code not in first_page:
                continue
            page = first_page[g.code]
            reads = _reads(g.condition)
            self.add(("group", g.code), page, logic.group(g.code), reads,
                     lambda s, g=g.code: s.group_visible(g))
            if g.condition is not None and wants("R110"):
                self.add(("group-false", g.code), page, ~logic.group(g.code), reads,
                         _false(g.condition))
            if g.condition is not None and wants("R130"):
                self._leaning(("hidden-group", g.code), page, g.condition, reads)
            if g.condition is not None and wants("R111"):
                self._parts(("group", g.code), page, g.condition, ALWAYS, reads, lambda s: True)
            if wants("R112"):
                for e in _text_parts(g.title, g.description):
                    self._branches(("group", g.code), page, e, logic.group(g.code), reads,
                                   lambda s, g=g.code: s.group_visible(g))
            if wants("R140"):
                for n, e in enumerate(_text_parts(g.title, g.description)):
                    self.add(("empty-group-text", g.code, n), page,
                             logic.group(g.code) & self._empty(e), reads | _reads(e),
                             _prints_empty(e, lambda s, g=g.code: s.group_visible(g)), e)
        progress = self.ctx.progress
        progress.phase("situations to look for", len(survey.questions))
        for q in survey.questions:
            self._question_goals(q)
            progress.advance()

    def _question_goals(self, q: Question):
        logic, wants = self.logic, self.ctx.wants
        page = logic.page_of[q.code]
        shown = logic.shown(q.code)
        reads = {q.code} | _reads(q.condition)
        self.add(("shown", q.code), page, shown, reads, lambda s, c=q.code: s.is_visible(c))
        if q.condition is not None and wants("R110"):
            self.add(("cond-false", q.code), page, logic.parent(q.code) & ~logic.own(q.code), reads,
                     _false(q.condition, q.group))
        if q.condition is not None and wants("R130"):
            self._leaning(("hidden", q.code), page, q.condition, reads, q)
        if q.condition is not None and wants("R111"):
            self._parts(("question", q.code), page, q.condition, logic.parent(q.code), reads,
                        lambda s, g=q.group: s.group_visible(g))
        for what in ("option", "row"):
            for item in getattr(q, what + "s", ()):
                if item.condition is None:
                    continue
                offered = logic.offered(q.code, item.code)
                item_reads = reads | _reads(item.condition)
                self.add(("offered", q.code, item.code), page, shown & offered, item_reads,
                         _offers(q.code, item.code), _Item(q, item, what))
                if wants("R110"):
                    self.add(("offered-false", q.code, item.code), page, shown & ~offered, item_reads,
                             _withheld(q.code, item.code), _Item(q, item, what))
                if wants("R111"):
                    self._parts((what, q.code, item.code), page, item.condition, shown, item_reads,
                                _shows(q.code, None))
        if wants("R112"):
            for e, when, item in self._wording(q):
                self._branches(("question", q.code), page, e, when, reads, _shows(q.code, item))
        if wants("R140"):
            for n, (e, when, item) in enumerate(self._wording(q)):
                self.add(("empty-text", q.code, n), page, when & self._empty(e), reads | _reads(e),
                         _prints_empty(e, _shows(q.code, item)), e)
                for k, (var, path) in enumerate(_joined(e)):
                    cond = when & self._empty(var)
                    for test, value in path:
                        cond = cond & (condition(test, self.logic) if value else ~condition(test, self.logic))
                    self.add(("hole", q.code, n, k), page, cond, reads | _reads(e),
                             _joins_empty(var, path, _shows(q.code, item)), (e, var))
        if wants("R113", "R120", "R121") and q.is_input and q.validations:
            self._rules(q, page, shown, reads)
        if wants("R120", "R121") and self._may_dead_end(q):
            decided = logic.no_answer(q.code)
            if decided is None:
                self.subjects[("dead", q.code)] = "unmodelled"
            elif decided[0].formula is not FALSE:
                no_answer, quantified = decided
                # what Q depends on, on its page, answered as it must be: a page still
                # being filled in is no dead end
                situation = shown & no_answer
                for p in logic.page_inputs(q.code):
                    situation = situation & logic.accept(p)
                self.add(("dead", q.code), page, situation, reads, _stuck(logic, q), alone=quantified,
                         needs_model=True)

    def _rules(self, q: Question, page: int, shown: Cond, reads: set[str]):
        """R113, R120, R121 for each validation rule on its own: whether some answer the
        question otherwise accepts fails it, and whether some passes it."""
        d = self.logic.domains[q.code]
        answered = shown & self.logic.rules(q.code) & Cond(d.answered()) & Cond(d.typed())
        for n, v in enumerate(q.validations):
            holds_ = condition(v.rule, self.logic)
            rule_reads = reads | _reads(v.rule)
            self.add(("rule-fails", q.code, n), page, answered & ~holds_, rule_reads,
                     _rule_is(q.code, v.rule, False), v)
            self.add(("rule-holds", q.code, n), page, answered & holds_, rule_reads,
                     _rule_is(q.code, v.rule, True), v)

    def _leaning(self, key: tuple, page: int, expr: ast.Expr, reads: set[str], q: Question | None = None):
        """R130: one goal for each withheld read the condition `expr` (of question `q`,
        or of a group) may lean on (`qengine.lint.withheld`)."""
        parent = self.logic.parent(q.code) if q is not None else ALWAYS
        for subject in withheld(expr, self.survey, q.code if q is not None else None):
            leaning = Leaning(self.logic, expr, subject)
            self.add((*key, subject.question, subject.item), page, parent & leaning.cond(),
                     reads | {subject.question}, leaning.confirm(q.group if q is not None else None),
                     subject, needs_model=True)

    def _parts(self, owner: tuple, page: int, expr: ast.Expr, where: Cond, reads: set[str], seen):
        """R111: one goal for each part of an `or` that might never be true, and of an
        `and` that might never be false, where `expr` is evaluated (`where`, `seen`)."""
        for part, op in _parts(expr):
            cond = condition(part, self.logic)
            wrong = cond if op == "or" else ~cond
            self.add(("part", *owner, part.span.start, op), page, where & wrong,
                     reads | _reads(part), _part_holds(part, op == "or", seen), (owner, part, op))

    def _branches(self, owner: tuple, page: int, e: ast.Expr, when: Cond, reads: set[str], seen):
        """R112: for each if() of wording expression `e`, whether its condition can be
        true, and false, where the wording is shown."""
        for node in _calls(e, "if"):
            test = node.args[0]
            if _guarded(test):
                continue
            cond = condition(test, self.logic)
            for value, c in ((True, cond), (False, ~cond)):
                self.add(("branch", *owner, node.span.start, value), page, when & c,
                         reads | _reads(test), _part_holds(test, value, seen), (owner, node, value))

    def _wording(self, q: Question):
        """Every {expression} of a question's wording, with when it is read and the
        option or row whose label holds it."""
        shown = self.logic.shown(q.code)
        for t in (q.text, q.help, getattr(q, "prefix", None), getattr(q, "suffix", None)):
            for e in _text_parts(t):
                yield e, shown, None
        for what in ("options", "rows"):
            for item in getattr(q, what, ()):
                for e in _text_parts(item.label):
                    yield e, shown & self.logic.offered(q.code, item.code), item.code
        for c in getattr(q, "columns", ()):
            for e in _text_parts(c.label):
                yield e, shown, None

    def _empty(self, e: ast.Expr) -> Cond:
        return emptiness(symbolic(_blank_marked(e), self.logic), self.logic)

    @staticmethod
    def _may_dead_end(q: Question) -> bool:
        return (q.is_input and impossible_bounds(q) is None
                and bool(q.validations or any(i.condition is not None for i in q.items)
                         or getattr(q, "pattern", None) is not None))

    # ------------------------------------------------------------ findings
    def findings(self):
        self.build()
        verdicts = self.ctx.prover.decide(self.goals)
        self.verdicts = verdicts
        blocked = next((k for k in range(len(self.logic.pages))
                        if verdicts[("page", k)].status == IMPOSSIBLE), None)
        if blocked is not None and blocked > 0:
            yield self._blocked_page(blocked - 1)
        for goal in self.goals:
            if blocked is not None and goal.page >= blocked:
                continue
            yield from self._judge(goal, verdicts[goal.key])
        for key, subject in self.subjects.items():
            if subject == "unmodelled" and self.ctx.wants("R190"):
                q = self.survey.by_code[key[1]]
                yield finding("R190", f"cannot decide whether '{q.code}' always has an acceptable answer: "
                              "its checks use something lint does not model", self.ctx.head(q))

    def _blocked_page(self, page: int) -> Diagnostic:
        codes = self.logic.pages[page].questions
        q = self.survey.by_code[codes[0]] if codes else self.survey.questions[0]
        return finding("R120", f"no respondent can leave the page of '{q.code}': every way through it "
                       "leaves a problem (a mandatory question without acceptable answer)",
                       self.ctx.head(q))

    def _judge(self, goal: Goal, v: Verdict):
        kind, code = goal.key[0], goal.key[1]
        ctx = self.ctx
        if kind == "group":
            if v.status == IMPOSSIBLE:
                g = self.survey.groups_by_code[code]
                yield finding("R102", f"group '{code}' is never shown: no answers make its condition true",
                              (g.condition.span if g.condition is not None else ctx.head(g)))
            elif v.status == UNDECIDED:
                yield _undecided(ctx, f"group '{code}' can be shown", self.survey.groups_by_code[code], v)
        elif kind == "shown":
            if self._group_dead(code):
                return
            q = self.survey.by_code[code]
            if v.status == IMPOSSIBLE:
                verb = "computed" if q.formula is not None else "shown"
                yield finding("R101", f"'{code}' is never {verb}: no answers make its condition true "
                              "while its group is shown", q.condition.span if q.condition else ctx.head(q))
            elif v.status == UNDECIDED:
                yield _undecided(ctx, f"'{code}' can be shown", q, v)
        elif kind == "cond-false" and v.status == IMPOSSIBLE and self._alive(code):
            cond = self.survey.by_code[code].condition
            assert cond is not None  # the goal is about its condition
            yield finding("R110", f"the condition of '{code}' is always true when its group is shown: "
                          "it filters nothing", cond.span,
                          "remove it, or check what it was meant to exclude")
        elif kind == "group-false" and v.status == IMPOSSIBLE:
            group_cond = self.survey.groups_by_code[code].condition
            assert group_cond is not None  # the goal is about its condition
            yield finding("R110", f"the condition of group '{code}' is always true: it filters nothing",
                          group_cond.span, "remove it, or check what it was meant to exclude")
        elif kind in ("offered", "offered-false") and self._alive(code):
            yield from self._item(goal, v)
        elif kind == "part" and v.status == IMPOSSIBLE and self._owner_alive(goal.key[1:3]):
            owner, part, op = cast("tuple[tuple, ast.Expr, str]", self.subjects[goal.key])
            never = "true" if op == "or" else "false"
            yield finding("R111", f"in {self._describe(owner)}, the part `{ast.unparse(part)}` is never "
                          f"{never} where the condition is evaluated: it never decides the `{op}`",
                          part.span, "check the codes and the `and`/`or` it was meant to say")
        elif (kind == "branch" and v.status == IMPOSSIBLE and self._owner_alive(goal.key[1:3])
              and self.verdicts.get((*goal.key[:-1], not goal.key[-1]), v).status == POSSIBLE):
            owner, node, value = cast("tuple[tuple, ast.Call, bool]", self.subjects[goal.key])
            yield finding("R112", f"in the wording of {self._describe(owner)}, the condition of "
                          f"`if({ast.unparse(node.args[0])}, …)` is {'never' if value else 'always'} "
                          "true where the wording is shown: "
                          f"{'its first' if value else 'its second'} text is never printed",
                          node.args[0].span, "check the condition's codes against who sees the wording")
        elif kind in ("hidden", "hidden-group") and v.status == POSSIBLE:
            yield self._leans(kind, code, cast(Withheld, self.subjects[goal.key]), goal, v)
        elif kind in ("empty-text", "empty-group-text") and v.status == POSSIBLE:
            e = cast(ast.Expr, self.subjects[goal.key])
            whose = f"'{code}'" if kind == "empty-text" else f"group '{code}'"
            blank = self._blank_cause(goal, v)
            yield finding("R140", f"the wording of {whose} prints nothing for {{{ast.unparse(e)}}} when "
                          f"what it reads is hidden or unanswered{self._empty_causes(e, goal, v)}{blank.said}",
                          e.span, "give a fallback with if(is_empty(…), …, …), or show the text only when "
                          f"it has a value{blank.hint}", v.witness)
        elif kind in ("rule-fails", "rule-holds") and v.status == IMPOSSIBLE and self._alive(code):
            yield from self._rule(goal, code)
        elif kind == "hole" and v.status == POSSIBLE and self._alive(code):
            e, var = cast("tuple[ast.Expr, ast.Var]", self.subjects[goal.key])
            blank = self._blank_cause(goal, v)
            yield finding("R140", f"the wording of '{code}' joins an empty '{var.name}' into {{{ast.unparse(e)}}}, "
                          f"leaving a hole in the sentence{self._empty_causes(var, goal, v)}{blank.said}",
                          var.span, f"test is_empty({var.name}) first, as around a whole {{…}}{blank.hint}",
                          v.witness)
        elif kind == "dead" and self._alive(code):
            yield from self._dead(code, v, goal)

    def _leans(self, kind: str, code: str, subject: Withheld, goal: Goal, v: Verdict) -> Diagnostic:
        owner = f"'{code}'" if kind == "hidden" else f"group '{code}'"
        x = subject.question
        if subject.item is None:
            hint = (f"if only respondents who saw '{x}' are meant, add `{x}.visible and`; "
                    "if it is intended, add `# noqa: R130`")
        else:
            hint = (f"if only respondents offered '{x}_{subject.item}' are meant, repeat its condition; "
                    "if it is intended, add `# noqa: R130`")
        blank = self._blank_cause(goal, v)
        return finding("R130", f"the condition of {owner} is true because {subject.describe()} (it then "
                       f"reads as empty){blank.said}", subject.reads[0].span, hint + blank.hint, v.witness)

    def _empty_causes(self, e: ast.Expr, goal: Goal, v: Verdict) -> str:
        """Which of the questions `e` reads are hidden for the witness (the cause to
        fix may be their conditions rather than the wording; a blank that is the
        cause is named by `_blank_cause`)."""
        session = self._replay(goal, v)
        if session is None:
            return ""
        causes = []
        for var in ast.variables(e):
            if not var.question or var.attr != "value":
                continue
            q = self.survey.by_code[var.question]
            if q.is_input and is_empty(session.value(var)) and not session.is_visible(q.code):
                causes.append(f"'{q.code}' is hidden")
        return f" (here {'; '.join(dict.fromkeys(causes))})" if causes else ""

    def _blank_cause(self, goal: Goal, v: Verdict) -> _Blank:
        """The optional questions whose blank the finding rests on: among those the
        witness leaves blank (shown, not mandatory, on the goal's page or before),
        each whose being answered makes the goal impossible (asked of the solver
        again), or failing one, all of them together. `_Blank()` when there is none,
        or the witness does not replay."""
        session = self._replay(goal, v)
        if session is None:
            return _Blank()
        logic = self.logic
        read = logic.inputs(goal.reads) - {goal.key[1]}  # the subject's own blank is not a cause
        blanks = [q.code for q in self.survey.questions
                  if q.code in read and q.is_input and not q.mandatory
                  and logic.page_of[q.code] <= goal.page and session.is_visible(q.code)
                  and is_empty(session.value(ast.Var(q.code, question=q.code)))]
        # what the finding reads itself first, then what that reads
        blanks = sorted(blanks, key=lambda c: c not in goal.reads)[:_MOST_BLANKS]

        def answered(codes) -> bool:
            # goals alike (the same formula on the same page, as many {x} of one text) are asked once
            key = (goal.cond.formula.get_id(), goal.page, tuple(codes))
            if key not in self._answered:
                also = z3.And(*(z3.Implies(logic.shown(c).formula, logic.domains[c].answered()) for c in codes))
                self._answered[key] = self.ctx.prover.possible_with(goal, also) == IMPOSSIBLE
            return self._answered[key]

        causes = [c for c in blanks if answered([c])]
        if not causes and len(blanks) > 1 and answered(blanks):
            causes = blanks
        return _Blank(tuple(causes))

    def _replay(self, goal: Goal, v: Verdict):
        """The witness of a verdict replayed up to the goal's page, once per witness."""
        if v.witness is None:
            return None
        key = (json.dumps(v.witness, sort_keys=True, default=str), goal.page)
        if key not in self._sessions:
            self._sessions[key] = replay(self.survey, v.witness, goal.page)
        return self._sessions[key]

    def _owner_alive(self, owner: tuple) -> bool:
        kind, code = owner
        if kind == "group":
            v = self.verdicts.get(("group", code))
            return v is not None and v.status == POSSIBLE
        return not self._group_dead(code) and self._alive(code)

    def _describe(self, owner: tuple) -> str:
        kind, code = owner[0], owner[1]
        if kind == "group":
            return f"the condition of group '{code}'"
        if kind == "question":
            return f"the condition of '{code}'"
        return f"the condition of {kind} '{owner[2]}' of '{code}'"

    def _group_dead(self, code: str) -> bool:
        v = self.verdicts.get(("group", self.survey.by_code[code].group))
        return v is not None and v.status != POSSIBLE

    def _alive(self, code: str) -> bool:
        return self.verdicts[("shown", code)].status == POSSIBLE

    def _item(self, goal: Goal, v: Verdict):
        subject = cast(_Item, self.subjects[goal.key])
        q, item, what = subject.question, subject.item, subject.what
        condition = item.condition
        assert condition is not None  # the goals of an item are about its condition
        if goal.key[0] == "offered":
            if v.status == IMPOSSIBLE:
                yield finding("R103" if what == "option" else "R104",
                              f"{what} '{item.code}' of '{q.code}' is never offered: its condition is false "
                              f"whenever '{q.code}' is shown", condition.span)
            elif v.status == UNDECIDED:
                yield _undecided(self.ctx, f"{what} '{item.code}' of '{q.code}' can be offered", item, v)
        elif v.status == IMPOSSIBLE:
            yield finding("R110", f"the condition of {what} '{item.code}' of '{q.code}' is always true when "
                          f"'{q.code}' is shown: it filters nothing", condition.span,
                          "remove it, or check what it was meant to exclude")

    def _rule(self, goal: Goal, code: str):
        q, n = self.survey.by_code[code], goal.key[2]
        rule_ = q.validations[n]
        other = self.verdicts[("rule-holds" if goal.key[0] == "rule-fails" else "rule-fails", code, n)]
        if goal.key[0] == "rule-fails":
            # (some answer is checked at all: the rule does not hold only vacuously)
            if other.status != IMPOSSIBLE and self.ctx.wants("R113"):
                yield finding("R113", f"the validation `{ast.unparse(rule_.rule)}` of '{code}' holds for every "
                              "answer it accepts otherwise: its message can never appear", rule_.rule.span,
                              "check the bound or code it was meant to test")
            return
        dead = self.verdicts.get(("dead", code))
        if dead is not None and dead.status == POSSIBLE:
            return  # R120/R121 already says so, with a witness
        rule_code = "R120" if q.mandatory else "R121"
        if self.ctx.wants(rule_code):
            verb = "is mandatory but no respondent can answer it" if q.mandatory else "refuses every answer"
            yield finding(rule_code, f"'{code}' {verb}: its validation `{ast.unparse(rule_.rule)}` fails "
                          "for every answer it accepts otherwise (decided for this rule alone)",
                          rule_.rule.span, "fix the rule: no answer passes it")

    def _dead(self, code: str, v: Verdict, goal: Goal):
        q = self.survey.by_code[code]
        if v.status == UNDECIDED:
            yield _undecided(self.ctx, f"'{code}' always has an acceptable answer", q, v)
            return
        if v.status != POSSIBLE:
            return
        why = self._why_dead(q, v.model) + (blank := self._blank_cause(goal, v)).said
        hint = "the witness below is such a respondent" + blank.hint
        if q.mandatory:
            yield finding("R120", f"'{code}' is mandatory but some respondents cannot answer it: {why}",
                          self.ctx.head(q), hint, v.witness)
        else:
            yield finding("R121", f"'{code}' refuses every answer for some respondents: {why}",
                          self.ctx.head(q), hint, v.witness)

    def _why_dead(self, q: Question, model) -> str:
        domain = self.logic.domains[q.code]
        if not domain.typeable:
            length: int | None = getattr(q, "max_length", None)  # a text's
            within = f" in at most {length} characters" if length is not None else ""
            return f"no text matches its pattern{within}"
        what = "option" if hasattr(q, "options") else "row"
        offered = [i for i in q.items
                   if holds(model, self.logic.offered(q.code, i.code).formula)]
        if q.items and not offered:
            return f"every {what} is filtered away"
        least = cast(Ticks, q).min if kind_of(q).shape == "choices" else None
        if least is not None and len(offered) < least:
            return (f"it requires at least {least} ticks but only {len(offered)} "
                    f"option{'s are' if len(offered) != 1 else ' is'} offered")
        return "its validation rejects every answer"


def _undecided(ctx: LintContext, claim: str, node, v: Verdict) -> Diagnostic:
    reasons = "; ".join(sorted(v.reasons))
    span = getattr(node, "condition", None)
    return finding("R190", f"cannot decide whether {claim}: it rests on {reasons}",
                   span.span if span is not None else ctx.head(node))


# ---------------------------------------------------------------- helpers
def _reads(expr) -> set[str]:
    return set() if expr is None else reads([expr])


def _text_parts(*texts):
    for t in texts:
        if t is not None:
            yield from (e for e in t.expressions if any(v.attr != "visible" for v in ast.variables(e)))


def _parts(expr: ast.Expr, top: bool = True):
    """The parts of a condition joined by `and` or `or` (a chain of one operator read
    as one list), with that operator, at every depth; guards are left out."""
    if not isinstance(expr, ast.Logical):
        return
    items = _chain(expr, expr.op)
    for item in items:
        if not _guarded(item):
            yield item, expr.op
        yield from _parts(item, False)


def _chain(expr: ast.Expr, op: str) -> list[ast.Expr]:
    if isinstance(expr, ast.Logical) and expr.op == op:
        return _chain(expr.left, op) + _chain(expr.right, op)
    return [expr]


def _guarded(expr: ast.Expr) -> bool:
    """A guard, whose being redundant is a precaution, not a mistake: is_empty(),
    count(), `.visible`, with or without `not`."""
    while isinstance(expr, ast.Unary) and expr.op == "not":
        expr = expr.operand
    if isinstance(expr, ast.Call) and expr.name in ("is_empty", "count"):
        return True
    if isinstance(expr, ast.Compare) and any(isinstance(x, ast.Call) and x.name == "count"
                                             for x in (expr.left, expr.right)):
        return True
    return isinstance(expr, ast.Var) and expr.attr == "visible"


def _joined(e: ast.Expr, path: tuple = ()):
    """The answers read directly as arguments of join() in wording expression `e`,
    each with the if() branches on its way: (test, taken) pairs."""
    match e:
        case ast.Call(name="if"):
            test, then, other = e.args
            yield from _joined(then, (*path, (test, True)))
            yield from _joined(other, (*path, (test, False)))
        case ast.Call(name="join"):
            for a in e.args:
                if isinstance(a, ast.Var) and a.question and a.attr == "value":
                    yield a, path
                else:
                    yield from _joined(a, path)
        case ast.Call():
            for a in e.args:
                yield from _joined(a, path)


def _joins_empty(var: ast.Var, path: tuple, shown):
    def confirm(session) -> bool:
        return (shown(session) and is_empty(evaluate(var, session))
                and all(truthy(evaluate(t, session)) == taken for t, taken in path))
    return confirm


def _calls(e: ast.Expr, name: str):
    match e:
        case ast.Call():
            if e.name == name:
                yield e
            for a in e.args:
                yield from _calls(a, name)
        case ast.Unary():
            yield from _calls(e.operand, name)
        case ast.Binary() | ast.Compare() | ast.Logical():
            yield from _calls(e.left, name)
            yield from _calls(e.right, name)


def _blank_marked(node: ast.Expr) -> ast.Expr:
    """`node` with every literal "" replaced by a non-empty mark: what is left empty
    comes from the answers read, not from an intended blank."""
    match node:
        case ast.Literal(value=""):
            return attrs.evolve(node, value=_MARK)
        case ast.Unary():
            return attrs.evolve(node, operand=_blank_marked(node.operand))
        case ast.Binary() | ast.Compare() | ast.Logical():
            return attrs.evolve(node, left=_blank_marked(node.left), right=_blank_marked(node.right))
        case ast.Call():
            return make_call(node.name, tuple(_blank_marked(a) for a in node.args), node.span)
    return node


# ---------------------------------------------------------------- runtime confirmations
def _false(condition: ast.Expr, group: str | None = None):
    def confirm(session) -> bool:
        if group is not None and not session.group_visible(group):
            return False
        return not truthy(evaluate(condition, session))
    return confirm


def _part_holds(part: ast.Expr, value: bool, seen):
    """The runtime sees `part` evaluated to `value` where its condition is read."""
    def confirm(session) -> bool:
        return seen(session) and truthy(evaluate(part, session)) == value
    return confirm


def _rule_is(question: str, rule_: ast.Expr, value: bool):
    """The runtime checks a validation of `question` (shown, answered) and finds it `value`."""
    answer = ast.Var(question, question=question)

    def confirm(session) -> bool:
        return (session.is_visible(question) and not is_empty(session.value(answer))
                and truthy(evaluate(rule_, session)) == value)
    return confirm


def _withheld(question: str, item: str):
    def confirm(session) -> bool:
        view = session.view(question)
        return view is not None and all(c.code != item for c in (*view.options, *view.rows))
    return confirm


def _offers(question: str, item: str):
    def confirm(session) -> bool:
        view = session.view(question)
        return view is not None and any(c.code == item for c in (*view.options, *view.rows))
    return confirm


def _stuck(logic, q: Question):
    """A dead end is real when the replayed respondent sees the question and every
    value its checks read is the one the solver's situation gave."""
    read = [part for e in _check_exprs(q) for v in ast.variables(e)
            if v.question and v.question != q.code and v.attr == "value" for part in logic.parts(v)]

    def confirm(session, model) -> bool:
        if not session.is_visible(q.code):
            return False
        return all(logic.holds_value(v, model, session.value(v)) for v in read)
    return confirm


def _check_exprs(q: Question):
    return q.filters + [v.rule for v in q.validations]


def _shows(question: str, item: str | None):
    """Whether the runtime shows a question (and the option or row `item` of it)."""
    def shown(session) -> bool:
        if item is None:
            return session.is_visible(question)
        view = session.view(question)
        return view is not None and any(c.code == item for c in (*view.options, *view.rows))
    return shown


def _prints_empty(e: ast.Expr, shown):
    marked = _blank_marked(e)

    def confirm(session) -> bool:
        return shown(session) and is_empty(evaluate(marked, session))
    return confirm
