"""Deciding `expect every respondent who C is [not] asked Q` for all respondents.

The counter-example is posed to lint's prover (`qengine.lint.prover`, over the
survey's logic from `qengine.lint.logic`): "a respondent for whom C holds and Q is
not shown" (or is shown, for `is not asked`), on the page where the later of Q and
the questions C reads is, every earlier page passed. Impossible is a proof;
possible comes with a witness, an answers file, replayed here through the runtime
before it is reported (a witness the runtime does not confirm makes the verdict
undecided); a check the solver gives up on is undecided, never a verdict.
"""

from __future__ import annotations

from qengine.errors import EvaluationError
from qengine.expect.results import FAILED, PASSED, UNDECIDED, Failure, Result
from qengine.expr.evaluate import evaluate
from qengine.expr.values import truthy
from qengine.lint.constraints import condition
from qengine.lint.logic import SurveyLogic
from qengine.lint.prover import IMPOSSIBLE, POSSIBLE, Goal, Prover, Verdict
from qengine.lint.replay import replay
from qengine.model import Survey, reads
from qengine.model.expect import Every
from qengine.runtime.session import Session


def decide(survey: Survey, items: list[Every]) -> list[Result]:
    if not items:
        return []
    logic = SurveyLogic(survey)
    goals: dict[tuple[int, str], Goal] = {}
    for i, item in enumerate(items):
        who = condition(item.condition, logic)
        for code in item.codes:
            shown = logic.shown(code)
            read = reads([item.condition]) | {code}
            goals[(i, code)] = Goal(("expect", i, code), max(logic.page_of[q] for q in read),
                                    who & (~shown if item.shown else shown), frozenset(read),
                                    lambda s, item=item, code=code: _breaks(s, item, code))
    verdicts = Prover(logic).decide(goals.values())
    return [_result(survey, item, {c: verdicts[goals[(i, c)].key] for c in item.codes}, goals, i)
            for i, item in enumerate(items)]


def _breaks(session: Session, item: Every, code: str) -> bool:
    """Whether the respondent of `session` is a counter-example to `item` for `code`."""
    try:
        return truthy(evaluate(item.condition, session)) and session.is_visible(code) != item.shown
    except EvaluationError:
        return False


def _result(survey: Survey, item: Every, verdicts: dict[str, Verdict], goals: dict[tuple[int, str], Goal],
            i: int) -> Result:
    for code, verdict in verdicts.items():
        if verdict.status != POSSIBLE:
            continue
        witness = verdict.witness
        session = replay(survey, witness, goals[(i, code)].page) if witness is not None else None
        if session is None or not _breaks(session, item, code):
            return Result(item, UNDECIDED, note=f"the solver's counter-example for '{code}' does not "
                                                "replay through the runtime")
        what = "not asked" if item.shown else "asked"
        return Result(item, FAILED, (Failure(item.span, f"a respondent who meets the condition is {what} "
                                                        f"'{code}'"),), witness)
    open_ = [c for c, v in verdicts.items() if v.status != IMPOSSIBLE]
    if open_:
        reasons = sorted({r for c in open_ for r in verdicts[c].reasons})
        return Result(item, UNDECIDED, note=f"the solver cannot decide it for {', '.join(open_)}"
                                            + (f" ({'; '.join(reasons)})" if reasons else ""))
    return Result(item, PASSED, note="proved for every respondent")
