"""What the import could not carry over exactly, said once per thing.

Every unconvertible construct becomes a `Note`: printed on standard error by
`qengine import` (and by the other commands reading a `.lss`), and written as a
comment next to the place it concerns in the QDL. Nothing is left out silently.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Note:
    message: str
    line: int = 0  # the line of the .lss element concerned
    question: str = ""  # the LimeSurvey question code, when it concerns one

    def format(self, path: str) -> str:
        where = f"{path}:{self.line}: " if self.line else f"{path}: "
        about = f"question {self.question}: " if self.question else ""
        return f"{where}warning: {about}{self.message}"


@attrs.define
class Notes:
    items: list[Note] = attrs.field(factory=list)

    def add(self, message: str, line: int = 0, question: str = "") -> Note:
        note = Note(message, line, question)
        if note not in self.items:
            self.items.append(note)
        return note

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)
