"""Which question, option, row and group of one version is which of the other.

Questions and groups are paired by code, or through the renames the author gives
(`--rename old=new`): a code names the same thing in both versions unless a rename
says otherwise. Options, rows and columns are paired by code within a pair of
questions. Whatever has no partner was added or removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import attrs

from qengine.model import Question, Survey


class RenameError(ValueError):
    """A `--rename` that names nothing or contradicts another (a usage error)."""


def parse_renames(pairs: Iterable[str]) -> dict[str, str]:
    """`["old=new", ...]` as a mapping; RenameError for a malformed pair."""
    out: dict[str, str] = {}
    for pair in pairs:
        old, sep, new = pair.partition("=")
        old, new = old.strip(), new.strip()
        if not sep or not old or not new:
            raise RenameError(f"--rename takes OLD=NEW, not {pair!r}")
        if old in out and out[old] != new:
            raise RenameError(f"'{old}' is renamed twice ({out[old]}, {new})")
        out[old] = new
    if len(set(out.values())) != len(out):
        raise RenameError("two codes are renamed to the same code")
    return out


@attrs.frozen
class Matching:
    """The pairing of two versions: old code -> new code, for questions and groups."""

    old: Survey
    new: Survey
    questions: dict[str, str]
    groups: dict[str, str]
    renamed: dict[str, str]

    @classmethod
    def of(cls, old: Survey, new: Survey, renames: dict[str, str] | None = None) -> Matching:
        renames = dict(renames or {})
        old_codes = set(old.by_code) | set(old.groups_by_code)
        new_codes = set(new.by_code) | set(new.groups_by_code)
        for a, b in renames.items():
            if a not in old_codes:
                raise RenameError(f"--rename {a}={b}: the old survey has no question or group '{a}'")
            if b not in new_codes:
                raise RenameError(f"--rename {a}={b}: the new survey has no question or group '{b}'")
        return cls(old, new, _pair(old.by_code, new.by_code, renames), _pair(old.groups_by_code,
                                                                            new.groups_by_code, renames),
                   {a: b for a, b in renames.items() if a != b})

    @property
    def back(self) -> dict[str, str]:
        """New question code -> old question code."""
        return {b: a for a, b in self.questions.items()}

    def removed(self) -> list[Question]:
        return [q for q in self.old.questions if q.code not in self.questions]

    def added(self) -> list[Question]:
        taken = set(self.questions.values())
        return [q for q in self.new.questions if q.code not in taken]

    def pairs(self) -> list[tuple[Question, Question]]:
        """Matched questions, in the old survey's order."""
        return [(q, self.new.by_code[self.questions[q.code]]) for q in self.old.questions
                if q.code in self.questions]


def _pair(old: Mapping[str, object], new: Mapping[str, object], renames: Mapping[str, str]) -> dict[str, str]:
    """Old code -> new code: a rename when one is given, else the same code, when
    the other version has it and no rename claims it."""
    claimed = set(renames.values())
    out: dict[str, str] = {}
    for code in old:
        target = renames.get(code, code if code not in claimed else None)
        if target is not None and target in new:
            out[code] = target
    return out


def items_of(q: Question) -> dict[str, dict[str, object]]:
    """A question's options, rows and columns by role, each by code."""
    return {role: {i.code: i for i in getattr(q, role, ())} for role in ("options", "rows", "columns")
            if getattr(q, role, ())}
