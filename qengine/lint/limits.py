"""How much work lint may give the solver, so that it always answers.

A question to z3 may have no answer in reasonable time (`a*a*a + b*b*b == c*c*c`
over whole numbers is Fermat's theorem for cubes) or exhaust memory on a huge
survey. Every solver lint builds therefore comes from here, with limits:

- work, in z3's resource units (`rlimit`): the count is deterministic, the same
  survey costing the same units on any machine and under any load (about four
  million a second on a laptop of 2024), so where the solver gives up is
  reproducible, which a time limit is not. The allowance grows with the survey:
  checks on a survey of 2,000 questions take up to a few tens of millions;
- memory (`max_memory`, in megabytes).

A check over a limit answers "unknown", which lint reports as undecided (R190) and
`--stats` as undecided, never as a verdict.
"""

from __future__ import annotations

import z3

from qengine.model import Survey

#: resource units a check may use on any survey, and per question on top
RLIMIT_BASE = 2_000_000
RLIMIT_PER_QUESTION = 20_000
#: megabytes a solver may hold
MAX_MEMORY = 2_000
#: what an undecided verdict rests on when a check was over a limit
GAVE_UP = "a check the solver gave up on, over its work limit"


def rlimit(survey: Survey) -> int:
    return RLIMIT_BASE + RLIMIT_PER_QUESTION * len(survey.questions)


def solver(survey: Survey) -> z3.Solver:
    """A solver with the limits of `survey`, whose models are read, never printed:
    it skips compacting them, which took three quarters of the time models cost on
    long surveys."""
    s = z3.Solver()
    s.set("model.compact", False)
    s.set("rlimit", rlimit(survey))
    s.set("max_memory", MAX_MEMORY)
    return s


def optimizer(survey: Survey) -> z3.Optimize:
    """An optimiser with the work limit of `survey`; an optimum costs several checks,
    hence a few times a check's allowance."""
    opt = z3.Optimize()
    opt.set("rlimit", 4 * rlimit(survey))
    return opt
