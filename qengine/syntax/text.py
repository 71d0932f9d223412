"""Quoted strings: unescaping, dedenting of triple-quoted text, and splitting of
dynamic wording into literal parts and `{expression}` parts."""

from __future__ import annotations

import re
from collections.abc import Callable

from qengine.errors import Diagnostic
from qengine.span import Source

_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", '"': '"', "'": "'", "{": "{", "}": "}"}
_SPECIAL = re.compile(r"[\\{}\n]")  # what ends a run of plain characters in text


def unescape(body: str) -> str:
    """`\\n` and `\\t` are a newline and a tab; `\\\\`, `\\"`, `\\'`, `\\{`, `\\}` the
    character after the backslash. Before any other character the backslash stays,
    as in PHP and Python: a pattern copied from LimeSurvey (`'/^\\d{5}$/'`) reaches
    regexMatch() as written, rather than silently becoming `/^d{5}$/`."""
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            out.append(_escape(body[i + 1]))
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _escape(ch: str) -> str:
    """What a backslash and `ch` stand for (see `unescape`)."""
    return _ESCAPES.get(ch, "\\" + ch)


def _common_indent(body: str) -> int:
    indents = [len(line) - len(line.lstrip(" \t")) for line in body.split("\n")[1:] if line.strip()]
    return min(indents, default=0)


def split_text(token_text: str, start: int, source: Source,
               parse_expr: Callable[[str, int], object],
               diagnostics: list[Diagnostic]) -> list:
    """Split a quoted string token (quotes included) that begins at offset `start`
    into literal strings and parsed expressions.

    Triple-quoted text drops its first and last line breaks and the indentation
    common to its lines, so that it can be indented with the survey's outline; a
    backslash at the end of a line joins the next line to it.
    """
    quote = 3 if token_text.startswith('"""') else 1
    body = token_text[quote:-quote]
    if quote == 1 and _SPECIAL.search(body) is None:
        return [body] if body else []  # most labels: nothing to split or unescape
    base = start + quote
    indent = _common_indent(body) if quote == 3 else 0
    parts: list = []
    buf: list[str] = []
    i = 0
    if quote == 3 and body.startswith("\n"):
        i = 1
    at_line_start = quote == 3
    end = len(body)
    if quote == 3:
        stripped = body.rstrip(" \t")
        if stripped.endswith("\n"):
            end = len(stripped) - 1
    while i < end:
        ch = body[i]
        if at_line_start and indent:
            j = i
            while j < end and j - i < indent and body[j] in " \t":
                j += 1
            i, at_line_start = j, False
            continue
        at_line_start = False
        if ch == "\\" and i + 1 < end and body[i + 1] == "\n":
            # A backslash ending a line joins it to the next one, whose
            # indentation is dropped: long one-paragraph texts can be wrapped.
            i += 2
            while i < end and body[i] in " \t":
                i += 1
        elif ch == "\\" and i + 1 < end:
            buf.append(_escape(body[i + 1]))
            i += 2
        elif ch == "{":
            close = _closing_brace(body, i + 1)
            if close < 0:
                diagnostics.append(Diagnostic("E104", "this '{' is never closed",
                                              source.span(base + i, base + i + 1),
                                              "write \\{ for a literal brace"))
                buf.append(ch)
                i += 1
                continue
            if buf:
                parts.append("".join(buf))
                buf = []
            expr = parse_expr(body[i + 1 : close], base + i + 1)
            if expr is not None:
                parts.append(expr)
            i = close + 1
        elif ch == "}":
            diagnostics.append(Diagnostic("E104", "this '}' closes nothing",
                                          source.span(base + i, base + i + 1),
                                          "write \\} for a literal brace"))
            i += 1
        elif ch == "\n":
            buf.append(ch)
            at_line_start = True
            i += 1
        else:  # this character (a lone backslash at the very end, too) and the plain run after it
            special = _SPECIAL.search(body, i + 1, end)
            stop = special.start() if special else end
            buf.append(body[i:stop])
            i = stop
    if buf:
        parts.append("".join(buf))
    return parts


def _closing_brace(body: str, i: int) -> int:
    """Index of the `}` closing an expression that starts at i, skipping strings."""
    quote = None
    while i < len(body):
        ch = body[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "}":
            return i
        i += 1
    return -1
