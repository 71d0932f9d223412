"""LimeSurvey's `.lss` survey structure files as QDL.

`import_lss(path)` reads a `.lss` and writes QDL source text for it: the survey
model then comes from qengine's ordinary parser, so checking, linting, fuzzing,
rendering and playing an imported survey work exactly as for one written in QDL.
The steps, one module each:

    xmldoc     the XML, read safely (defusedxml), each element with its line
    reader     the record of one language (`record.Survey`), either table layout
    conditions LimeSurvey 2's conditions table as relevance equations
    scope      QDL codes for LimeSurvey's, and what each variable is in QDL
    translate  ExpressionScript to QDL, keeping LimeSurvey's meaning
    convert    questions by type (`kinds.TYPES`), texts (`texts`), notes
    writer     the QDL text

Whatever cannot be carried over exactly is a `Note`: a warning, and a comment in
the QDL beside what it concerns.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import attrs

from qengine.errors import Diagnostic, QdlError
from qengine.lss.convert import Converter
from qengine.lss.notes import Note, Notes
from qengine.lss.reader import read
from qengine.lss.writer import write
from qengine.lss.xmldoc import LssError, parse
from qengine.span import Source

__all__ = ["Imported", "LssError", "Note", "import_lss", "is_lss", "lss_diagnostic", "read_lss"]


@attrs.frozen
class Imported:
    """A `.lss` made into QDL: the source text and what could not be carried over."""

    qdl: str
    notes: tuple[Note, ...]
    language: str
    languages: tuple[str, ...]


def is_lss(path: str | os.PathLike) -> bool:
    return str(path).lower().endswith(".lss")


def import_lss(source: str | os.PathLike | bytes, *, language: str | None = None,
               name: str | None = None) -> Imported:
    """The QDL of a `.lss` (a path, or the file's bytes); LssError when the file
    cannot be used."""
    if isinstance(source, bytes):
        data, name = source, name or "<lss>"
    else:
        name = name or str(source)
        try:
            data = Path(source).read_bytes()
        except OSError as err:
            raise LssError(f"cannot read the file: {err.strerror or err}") from None
    notes = Notes()
    survey = read(parse(data), language, notes)
    converter = Converter(survey, notes)
    outline = converter.outline()
    others = [lang for lang in survey.languages if lang != survey.language]
    outline.header = [
        f"Imported from {Path(name).name} by `qengine import` (LimeSurvey survey {survey.sid}, "
        f"DBVersion {survey.dbversion}).",
        f"Language: {survey.language}" + (f"; the survey also exists in {', '.join(others)} "
                                          "(import another with --language)." if others else "."),
        "Conditions keep LimeSurvey's meaning: see docs/limesurvey.md for how ExpressionScript is translated.",
    ]
    if converter.html_dropped:
        tags = ", ".join(f"<{t}>" for t in sorted(converter.html_dropped))
        notes.add(f"texts held HTML that plain QDL text cannot show ({tags}): kept as text only")
    if len(notes):
        outline.header.append(f"{len(notes)} warning(s): each is a comment beside what it concerns.")
    return Imported(write(outline), tuple(notes), survey.language, survey.languages)


def read_lss(path: str | os.PathLike, language: str | None = None) -> Source:
    """The QDL source of the `.lss` at `path`, for the loader: a survey read from a
    `.lss` is then checked, linted, rendered and played like any QDL survey. Its
    name in messages is `PATH (as QDL)`, and its lines are the QDL's, where each
    question carries its LimeSurvey code and every note as comments.

    A file that cannot be used is a `QdlError` (E001) pointing at the element's line
    in the `.lss`. The number of import warnings goes to standard error, once."""
    try:
        imported = import_lss(path, language=language)
    except LssError as err:
        raise QdlError([lss_diagnostic(err, str(path))], _lss_text(path)) from None
    if imported.notes:
        n = len(imported.notes)
        sys.stderr.write(f"{path}: imported from LimeSurvey with {n} warning{'s' if n != 1 else ''} "
                         f"(`qengine import {path}` lists them)\n")
    return Source(imported.qdl, f"{path} (as QDL)")


def lss_diagnostic(err: LssError, path: str) -> Diagnostic:
    """An LssError as a diagnostic on the `.lss` itself (E001: the file cannot be used)."""
    source = _lss_text(path)
    line = max(err.line, 1)
    start = sum(len(t) + 1 for t in source.text.split("\n")[: line - 1]) if err.line else 0
    end = start + len(source.line_text(line)) if err.line else 0
    return Diagnostic("E001", err.message, source.span(start, end), err.hint)


def _lss_text(path) -> Source:
    try:
        data = Path(path).read_bytes()
    except OSError:
        data = b""
    return Source(data.decode("utf-8", "replace"), str(path))
