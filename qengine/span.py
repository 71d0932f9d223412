"""Source text and the spans that point into it.

Every node of the model carries the span it came from, so that any later phase
(resolution, lint, the runtime's evaluation errors) can point at the exact spot of
the author's file.
"""

from __future__ import annotations

import bisect
import re
from functools import cached_property
from typing import NamedTuple

import attrs


@attrs.frozen
class Source:
    """The text of one .qdl file and the name to show for it.

    Windows line endings are read as plain newlines, so that no `\r` reaches the
    wording of a triple-quoted text; lines and columns are unchanged by this.
    """

    text: str = attrs.field(converter=lambda text: text.replace("\r\n", "\n"))
    path: str = "<string>"

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(m.end() for m in re.finditer("\n", self.text))]

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline."""
        starts = self._line_starts
        if not 1 <= line <= len(starts):
            return ""
        end = self.text.find("\n", starts[line - 1])
        return self.text[starts[line - 1] : end if end >= 0 else len(self.text)].rstrip("\r")

    def span(self, start: int, end: int) -> Span:
        """The span of the offsets `start` to `end`, with their lines and columns."""
        starts = self._line_starts
        line = bisect.bisect_right(starts, start)
        end_line = bisect.bisect_right(starts, end) if end > start else line
        end_column = max(start, end) - starts[end_line - 1] + 1
        # `_make` skips the keyword handling of the named tuple's constructor
        return Span._make((self.path, line, start - starts[line - 1] + 1, end_line, end_column, start, end))


class Span(NamedTuple):
    """A range of a source file: 1-based lines and columns, 0-based offsets.

    A named tuple rather than an attrs class: a large survey has a hundred thousand
    spans, and a tuple is built in half the time."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int = 0
    end: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def touches(self, ranges) -> bool:
        """Whether it overlaps one of the (start, end) offset `ranges` (an empty span
        counts as its first character)."""
        return overlaps(self.start, max(self.end, self.start + 1), ranges)

    def to_json(self) -> dict:
        return {"line": self.line, "column": self.column,
                "end_line": self.end_line, "end_column": self.end_column}


def overlaps(start: int, end: int, ranges) -> bool:
    """Whether the offsets [start, end) overlap one of the (start, end) `ranges`."""
    return any(start < stop and begin < end for begin, stop in ranges)


NOWHERE = Span("<generated>", 1, 1, 1, 1)
