"""Witnesses: for a question, an answers file that makes the runtime show it."""

from __future__ import annotations

from qengine.lint.logic import SurveyLogic
from qengine.lint.prover import Goal, Prover, Verdict
from qengine.model import Survey


def witnesses(survey: Survey, codes=None) -> dict[str, Verdict]:
    """The verdict of "question q can be shown" for each question (or `codes`),
    decided together; each possible one carries its answers file."""
    logic = SurveyLogic(survey)
    prover = Prover(logic)
    wanted = [q for q in survey.questions if codes is None or q.code in codes]
    goals = [Goal(("shown", q.code), logic.page_of[q.code], logic.shown(q.code),
                  frozenset({q.code}),
                  lambda s, c=q.code: s.is_visible(c)) for q in wanted]
    verdicts = prover.decide(goals)
    return {q.code: verdicts[("shown", q.code)] for q in wanted}


def witness(survey: Survey, code: str) -> Verdict:
    return witnesses(survey, {code})[code]
