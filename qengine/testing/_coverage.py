"""How much of a survey the fuzzed respondents saw.

Counted per respondent: a question is *shown* when the walk met it on a page; an
option is *chosen* when it is in the submitted response (for arrays, each row's
column counts as `row:column`). What was never reached is what the author should
look at: a question no respondent saw is either unreachable (lint says so, with
a proof) or needs a respondent the fuzzer did not think of.
"""

from __future__ import annotations

from collections import Counter

from qengine.kinds.registry import kind_of
from qengine.model import Survey


def _choices(question) -> list[str]:
    shape = kind_of(question).shape
    if shape in ("choice", "choices"):
        return [o.code for o in question.options]
    if shape == "row_choice":
        return [f"{r.code}:{c.code}" for r in question.rows for c in question.columns]
    return []


class Coverage:
    """Counts over many respondents; `add()` one at a time."""

    def __init__(self, survey: Survey):
        self.survey = survey
        self.respondents = 0
        self.submitted = 0
        self.shown: Counter[str] = Counter()
        self.chosen: dict[str, Counter[str]] = {q.code: Counter() for q in survey.questions if _choices(q)}

    def add(self, respondent) -> None:
        self.respondents += 1
        self.shown.update(respondent.shown)
        if respondent.response is None:
            return
        self.submitted += 1
        for code, value in respondent.response.items():
            counter = self.chosen.get(code)
            if counter is None or value is None:
                continue
            if isinstance(value, str):
                counter[value] += 1
            elif isinstance(value, list):
                counter.update(value)
            elif isinstance(value, dict):
                counter.update(f"{r}:{c}" for r, c in value.items())

    def choices(self, code: str) -> list[tuple[str, int]]:
        """Each option of `code` (`row:column` for arrays) in survey order, with how
        many responses chose it; empty for questions without options."""
        counter = self.chosen.get(code)
        if counter is None:
            return []
        return [(c, counter[c]) for c in _choices(self.survey.by_code[code])]

    @property
    def visible_questions(self) -> list[str]:
        """The questions a respondent can see (equations are never shown)."""
        return [q.code for q in self.survey.questions if q.formula is None]

    @property
    def never_shown(self) -> list[str]:
        return [c for c in self.visible_questions if not self.shown[c]]

    @property
    def never_chosen(self) -> dict[str, list[str]]:
        """Options never in a response, for questions that were shown."""
        out = {}
        for q in self.survey.questions:
            if q.code in self.chosen and self.shown[q.code]:
                missing = [c for c in _choices(q) if not self.chosen[q.code][c]]
                if missing:
                    out[q.code] = missing
        return out

    def to_json(self) -> dict:
        return {
            "respondents": self.respondents,
            "submitted": self.submitted,
            "questions": {c: {"shown": self.shown[c], **({"chosen": dict(self.choices(c))} if c in self.chosen else {})}
                          for c in self.visible_questions},
            "never_shown": self.never_shown,
            "never_chosen": self.never_chosen,
        }
