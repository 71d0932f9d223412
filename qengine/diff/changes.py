"""What `qengine diff` reports: one record a difference, or a proof of none.

A record is about one subject (a question, an option or row, a group, a text, the
survey) and one aspect of it:

- `shown`, `offered`, `group`: who gains or loses a question, an option or row, a page;
- `accepts`: what a question accepts (mandatory, validations, bounds, ticks,
  exclusive options, length, pattern);
- `value`: an equation's value; `default`: the answer a question starts with;
- `wording`: a text as the respondent reads it (its `{…}` variants included);
- `added`, `removed`, `moved`, `kind`, `layout`: structure, reported plainly.

Its status says what was established: `changed` (a respondent can tell, with a
witness replayed on both versions when one is needed), `same` (a textual change
proved to mean the same for every respondent), or `undecided` (the solver gave up,
or its witness did not replay: never counted as a verdict).
"""

from __future__ import annotations

from typing import Any

import attrs

CHANGED, SAME, UNDECIDED = "changed", "same", "undecided"


@attrs.frozen
class Witness:
    """A respondent: the answers file of each version (the new one in the new
    version's codes), and what the runtime showed each version on replay."""

    old_answers: dict[str, Any]
    new_answers: dict[str, Any]
    old_observed: str
    new_observed: str

    def to_json(self) -> dict[str, Any]:
        return {"old_answers": self.old_answers, "new_answers": self.new_answers,
                "observed": {"old": self.old_observed, "new": self.new_observed}}


@attrs.frozen
class Change:
    aspect: str
    status: str
    #: the question or group (old code when it has one), and the option, row or text
    subject: str
    message: str
    item: str | None = None
    #: "gains" / "loses" for shown, offered, group, accepts; else None
    direction: str | None = None
    witness: Witness | None = None
    #: what an undecided verdict rests on
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"aspect": self.aspect, "status": self.status, "subject": self.subject, "item": self.item,
                "direction": self.direction, "message": self.message,
                "witness": None if self.witness is None else self.witness.to_json(),
                "reasons": list(self.reasons)}


@attrs.frozen
class Report:
    old: str
    new: str
    changes: tuple[Change, ...]
    renamed: dict[str, str] = attrs.field(factory=dict)

    @property
    def changed(self) -> list[Change]:
        return [c for c in self.changes if c.status == CHANGED]

    @property
    def undecided(self) -> list[Change]:
        return [c for c in self.changes if c.status == UNDECIDED]

    @property
    def exit_code(self) -> int:
        """0 when no respondent can tell the versions apart (proved), else 1."""
        return 1 if self.changed or self.undecided else 0

    def to_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "renamed": self.renamed,
                "changed": len(self.changed), "undecided": len(self.undecided),
                "same": sum(c.status == SAME for c in self.changes),
                "changes": [c.to_json() for c in self.changes]}
