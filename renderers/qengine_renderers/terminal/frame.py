"""Screens as data: lines of styled pieces, turned into ANSI escapes at the end.

The form builds a whole screen as a list of `Line`s on every key press; only
`to_ansi()` knows about escape sequences. Keeping screens as data lets the form be
tested without a terminal and keeps styling decisions in one table.
"""

from __future__ import annotations

import attrs

from qengine_renderers.terminal.text import cells, cut

# Style names to SGR parameters. Colours are dropped when NO_COLOR is set.
_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4", "reverse": "7"}
_COLOURS = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


@attrs.frozen
class Piece:
    """Some text in one style (a space-separated list of style names)."""

    text: str
    style: str = ""


@attrs.frozen
class Line:
    pieces: tuple[Piece, ...] = ()

    @classmethod
    def of(cls, *parts: str | Piece | tuple[str, str]) -> Line:
        """A line from plain strings, Pieces and (text, style) pairs."""
        out = []
        for p in parts:
            if isinstance(p, str):
                p = Piece(p)
            elif isinstance(p, tuple):
                p = Piece(*p)
            if p.text:
                out.append(p)
        return cls(tuple(out))

    @property
    def plain(self) -> str:
        return "".join(p.text for p in self.pieces)

    @property
    def width(self) -> int:
        return cells(self.plain)

    def __add__(self, other: Line) -> Line:
        return Line(self.pieces + other.pieces)

    def clipped(self, width: int) -> Line:
        """The line cut to `width` cells."""
        out, used = [], 0
        for p in self.pieces:
            room = width - used
            if room <= 0:
                break
            text = p.text if cells(p.text) <= room else cut(p.text, room)
            out.append(Piece(text, p.style))
            used += cells(text)
        return Line(tuple(out))


BLANK = Line()


def sgr(style: str, *, colour: bool = True) -> str:
    codes = []
    for name in style.split():
        if name in _SGR:
            codes.append(_SGR[name])
        elif colour and name in _COLOURS:
            codes.append(_COLOURS[name])
    return f"\x1b[{';'.join(codes)}m" if codes else ""


def to_ansi(lines: list[Line], width: int, *, colour: bool = True) -> str:
    """A full-screen update: every line positioned absolutely, cut to `width` and
    cleared to its end, and the rest of the screen cleared."""
    out = ["\x1b[H"]
    for row, line in enumerate(lines, 1):
        out.append(f"\x1b[{row};1H")
        for p in line.clipped(width).pieces:
            start = sgr(p.style, colour=colour)
            out.append(f"{start}{p.text}\x1b[0m" if start else p.text)
        out.append("\x1b[K")
    out.append("\x1b[J")
    return "".join(out)
