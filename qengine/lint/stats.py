"""Path statistics: how many questions a respondent is shown, and how long it takes.

The fewest and most questions are exact: z3's optimiser looks over every
respondent who can complete the survey (every page passed), with the same model
as the reachability rules. The time range is an estimate, from the wording each
question makes the respondent read and a time to answer it by kind:

- reading: 238 words a minute is the average silent reading speed of adults for
  non-fiction (Brysbaert, "How many words do we read per minute?", Journal of
  Memory and Language, 2019); the range uses 300 (fast readers) to 200 (slow);
- answering, after reading (qengine's assumptions, in seconds, fast to slow):
  each kind's `seconds` (`qengine.kinds.base.Kind`); per row for arrays, per cell
  for grids.

The low figure is the fastest respondent on the shortest path, the high one the
slowest on the longest; both are optimised exactly over the paths, with the
times above as weights. Welcome and end texts are read once by everybody.
"""

from __future__ import annotations

import math
from typing import cast

import attrs
import z3

from qengine.kinds.base import Table
from qengine.kinds.registry import kind_of
from qengine.lint import limits
from qengine.lint.logic import SurveyLogic
from qengine.lint.progress import SILENT, Progress
from qengine.lint.slices import PASSED, Slicer
from qengine.model import Question, Survey, Text

WORDS_PER_MINUTE = (300, 200)  # fast, slow


@attrs.frozen
class PathStatistics:
    questions: int  # questions a respondent answers (equations and display texts left out)
    fewest: int  # fewest of them any respondent who completes the survey is shown
    most: int
    seconds_low: float  # fastest respondent on the shortest path
    seconds_high: float  # slowest respondent on the longest path
    #: what the solver does not model that the optimum rests on (nothing: it is exact)
    unmodelled: tuple[str, ...] = ()

    @property
    def exact(self) -> bool:
        return not self.unmodelled

    @property
    def minutes(self) -> tuple[int, int]:
        """The time range in whole minutes, widened outwards (at least 1)."""
        return max(1, math.floor(self.seconds_low / 60)), max(1, math.ceil(self.seconds_high / 60))

    def describe(self) -> str:
        low, high = self.minutes
        span = f"{low} minute{'s' if low != 1 else ''}" if low == high else f"between {low} and {high} minutes"
        shown = f"{self.fewest}" if self.fewest == self.most else f"{self.fewest} to {self.most}"
        caveat = "" if self.exact else f" (not exact: it rests on {'; '.join(self.unmodelled)})"
        if self.questions == 1:
            seen = "is shown it" if self.fewest == 1 else "may be shown it" if self.most == 1 else "is never shown it"
            return f"1 question; a respondent {seen}; {span}{caveat}"
        return f"{self.questions} questions; a respondent is shown {shown} of them; {span}{caveat}"

    def to_json(self) -> dict:
        low, high = self.minutes
        return {"questions": self.questions, "fewest": self.fewest, "most": self.most,
                "seconds_low": self.seconds_low, "seconds_high": self.seconds_high,
                "minutes_low": low, "minutes_high": high, "exact": self.exact,
                "unmodelled": list(self.unmodelled)}


class NoStatistics(ValueError):
    """The path statistics cannot be given."""


class NoCompletePath(NoStatistics):
    """No respondent can get to the end of the survey (a proof)."""


class UndecidedStatistics(NoStatistics):
    """The solver gave up before finding an optimum (`qengine.lint.limits`)."""


def _words(*texts: Text | None) -> int:
    return sum(len(t.plain.split()) for t in texts if t is not None)


def seconds(question: Question, pace: int) -> float:
    """Time to read and answer a question; pace 0 is fast, 1 slow."""
    texts = [question.text, question.help]
    for what in ("options", "rows", "columns"):
        texts += [i.label for i in getattr(question, what, ())]
    reading = _words(*texts) * 60 / WORDS_PER_MINUTE[pace]
    kind = kind_of(question)
    answer = kind.seconds[pace]
    shape = kind.shape
    if shape == "row_choice":
        answer *= len(cast(Table, question).rows)
    elif shape == "row_cells":
        table = cast(Table, question)
        answer *= len(table.rows) * len(table.columns)
    return reading + answer


def path_statistics(survey: Survey, progress: Progress = SILENT) -> PathStatistics:
    """Exact fewest and most questions shown to a respondent who completes the
    survey, and the estimated time range. Raises `NoCompletePath` when nobody can
    complete it, `UndecidedStatistics` when the solver gives up (never the former
    for the latter). `progress` counts the four optimisations."""
    logic = SurveyLogic(survey)
    # every page passed: each question in its role of a respondent who went on
    slicer = Slicer(logic)
    passed = [slicer.constraint(q.code, PASSED) for q in survey.questions]
    counted = [q for q in survey.questions if q.is_input]
    read = [q for q in survey.questions if q.formula is None]
    shown = {q.code: logic.shown(q.code).formula for q in survey.questions}
    base = _words(survey.welcome, survey.end)

    # One optimiser holds the survey for the four optimisations, each pushed and
    # popped, so the survey is handed to z3 once. z3 solves a sum of If(shown, w, 0)
    # as weighted MaxSAT (maxres); rotating its cores reaches the optimum with a few
    # times fewer checks on long surveys (benchmarks/lint.py).
    opt = limits.optimizer(survey)
    opt.set("enable_core_rotate", True)
    opt.add(*logic.definitions, *(p.formula for p in passed))

    progress.phase("path statistics", 4)

    def optimum(weights: dict[str, int], maximise: bool) -> int:
        total = z3.Sum(*(z3.If(shown[c], w, 0) for c, w in weights.items())) if weights else z3.IntVal(0)
        opt.push()
        handle = opt.maximize(total) if maximise else opt.minimize(total)
        result = opt.check()
        value = handle.value() if result == z3.sat else None
        opt.pop()
        if result == z3.unsat:
            raise NoCompletePath(f"no respondent can complete the survey '{survey.code}'")
        if value is None:
            raise UndecidedStatistics(f"cannot decide the paths through the survey '{survey.code}': "
                                      f"it rests on {limits.GAVE_UP}")
        progress.advance()
        return value.as_long()

    ones = {q.code: 1 for q in counted}
    fewest, most = optimum(ones, False), optimum(ones, True)
    # tenths of a second keep the optimisation over integers
    low = optimum({q.code: round(seconds(q, 0) * 10) for q in read}, False)
    high = optimum({q.code: round(seconds(q, 1) * 10) for q in read}, True)
    unmodelled = sorted(set().union(logic.unknown_reasons, *(p.reasons for p in passed)))
    return PathStatistics(len(counted), fewest, most, low / 10 + base * 60 / WORDS_PER_MINUTE[0],
                          high / 10 + base * 60 / WORDS_PER_MINUTE[1], tuple(unmodelled))
