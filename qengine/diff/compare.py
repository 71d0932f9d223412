"""`diff(old, new)`: every difference a respondent can meet, proved, with a witness.

For each matched question (and group, option, row, text) that may behave
differently (`structure.unstable`, or its own wording changed), a goal is put to the
joint solver (`prove.Joint`): "some respondent is shown it in one version and not
the other", "an answer accepted by one version is refused by the other", "the
value differs", "the wording reads differently". Each goal is asked first of a
respondent who completes both versions (the nicest witness), then of one who has
just reached the subject's page in both.

- unsat: no respondent can tell; when the source was rewritten, a `same` record
  says so ("no change for any respondent");
- sat: the model's answers are replayed on both versions (`replay`); when the
  runtime shows the difference, it is a change, with what each version showed;
  when it does not, or the solver gave up, it is `undecided`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
import z3

from qengine.diff import replay
from qengine.diff.changes import CHANGED, SAME, UNDECIDED, Change, Report, Witness
from qengine.diff.matching import Matching
from qengine.diff.prove import NEW, Joint, Version, differ, shared_literals
from qengine.diff.structure import in_new_terms, lacking, logic_reads, own_changes, structural, unstable
from qengine.expr import ast
from qengine.lint import limits
from qengine.lint.constraints import Cond, disj, emptiness, holds, symbolic
from qengine.model import Question, Survey, Text, reads

Pages = tuple[int | None, int | None]
#: other respondents asked for when a witness does not replay (`_other_blanks`)
RETRIES = 6


@attrs.frozen(eq=False)
class Goal:
    """One way the versions may differ, as a solver formula and a runtime check."""

    aspect: str
    subject: str  # old code
    item: str | None
    direction: str | None
    formula: Cond
    pages: Pages  # the subject's page in each version
    observers: tuple[replay.Observer, replay.Observer]
    message: str
    #: the questions whose answers describe who is concerned
    about: frozenset[str] = frozenset()
    #: acceptance goals: the question (old code, new code) whose stored range is asked
    skip: tuple[str, str] | None = None
    #: a question left out of the witness (its default is what is compared)
    untouched: str | None = None
    #: whether a complete respondent can show it (not for acceptance: they pass)
    complete_first: bool = True
    #: whether the difference may show only in the submitted response: relevance and
    #: values, which submission decides with every answer (a condition reading a
    #: later question), unlike what a page shows
    at_submission: bool = False


#: the goals of one aspect, and how its source was rewritten (if it was)
Aspect = tuple[list[Goal], str | None]


def diff(old: Survey, new: Survey, renames: dict[str, str] | None = None,
         names: tuple[str, str] = ("old", "new")) -> Report:
    m = Matching.of(old, new, renames)
    return Report(names[0], names[1], tuple(_Comparison(m).changes()), dict(m.renamed))


class _Comparison:
    def __init__(self, m: Matching):
        self.m = m
        self.back = m.back
        lit_old, lit_new = shared_literals(m.old, m.new, m.questions)
        self.old = Version(m.old, "", lit_old)
        self.new = Version(m.new, NEW, lit_new)
        target = {b: a for a, b in m.questions.items()
                  if m.old.by_code[a].kind == m.new.by_code[b].kind}
        self.new.rename_answers({c: target.get(c) for c in m.new.by_code})
        self.joint = Joint(self.old, self.new, {a: b for b, a in target.items()})
        #: questions that may differ, as written (`structure.unstable`); those of them
        #: proved the same for every respondent (`same`) no longer make readers differ
        self.unstable = unstable(m)
        self.own_changed = own_changes(m)
        self.reads_of = logic_reads(m)
        self.lacking = lacking(m)
        self.same: set[str] = set()
        #: questions whose own words changed, as written or in what their `{…}` parts
        #: read: what `.shown`, `.question`, `.type` of them read may too
        self.relabelled = {a for a, b in m.questions.items()
                           if _words(in_new_terms(m.old.by_code[a], m.questions)) != _words(m.new.by_code[b])
                           or reads([e for t in _word_texts(m.old.by_code[a]) for e in t.expressions])
                           & (self.unstable | self.lacking)}

    # ------------------------------------------------------------ the records
    def changes(self) -> list[Change]:
        """The records, structure first, then groups, then questions. Questions are
        settled in survey order, each group just before its first question: what a
        question reads has been settled by then, and one proved the same for every
        respondent makes nothing that reads it differ (what the solver does not model
        in a reader would otherwise be two unknowns, one per version)."""
        groups: dict[str, list[Change]] = {}
        questions: list[Change] = []
        for qo, qn in self.m.pairs():
            if qo.group in self.m.groups and qo.group not in groups:
                groups[qo.group] = [c for aspect in self._group_goals(qo.group) for c in self._settle(aspect)]
            if qo.kind != qn.kind:
                continue
            found = [c for aspect in self._question_goals(qo, qn) for c in self._settle(aspect)]
            questions += found
            if (qo.code in self.unstable and self._answered_before(qo, qn)
                    and not any(c.status != SAME for c in found if c.aspect != "wording")):
                self.same.add(qo.code)
        for a in self.m.groups:
            if a not in groups:
                groups[a] = [c for aspect in self._group_goals(a) for c in self._settle(aspect)]
        return structural(self.m) + [c for a in self.m.groups for c in groups[a]] + questions

    def _answered_before(self, qo: Question, qn: Question) -> bool:
        """Whether what the question shows, offers, accepts or holds depends only on
        answers of its page and earlier ones, in both versions: proved the same on
        its page, it is the same on every later one."""
        return (self.old.cone_page[qo.code] <= self.old.page_of[qo.code]
                and self.new.cone_page[qn.code] <= self.new.page_of[qn.code])

    def _differs(self) -> set[str]:
        """What may differ now: questions not proved the same, and those one version lacks."""
        return (self.unstable - self.same) | self.lacking

    def _unstable_now(self, code: str) -> bool:
        return code in self.own_changed or bool(self.reads_of[code] & self._differs())

    def _settle(self, goals: Aspect) -> list[Change]:
        """The records of one aspect (its goals, usually both directions): each goal
        shown possible and replayed is a change; when none is and some was undecided,
        one undecided record; when all are impossible and the source was rewritten
        (`rewritten` describes how), one `same` record."""
        found: list[Change] = []
        undecided: list[tuple[Goal, frozenset[str]]] = []
        goal_list, rewritten = goals
        for goal in goal_list:
            status, witness, reasons = self._decide(goal)
            if status == CHANGED and witness is not None:
                found.append(Change(goal.aspect, CHANGED, goal.subject,
                                    goal.message + self._who(goal, witness), goal.item, goal.direction, witness))
            elif status == UNDECIDED:
                undecided.append((goal, reasons))
        if found:
            return found
        if undecided:
            goal, reasons = undecided[0]
            return [Change(goal.aspect, UNDECIDED, goal.subject, goal.message, goal.item,
                           None, None, tuple(sorted(set().union(*(r for _, r in undecided)))))]
        if rewritten and goal_list:
            g = goal_list[0]
            return [Change(g.aspect, SAME, g.subject, f"{rewritten}: no change for any respondent", g.item)]
        return []

    def _who(self, goal: Goal, witness: Witness) -> str:
        """The answers of the witness that the subject's logic reads: who is concerned."""
        said = [f"{c} = {_show(witness.old_answers[c])}" for c in sorted(goal.about) if c in witness.old_answers]
        return f" (for instance respondents with {', '.join(said)})" if said else ""

    # ------------------------------------------------------------ deciding one goal
    def _decide(self, goal: Goal) -> tuple[str, Witness | None, frozenset[str]]:
        tries: list[Pages] = ([(None, None)] if goal.complete_first else []) + [goal.pages]
        reasons: frozenset[str] = goal.formula.reasons
        for pages in tries:
            assumptions, context_reasons = self.joint.context(*pages, skip=goal.skip)
            result, model = self.joint.ask(goal.formula.formula, assumptions)
            if result == "unsat":
                if pages == goal.pages:  # a proof: the complete respondents are among these
                    return SAME, None, frozenset()
                continue
            if result == "unknown":
                reasons |= {limits.GAVE_UP}
                continue
            if result == "sat":
                witness = self._replayed(goal, model, pages) or self._other_blanks(goal, model, pages, assumptions)
                if witness is not None:
                    return CHANGED, witness, frozenset()
                reasons |= context_reasons | {"a witness the runtime did not confirm"}
        return UNDECIDED, None, reasons

    def _other_blanks(self, goal: Goal, model: z3.ModelRef, pages: Pages,
                      assumptions: list[z3.BoolRef]) -> Witness | None:
        """A witness the runtime did not confirm may rest on what the solver does not
        model (join() or round() of an answer, strlen()...), while blanks are modelled
        exactly: ask again for a respondent who, unlike this one, leaves blank (or
        answers) one of the questions the subject's logic reads, through equations
        too; one question after the other, in survey order, at most `RETRIES`."""
        about = [c for c in goal.about if c in self.m.old.by_code]
        cone = self.old.inputs(about)
        codes = [q.code for q in self.m.old.questions if q.code in cone and q.is_input]
        for code in codes[:RETRIES]:
            var = ast.Var(code, question=code)
            blank = emptiness(self.old.whole(var) or self.old.value(var), self.old).formula
            other = z3.Not(blank) if holds(model, blank) else blank
            result, found = self.joint.ask(z3.And(goal.formula.formula, other), assumptions)
            if result == "sat" and found is not None:
                witness = self._replayed(goal, found, pages)
                if witness is not None:
                    return witness
        return None

    def _replayed(self, goal: Goal, model: z3.ModelRef, pages: Pages) -> Witness | None:
        last = [len(v.pages) - 1 if p is None else p for v, p in zip((self.old, self.new), pages, strict=True)]
        old_answers = self.old.witness(model, last[0])
        new_answers = self.new.witness(self.new.model_for(model), last[1])
        for code, value in list(old_answers.items()):
            partner = self.m.questions.get(code)
            if partner is not None:
                new_answers.setdefault(partner, value)
        for code, value in list(new_answers.items()):
            partner = self.back.get(code)
            if partner is not None:
                old_answers.setdefault(partner, value)
        if goal.untouched is not None:
            old_answers.pop(goal.untouched, None)
            new_answers.pop(self.m.questions[goal.untouched], None)
        if goal.skip is not None:
            # what is accepted is asked: the answer is typed, even when it is the default
            # (a default is never checked against the bounds)
            a, b = goal.skip
            old_answers[a] = self.old.domains[a].witness(model)
            new_answers[b] = self.new.domains[b].witness(self.new.model_for(model))
        seen = replay.observe(self.m.old, self.m.new, old_answers, new_answers, goal.pages, goal.observers)
        if seen is None and goal.at_submission and pages == (None, None):
            # the same on the subject's page, and different in the response submitted
            at_end = replay.observe(self.m.old, self.m.new, old_answers, new_answers, pages, goal.observers)
            if at_end is not None:
                seen = (f"{at_end[0]} at submission", f"{at_end[1]} at submission")
        if seen is None:
            return None
        return Witness(old_answers, new_answers, *seen)

    # ------------------------------------------------------------ goals
    def _group_goals(self, a: str) -> list[Aspect]:
        out: list[Aspect] = []
        b = self.m.groups[a]
        go, gn = self.m.old.groups_by_code[a], self.m.new.groups_by_code[b]
        po, pn = _group_page(self.old, a), _group_page(self.new, b)
        if po is not None and pn is not None:
            cond_changed = in_new_terms(go.condition, self.m.questions) != gn.condition
            read = reads([go.condition] if go.condition is not None else [])
            if cond_changed or read & self._unstable_or_gone():
                so, sn = self.old.group(a), self.new.tr_cond(self.new.group(b))
                about = self._about(go.condition, gn.condition)
                observers = (replay.group_visibility(a), replay.group_visibility(b))
                goals = [Goal("group", a, None, "gains", ~so & sn, (po, pn), observers,
                              f"group '{a}' is now shown to respondents who did not see it before", about,
                              at_submission=True),
                         Goal("group", a, None, "loses", so & ~sn, (po, pn), observers,
                              f"group '{a}' is no longer shown to respondents who saw it before", about,
                              at_submission=True)]
                out.append((goals, _rewritten("the condition of group", a, go.condition, gn.condition, cond_changed)))
            for name in ("title", "description"):
                out += self._wording(f"{name} of group '{a}'", a, None, getattr(go, name), getattr(gn, name),
                                     (po, pn), (replay.group_words(a), replay.group_words(b)),
                                     so_sn=(self.old.group(a), self.new.tr_cond(self.new.group(b))))
        return out

    def _unstable_or_gone(self) -> set[str]:
        return self._differs()

    def _question_goals(self, qo: Question, qn: Question) -> list[Aspect]:
        a, b = qo.code, qn.code
        pages = (self.old.page_of[a], self.new.page_of[b])
        so, sn = self.old.shown_of(a), self.new.shown_of(b)
        out: list[Aspect] = []
        unstable = self._unstable_now(a)
        group_o = self.m.old.groups_by_code[qo.group].condition
        group_n = self.m.new.groups_by_code[qn.group].condition
        if unstable:
            about = self._about(qo.condition, qn.condition, group_o, group_n)
            changed = in_new_terms(qo.condition, self.m.questions) != qn.condition
            observers = (replay.visibility(a), replay.visibility(b))
            if qo.formula is None:  # an equation is never shown: its value says it all
                out.append(([Goal("shown", a, None, "gains", ~so & sn, pages, observers,
                                  f"'{a}' is now shown to respondents who did not see it before", about,
                                  at_submission=True),
                             Goal("shown", a, None, "loses", so & ~sn, pages, observers,
                                  f"'{a}' is no longer shown to respondents who saw it before", about,
                                  at_submission=True)],
                            _rewritten("the condition of", a, qo.condition, qn.condition, changed)))
            out += self._item_goals(qo, qn, pages, so & sn)
            out += self._acceptance_goals(qo, qn, pages, so & sn)
            if qo.formula is not None:
                out += self._value_goal(qo, qn, pages)
        out += self._default_goal(qo, qn, pages, so & sn)
        out += self._question_wording(qo, qn, pages, so, sn)
        return out

    def _item_goals(self, qo: Question, qn: Question, pages: Pages, both: Cond) -> list[Aspect]:
        out: list[Aspect] = []
        a, b = qo.code, qn.code
        new_items = {i.code: i for i in qn.items}
        for item in qo.items:
            other = new_items.get(item.code)
            if other is None:
                continue
            oo = self.old.offered(a, item.code)
            on = self.new.tr_cond(self.new.offered(b, item.code))
            word = "option" if hasattr(qo, "options") else "row"
            changed = in_new_terms(item.condition, self.m.questions) != other.condition
            about = self._about(item.condition, other.condition)
            observers = (replay.offered(a, item.code), replay.offered(b, item.code))
            out.append(([Goal("offered", a, item.code, "gains", both & ~oo & on, pages, observers,
                              f"{word} '{item.code}' of '{a}' is now offered to respondents who were not "
                              "offered it before", about),
                         Goal("offered", a, item.code, "loses", both & oo & ~on, pages, observers,
                              f"{word} '{item.code}' of '{a}' is no longer offered to respondents who were "
                              "offered it before", about)],
                        _rewritten(f"the condition of {word} '{item.code}' of", a, item.condition, other.condition,
                                   changed)))
        return out

    def _acceptance_goals(self, qo: Question, qn: Question, pages: Pages, both: Cond) -> list[Aspect]:
        """Only when what decides acceptance changed, or its validations read what
        changed: options filtered differently are the `offered` goals' business."""
        if not qo.is_input:
            return []
        a, b = qo.code, qn.code
        what = _acceptance_attributes(qo, qn, self.m)
        # its own answer is shared: what it reads of itself is the same in both
        rules_read = (reads([v.rule for v in qo.validations]) - {a}) & self._unstable_or_gone()
        if not what and not rules_read:
            return []
        ao, an = self.old.acceptance(a), self.new.acceptance(b)
        because = f" ({', '.join(what)})" if what else ""
        observers = (replay.acceptance(a), replay.acceptance(b))
        about = self._about(*(v.rule for v in qo.validations), *(v.rule for v in qn.validations)) - {a}
        return [([Goal("accepts", a, None, "gains", both & ~ao & an, pages, observers,
                       f"'{a}' now accepts answers it refused before{because}", about, skip=(a, b),
                       complete_first=False),
                  Goal("accepts", a, None, "loses", both & ao & ~an, pages, observers,
                       f"'{a}' now refuses answers it accepted before{because}", about, skip=(a, b),
                       complete_first=False)],
                 f"what '{a}' accepts was rewritten{because}" if what else None)]

    def _value_goal(self, qo: Question, qn: Question, pages: Pages) -> list[Aspect]:
        a, b = qo.code, qn.code
        vo = self.old.value_of(qo)
        vn = self.new.tr_sym(self.new.value_of(qn))
        changed = in_new_terms(qo.formula, self.m.questions) != qn.formula
        observers = (replay.value(a), replay.value(b))
        return [([Goal("value", a, None, None, differ(vo, vn, self.old), pages, observers,
                       f"the value of '{a}' differs for some respondents", self._about(qo.formula, qn.formula),
                       at_submission=True)],
                 _rewritten("the value of", a, qo.formula, qn.formula, changed))]

    def _default_goal(self, qo: Question, qn: Question, pages: Pages, both: Cond) -> list[Aspect]:
        before, after = getattr(qo, "default", None), getattr(qn, "default", None)
        if before == after:
            return []
        a, b = qo.code, qn.code
        observers = (replay.value(a), replay.value(b))
        return [([Goal("default", a, None, None, both, pages, observers,
                       f"'{a}' starts with {_show(after)} instead of {_show(before)}", untouched=a)], None)]

    def _question_wording(self, qo: Question, qn: Question, pages: Pages, so: Cond, sn: Cond) -> list[Aspect]:
        a, b = qo.code, qn.code
        texts = [("text", qo.text, qn.text), ("help", qo.help, qn.help)]
        texts += [(name, getattr(qo, name, None), getattr(qn, name, None)) for name in ("prefix", "suffix")]
        for role in ("options", "rows", "columns"):
            new_items = {i.code: i for i in getattr(qn, role, ())}
            texts += [(f"label of {role[:-1]} '{i.code}'", i.label, new_items[i.code].label)
                      for i in getattr(qo, role, ()) if i.code in new_items]
        observers = (replay.question_words(a), replay.question_words(b))
        out: list[Aspect] = []
        for role, to, tn in texts:
            out += self._wording(f"{role} of '{a}'", a, role, to, tn, pages, observers, so_sn=(so, sn))
        return out

    def _wording(self, what: str, subject: str, role: str | None, to: Text | None, tn: Text | None, pages: Pages,
                 observers: tuple[replay.Observer, replay.Observer], so_sn: tuple[Cond, Cond]) -> list[Aspect]:
        """A text read differently: any respondent who sees it when its words
        changed; when only its `{…}` parts did (or what they read), those for whom
        one of them reads differently, or a part only one version has prints
        something (`{…}` parts at the same place in the same words are paired in
        order: when every pair reads alike and the rest print nothing, the texts
        are the same)."""
        mapped = in_new_terms(to, self.m.questions)
        exprs = [] if to is None else list(to.expressions)
        if mapped == tn and not (reads(exprs) & self._unstable_or_gone()) and not (_labels_read(exprs)
                                                                                 & self.relabelled):
            return []
        so, sn = so_sn
        both = so & sn
        if to is None or tn is None or _holes(to)[0] != _holes(tn)[0]:
            formula = both
            rewritten = None
        else:
            parts = self._hole_differences(_holes(to)[1], _holes(tn)[1])
            formula = both & Cond(disj(*(p.formula for p in parts)), frozenset().union(*(p.reasons for p in parts)))
            rewritten = f"the {what} was rewritten" if mapped != tn else None
        about = self._about(*exprs, *([] if tn is None else tn.expressions))
        return [([Goal("wording", subject, role, None, formula, pages, observers,
                       f"the {what} reads differently", about)], rewritten)]

    def _hole_differences(self, old: dict[int, list[ast.Expr]], new: dict[int, list[ast.Expr]]) -> list[Cond]:
        """What makes two texts of the same words read differently: at some place,
        a pair of `{…}` parts that differ, or one of the extra parts that prints."""
        out: list[Cond] = []
        for at in sorted(old.keys() | new.keys()):
            xs, ys = old.get(at, []), new.get(at, [])
            out += [differ(symbolic(x, self.old), self.new.tr_sym(symbolic(y, self.new)), self.old)
                    for x, y in zip(xs, ys, strict=False) if not self._alike(x, y)]
            out += [~emptiness(symbolic(x, self.old), self.old) for x in xs[len(ys):]]
            out += [~emptiness(self.new.tr_sym(symbolic(y, self.new)), self.old) for y in ys[len(xs):]]
        return out

    def _alike(self, x: ast.Expr, y: ast.Expr) -> bool:
        """The same expression over what reads the same in both versions: it gives
        the same value by construction (what the solver does not model in it would
        otherwise be one unknown per version)."""
        return (in_new_terms(x, self.m.questions) == y and not (reads([x]) & self._differs())
                and not (_labels_read([x]) & self.relabelled))

    def _about(self, *exprs: ast.Expr | None) -> frozenset[str]:
        """Old codes of the questions the expressions read (new ones mapped back)."""
        codes = reads([e for e in exprs if e is not None])
        return frozenset(self.back.get(c, c) if c not in self.m.old.by_code else c for c in codes)


def _acceptance_attributes(qo: Question, qn: Question, m: Matching) -> list[str]:
    """What decides acceptance and differs: mandatory, bounds, length, pattern,
    exclusive options, validations (by words)."""
    out = []
    if qo.mandatory != qn.mandatory:
        out.append("mandatory " + ("added" if qn.mandatory else "removed"))
    for name in ("min", "max", "max_length", "pattern", "integer"):
        before, after = getattr(qo, name, None), getattr(qn, name, None)
        if before != after:
            out.append(f"{name.replace('_', '')} {_show(before)} → {_show(after)}")
    exclusive_o = {o.code for o in getattr(qo, "options", ()) if o.exclusive}
    exclusive_n = {o.code for o in getattr(qn, "options", ()) if o.exclusive}
    out += [f"'{c}' no longer exclusive" for c in sorted(exclusive_o - exclusive_n)]
    out += [f"'{c}' now exclusive" for c in sorted(exclusive_n - exclusive_o)]
    rules_o = [in_new_terms(v.rule, m.questions) for v in qo.validations]
    if rules_o != [v.rule for v in qn.validations]:
        out.append("validation " + " / ".join(ast.unparse(v.rule) for v in qn.validations) if qn.validations
                   else "validations removed")
    return out


def _rewritten(what: str, code: str, before: ast.Expr | None, after: ast.Expr | None, changed: bool) -> str | None:
    if not changed:
        return None
    return f"{what} '{code}' was rewritten ({_source(before)} → {_source(after)})"


def _source(expr: ast.Expr | None) -> str:
    return "none" if expr is None else ast.unparse(expr)


def _words(q: Question) -> tuple[object, ...]:
    """A question's own words, as `.type` (its kind), `.question` (its text) and
    `.shown` (the labels of its options, rows and columns, by code) read them."""
    return (q.kind, q.text, *((i.code, i.label) for i in _items(q)))


def _word_texts(q: Question) -> list[Text]:
    """The texts among a question's own words."""
    return [t for t in (q.text, *(i.label for i in _items(q))) if t is not None]


def _items(q: Question) -> list[Any]:
    return [i for role in ("options", "rows", "columns") for i in getattr(q, role, ())]


def _labels_read(exprs: Iterable[ast.Expr]) -> set[str]:
    """The questions whose own words the expressions read: labels (`.shown`), wording
    (`.question`), kind (`.type`)."""
    return {v.question for e in exprs for v in ast.variables(e) if v.attr in ("shown", "question", "type")
            and v.question}


def _holes(text: Text) -> tuple[str, dict[int, list[ast.Expr]]]:
    """A text's literal words, and its `{…}` parts by where they stand in them."""
    words = ""
    holes: dict[int, list[ast.Expr]] = {}
    for p in text.parts:
        if isinstance(p, str):
            words += p
        else:
            holes.setdefault(len(words), []).append(p)
    return words, holes


def _group_page(v: Version, code: str) -> int | None:
    return next((i for i, p in enumerate(v.pages) if code in p.groups), None)


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    return repr(value) if isinstance(value, str) else str(value)


__all__ = ["diff"]
