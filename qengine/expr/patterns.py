"""Python regular expressions rewritten as JavaScript ones that match the same strings.

QDL patterns (`pattern "..."`, `regexMatch(...)`) are Python `re` expressions, and the
Python runtime is the reference. JavaScript's syntax looks the same but means
something else in a dozen places: `\\d`, `\\w`, `\\s` and `\\b` are ASCII-only there, `.`
stops at `\\r` as well as `\\n`, `$` does not match before a final newline, a lone `{`
is an error in Unicode mode, `(?P<name>...)` is spelled `(?<name>...)`. `translate`
reads the Python pattern token by token and writes the JavaScript one with the
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
import re
import sys
import unicodedata

import attrs


class UnsupportedPattern(ValueError):
    """The pattern is valid Python but has no JavaScript equivalent."""


@attrs.frozen
class JsRegex:
    source: str  # for `new RegExp(source, flags)`
    flags: str


#: How each engine writes a code point by number.
_JS_HEX = "\\u{{{:x}}}"
_RE2_HEX = "\\x{{{:x}}}"


def _class_of(predicate, hex_format: str = _JS_HEX) -> str:
    """A class body listing the code points for which `predicate` holds, as ranges."""
    out, start, prev = [], None, None
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
_SIMPLE_ESCAPES = {"n": r"\n", "t": r"\t", "r": r"\r", "f": r"\f", "v": r"\v", "a": r"\x07"}
_QUANTIFIER = re.compile(r"\{(\d*)(,(\d*))?\}")
_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")


def translate(pattern: str) -> JsRegex:
    """The JavaScript equivalent of Python's `re.compile(pattern)`. The pattern must
    be valid Python (check with `re.compile` first); raises `UnsupportedPattern`."""
    return _Translator(pattern).run()


def translate_re2(pattern: str, fullmatch: bool) -> str:
    """The RE2 equivalent of Python's `re.compile(pattern)`, used with `fullmatch`
    or with `search` (RE2's default), as said: a `$` reads differently in each. The
    pattern must be valid Python; raises `UnsupportedPattern`."""
    return _Re2Translator(pattern, fullmatch).run_re2()


class _Translator:
    """Python pattern in, JavaScript pattern out. The few constructs an engine
    writes its own way are methods, which `_Re2Translator` overrides."""

    hex_format = _JS_HEX

    def __init__(self, pattern: str):
        self.p = pattern
        self.i = 0
        self.depth = 0  # of groups open at `i`
        self.flags: set[str] = set()
        self.out: list[str] = []

    # ------------------------------------------------------------ driver
    def run(self) -> JsRegex:
        self.translate()
        return JsRegex("".join(self.out), "iu" if "i" in self.flags else "u")

    def translate(self) -> None:
        while True:  # global flags, which Python allows only at the start
            m = _FLAGS.match(self.p, self.i)
            if not m:
                break
            self.flags |= set(m.group(1))
            self.i = m.end()
        if "L" in self.flags:
            raise UnsupportedPattern("the L (locale) flag is not supported")
        while self.i < len(self.p):
            self.atom()

    @property
    def shorthands(self) -> dict[str, str]:
        return _ASCII if "a" in self.flags else _unicode_shorthands(self.hex_format)

    def take(self) -> str:
        ch = self.p[self.i]
        self.i += 1
        return ch

    def atom(self):
        ch = self.take()
        if "x" in self.flags and ch in " \t\n\r\f\v":
            return
        if "x" in self.flags and ch == "#":
            end = self.p.find("\n", self.i)
            self.i = len(self.p) if end < 0 else end + 1
            return
        match ch:
            case "\\":
                self.out.append(self.escape())
            case "[":
                self.out.append(self.char_class())
            case "(":
                self.depth += 1
                self.group()
            case ".":
                self.out.append(r"[\s\S]" if "s" in self.flags else r"[^\n]")
            case "^":
                self.out.append(self.line_start() if "m" in self.flags else "^")
            case "$":
                self.out.append(self.line_end() if "m" in self.flags else self.end())
            case "{":
                self.out.append(self.brace())
            case "}" | "]":
                self.out.append("\\" + ch)
            case ")":
                self.depth -= 1
                self.out.append(ch)
            case "|":
                self.out.append(ch)
            case "*" | "+" | "?":
                self.out.append(ch)
                self.lazy_or_possessive()
            case _:
                self.out.append(self.literal(ch))

    # What each engine writes its own way: anchors, boundaries, references.
    def line_start(self) -> str:
        return r"(?<![^\n])"

    def line_end(self) -> str:
        return r"(?![^\n])"

    def end(self) -> str:
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

    def lazy_or_possessive(self):
        if self.i < len(self.p) and self.p[self.i] == "?":
            self.out.append(self.take())
        elif self.i < len(self.p) and self.p[self.i] == "+":
            raise UnsupportedPattern("possessive quantifiers (*+, ++, ?+) are not supported")

    def brace(self) -> str:
        m = _QUANTIFIER.match(self.p, self.i - 1)
        if not m or m.group(0) == "{}":
            return r"\{"
        self.i = m.end()
        lo, comma, hi = m.group(1), m.group(2), m.group(3)
        text = "{" + (lo or "0") + ("," + (hi or "") if comma else "") + "}"
        self.out.append(text)
        self.lazy_or_possessive()
        return ""

    # ------------------------------------------------------------ groups
    def group(self):
        rest = self.p[self.i:]
        if rest.startswith("?:"):
            self.i += 2
            self.out.append("(?:")
            return
        for head in ("?=", "?!", "?<=", "?<!"):
            if rest.startswith(head):
                self.i += len(head)
                self.out.append(self.lookaround(head))
                return
        if rest.startswith("?P<"):
            end = self.p.index(">", self.i)
            self.out.append(self.named_group(self.p[self.i + 3:end]))
            self.i = end + 1
            return
        if rest.startswith("?P="):
            end = self.p.index(")", self.i)
            self.out.append(self.backreference(self.p[self.i + 3:end]))
            self.i = end + 1
            self.depth -= 1
            return
        if rest.startswith("?#"):
            self.i = self.p.index(")", self.i) + 1
            self.depth -= 1
            return
        if rest.startswith("?"):
            raise UnsupportedPattern(f"the group '({rest[:3]}' has no JavaScript equivalent "
                                     "(scoped flags, atomic groups and conditionals are not supported)")
        self.out.append("(")

    # ------------------------------------------------------------ escapes
    def escape(self) -> str:
        ch = self.take()
        sh = self.shorthands
        if ch in "dws":
            return f"[{sh[ch]}]"
        if ch in "DWS":
            return f"[^{sh[ch.lower()]}]"
        if ch in "bB":
            return "\\" + ch if "a" in self.flags else self.boundary(ch)
        if ch == "A":
            return self.text_start()
        if ch == "Z":
            return self.text_end()
        if ch.isdigit() and ch != "0":
            digits = ch
            while self.i < len(self.p) and self.p[self.i].isdigit() and len(digits) < 2:
                digits += self.take()
            return self.backreference(digits)
        return self.literal(self.char_escape(ch))

    def char_escape(self, ch: str) -> str:
        """The character an escape stands for (outside shorthands and references)."""
        if ch in _SIMPLE_ESCAPES:
            return {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\x07"}[ch]
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
            while self.i < len(self.p) and self.p[self.i] in "01234567" and len(digits) < 2:
                digits += self.take()
            return chr(int(digits or "0", 8))
        return ch

    # ------------------------------------------------------------ classes
    def char_class(self) -> str:
        negated = self.p.startswith("^", self.i)
        if negated:
            self.i += 1
        items: list[str] = []  # class body pieces
        complements: list[str] = []  # bodies of classes whose complement is included (\W, \S)
        first = True
        while True:
            ch = self.take()
            if ch == "]" and not first:
                break
            first = False
            if ch == "\\":
                e = self.take()
                sh = self.shorthands
                if e in "dws":
                    items.append(sh[e])
                elif e == "D" and "a" not in self.flags:
                    items.append(r"\P{Nd}")
                elif e in "DWS":
                    complements.append(sh[e.lower()])
                elif e == "b":
                    items.append(r"\x08")
                else:
                    items.append(self.class_literal(self.char_escape(e)))
            else:
                items.append(self.class_literal(ch))
            if self.p.startswith("-", self.i) and not self.p.startswith("-]", self.i):
                self.i += 1
                items.append("-")
        body = "".join(items)
        if not complements:
            return f"[^{body}]" if negated else f"[{body}]"
        if not negated:
            alternatives = ([f"[{body}]"] if body else []) + [f"[^{c}]" for c in complements]
            return "(?:" + "|".join(alternatives) + ")"
        return self.excluded_complements(body, complements)


class _Re2Translator(_Translator):
    """Python pattern in, RE2 pattern out, for `fullmatch` or `search`."""

    hex_format = _RE2_HEX

    def __init__(self, pattern: str, fullmatch: bool):
        super().__init__(pattern)
        self.fullmatch = fullmatch

    def run_re2(self) -> str:
        self.translate()
        return ("(?i)" if "i" in self.flags else "") + "".join(self.out)

    def line_start(self) -> str:
        return "(?m:^)"

    def line_end(self) -> str:
        return "(?m:$)"

    def end(self) -> str:
        # Python's `$` may match before a final newline, which only a lookahead can
        # say; when nothing of the pattern follows it, the match ends there, so it
        # is the end of the text (fullmatch) or an optional newline and the end
        # (search, whose answer is the same whichever end it stops at).
        rest = self.p[self.i:]
        if "x" in self.flags:
            rest = re.sub(r"\s+|#[^\n]*", "", rest)
        after = rest.lstrip(")")
        closes = len(rest) - len(after)
        if not (after == "" or after.startswith("|") and closes == self.depth):
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
