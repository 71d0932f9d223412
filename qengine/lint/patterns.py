"""Whether any text can be typed into a question with a `pattern` (and a
`maxlength`): a pattern no text matches makes a mandatory question a dead end.

The pattern, parsed as Python reads it (`re._parser`), becomes a z3 regular
expression that accepts *at least* what the pattern accepts: anchors, word
boundaries and lookarounds become the empty string (they only ever refuse
more), a back-reference any text, and the character classes
that reach beyond ASCII (`\\d`, `\\w`, `\\s`, letters under IGNORECASE) take
in every non-ASCII character. z3 then looks for a non-empty text of the
allowed length in it. "None" is then a proof that nothing can be typed; "some" is
no proof of the contrary (the text found may not match the real pattern), and
neither is a check over the solver's limits.
"""

from __future__ import annotations

import re
from re import _constants as c
from re import _parser

import z3

from qengine.lint import limits
from qengine.model import Survey

_RE = z3.ReSort(z3.StringSort())
#: z3's characters end here; a pattern naming characters beyond is not judged
_LAST = 0x2FFFF
_ASCII = [chr(i) for i in range(128)]
#: what each category matches among ASCII characters (beyond ASCII, see `_Chars`)
_CATEGORIES = {
    c.CATEGORY_DIGIT: (r"\d", False), c.CATEGORY_NOT_DIGIT: (r"\d", True),
    c.CATEGORY_WORD: (r"\w", False), c.CATEGORY_NOT_WORD: (r"\w", True),
    c.CATEGORY_SPACE: (r"\s", False), c.CATEGORY_NOT_SPACE: (r"\s", True),
}


class _Unjudged(Exception):
    """A construct this translation does not know."""


def nothing_fits(pattern: str, max_length: int | None, survey: Survey) -> bool:
    """Whether it is proved that no non-empty text of at most `max_length`
    characters matches `pattern` in full."""
    try:
        tree = _parser.parse(pattern)
        language = _sequence(tree, tree.state.flags)
    except (re.error, RecursionError, _Unjudged):
        return False
    text = z3.String("typed")
    solver = limits.solver(survey)
    solver.add(z3.InRe(text, language), z3.Length(text) >= 1)
    if max_length is not None:
        solver.add(z3.Length(text) <= max_length)
    return solver.check() == z3.unsat


class _Chars:
    """A set of characters twice over: `over` holds at least the set, `under` at
    most (a negated class is the complement of the other side)."""

    def __init__(self, over: z3.ReRef, under: z3.ReRef):
        self.over, self.under = over, under

    def negated(self) -> _Chars:
        return _Chars(_without(self.under), _without(self.over))


def _without(chars: z3.ReRef) -> z3.ReRef:
    return z3.Intersect(z3.AllChar(_RE), z3.Complement(chars))


def _union(parts: list[z3.ReRef]) -> z3.ReRef:
    if not parts:
        return z3.Empty(_RE)
    return parts[0] if len(parts) == 1 else z3.Union(*parts)


def _char(code: int) -> z3.ReRef:
    if code >= _LAST:
        raise _Unjudged
    return z3.Re(z3.StringVal(chr(code)))


def _listed(chars: list[str]) -> z3.ReRef:
    return _union([z3.Re(z3.StringVal(ch)) for ch in chars])


_BEYOND_ASCII = _without(z3.Range("\x00", "\x7f"))


def _sequence(items, flags: int) -> z3.ReRef:
    parts = [_node(op, av, flags) for op, av in items]
    if not parts:
        return z3.Re(z3.StringVal(""))
    return parts[0] if len(parts) == 1 else z3.Concat(*parts)


def _node(op, av, flags: int) -> z3.ReRef:
    if op is c.LITERAL:
        return _literal(av, flags).over
    if op is c.NOT_LITERAL:
        return _literal(av, flags).negated().over
    if op is c.ANY:
        return z3.AllChar(_RE) if flags & re.DOTALL else _without(z3.Re(z3.StringVal("\n")))
    if op is c.IN:
        return _class(av, flags).over
    if op is c.BRANCH:
        return _union([_sequence(alternative, flags) for alternative in av[1]])
    if op is c.SUBPATTERN:
        _, add, remove, sub = av
        return _sequence(sub, (flags | add) & ~remove)
    if op is c.ATOMIC_GROUP:
        return _sequence(av, flags)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, high, sub = av
        return _repeat(_sequence(sub, flags), low, high)
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):  # they only refuse: accept the empty string
        return z3.Re(z3.StringVal(""))
    if op is c.GROUPREF:
        return z3.Full(_RE)
    if op is c.GROUPREF_EXISTS:
        _, yes, no = av
        return z3.Union(_sequence(yes, flags), _sequence(no or [], flags))
    raise _Unjudged


def _literal(code: int, flags: int) -> _Chars:
    exact = _char(code)
    ch = chr(code)
    if not flags & re.IGNORECASE or (ch.isascii() and not ch.isalpha()):
        return _Chars(exact, exact)
    if not ch.isascii():  # folds to ASCII letters too (the long s to s and S): anything
        return _Chars(z3.AllChar(_RE), exact)
    # an ASCII letter: its other case, and whatever beyond ASCII folds to it (the Kelvin sign)
    return _Chars(_union([_listed([ch.lower(), ch.upper()]), _BEYOND_ASCII]), exact)


def _class(items, flags: int) -> _Chars:
    """A character class `[...]`."""
    negate = False
    over, under = [], []
    for op, av in items:
        if op is c.NEGATE:
            negate = True
            continue
        if op is c.LITERAL:
            part = _literal(av, flags)
        elif op is c.RANGE:
            part = _range(av, flags)
        elif op is c.CATEGORY and av in _CATEGORIES:
            part = _category(av, flags)
        else:
            raise _Unjudged
        over.append(part.over)
        under.append(part.under)
    found = _Chars(_union(over), _union(under))
    return found.negated() if negate else found


def _range(bounds, flags: int) -> _Chars:
    low, high = bounds
    if high >= _LAST:
        raise _Unjudged
    exact = z3.Range(chr(low), chr(high))
    if not flags & re.IGNORECASE:
        return _Chars(exact, exact)
    return _Chars(z3.Union(exact, z3.Range("A", "Z"), z3.Range("a", "z"), _BEYOND_ASCII), exact)


def _category(category, flags: int) -> _Chars:
    """\\d, \\w, \\s and their negations: exact over ASCII; beyond it, every
    character may or may not belong (unless the pattern asks for ASCII)."""
    pattern, negated = _CATEGORIES[category]
    ascii_part = _listed([ch for ch in _ASCII if re.match(pattern, ch)])
    if flags & re.ASCII:
        exact = _Chars(ascii_part, ascii_part)
    else:
        exact = _Chars(z3.Union(ascii_part, _BEYOND_ASCII), ascii_part)
    return exact.negated() if negated else exact


def _repeat(body: z3.ReRef, low: int, high: int) -> z3.ReRef:
    if high == c.MAXREPEAT:
        return z3.Star(body) if low == 0 else z3.Concat(z3.Loop(body, low, low), z3.Star(body))
    if high == 0:
        return z3.Re(z3.StringVal(""))
    return z3.Loop(body, low, high)
