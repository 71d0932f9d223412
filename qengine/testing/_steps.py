"""What a fuzzed respondent did and what went wrong: the records a walk leaves.

Kept apart from the walk itself so that a failing path prints the same way in a
Hypothesis report, in `qengine fuzz` and in the pytest plugin.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import attrs


def show(value) -> str:
    """A value as JSON, as it would appear in an answers file."""
    return json.dumps(value, ensure_ascii=False, default=repr)


@attrs.frozen
class Step:
    """One thing the respondent did. `action` is one of: page (arrived on it),
    answer, blank, clear, refused (an invalid value tried), hidden (a question not
    shown tried), next, stuck (next refused), back, submit."""

    action: str
    code: str | None = None
    value: object = None
    note: str | None = None

    def __str__(self) -> str:
        match self.action:
            case "page":
                return f"page {self.code}: {self.note}"
            case "answer":
                return f"    {self.code} = {show(self.value)}"
            case "blank":
                return f"    {self.code} left blank"
            case "clear":
                return f"    {self.code} cleared"
            case "refused":
                return f"    {self.code} = {show(self.value)}  (invalid: {self.note})"
            case "stuck":
                return f"  next -> refused: {self.note}"
            case "hidden":
                return f"    {self.code} = {show(self.value)}  (invalid: {self.code} is not shown)"
        return f"  {self.action}"


# Kinds of defect, each with what it means for the survey author.
KINDS = {
    "crash": "the survey failed while running",
    "dead-end": "a respondent cannot leave a page",
    "cannot-submit": "a respondent who passed every page cannot submit",
    "no-end": "navigation never reaches the end",
    "invalid-accepted": "an invalid answer was not refused, or was stored",
    "valid-refused": "an answer the question allows was refused",
    "default-refused": "a question's default is refused by the question itself",
    "response-schema": "the response does not fit the response schema",
    "hidden-answer": "the response holds an answer to a question not shown",
    "response-mismatch": "the response differs from what the session shows",
}


@attrs.frozen
class Defect:
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{KINDS[self.kind]}: {self.message}"


@attrs.frozen(repr=False)
class Respondent:
    """One respondent's walk through a survey, as drawn by `respondents()`.

    `steps` is the path taken; `answers` the answers given when the walk ended (the
    answers-file form `qengine play` replays); `shown` every question presented;
    `response` the submitted response, or None; `defect` what went wrong, or None.
    `check()` raises `SurveyDefect` when there is a defect.
    """

    survey: str
    steps: tuple[Step, ...]
    answers: Mapping[str, object]
    shown: frozenset[str]
    response: Mapping[str, object] | None
    defect: Defect | None
    session: object = attrs.field(eq=False, default=None)

    def check(self) -> None:
        if self.defect is not None:
            raise _DEFECT_TYPES[self.defect.kind](self)

    @property
    def path(self) -> str:
        """The walk as text: pages, answers, moves, then the outcome."""
        lines = [str(s) for s in self.steps]
        lines.append(f"FAILED: {self.defect}" if self.defect else "submitted")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"<respondent to {self.survey}>\n{self.path}"


class SurveyDefect(AssertionError):
    """A respondent found a defect; `respondent` holds the path, `defect` the finding."""

    def __init__(self, respondent: Respondent):
        self.respondent = respondent
        self.defect = respondent.defect
        super().__init__(f"{respondent.defect}\n\npath:\n{respondent.path}")


# One subclass per kind, so that Hypothesis tells distinct defects apart and
# shrinks each on its own.
_DEFECT_TYPES = {kind: type("".join(w.title() for w in kind.split("-")), (SurveyDefect,), {"__doc__": meaning})
                 for kind, meaning in KINDS.items()}
