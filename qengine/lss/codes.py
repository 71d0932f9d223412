"""LimeSurvey codes made into QDL codes.

QDL codes are letters and digits starting with a letter (a column may also be a
whole number), hold no `_` (which joins codes into variable names), and are unique
where they must be. LimeSurvey allowed more over its versions: `_` in old question
codes, answer codes that are numbers ("1", "2"), codes that start with a digit. Such
a code is renamed the way LimeSurvey's own importer renames an invalid one (keep the
letters and digits, put a letter in front of a leading digit), made unique by a
number, and the import writes the mapping as a comment; expressions keep their
LimeSurvey meaning through the mapping (`translate.Variable.codes`).
"""

from __future__ import annotations

import re

#: Words QDL expressions reserve: a question cannot be called so.
RESERVED = {"not", "true", "false", "and", "or"}
_VALID = re.compile(r"[A-Za-z][A-Za-z0-9]*\Z")


class Codes:
    """The codes given so far in one namespace (the survey's questions and groups, or
    one question's options, rows or columns)."""

    def __init__(self, prefix: str, numbers_allowed: bool = False):
        self.prefix = prefix
        self.numbers_allowed = numbers_allowed
        self.taken: set[str] = set()
        self.numbers: set[float] = set()  # numeric column codes, compared as numbers by QDL

    def add(self, original: str) -> str:
        """The QDL code for `original` (itself when it is valid and free)."""
        code = original
        if not self._valid(code):
            code = re.sub(r"[^A-Za-z0-9]", "", code)
            if not code or not code[0].isalpha() and not (self.numbers_allowed and code.isdigit()):
                code = self.prefix + code
            if code.lower() in RESERVED:
                code = self.prefix + code
        base, n = code, 2
        while code.lower() in self.taken or self._number_taken(code):
            code = f"{base}{n}" if not base.isdigit() else f"{self.prefix}{base}{n}"
            n += 1
        self.taken.add(code.lower())
        if code.isdigit():
            self.numbers.add(float(code))
        return code

    def _valid(self, code: str) -> bool:
        if self.numbers_allowed and code.isdigit():
            return True
        return bool(_VALID.match(code)) and code.lower() not in RESERVED

    def _number_taken(self, code: str) -> bool:
        return code.isdigit() and float(code) in self.numbers
