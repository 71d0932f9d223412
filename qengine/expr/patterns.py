"""Python regular expressions rewritten as JavaScript ones that match the same strings.

QDL patterns (`pattern "..."`, `regexMatch(...)`) are Python `re` expressions, and the
Python runtime is the reference. JavaScript's syntax looks the same but means
something else in a dozen places: `\\d`, `\\w`, `\\s` and `\\b` are ASCII-only there, `.`
stops at `\\r` as well as `\\n`, `$` does not match before a final newline, a lone `{`
is an error in Unicode mode, `(?P<name>...)` is spelled `(?<name>...)`. `translate`
walks the tree of the Python pattern (`qengine.expr.pattern_syntax`, the one reading
of a pattern, which lint's solver walks too) and writes the JavaScript one with the
Python meaning spelled out (Unicode classes, lookarounds), to be used with the `u`
flag. What JavaScript cannot express (scoped flags, atomic groups, possessive
quantifiers, conditionals) is refused with `UnsupportedPattern`, never silently
approximated.

`translate_re2` writes the same Python meaning for RE2, the linear-time engine the
Python runtime matches author patterns with (`qengine.expr.regex`): RE2 has no
lookaround, so what Python's meaning needs one for (word boundaries outside ASCII,
back-references, lookarounds, a `$` with more pattern after it) is refused there.
"""

from __future__ import annotations

import functools
import sys

import attrs

from qengine.expr.pattern_syntax import (
    CAPTURE,
    NAMED,
    PLAIN,
    Alternation,
    Anchor,
    Backref,
    Char,
    CharClass,
    Dot,
    Group,
    Node,
    Pattern,
    Range,
    Repeat,
    Shorthand,
    UnsupportedPattern,
    parse,
)

__all__ = ["JsRegex", "UnsupportedPattern", "translate", "translate_re2"]


@attrs.frozen
class JsRegex:
    source: str  # for `new RegExp(source, flags)`
    flags: str


#: How each engine writes a code point by number.
_JS_HEX = "\\u{{{:x}}}"
_RE2_HEX = "\\x{{{:x}}}"


def _class_of(predicate, hex_format: str = _JS_HEX) -> str:
    """A class body listing the code points for which `predicate` holds, as ranges."""
    out: list[str] = []
    start: int | None = None
    prev = 0  # read only once `start` is set, and set with it
    for cp in range(sys.maxunicode + 1):
        if predicate(chr(cp)):
            if start is None:
                start = cp
            prev = cp
        elif start is not None:
            out.append(_range(start, prev, hex_format))
            start = None
    if start is not None:
        out.append(_range(start, prev, hex_format))
    return "".join(out)


def _range(a: int, b: int, hex_format: str) -> str:
    return hex_format.format(a) if a == b else f"{hex_format.format(a)}-{hex_format.format(b)}"


@functools.cache
def _unicode_shorthands(hex_format: str = _JS_HEX) -> dict[str, str]:
    # Python's `\s` is `str.isspace` (JavaScript's also holds U+FEFF and lacks
    # U+001C-1F and U+0085); `\w` is `str.isalnum` or "_"; `\d` is category Nd.
    return {"d": r"\p{Nd}", "w": r"\p{L}\p{N}_", "s": _class_of(str.isspace, hex_format)}


_ASCII = {"d": "0-9", "w": "A-Za-z0-9_", "s": r" \t\n\r\f\v"}

_SYNTAX = set("^$\\.*+?()[]{}|/")


def translate(pattern: str) -> JsRegex:
    """The JavaScript equivalent of Python's `re.compile(pattern)`. Raises
    `re.error` for an invalid pattern, `UnsupportedPattern` for one JavaScript
    cannot express."""
    return _Writer(parse(pattern)).run()


def translate_re2(pattern: str, fullmatch: bool) -> str:
    """The RE2 equivalent of Python's `re.compile(pattern)`, used with `fullmatch`
    or with `search` (RE2's default), as said: a `$` reads differently in each.
    Raises `re.error` for an invalid pattern, `UnsupportedPattern` for one RE2
    cannot run."""
    return _Re2Writer(parse(pattern), fullmatch).run_re2()


class _Writer:
    """The tree of a Python pattern (`pattern_syntax`) written as a JavaScript
    pattern. The few constructs an engine writes its own way are methods, which
    `_Re2Writer` overrides."""

    hex_format = _JS_HEX

    def __init__(self, pattern: Pattern):
        self.flags = pattern.flags
        self.root = pattern.root

    # ------------------------------------------------------------ driver
    def run(self) -> JsRegex:
        return JsRegex(self.write_pattern(), "iu" if "i" in self.flags else "u")

    def write_pattern(self) -> str:
        return self.alternation(self.root, ends=True, top=True)

    @property
    def shorthands(self) -> dict[str, str]:
        return _ASCII if "a" in self.flags else _unicode_shorthands(self.hex_format)

    def alternation(self, node: Alternation, ends: bool, top: bool = False) -> str:
        """`ends`: nothing of the pattern comes after the node, up to the end of
        a top-level alternative (what RE2's `$` needs to know)."""
        last = len(node.branches) - 1
        return "|".join(self.sequence(b, ends and (top or k == last)) for k, b in enumerate(node.branches))

    def sequence(self, items: tuple[Node, ...], ends: bool) -> str:
        return "".join(self.node(n, ends and k == len(items) - 1) for k, n in enumerate(items))

    def node(self, node: Node, ends: bool) -> str:
        match node:
            case Char(ch=ch):
                return self.literal(ch)
            case Shorthand(letter=letter):
                sh = self.shorthands[letter.lower()]
                return f"[{sh}]" if letter.islower() else f"[^{sh}]"
            case CharClass():
                return self.char_class(node)
            case Dot():
                return r"[\s\S]" if "s" in self.flags else r"[^\n]"
            case Anchor(kind="^"):
                return self.line_start() if "m" in self.flags else "^"
            case Anchor(kind="$"):
                return self.line_end() if "m" in self.flags else self.end(ends)
            case Anchor(kind="A"):
                return self.text_start()
            case Anchor(kind="Z"):
                return self.text_end()
            case Anchor(kind=kind):  # \b, \B
                return "\\" + kind if "a" in self.flags else self.boundary(kind)
            case Backref(ref=ref):
                return self.backreference(ref)
            case Group(kind=kind, body=body, name=name):
                head = {CAPTURE: "(", PLAIN: "(?:"}.get(kind) or (
                    self.named_group(name or "") if kind == NAMED else self.lookaround(kind))
                inner = self.alternation(body, ends and kind in (CAPTURE, PLAIN, NAMED))
                return head + inner + ")"
            case Repeat(body=body, spelled=spelled, lazy=lazy):
                return self.node(body, False) + spelled + ("?" if lazy else "")
            case Alternation():
                return self.alternation(node, ends)
        raise TypeError(f"not a pattern node: {node!r}")

    # What each engine writes its own way: anchors, boundaries, references.
    def line_start(self) -> str:
        return r"(?<![^\n])"

    def line_end(self) -> str:
        return r"(?![^\n])"

    def end(self, ends: bool) -> str:
        """Python's `$` without the m flag: the end, or before a final newline."""
        return r"(?=\n?(?![\s\S]))"

    def text_start(self) -> str:
        return r"(?<![\s\S])"

    def text_end(self) -> str:
        return r"(?![\s\S])"

    def boundary(self, ch: str) -> str:
        word = f"[{self.shorthands['w']}]"
        if ch == "b":
            return f"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))"
        return f"(?:(?<={word})(?={word})|(?<!{word})(?!{word}))"

    def lookaround(self, head: str) -> str:
        return "(" + head

    def named_group(self, name: str) -> str:
        return f"(?<{name}>"

    def backreference(self, ref: str) -> str:
        return f"\\k<{ref}>" if not ref.isdigit() else "\\" + ref

    def excluded_complements(self, body: str, complements: list[str]) -> str:
        # [^A\W\S] = not A, and a word character, and not a space.
        guards = ([f"(?![{body}])"] if body else []) + [f"(?=[{c}])" for c in complements[:-1]]
        return "(?:" + "".join(guards) + f"[{complements[-1]}])"

    def literal(self, ch: str) -> str:
        return _literal(ch, self.hex_format)

    def class_literal(self, ch: str) -> str:
        return _class_literal(ch, self.hex_format)

    # ------------------------------------------------------------ classes
    def char_class(self, node: CharClass) -> str:
        items: list[str] = []  # class body pieces
        complements: list[str] = []  # bodies of classes whose complement is included (\W, \S)
        sh = self.shorthands
        for item in node.items:
            match item:
                case Char(ch=ch):
                    items.append(self.class_literal(ch))
                case Range(low=low, high=high):
                    items.append(f"{self.class_literal(low)}-{self.class_literal(high)}")
                case Shorthand(letter=letter) if letter.islower():
                    items.append(sh[letter])
                case Shorthand(letter="D") if "a" not in self.flags:
                    items.append(r"\P{Nd}")
                case Shorthand(letter=letter):
                    complements.append(sh[letter.lower()])
        body = "".join(items)
        if not complements:
            return f"[^{body}]" if node.negated else f"[{body}]"
        if not node.negated:
            alternatives = ([f"[{body}]"] if body else []) + [f"[^{c}]" for c in complements]
            return "(?:" + "|".join(alternatives) + ")"
        return self.excluded_complements(body, complements)


class _Re2Writer(_Writer):
    """The tree of a Python pattern written as an RE2 pattern, for `fullmatch` or
    `search`."""

    hex_format = _RE2_HEX

    def __init__(self, pattern: Pattern, fullmatch: bool):
        super().__init__(pattern)
        self.fullmatch = fullmatch

    def run_re2(self) -> str:
        return ("(?i)" if "i" in self.flags else "") + self.write_pattern()

    def line_start(self) -> str:
        return "(?m:^)"

    def line_end(self) -> str:
        return "(?m:$)"

    def end(self, ends: bool) -> str:
        # Python's `$` may match before a final newline, which only a lookahead can
        # say; when nothing of the pattern follows it, the match ends there, so it
        # is the end of the text (fullmatch) or an optional newline and the end
        # (search, whose answer is the same whichever end it stops at).
        if not ends:
            raise UnsupportedPattern("'$' must end the pattern or one of its top-level "
                                     r"alternatives (use \Z for the very end)")
        return r"\z" if self.fullmatch else r"(?:\n?\z)"

    def text_start(self) -> str:
        return r"\A"

    def text_end(self) -> str:
        return r"\z"

    def boundary(self, ch: str) -> str:
        raise UnsupportedPattern(f"\\{ch} outside ASCII needs a lookaround, which linear-time "
                                 f"matching does not have: start the pattern with (?a) for ASCII "
                                 f"word boundaries")

    def lookaround(self, head: str) -> str:
        raise UnsupportedPattern(f"lookarounds ('({head}') are not supported: they can make "
                                 "matching take exponential time")

    def named_group(self, name: str) -> str:
        return f"(?P<{name}>"

    def backreference(self, ref: str) -> str:
        raise UnsupportedPattern("back-references are not supported: they can make matching "
                                 "take exponential time")

    def excluded_complements(self, body: str, complements: list[str]) -> str:
        raise UnsupportedPattern(r"a negated class holding \W, \S or \D together with other "
                                 "characters is not supported")


def _literal(ch: str, hex_format: str) -> str:
    if ch in _SYNTAX:
        return "\\" + ch
    return _escaped_control(ch, hex_format)


def _class_literal(ch: str, hex_format: str) -> str:
    if ch in "\\]-^[":
        return "\\" + ch
    return _escaped_control(ch, hex_format)


def _escaped_control(ch: str, hex_format: str) -> str:
    """Characters that cannot be written as themselves in a JS string or pattern."""
    cp = ord(ch)
    if cp < 0x20 or cp in (0x7F, 0x2028, 0x2029) or 0xD800 <= cp <= 0xDFFF:
        return hex_format.format(cp)
    return ch
