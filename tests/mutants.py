"""A generator of author mistakes: single-change mutants of gp_backup and the example
surveys, in families, for measuring what lint catches (tests/test_lint_mutants.py).

Each mutant is one edit of the survey's text, placed through the spans of the loaded
model, so that it stays valid QDL. Families:

- "broken": provably broken logic (a contradiction, a contradictory part of an `or`,
  a tautological part of an `and`, every option filtered away, min > max, a dead-end
  rule, an unreachable row, a group that excludes its own question, a later
  reference in a condition or in wording, a never-true `if()` branch in wording);
- "empty": empty values (`sum()` written with `+`, a dropped `is_empty` guard);
- "intent": valid logic that differs from what the author meant (a wrong existing
  code, `==`/`!=` swapped, `and`/`or` swapped, a deleted `when`, a deleted
  `mandatory`, a bound or literal off by one, a validation weakened from `<` to
  `<=`, a dropped `exclusive`): no checker can tell it is wrong, but `qengine diff`
  must tell who it changes things for (tests/test_diff_mutants.py);
- "equivalent": rewrites that mean the same for every respondent (must never be
  flagged).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import attrs

from qengine.expr import ast
from qengine.kinds.registry import kind_of
from qengine.span import Source
from qengine.syntax.loader import check

SURVEYS = Path(__file__).parent.parent / "surveys"
PROVABLY_WRONG = "broken"
INTENT = "intent"


@attrs.frozen
class Mutant:
    family: str
    kind: str
    where: str
    text: str
    path: str

    @property
    def name(self) -> str:
        return f"{Path(self.path).stem}:{self.kind}:{self.where}"


def surveys() -> list[Path]:
    return [SURVEYS / "gp_backup.qdl", *sorted((SURVEYS / "examples").glob("*.qdl"))]


def load(text: str, path: str):
    survey, _ = check(Source(text, path))
    return survey


class _Edits:
    def __init__(self, path: Path):
        self.path = str(path)
        self.text = path.read_text(encoding="utf-8")
        self.survey = load(self.text, self.path)
        self.out: list[Mutant] = []

    def src(self, node) -> str:
        return self.text[node.span.start:node.span.end]

    def edit(self, family: str, kind: str, where: str, start: int, end: int, new: str):
        self.out.append(Mutant(family, kind, where, self.text[:start] + new + self.text[end:], self.path))

    def replace(self, family, kind, where, node, new: str):
        self.edit(family, kind, where, node.span.start, node.span.end, new)

    def insert_line_after_head(self, family, kind, q, line: str):
        """A statement line added just below the question's first line."""
        head_end = self.text.index("\n", q.span.start)
        nxt = self.text[head_end + 1:]
        indent = nxt[:len(nxt) - len(nxt.lstrip(" "))]
        if not indent:
            return
        self.edit(family, kind, q.code, head_end + 1, head_end + 1, indent + line + "\n")

    def line_end(self, offset: int) -> int:
        return self.text.index("\n", offset)

    # ------------------------------------------------------------ helpers
    def earlier_choices(self, q):
        """Single-choice questions before `q` (with at least two options), shown to
        everybody who reaches `q`'s group or not: a pair (code, [option codes])."""
        for p in self.survey.questions:
            if p.number >= q.number:
                break
            if p.kind == "single" and len(p.options) >= 2 and p.condition is None:
                yield p.code, [o.code for o in p.options]

    def later_choice(self, q):
        """A later single choice that does not itself depend on `q` (no cycle)."""
        for p in self.survey.questions:
            if (p.number > q.number and p.kind == "single" and len(p.options) >= 2
                    and q.code not in self.depends(p.code)):
                return p.code, p.options[0].code
        return None

    def depends(self, code: str) -> set[str]:
        s, seen, todo = self.survey, set(), [code]
        while todo:
            x = s.by_code[todo.pop()]
            exprs = [x.condition, x.formula, s.groups_by_code[x.group].condition,
                     *(i.condition for i in x.items), *(v.rule for v in x.validations),
                     *(e for t in x.texts for e in t.expressions)]
            for e in exprs:
                for r in (_reads(e) if e is not None else ()):
                    if r not in seen:
                        seen.add(r)
                        todo.append(r)
        return seen

    @staticmethod
    def one_line_text(text, source: str) -> bool:
        if text is None:
            return False
        s = text.span
        return (s.line == s.end_line and source[s.start] == '"' and source[s.start + 1] != '"'
                and source[s.end - 1] == '"')


def mutants_of(path: Path) -> list[Mutant]:
    m = _Edits(path)
    s = m.survey
    broken, empty, same = "broken", "empty", "equivalent"
    for q in s.questions:
        pick = next(iter(m.earlier_choices(q)), None)
        c = q.condition
        if c is not None:
            cs = m.src(c)
            if pick is not None:
                p, (a, b, *_) = pick
                m.replace(broken, "contradiction", q.code, c, f'({cs}) and {p} == "{a}" and {p} == "{b}"')
                m.replace(broken, "contradictory-part", q.code, c, f'({p} == "{a}" and {p} == "{b}") or ({cs})')
                m.replace(broken, "tautological-part", q.code, c, f'({p} != "{a}" or {p} != "{b}") and ({cs})')
            later = m.later_choice(q)
            if later is not None:
                m.replace(broken, "later-reference", q.code, c, f'({cs}) and {later[0]} != "{later[1]}"')
            # equivalent rewrites
            m.replace(same, "double-negation", q.code, c, f"not (not ({cs}))")
            if isinstance(c, ast.Logical):
                m.replace(same, "swapped-operands", q.code, c, f"({m.src(c.right)}) {c.op} ({m.src(c.left)})")
            if isinstance(c, ast.Compare) and c.op in ("==", "!="):
                m.replace(same, "mirrored-comparison", q.code, c, f"{m.src(c.right)} {c.op} {m.src(c.left)}")
                if isinstance(c.left, ast.Var) and c.left.attr == "value" and ".NAOK" not in m.src(c.left):
                    m.replace(same, "naok", q.code, c.left, m.src(c.left) + ".NAOK")
            # the options or rows: every one of them withheld whenever the question is shown
            items = [*getattr(q, "options", ()), *getattr(q, "rows", ())]
            plain = [i for i in items if i.condition is None
                     and m.text[i.label.span.end:m.line_end(i.span.start)].strip() == ""]
            if getattr(q, "options", ()) and len(plain) == len(q.options) and q.mandatory:
                text = m.text
                for i in reversed(plain):
                    at = i.label.span.end
                    text = text[:at] + f" when not ({cs})" + text[at:]
                m.out.append(Mutant(broken, "all-options-filtered", q.code, text, m.path))
            rows = [i for i in getattr(q, "rows", ()) if i in plain]
            if rows:
                at = rows[-1].label.span.end
                m.edit(broken, "unreachable-row", q.code, at, at, f" when not ({cs})")
            group = s.groups_by_code[q.group]
            first = min(x.number for x in s.questions if x.group == q.group)
            if all(s.by_code[v].number < first for v in _reads(c)) and group.condition is None:
                head_end = m.line_end(group.span.start)
                m.edit(broken, "group-excludes-question", q.code, head_end + 1, head_end + 1,
                       f"  when not ({cs})\n")
        # wording
        if m.one_line_text(q.text, m.text) and q.formula is None:
            at = q.text.span.end - 1
            if c is not None and "\n" not in m.src(c):
                m.edit(broken, "never-true-branch", q.code, at, at,
                       f"{{if(not ({m.src(c)}), ' (x)', '')}}")
            elif c is None and pick is not None:
                p, (a, b, *_) = pick
                m.edit(broken, "never-true-branch", q.code, at, at,
                       f"{{if({p} == '{a}' and {p} == '{b}', ' (x)', '')}}")
            later = m.later_choice(q)
            if later is not None:
                m.edit(broken, "later-reference-in-wording", q.code, at, at,
                       f"{{if({later[0]} == '{later[1]}', ' (x)', '')}}")
        # bounds
        kind = kind_of(q)
        lo, hi = getattr(q, "min", None), getattr(q, "max", None)
        if lo is not None and hi is not None and lo != hi and kind.shape != "choices":
            lines = _statement_lines(m.text, q)
            if "min" in lines and "max" in lines:
                text = m.text
                (ls, le), (hs, he) = lines["min"], lines["max"]
                edits = sorted([(ls, le, f"min {_num(hi)}"), (hs, he, f"max {_num(lo)}")], reverse=True)
                for st, en, new in edits:
                    text = text[:st] + new + text[en:]
                m.out.append(Mutant(broken, "min-above-max", q.code, text, m.path))
        if kind.shape == "choices" and q.mandatory and getattr(q, "options", ()) and q.kind == "multiple":
            lines = _statement_lines(m.text, q)
            if "min" in lines:
                st, en = lines["min"]
                m.edit(broken, "dead-end-rule", q.code, st, en, f"min {len(q.options) + 1}")
        if q.kind in ("integer", "decimal") and lo is not None and hi is not None:
            m.insert_line_after_head(broken, "dead-end-rule", q,
                                     f'validate {q.code} > {_num(hi)} message "Too small."')
        if q.kind in ("integer", "decimal") and hi is not None:
            m.insert_line_after_head(broken, "never-failing-rule", q,
                                     f'validate {q.code} <= {_num(hi)} message "Too large."')
        if q.validations and q.kind in ("integer", "decimal", "text"):
            m.insert_line_after_head(broken, "rule-beside-unmodelled", q,
                                     f'validate {q.code} == "zz" and {q.code} == "yy" message "Never."')
    _intent(m)
    # sum() written with +, a dropped is_empty() guard
    for site_expr, owner in _all_exprs(s):
        for node in _walk(site_expr):
            if isinstance(node, ast.Call) and node.name == "sum" and len(node.args) >= 2:
                m.replace(empty, "sum-as-plus", owner, node, "(" + " + ".join(m.src(a) for a in node.args) + ")")
            if (isinstance(node, ast.Call) and node.name == "if" and _guard(node.args[0])):
                m.replace(empty, "dropped-guard", owner, node, m.src(node.args[2]))
            if isinstance(node, ast.Logical) and node.op == "and":
                for keep, drop in ((node.left, node.right), (node.right, node.left)):
                    if _guard(drop):
                        m.replace(empty, "dropped-guard", owner, node, m.src(keep))
    return m.out


_SWAPPED = {"==": "!=", "!=": "==", "and": "or", "or": "and"}
_WEAKER = {"<": "<=", "<=": "<", ">": ">=", ">=": ">"}


def _intent(m: _Edits) -> None:
    """The "intent" family: each a plausible edit that stays valid logic."""
    s, intent = m.survey, INTENT
    conditions = [(g.condition, g.code) for g in s.groups if g.condition is not None]
    for q in s.questions:
        conditions += [(c, q.code) for c in (q.condition, *q.filters) if c is not None]
    for c, owner in conditions:
        for node in _walk(c):
            if isinstance(node, ast.Compare) and node.op in ("==", "!="):
                m.replace(intent, "eq-neq-swap", owner, node,
                          f"{m.src(node.left)} {_SWAPPED[node.op]} {m.src(node.right)}")
                other = _other_code(s, node)
                if other is not None:
                    literal, code = other
                    quote = m.src(literal)[0]
                    m.replace(intent, "wrong-code", owner, literal, f"{quote}{code}{quote}")
            if isinstance(node, ast.Logical):
                m.replace(intent, "and-or-swap", owner, node,
                          f"({m.src(node.left)}) {_SWAPPED[node.op]} ({m.src(node.right)})")
            if (isinstance(node, ast.Compare) and node.op in _WEAKER and isinstance(node.right, ast.Literal)
                    and isinstance(node.right.value, int | float) and not isinstance(node.right.value, bool)):
                m.replace(intent, "off-by-one", owner, node.right, _num(node.right.value + 1))
    for q in s.questions:
        lines = _statement_lines(m.text, q)
        c = q.condition
        if c is not None and c.span.line == c.span.end_line:
            start = m.text.rindex("\n", 0, c.span.start) + 1
            if m.text[start:c.span.start].strip() == "when" and m.line_end(c.span.end) == c.span.end:
                m.edit(intent, "deleted-when", q.code, start, c.span.end + 1, "")
        body_start = m.text.index("\n", q.span.start) + 1
        for word, at in _bare_lines(m.text, body_start, q.span.end):
            if word == "mandatory":
                m.edit(intent, "deleted-mandatory", q.code, at, m.line_end(at) + 1, "")
        for word, delta in (("min", 1), ("max", -1)):
            if word in lines and getattr(q, word, None) is not None:
                st, en = lines[word]
                m.edit(intent, "off-by-one", q.code, st, en, f"{word} {_num(getattr(q, word) + delta)}")
        for v in q.validations:
            for node in _walk(v.rule):
                if isinstance(node, ast.Compare) and node.op in _WEAKER:
                    m.replace(intent, "weakened-rule", q.code, node,
                              f"{m.src(node.left)} {_WEAKER[node.op]} {m.src(node.right)}")
        for o in getattr(q, "options", ()):
            if o.exclusive:
                line = m.text[o.span.start:m.line_end(o.span.start)]
                at = line.rfind(" exclusive")
                if at >= 0:
                    m.edit(intent, "dropped-exclusive", q.code, o.span.start + at,
                           o.span.start + at + len(" exclusive"), "")


def _other_code(survey, node: ast.Compare):
    """(the literal, another code of the same question) for `x == "code"` where x
    is a single choice or a row of an array, or None."""
    for var, literal in ((node.left, node.right), (node.right, node.left)):
        if isinstance(var, ast.Var) and var.question and var.attr == "value" and isinstance(literal, ast.Literal):
            q = survey.by_code[var.question]
            codes = kind_of(q).codes(q, var.sub)
            if codes and literal.value in codes and len(codes) >= 2:
                codes = list(codes)
                return literal, codes[(codes.index(literal.value) + 1) % len(codes)]
    return None


def _bare_lines(text: str, start: int, end: int):
    """(the word, where its line starts) of each line of text[start:end] that
    holds one word."""
    pos = start
    for line in text[start:end].split("\n"):
        if line.strip() and len(line.split()) == 1:
            yield line.strip(), pos
        pos += len(line) + 1


def _guard(e) -> bool:
    while isinstance(e, ast.Unary) and e.op == "not":
        e = e.operand
    return isinstance(e, ast.Call) and e.name == "is_empty"


def _num(x) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _statement_lines(text: str, q) -> dict[str, tuple[int, int]]:
    """Where the `min …` and `max …` statements of a question are (offsets)."""
    found = {}
    body = text[q.span.start:q.span.end]
    pos = q.span.start
    for line in body.split("\n"):
        word = line.strip().split(" ")[0]
        if word in ("min", "max") and word not in found:
            st = pos + len(line) - len(line.lstrip())
            found[word] = (st, pos + len(line.rstrip()))
        pos += len(line) + 1
    return found


def _reads(expr) -> set[str]:
    return {v.question for v in ast.variables(expr) if v.question}


def _walk(e) -> Iterator:
    yield e
    for child in (getattr(e, "operand", None), getattr(e, "left", None), getattr(e, "right", None),
                  *getattr(e, "args", ())):
        if child is not None:
            yield from _walk(child)


def _all_exprs(s):
    for g in s.groups:
        if g.condition is not None:
            yield g.condition, g.code
    for q in s.questions:
        for e in (q.condition, q.formula, *(v.rule for v in q.validations)):
            if e is not None:
                yield e, q.code
        for t in q.texts:
            for e in t.expressions:
                yield e, q.code


def all_mutants() -> list[Mutant]:
    return [x for p in surveys() for x in mutants_of(p)]


def sample(mutants: list[Mutant], per_kind: int, seed: int = 21, whole: tuple[str, ...] = ("empty",)
           ) -> list[Mutant]:
    """At most `per_kind` mutants of each (survey, kind), chosen deterministically;
    every one of the families `whole` (few, and each one its own case)."""
    rng = random.Random(seed)
    by: dict[tuple, list[Mutant]] = {}
    for x in mutants:
        by.setdefault((x.path, x.kind), []).append(x)
    out = []
    for key in sorted(by):
        group = by[key]
        whole_family = group[0].family in whole
        out += group if whole_family or len(group) <= per_kind else rng.sample(group, per_kind)
    return out
