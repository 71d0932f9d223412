"""The side file of stated routes: `SURVEY.expect` beside `SURVEY.qdl`.

Same syntax as the `expect` blocks of a survey, read by the survey's own parser
(start symbol `expect_file`), so that an author learns one syntax and gets the same
errors, with file, line and caret. A side file suits routes that should not change
the survey file itself (its reviewed text, its other tests' fixtures).
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from qengine.errors import QdlError
from qengine.model import Survey
from qengine.model.expect import Expectation
from qengine.span import Source
from qengine.syntax.loader import read_file
from qengine.syntax.parser import parse_expectations
from qengine.syntax.resolve import resolve_expectations

SUFFIX = ".expect"


def side_file(survey_path: str | os.PathLike[str]) -> Path:
    """Where the side file of the survey at `survey_path` is (it may not exist)."""
    path = Path(survey_path)
    return path.with_name(path.name.removesuffix(path.suffix) + SUFFIX)


@attrs.frozen
class SideFile:
    """A side file read: its text (for excerpts) and its expectations."""

    source: Source
    expectations: tuple[Expectation, ...]


def read_side_file(survey: Survey, path: str | os.PathLike[str]) -> SideFile:
    """The side file at `path`, its expectations' names checked against `survey`.
    Raises `QdlError` (with the side file's text) for an unreadable file, a syntax
    error or an unknown name."""
    source = read_file(path)
    items, found = parse_expectations(source)
    if not found:
        resolve_expectations(survey, items, found)
    if found:
        raise QdlError(sorted(found, key=lambda d: d.span.start), source)
    return SideFile(source, items)


def side_file_of(survey_path: str | os.PathLike[str]) -> Path | None:
    """The side file beside the survey file at `survey_path`, when both exist
    (a survey read from text or standard input has none)."""
    path = Path(survey_path)
    side = side_file(path)
    return side if path.is_file() and side.is_file() else None


def expectations_of(survey: Survey, survey_path: str | os.PathLike[str] | None = None) -> tuple[Expectation, ...]:
    """The survey's own `expect` blocks, then those of its side file, if it has one."""
    side = side_file_of(survey_path) if survey_path is not None else None
    extra = read_side_file(survey, side).expectations if side is not None else ()
    return (*survey.expectations, *extra)
