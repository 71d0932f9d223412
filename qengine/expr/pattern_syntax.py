"""Author patterns read once, into a tree that every consumer walks.

QDL patterns (`pattern "..."`, `regexMatch(...)`) are Python `re` expressions.
Several parts of qengine need to know their structure: the JavaScript and RE2
writers (`qengine.expr.patterns`), which spell Python's meaning out for the
browser and for linear-time matching, and lint, which asks a solver whether any
text can match (`qengine.lint.patterns`). They all read the tree `parse` gives,
so a pattern is parsed one way only, by public means (Python's `re._parser` is
private and changes between versions).

The tree holds what Python reads: global flags (`(?aimsx)` at the start), literal
characters (escapes resolved), classes, `.`, anchors and word boundaries, groups
(capturing, not, named, lookarounds), back-references, repetitions and
alternatives. What no consumer can express is refused here with
`UnsupportedPattern`: scoped flags `(?i:...)`, atomic groups, conditionals,
possessive quantifiers and the L flag.
"""

from __future__ import annotations

import re
import unicodedata

import attrs


class UnsupportedPattern(ValueError):
    """The pattern is valid Python but has no equivalent where it must run."""


# ---------------------------------------------------------------- the tree
@attrs.frozen
class Char:
    """One character, as itself or escaped (`\\.`, `\\x41`, `\\N{...}`)."""

    ch: str


@attrs.frozen
class Shorthand:
    """`\\d`, `\\w`, `\\s` or a negation `\\D`, `\\W`, `\\S` (the letter as written)."""

    letter: str


@attrs.frozen
class Range:
    """`a-z` in a class."""

    low: str
    high: str


@attrs.frozen
class CharClass:
    """`[...]`, or `[^...]` when `negated`."""

    negated: bool
    items: tuple[Char | Range | Shorthand, ...]


@attrs.frozen
class Dot:
    """`.`: any character but a newline, or any at all under the s flag."""


@attrs.frozen
class Anchor:
    """`^`, `$`, `\\A`, `\\Z`, or a word boundary `\\b`, `\\B` (`kind` as written)."""

    kind: str


@attrs.frozen
class Backref:
    """`\\1` or `(?P=name)`."""

    ref: str


#: What a group is: capturing, `(?:`, named, or a lookaround (its head as written).
CAPTURE, PLAIN, NAMED = "capture", "plain", "named"
LOOKAROUNDS = ("?=", "?!", "?<=", "?<!")


@attrs.frozen
class Group:
    kind: str
    body: Alternation
    name: str | None = None


@attrs.frozen
class Repeat:
    """`body` repeated `low` to `high` times (None: no limit); `spelled` is the
    quantifier as JavaScript and RE2 write it (`*`, `{0,3}`...)."""

    body: Node
    low: int
    high: int | None
    spelled: str
    lazy: bool = False


@attrs.frozen
class Alternation:
    """`a|b|c`: each branch a sequence of nodes (one branch when there is no `|`)."""

    branches: tuple[tuple[Node, ...], ...]


Node = Char | Shorthand | CharClass | Dot | Anchor | Backref | Group | Repeat | Alternation


@attrs.frozen
class Pattern:
    #: the global flags, letters of `aimsux`
    flags: frozenset[str]
    root: Alternation


# ---------------------------------------------------------------- the parser
_QUANTIFIER = re.compile(r"\{(\d*)(,(\d*))?\}")
_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\x07"}
#: Groups nested deeper are refused: the parser and the writers recurse once a
#: level, and no pattern a person writes comes near.
MAX_DEPTH = 100


def parse(pattern: str) -> Pattern:
    """The tree of a Python regular expression. Raises `re.error` when it is not
    one (checked by `re.compile`, whose cache makes a second check free) and
    `UnsupportedPattern` for what no consumer can express."""
    re.compile(pattern)
    return _Parser(pattern).run()


class _Parser:
    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0
        self.depth = 0
        self.flags: set[str] = set()

    def run(self) -> Pattern:
        while m := _FLAGS.match(self.p, self.i):  # global flags, which Python allows only at the start
            self.flags |= set(m.group(1))
            self.i = m.end()
        if "L" in self.flags:
            raise UnsupportedPattern("the L (locale) flag is not supported")
        return Pattern(frozenset(self.flags), self.alternation())

    def peek(self) -> str:
        return self.p[self.i] if self.i < len(self.p) else ""

    def take(self) -> str:
        ch = self.p[self.i]
        self.i += 1
        return ch

    def alternation(self) -> Alternation:
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        return Alternation(tuple(branches))

    def sequence(self) -> tuple[Node, ...]:
        items: list[Node] = []
        while self.peek() not in ("", "|", ")"):
            ch = self.take()
            if "x" in self.flags and ch in " \t\n\r\f\v":
                continue
            if "x" in self.flags and ch == "#":
                end = self.p.find("\n", self.i)
                self.i = len(self.p) if end < 0 else end + 1
                continue
            if ch in "*+?":
                low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[ch]
                items[-1] = self.repeat(items[-1], low, high, ch)
            elif ch == "{" and (m := _QUANTIFIER.match(self.p, self.i - 1)) and m.group(0) != "{}":
                self.i = m.end()
                lo, comma, hi = m.group(1), m.group(2), m.group(3)
                spelled = "{" + (lo or "0") + ("," + (hi or "") if comma else "") + "}"
                high = int(hi) if hi else None if comma else int(lo or 0)
                items[-1] = self.repeat(items[-1], int(lo or 0), high, spelled)
            elif (node := self.atom(ch)) is not None:
                items.append(node)
        return tuple(items)

    def repeat(self, body: Node, low: int, high: int | None, spelled: str) -> Repeat:
        lazy = self.peek() == "?"
        if lazy:
            self.i += 1
        elif self.peek() == "+":
            raise UnsupportedPattern("possessive quantifiers (*+, ++, ?+) are not supported")
        return Repeat(body, low, high, spelled, lazy)

    def atom(self, ch: str) -> Node | None:
        """The node `ch` begins (None for a comment group)."""
        match ch:
            case "\\":
                return self.escape()
            case "[":
                return self.char_class()
            case "(":
                return self.group()
            case ".":
                return Dot()
            case "^" | "$":
                return Anchor(ch)
        return Char(ch)

    def group(self) -> Node | None:
        rest = self.p[self.i:]
        kind, name = CAPTURE, None
        if rest.startswith("?:"):
            self.i += 2
            kind = PLAIN
        elif head := next((h for h in LOOKAROUNDS if rest.startswith(h)), None):
            self.i += len(head)
            kind = head
        elif rest.startswith("?P<"):
            end = self.p.index(">", self.i)
            kind, name = NAMED, self.p[self.i + 3:end]
            self.i = end + 1
        elif rest.startswith("?P="):
            end = self.p.index(")", self.i)
            ref = self.p[self.i + 3:end]
            self.i = end + 1
            return Backref(ref)
        elif rest.startswith("?#"):
            self.i = self.p.index(")", self.i) + 1
            return None
        elif rest.startswith("?"):
            raise UnsupportedPattern(f"the group '({rest[:3]}' is not supported "
                                     "(scoped flags, atomic groups and conditionals are not)")
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise UnsupportedPattern(f"the pattern nests groups more than {MAX_DEPTH} deep")
        body = self.alternation()
        self.take()  # the closing parenthesis (the pattern is valid)
        self.depth -= 1
        return Group(kind, body, name)

    def escape(self) -> Node:
        ch = self.take()
        if ch in "dwsDWS":
            return Shorthand(ch)
        if ch in "bBAZ":
            return Anchor(ch)
        if ch.isdigit() and ch != "0":
            digits = ch
            while self.peek().isdigit() and len(digits) < 2:
                digits += self.take()
            return Backref(digits)
        return Char(self.char_escape(ch))

    def char_escape(self, ch: str) -> str:
        """The character an escape stands for (outside shorthands and references)."""
        if ch in _SIMPLE_ESCAPES:
            return _SIMPLE_ESCAPES[ch]
        if ch in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[ch]
            cp = int(self.p[self.i:self.i + width], 16)
            self.i += width
            return chr(cp)
        if ch == "N":
            end = self.p.index("}", self.i)
            name = self.p[self.i + 1:end]
            self.i = end + 1
            return unicodedata.lookup(name)
        if ch == "0":
            digits = ""
            while self.peek() in tuple("01234567") and len(digits) < 2:
                digits += self.take()
            return chr(int(digits or "0", 8))
        return ch

    def char_class(self) -> CharClass:
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        items: list[Char | Range | Shorthand] = []
        first = True
        while True:
            ch = self.take()
            if ch == "]" and not first:
                return CharClass(negated, tuple(items))
            first = False
            item: Char | Range | Shorthand = self.class_item(ch)
            if self.p.startswith("-", self.i) and not self.p.startswith("-]", self.i):
                self.i += 1
                high = self.class_item(self.take())
                assert isinstance(item, Char) and isinstance(high, Char)  # else not valid Python
                item = Range(item.ch, high.ch)
            items.append(item)

    def class_item(self, ch: str) -> Char | Shorthand:
        if ch != "\\":
            return Char(ch)
        e = self.take()
        if e in "dwsDWS":
            return Shorthand(e)
        if e == "b":  # a backspace, in a class
            return Char("\b")
        return Char(self.char_escape(e))
