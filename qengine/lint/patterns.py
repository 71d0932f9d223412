"""Whether any text can be typed into a question with a `pattern` (and a
`maxlength`): a pattern no text matches makes a mandatory question a dead end.

The pattern's tree (`qengine.expr.pattern_syntax`, the reading the runtime's RE2
and the form's JavaScript are written from) becomes a z3 regular expression that
accepts *at least* what the pattern accepts: anchors, word boundaries and
lookarounds become the empty string (they only ever refuse more), a
back-reference any text, and the character classes that reach beyond ASCII
(`\\d`, `\\w`, `\\s`, letters under IGNORECASE) take in every non-ASCII
character. z3 then looks for a non-empty text of the allowed length in it.
"None" is then a proof that nothing can be typed; "some" is no proof of the
contrary (the text found may not match the real pattern), and neither is a check
over the solver's limits.
"""

from __future__ import annotations

import re

import z3

from qengine.expr import pattern_syntax as t
from qengine.lint import limits
from qengine.model import Survey

_RE = z3.ReSort(z3.StringSort())
#: z3's characters end here; a pattern naming characters beyond is not judged
_LAST = 0x2FFFF
_ASCII = [chr(i) for i in range(128)]


class _Unjudged(Exception):
    """A construct this translation does not know."""


def nothing_fits(pattern: str, max_length: int | None, survey: Survey) -> bool:
    """Whether it is proved that no non-empty text of at most `max_length`
    characters matches `pattern` in full."""
    try:
        tree = t.parse(pattern)
        language = _Language(tree.flags).alternation(tree.root)
    except (re.error, t.UnsupportedPattern, RecursionError, _Unjudged):
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


def _char(ch: str) -> z3.ReRef:
    if ord(ch) >= _LAST:
        raise _Unjudged
    return z3.Re(z3.StringVal(ch))


def _listed(chars: list[str]) -> z3.ReRef:
    return _union([z3.Re(z3.StringVal(ch)) for ch in chars])


_BEYOND_ASCII = _without(z3.Range("\x00", "\x7f"))
_EMPTY_TEXT = z3.Re(z3.StringVal(""))


class _Language:
    """The z3 language of a pattern's tree, under its global flags."""

    def __init__(self, flags: frozenset[str]):
        self.ignorecase = "i" in flags
        self.dotall = "s" in flags
        self.ascii = "a" in flags

    def alternation(self, node: t.Alternation) -> z3.ReRef:
        return _union([self.sequence(branch) for branch in node.branches])

    def sequence(self, items: tuple[t.Node, ...]) -> z3.ReRef:
        parts = [self.node(n) for n in items]
        if not parts:
            return _EMPTY_TEXT
        return parts[0] if len(parts) == 1 else z3.Concat(*parts)

    def node(self, node: t.Node) -> z3.ReRef:
        match node:
            case t.Char(ch=ch):
                return self.literal(ch).over
            case t.Shorthand(letter=letter):
                return self.shorthand(letter).over
            case t.CharClass():
                return self.char_class(node).over
            case t.Dot():
                return z3.AllChar(_RE) if self.dotall else _without(z3.Re(z3.StringVal("\n")))
            case t.Group(kind=kind, body=body) if kind in (t.CAPTURE, t.PLAIN, t.NAMED):
                return self.alternation(body)
            case t.Group() | t.Anchor():  # lookarounds, anchors, boundaries only refuse
                return _EMPTY_TEXT
            case t.Backref():
                return z3.Full(_RE)
            case t.Repeat(body=body, low=low, high=high):
                return _repeat(self.node(body), low, high)
            case t.Alternation():
                return self.alternation(node)
        raise _Unjudged

    def literal(self, ch: str) -> _Chars:
        exact = _char(ch)
        if not self.ignorecase or (ch.isascii() and not ch.isalpha()):
            return _Chars(exact, exact)
        if not ch.isascii():  # folds to ASCII letters too (the long s to s and S): anything
            return _Chars(z3.AllChar(_RE), exact)
        # an ASCII letter: its other case, and whatever beyond ASCII folds to it (the Kelvin sign)
        return _Chars(_union([_listed([ch.lower(), ch.upper()]), _BEYOND_ASCII]), exact)

    def char_class(self, node: t.CharClass) -> _Chars:
        """A character class `[...]`."""
        over, under = [], []
        for item in node.items:
            match item:
                case t.Char(ch=ch):
                    part = self.literal(ch)
                case t.Range(low=low, high=high):
                    part = self.range(low, high)
                case t.Shorthand(letter=letter):
                    part = self.shorthand(letter)
            over.append(part.over)
            under.append(part.under)
        found = _Chars(_union(over), _union(under))
        return found.negated() if node.negated else found

    def range(self, low: str, high: str) -> _Chars:
        if ord(high) >= _LAST:
            raise _Unjudged
        exact = z3.Range(low, high)
        if not self.ignorecase:
            return _Chars(exact, exact)
        return _Chars(z3.Union(exact, z3.Range("A", "Z"), z3.Range("a", "z"), _BEYOND_ASCII), exact)

    def shorthand(self, letter: str) -> _Chars:
        """\\d, \\w, \\s and their negations: exact over ASCII; beyond it, every
        character may or may not belong (unless the pattern asks for ASCII)."""
        ascii_part = _listed([ch for ch in _ASCII if re.match("\\" + letter.lower(), ch)])
        if self.ascii:
            exact = _Chars(ascii_part, ascii_part)
        else:
            exact = _Chars(z3.Union(ascii_part, _BEYOND_ASCII), ascii_part)
        return exact if letter.islower() else exact.negated()


def _repeat(body: z3.ReRef, low: int, high: int | None) -> z3.ReRef:
    if high is None:
        return z3.Star(body) if low == 0 else z3.Concat(z3.Loop(body, low, low), z3.Star(body))
    if high == 0:
        return _EMPTY_TEXT
    return z3.Loop(body, low, high)
