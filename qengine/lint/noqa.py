"""Inline suppression: a QDL comment `# noqa` (every finding) or `# noqa: R101, D302`
(those codes) silences the findings that point at its line.

Comments are found by scanning the source as the grammar reads it: a `#` starts a
comment only outside strings, and strings may hold `{expressions}` that hold
strings of their own, so a "# noqa" written inside a text is not a comment.
"""

from __future__ import annotations

import re

_NOQA = re.compile(r"#\s*noqa\b(?::\s*(?P<codes>[A-Za-z0-9]+(?:[\s,]+[A-Za-z0-9]+)*))?", re.I)
ALL = frozenset({"*"})


def suppressions(text: str) -> dict[int, frozenset[str]]:
    """Line number (1-based) -> codes silenced there (`ALL` for a bare noqa)."""
    out: dict[int, frozenset[str]] = {}
    for line, comment in _comments(text):
        m = _NOQA.search(comment)
        if m:
            codes = m.group("codes")
            out[line] = ALL if not codes else frozenset(c.upper() for c in re.split(r"[\s,]+", codes) if c)
    return out


def silenced(code: str, line: int, table: dict[int, frozenset[str]]) -> bool:
    codes = table.get(line)
    return codes is not None and (codes is ALL or code in codes)


def _comments(text: str):
    """(line, comment text) of every comment, skipping strings."""
    i, line, n = 0, 1, len(text)
    while i < n:
        ch = text[i]
        if ch == "\n":
            line += 1
            i += 1
        elif ch == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            yield line, text[i:end]
            i = end
        elif ch in "\"'":
            i, line = _skip_string(text, i, line)
        else:
            i += 1


def _skip_string(text: str, i: int, line: int) -> tuple[int, int]:
    """Index just past the string starting at `i`, and the line it ends on."""
    quote = '"""' if text.startswith('"""', i) else text[i]
    i += len(quote)
    depth = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n":
            line += 1
            if len(quote) == 1 and depth == 0:
                return i, line - 1  # an unclosed one-line string ends with its line
        if ch == "\\":  # an escape, or a backslash that continues the string on the next line
            line += text.startswith("\n", i + 1)
            i += 2
            continue
        if depth == 0 and text.startswith(quote, i):
            return i + len(quote), line
        if ch == "{":
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
        elif depth and ch in "\"'":
            i, line = _skip_string(text, i, line)
            continue
        i += 1
    return i, line
