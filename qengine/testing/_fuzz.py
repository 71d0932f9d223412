"""Running the property over many respondents: the engine of `qengine fuzz` and of
the pytest plugin.

Two phases share the budget of examples. The first draws respondents freely (each
may follow one of the seed guides, such as lint's witnesses); the second aims at
the questions the first never showed, with guides read off their conditions
(`qengine.testing._aim`), or keeps drawing freely when everything was seen.

Hypothesis does the drawing and the shrinking; distinct kinds of defect are
shrunk separately, so one run reports each kind it found with its shortest path.
"""

from __future__ import annotations

import random
import time
from collections.abc import Mapping, Sequence

import attrs
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

from qengine.model import Survey
from qengine.testing._aim import guide_toward
from qengine.testing._coverage import Coverage
from qengine.testing._steps import Respondent, SurveyDefect
from qengine.testing._walk import Walker

_FIRST_PHASE = 0.75  # share of the examples drawn before aiming at what was not seen
# Respondents per Hypothesis example. Each example carries a fixed cost (about as
# much as a short walk), so a small crowd of respondents shares it; when one of
# them fails, the ones before it shrink to plain respondents that pass.
CROWD = 8


def _crowds(walker: Walker, guides: tuple[Mapping, ...], size: int):
    """Respondents walked one after the other, up to the first that fails (so a
    failing crowd costs no more walks than needed while it is shrunk)."""

    @st.composite
    def crowd(draw) -> list[Respondent]:
        out = []
        while len(out) < size and (not out or out[-1].defect is None):
            out.append(walker.walk(draw, guides))
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
    elapsed: float

    @property
    def passed(self) -> bool:
        return not self.failures


def fuzz(survey: Survey, *, examples: int = 200, seed: int | None = None, format: str | None = None,  # noqa: A002
         guides: Sequence[Mapping] = ()) -> FuzzReport:
    """Walk `examples` respondents through `survey` (rounded up to whole crowds:
    a multiple of 8 above 8) and check the property on each."""
    if seed is None:
        seed = random.randrange(2**32)
    walker = Walker(survey, format)
    coverage = Coverage(survey)
    started = time.perf_counter()
    size = min(CROWD, examples)
    crowds = -(-examples // size)
    first = max(1, round(crowds * _FIRST_PHASE))
    failures = _run(_crowds(walker, tuple(guides), size), first, seed, coverage)
    aimed: tuple[str, ...] = ()
    if not failures and crowds > first:
        aimed = tuple(coverage.never_shown)
        aims = [g for g in (guide_toward(survey, c) for c in aimed) if g] + list(guides)
        failures = _run(_crowds(walker, tuple(aims), size), crowds - first, seed + 1, coverage)
    return FuzzReport(survey.code, seed, coverage.respondents, tuple(failures), coverage, aimed,
                      time.perf_counter() - started)


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
        every_respondent_submits()
    except SurveyDefect as err:
        return [err.respondent]
    except BaseExceptionGroup as group:
        defects, rest = group.split(SurveyDefect)
        if rest is not None:
            raise
        return [e.respondent for e in defects.exceptions]
    return []
