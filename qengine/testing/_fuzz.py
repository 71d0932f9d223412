"""Running the property over many respondents: the engine of `qengine fuzz` and of
the pytest plugin.

Two phases share the budget of examples. In the first, a quarter of the
respondents follow a guide: lint's witnesses (for each question lint can show,
answers that show it) and the caller's guides; the others draw freely. The second
aims at the questions the first never showed, with their witnesses or, where lint
has none, guides read off their conditions (`qengine.testing._aim`), or keeps
drawing as before when everything was seen.

Hypothesis does the drawing and the shrinking; distinct kinds of defect are
shrunk separately, so one run reports each kind it found with its shortest path.
"""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Mapping, Sequence

import attrs
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st
from hypothesis.errors import HypothesisWarning

from qengine.kinds.samples import pattern_texts
from qengine.model import Survey
from qengine.testing._aim import guide_toward
from qengine.testing._coverage import Coverage
from qengine.testing._steps import Respondent, SurveyDefect
from qengine.testing._walk import Walker, crowd_size

_FIRST_PHASE = 0.75  # share of the examples drawn before aiming at what was not seen
_GUIDED = 0.25  # share of the respondents following a guide, at first
_AIMED = 0.75  # and when aiming at what was not seen
# Respondents per Hypothesis example. Each example carries a fixed cost (about as
# much as a short walk), so a small crowd of respondents shares it; when one of
# them fails, the ones before it shrink to plain respondents that pass. Fewer on
# a large survey, whose walks need more of the bytes an example may draw.
CROWD = 8


def _crowds(walker: Walker, guides: tuple[Mapping, ...], guided: float, size: int):
    """Respondents walked one after the other, up to the first that fails (so a
    failing crowd costs no more walks than needed while it is shrunk)."""

    @st.composite
    def crowd(draw) -> list[Respondent]:
        out: list[Respondent] = []
        while len(out) < size and (not out or out[-1].defect is None):
            out.append(walker.walk(draw, guides, guided))
        return out

    return crowd()


@attrs.frozen
class FuzzReport:
    """The outcome of `fuzz()`: defects found (each a shrunk `Respondent`),
    coverage, the seed that reproduces the run, and what the second phase aimed at."""

    survey: str
    seed: int
    examples: int
    failures: tuple[Respondent, ...]
    coverage: Coverage = attrs.field(eq=False)
    aimed_at: tuple[str, ...]
    unreachable: tuple[str, ...]  # questions lint proves can never be shown
    elapsed: float
    lint_error: str | None = None  # why lint gave no witnesses, if it failed
    textless: tuple[str, ...] = ()  # questions with a pattern no text was found for: left blank

    @property
    def passed(self) -> bool:
        return not self.failures

    def never_shown_line(self) -> str:
        """The questions no respondent saw, in one line that sets apart those lint
        proves nobody can see: "none" is said only when there is none at all."""
        never = self.coverage.never_shown
        proved = [c for c in never if c in self.unreachable]
        missed = [c for c in never if c not in self.unreachable]
        parts = [", ".join(missed)] if missed else []
        if proved:
            pronoun = "it" if len(proved) == 1 else "them"
            parts.append(f"{', '.join(proved)} (lint proves no respondent can see {pronoun})")
        return "never shown: " + ("; ".join(parts) or "none")

    def textless_line(self) -> str | None:
        """The warning for patterns no text was found for, or None."""
        if not self.textless:
            return None
        pronoun = "it" if len(self.textless) == 1 else "them"
        return (f"warning: no text was found that matches the pattern (and maxlength) of "
                f"{', '.join(self.textless)}: respondents left {pronoun} blank")


def fuzz(survey: Survey, *, examples: int = 200, seed: int | None = None, format: str | None = None,  # noqa: A002
         guides: Sequence[Mapping] = (), witnesses: bool = True) -> FuzzReport:
    """Walk `examples` respondents through `survey` (rounded up to whole crowds of
    8 respondents, or fewer on a survey of hundreds of questions) and check the
    property on each.

    Some respondents follow `guides` (partial answers files) and, with
    `witnesses`, lint's witnesses: for each question lint can show, answers that
    show it. The last quarter aims at the questions still never shown."""
    if seed is None:
        seed = random.randrange(2**32)
    coverage = Coverage(survey)
    started = time.perf_counter()
    texts = pattern_texts(survey)
    size = crowd_size(survey, min(CROWD, examples))
    walker = Walker(survey, format, texts, size)
    proved, unreachable, lint_error = _witnesses(survey) if witnesses else ({}, (), None)
    seeds = tuple(guides) + tuple(proved.values())
    crowds = -(-examples // size)
    first = max(1, round(crowds * _FIRST_PHASE))
    failures = _run(_crowds(walker, seeds, _GUIDED, size), first, seed, coverage)
    aimed: tuple[str, ...] = ()
    if not failures and crowds > first:
        aimed = tuple(c for c in coverage.never_shown if c not in unreachable)
        toward = [proved.get(c) or guide_toward(survey, c) for c in aimed]
        aims = tuple(g for g in toward if g) or seeds
        failures = _run(_crowds(walker, aims, _AIMED, size), crowds - first, seed + 1, coverage)
    return FuzzReport(survey.code, seed, coverage.respondents, tuple(failures), coverage, aimed, unreachable,
                      time.perf_counter() - started, lint_error, tuple(c for c, found in texts.items() if not found))


def _witnesses(survey: Survey) -> tuple[dict[str, Mapping], tuple[str, ...], str | None]:
    """Lint's witnesses (question -> answers that show it), the questions it
    proves can never be shown, and what went wrong if it failed: the witnesses
    only help the search, so fuzzing goes on without them (and says so).
    Imported late: lint loads the solver."""
    try:
        from qengine.lint.prover import IMPOSSIBLE, POSSIBLE
        from qengine.lint.witness import witnesses

        verdicts = witnesses(survey)
    except Exception as err:  # whatever lint's failure, fuzzing goes on with its own search
        return {}, (), f"{type(err).__name__}: {err}"
    proved: dict[str, Mapping] = {code: v.witness for code, v in verdicts.items() if v.status == POSSIBLE and v.witness}
    return proved, tuple(code for code, v in verdicts.items() if v.status == IMPOSSIBLE), None


def _run(strategy, crowds: int, seed: int, coverage: Coverage) -> list[Respondent]:
    failed = False

    def count(respondent: Respondent) -> None:
        nonlocal failed
        if not failed:
            coverage.add(respondent)
            failed = respondent.defect is not None

    @hypothesis_seed(seed)
    @settings(max_examples=crowds, database=None, deadline=None, derandomize=False,
              phases=(Phase.explicit, Phase.generate, Phase.shrink), report_multiple_bugs=True,
              suppress_health_check=list(HealthCheck), verbosity=Verbosity.quiet, print_blob=False)
    @given(strategy)
    def every_respondent_submits(crowd: list[Respondent]) -> None:
        for respondent in crowd:
            count(respondent)
            respondent.check()

    try:
        with warnings.catch_warnings():  # the report is ours: Hypothesis's repr of a long walk is never shown
            warnings.filterwarnings("ignore", "Generating overly large repr", HypothesisWarning)
            every_respondent_submits()
    except SurveyDefect as err:
        return [err.respondent]
    except BaseExceptionGroup as group:
        defects, rest = group.split(SurveyDefect)
        if rest is not None or defects is None:
            raise
        return _respondents(defects)
    return []


def _respondents(group: BaseExceptionGroup[SurveyDefect]) -> list[Respondent]:
    """The failing respondents of a group of defects (split keeps nested groups)."""
    out: list[Respondent] = []
    for e in group.exceptions:
        if isinstance(e, BaseExceptionGroup):
            out += _respondents(e)
        else:
            out.append(e.respondent)
    return out
