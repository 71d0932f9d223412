"""The side file of stated routes: `SURVEY.expect` beside `SURVEY.qdl`.

Same syntax as the `expect` blocks of a survey, read by the survey's own parser
(start symbol `expect_file`), so that an author learns one syntax and gets the same
errors, with file, line and caret. A side file suits routes that should not change
the survey file itself (its reviewed text, its other tests' fixtures).
"""

from __future__ import annotations

import os
from pathlib import Path

from qengine.errors import QdlError
from qengine.model import Survey
from qengine.model.expect import Expectation
from qengine.syntax.loader import read_file
from qengine.syntax.parser import parse_expectations
from qengine.syntax.resolve import resolve_expectations

SUFFIX = ".expect"


def side_file(survey_path: str | os.PathLike[str]) -> Path:
    """Where the side file of the survey at `survey_path` is (it may not exist)."""
    path = Path(survey_path)
    return path.with_name(path.name.removesuffix(path.suffix) + SUFFIX)


def read_expectations(survey: Survey, path: str | os.PathLike[str]) -> tuple[Expectation, ...]:
    """The expectations of the side file at `path`, their names checked against
    `survey`. Raises `QdlError` for a syntax error or an unknown name."""
    source = read_file(path)
    items, found = parse_expectations(source)
    if not found:
        resolve_expectations(survey, items, found)
    if found:
        raise QdlError(sorted(found, key=lambda d: d.span.start), source)
    return items


def expectations_of(survey: Survey, survey_path: str | os.PathLike[str] | None = None) -> tuple[Expectation, ...]:
    """The survey's own `expect` blocks, then those of its side file, if it has one."""
    extra: tuple[Expectation, ...] = ()
    if survey_path is not None and side_file(survey_path).is_file():
        extra = read_expectations(survey, side_file(survey_path))
    return (*survey.expectations, *extra)
