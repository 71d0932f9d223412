"""Hypothesis strategies for surveys, and the property every survey should hold.

    from hypothesis import given
    from qengine.testing import respondents

    survey = qengine.load("survey.qdl")

    @given(respondents(survey))
    def test_every_respondent_submits(respondent):
        respondent.check()      # raises SurveyDefect, with the path that fails

- `answers(session, code)`: a valid answer to question `code` as it stands now in
  `session` (visible options only, bounds, ticks, exclusive options alone);
- `respondents(survey)`: a whole respondent walking the survey page by page as the
  runtime presents it, leaving questions blank, going back to change answers and
  trying invalid values along the way; drawn as a `Respondent`, whose `check()`
  asserts the property;
- `fuzz(survey, examples=..., seed=...)`: the property over many respondents, with
  coverage (the engine of `qengine fuzz` and of the pytest plugin).

The property: every respondent reaches submission; nothing raises; every text
shown renders; every invalid value is refused with a message and stores nothing;
the response fits the survey's response schema, holds no answer to a question not
shown at submission, and matches what the session shows.

The names are imported on first use (PEP 562), so that the pytest plugin, which
lives in this package and loads with every pytest run, does not pull in
Hypothesis and the whole engine until a survey test actually runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qengine.testing._fuzz import FuzzReport, fuzz
    from qengine.testing._steps import Respondent, SurveyDefect
    from qengine.testing._strategies import answers, respondents

__all__ = ["FuzzReport", "Respondent", "SurveyDefect", "answers", "fuzz", "respondents"]

_HOME = {"FuzzReport": "_fuzz", "fuzz": "_fuzz", "Respondent": "_steps", "SurveyDefect": "_steps",
         "answers": "_strategies", "respondents": "_strategies"}


def __getattr__(name: str):
    if name in _HOME:
        return getattr(importlib.import_module(f"qengine.testing.{_HOME[name]}"), name)
    raise AttributeError(f"module 'qengine.testing' has no attribute {name!r}")
