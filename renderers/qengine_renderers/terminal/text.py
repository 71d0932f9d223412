"""Survey wording made safe and measured for a terminal.

Everything the survey says (titles, labels, help, messages, answers typed back) goes
through `clean()` before it reaches the screen: a label holding an escape sequence
could otherwise move the cursor, recolour or retitle the respondent's terminal, or
reorder text with bidirectional overrides. `clean` is qengine's one sanitiser
(`qengine.terminal`), which the commands that print survey text use too. Widths are counted in terminal cells, not
characters, so that wide (CJK) and combining characters line up.
"""

from __future__ import annotations

import unicodedata

from qengine.terminal import clean

__all__ = ["cells", "char_cells", "clean", "cut", "fit", "wrap"]


def char_cells(ch: str) -> int:
    """Cells one character takes: 0 for combining marks, 2 for wide ones."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cells(text: str) -> int:
    return sum(char_cells(ch) for ch in text)


def cut(text: str, width: int) -> str:
    """The longest start of `text` that fits in `width` cells."""
    used = 0
    for i, ch in enumerate(text):
        used += char_cells(ch)
        if used > width:
            return text[:i]
    return text


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells with an ellipsis when it does not fit."""
    if cells(text) <= width:
        return text
    return cut(text, max(width - 1, 0)) + "…"


def _split_word(word: str, width: int) -> list[str]:
    """`word` in pieces of at most `width` cells (a character wider than that gets
    a piece of its own). One pass over the word: measuring and slicing what is left
    after each piece made an 80,000-character word take seconds."""
    pieces, start, used = [], 0, 0
    for i, ch in enumerate(word):
        w = char_cells(ch)
        if used + w > width and i > start:
            pieces.append(word[start:i])
            start, used = i, 0
        used += w
    pieces.append(word[start:])
    return pieces


# Marks that French typography (and some English) sets after a space: a line must
# not start with one of them.
_TRAILING = set("?!:;»*)")


def _glued(words: list[str]) -> list[str]:
    """Words with each lone trailing mark ("?" in "chiffrées ?") joined to the word
    before it by a no-break space."""
    out: list[str] = []
    for word in words:
        if out and set(word) <= _TRAILING:
            out[-1] += "\u00a0" + word
        else:
            out.append(word)
    return out


def wrap(text: str, width: int) -> list[str]:
    """Word-wrap `text` to `width` cells. Line breaks in the text are kept (a blank
    line stays blank); words longer than a line are broken."""
    width = max(width, 1)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        indent = paragraph[: len(paragraph) - len(paragraph.lstrip(" "))]
        if cells(indent) > width // 2:
            indent = ""
        words = _glued(paragraph.split())
        if not words:
            lines.append("")
            continue
        line = indent
        for word in words:
            room = width - cells(line) - (1 if line.strip() else 0)
            if cells(word) <= room:
                line = f"{line} {word}" if line.strip() else line + word
                continue
            if line.strip():
                lines.append(line)
                line = indent
            *full, word = _split_word(word, width - cells(line))
            for piece in full:
                lines.append(line + piece)
            line = line + word
        lines.append(line)
    return lines
