"""Every reading of a piece of dynamic wording, and when each applies.

A paper version cannot change its wording with the answers, so it prints each
possible wording with its condition in words. The conditions of the `{if(…)}` parts
of a text are split into atoms (comparisons, `is_empty`, …); every combination of
atoms is tried, the combinations that give the same wording are grouped, and each
group is described by a short sum of products (a small Quine-McCluskey), so that
`{if(cloud == "cldo", 'A', 'B')}` reads "A — si la réponse était 'Oui' à la question
8" and "B — si la réponse n'était pas 'Oui' …". Combinations no respondent can reach
(one answer equal to two codes, a number both above 3 and equal to 2) are left out.

Parts that show a value (`{age}`) become placeholders: "[réponse à la question 2 [age]]".
"""

from __future__ import annotations

import re
from itertools import product
from typing import cast

import attrs

from qengine.errors import EvaluationError
from qengine.expr import ast
from qengine.expr.evaluate import evaluate
from qengine.expr.values import as_text, truthy
from qengine.kinds.attributes import type_letter, wording, wording_texts
from qengine.kinds.base import Choices
from qengine.kinds.registry import kind_of
from qengine.model import Survey, Text
from qengine.renderers.words import Phrase, Reader, all_of, any_of

#: More atoms than this (2**6 combinations) and the parts are read one by one instead.
MAX_ATOMS = 6


@attrs.frozen
class Variant:
    text: str
    when: Phrase | None = None  # None: in every case


def variants(text: Text | None, reader: Reader) -> tuple[Variant, ...]:
    """The readings of `text`, in the order of its `if` branches (then before else)."""
    if text is None:
        return ()
    if text.is_static:  # only strings
        return (Variant(_tidy("".join(p for p in text.parts if isinstance(p, str)))),)
    atoms = _atoms(text)
    if len(atoms) > MAX_ATOMS:
        return (Variant(_tidy("".join(p if isinstance(p, str) else reader.placeholder(p)
                                      for p in text.parts))),)
    assignments = list(product((True, False), repeat=len(atoms)))
    readings: dict[str, set[int]] = {}
    impossible: set[int] = set()
    for i, values in enumerate(assignments):
        truth = dict(zip(atoms, values, strict=True))
        if not _possible(truth, reader.survey):
            impossible.add(i)
            continue
        reading = _tidy("".join(p if isinstance(p, str) else _read(p, truth, reader) for p in text.parts))
        readings.setdefault(reading, set()).add(i)
    if len(readings) == 1:
        return (Variant(next(iter(readings))),)
    out = []
    for reading, ones in readings.items():
        cover = _cover(ones, impossible, assignments)
        when = any_of(all_of(reader.condition(atom, negated=not value)
                             for atom, value in zip(atoms, cube, strict=True) if value is not None)
                      for cube in cover)
        out.append(Variant(reading, when))
    return tuple(out)


def _tidy(text: str) -> str:
    """Spaces left doubled by empty branches become one; lines are trimmed."""
    lines = (re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n"))
    return "\n".join(lines).strip()


def _atoms(text: Text) -> list[ast.Expr]:
    """The distinct non-logical parts of every `if` condition, in reading order."""
    found: list[ast.Expr] = []

    def condition(node):
        match node:
            case ast.Logical(left=a, right=b):
                condition(a)
                condition(b)
            case ast.Unary(op="not", operand=o):
                condition(o)
            case _ if node not in found:
                found.append(node)

    def part(node):
        if isinstance(node, ast.Call) and node.name == "if":
            condition(node.args[0])
            part(node.args[1])
            part(node.args[2])

    for p in text.expressions:
        part(p)
    return found


def _truth(node: ast.Expr, truth: dict) -> bool:
    match node:
        case ast.Logical(op="and", left=a, right=b):
            return _truth(a, truth) and _truth(b, truth)
        case ast.Logical(op="or", left=a, right=b):
            return _truth(a, truth) or _truth(b, truth)
        case ast.Unary(op="not", operand=o):
            return not _truth(o, truth)
    return truth[node]


def _read(node: ast.Expr, truth: dict, reader: Reader) -> str:
    match node:
        case ast.Call(name="if", args=(c, a, b)):
            return _read(a if _truth(c, truth) else b, truth, reader)
        case ast.Literal(value=v):
            return as_text(v)
    return reader.placeholder(node)


def _possible(truth: dict, survey) -> bool:
    """False when no answer can make the atoms that read one same variable take the
    values given: `x == "a"` and `x == "b"`, or `n > 3` and `n == 2`. Exact for
    atoms that read a single variable; atoms reading several are not judged."""
    facts: dict[tuple, list] = {}
    for atom, value in truth.items():
        slots = {(v.key, v.attr) for v in ast.variables(atom)}
        if len(slots) == 1:
            facts.setdefault(slots.pop(), []).append((atom, value))
    return all(any(_holds(group, candidate) for candidate in _candidates(slot, group, survey))
               for slot, group in facts.items())


def _holds(facts: list, candidate) -> bool:
    env = _Only(candidate)
    try:
        return all(truthy(evaluate(atom, env)) == value for atom, value in facts)
    except EvaluationError:
        return False


class _Only:
    """An environment where the one variable read has the value `candidate`."""

    def __init__(self, candidate):
        self.candidate = candidate

    def value(self, var):
        return self.candidate

    def visible(self, question):
        return self.candidate

    def shown(self, var):
        return self.candidate

    def wording(self, var):
        return self.candidate

    def type_letter(self, question):
        return self.candidate


def _candidates(slot: tuple, facts: list, survey: Survey) -> list:
    """Values that between them meet every way the atoms can split the variable's
    domain: its codes when it has some, else the literals compared with, the
    numbers between and around them, and a text none of them equals."""
    (code, *sub), attr = slot
    q = survey.by_code.get(code)
    if attr == "visible":
        return [True, False]
    if q is not None and attr == "type":
        return [type_letter(q)]
    if q is not None and attr == "question" and all(t is None or t.is_static for t in wording_texts(q, tuple(sub))):
        return [wording(q, tuple(sub), lambda t: t.plain)]
    codes = kind_of(q).codes(q, tuple(sub)) if q is not None else None
    if codes is not None:
        return [None, *codes]
    if q is not None and kind_of(q).shape == "choices":  # a whole multiple choice: its ticks
        options = cast(Choices, q).options
        return [tuple(o.code for o in options[:k]) for k in range(len(options) + 1)]
    literals = {n.value for atom, _ in facts for n in ast.walk(atom) if isinstance(n, ast.Literal)}
    numbers = sorted({v for v in literals if isinstance(v, int | float) and not isinstance(v, bool)} | {0})
    between = [(a + b) / 2 for a, b in zip(numbers, numbers[1:], strict=False)]
    texts = [v for v in literals if isinstance(v, str)]
    return [None, "", *numbers, *between, numbers[0] - 1, numbers[-1] + 1, *texts, "\x00"]


def _cover(ones: set[int], dont_care: set[int], assignments: list[tuple]) -> list[tuple]:
    """Few, short cubes (tuples of True/False/None per atom) covering `ones` and
    nothing outside `ones | dont_care`."""
    allowed = ones | dont_care
    n = len(assignments[0])
    valid = []
    for cube in product((True, False, None), repeat=n):
        members = {i for i, a in enumerate(assignments)
                   if all(c is None or c == v for c, v in zip(cube, a, strict=True))}
        if members <= allowed and members & ones:
            valid.append((cube, members))
    primes = [(c, m) for c, m in valid if not any(m < other for _, other in valid)]
    chosen, left = [], set(ones)
    while left:
        cube, members = max(primes, key=lambda cm: (len(cm[1] & left), sum(x is None for x in cm[0])))
        chosen.append(cube)
        left -= members
    return chosen


def frame(readings: tuple[Variant, ...]) -> tuple[str, tuple[Variant, ...], str]:
    """The text all readings share at their start and end, and what varies between
    them: (prefix, varying middles, suffix). Cuts fall on spaces or line breaks, so
    no word is split; a long help text with one optional sentence prints once."""
    texts = [v.text for v in readings]
    if len(texts) < 2:
        return "", readings, ""
    start = len(_common_prefix(texts))
    end = len(_common_prefix([t[start:][::-1] for t in texts]))
    middles = tuple(attrs.evolve(v, text=v.text[start:len(v.text) - end].strip()) for v in readings)
    return texts[0][:start].rstrip(), middles, texts[0][len(texts[0]) - end:].lstrip()


def _common_prefix(texts: list[str]) -> str:
    """The longest shared start ending at a space or line break (or a whole text)."""
    first = min(texts, key=len)
    n = 0
    while n < len(first) and all(t[n] == first[n] for t in texts):
        n += 1
    if all(len(t) == n or t[n].isspace() for t in texts):
        return first[:n]
    cut = max(first.rfind(" ", 0, n), first.rfind("\n", 0, n))
    return first[:cut + 1] if cut >= 0 else ""
