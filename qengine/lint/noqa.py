"""Inline suppression: a QDL comment `# noqa` (every finding) or `# noqa: R101, D302`
(those codes) silences the findings that point at its line.

The comments are the survey's own (`Survey.comments`), found by the lexer as it
reads the file: a `#` inside a string, or inside an `{expression}` of a string, is
not a comment, and a line continued inside a string is counted where it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from qengine.model import Comment

_NOQA = re.compile(r"#\s*noqa\b(?::\s*(?P<codes>[A-Za-z0-9]+(?:[\s,]+[A-Za-z0-9]+)*))?", re.I)
ALL = frozenset({"*"})


def suppressions(comments: Iterable[Comment]) -> dict[int, frozenset[str]]:
    """Line number (1-based) -> codes silenced there (`ALL` for a bare noqa)."""
    out: dict[int, frozenset[str]] = {}
    for comment in comments:
        m = _NOQA.search(comment.text)
        if m:
            codes = m.group("codes")
            out[comment.span.line] = (ALL if not codes else
                                      frozenset(c.upper() for c in re.split(r"[\s,]+", codes) if c))
    return out


def silenced(code: str, line: int, table: dict[int, frozenset[str]]) -> bool:
    codes = table.get(line)
    return codes is not None and (codes is ALL or code in codes)
