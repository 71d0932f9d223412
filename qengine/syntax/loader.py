"""The front door for reading surveys: text or file in, checked `Survey` out."""

from __future__ import annotations

import contextlib
import gc
import os
from pathlib import Path

from qengine.errors import Diagnostic, QdlError
from qengine.model import Survey
from qengine.span import Source
from qengine.syntax.parser import parse
from qengine.syntax.resolve import names_beside_syntax_errors, resolve


def read_source(path_or_text: str | os.PathLike) -> Source:
    """A path (anything ending in .qdl, or an existing file) is read; other strings
    are survey text. For the library's callers, who may hold either; the command
    line reads files only (`read_file`)."""
    if isinstance(path_or_text, os.PathLike) or (
            isinstance(path_or_text, str) and "\n" not in path_or_text
            and (path_or_text.endswith(".qdl") or Path(path_or_text).is_file())):
        return read_file(path_or_text)
    return Source(str(path_or_text))


def read_file(path: str | os.PathLike) -> Source:
    """The survey in the file at `path`, never `path` read as survey text. Raises
    `QdlError` (E001 when the file cannot be read, E002 when it is not UTF-8)."""
    path = Path(path)
    if path.suffix.lower() == ".lss":  # a LimeSurvey survey: imported to QDL first (qengine.lss)
        from qengine.lss import read_lss

        return read_lss(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _unreadable(path, "no such file") from None
    except IsADirectoryError:
        raise _unreadable(path, "it is a directory") from None
    except OSError as err:
        raise _unreadable(path, err.strerror or str(err)) from None
    return decode_source(data, str(path))


def decode_source(data: bytes, name: str) -> Source:
    """The survey in `data`, UTF-8 (with or without a byte order mark); `name`
    is what messages call it. Raises `QdlError` (E002) for other bytes."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        src = Source(data.decode("utf-8", "replace"), name)
        raise QdlError([Diagnostic("E002", "the file is not UTF-8 text",
                                   src.span(err.start, err.start + 1),
                                   "save it as UTF-8 in your editor")], src) from None
    return Source(text, name)


def _unreadable(path: Path, reason: str) -> QdlError:
    return QdlError([Diagnostic("E001", f"cannot read the file: {reason}", Source("", str(path)).span(0, 0))])


def check(source: Source) -> tuple[Survey | None, list[Diagnostic]]:
    """Parse and resolve; the survey is returned only when there is no error."""
    with no_collection_pauses():
        return _check(source)


@contextlib.contextmanager
def no_collection_pauses():
    """Loading builds a large tree of objects and no reference cycles. Python's
    cycle collector, run again and again while the tree grows, would take a third
    of the time of a large survey, so it is paused. The tree is then moved to the
    collector's oldest generation (`freeze` then `unfreeze`, two list splices):
    left in the youngest, the first collection after loading would walk all of it
    again only to find it alive, a tenth of the load time of a large survey.

    Not when the application keeps objects frozen itself (a server that froze its
    start-up objects before forking workers): `unfreeze` would thaw those too.

    Public so that `benchmarks/parse.py` can time the phases of a load under the
    collector settings of `check`."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def _check(source: Source) -> tuple[Survey | None, list[Diagnostic]]:
    if "\x00" in source.text:
        pos = source.text.index("\x00")
        return None, [Diagnostic("E002", "the file holds a NUL character: it is not text",
                                 source.span(pos, pos + 1))]
    survey, diagnostics, left_out = parse(source)
    if survey is None:
        return None, diagnostics
    if left_out:  # syntax errors: say too what is wrong with the names of the other lines
        diagnostics += names_beside_syntax_errors(survey, source, left_out)
        diagnostics.sort(key=lambda d: (d.span.start, d.code))
        return None, diagnostics
    resolve(survey, diagnostics)
    diagnostics.sort(key=lambda d: (d.span.start, d.code))
    return (None if diagnostics else survey), diagnostics


def load(path_or_text: str | os.PathLike) -> Survey:
    """Load a survey from a .qdl path or from QDL text; raise `QdlError` listing every
    problem found."""
    source = read_source(path_or_text)
    survey, diagnostics = check(source)
    if survey is None:
        raise QdlError(diagnostics, source)
    return survey
