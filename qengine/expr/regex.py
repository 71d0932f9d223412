"""Matching author patterns in time linear in the text: RE2, with Python's meaning.

QDL patterns (`pattern "..."`, `regexMatch(...)`) are written as Python regular
expressions and mean what they mean in Python. Python's own engine backtracks: a
pattern such as `^(a+)+$` takes seconds on a thirty-character answer, and once a
survey is served any respondent could pin a worker with one. So the runtime matches
with RE2 (the `google-re2` package), whose time grows linearly with the text, on a
translation that spells Python's meaning out (`js_regex.translate_re2`, the same
reading of the pattern that the HTML form's JavaScript gets). What RE2 cannot run
(lookarounds, back-references, Unicode word boundaries) is refused as
`UnsupportedPattern`: at load time for a `pattern` and a literal `regexMatch()`
pattern, while the survey runs for a pattern computed from answers.
"""

from __future__ import annotations

import functools
import re

import re2

from qengine.expr.patterns import UnsupportedPattern, translate_re2

__all__ = ["UnsupportedPattern", "check_pattern", "fullmatch", "pattern_problem", "search"]

#: RE2's memory for one compiled pattern (its default): a larger one is refused.
_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # refusals are reported by qengine, not logged to stderr


def check_pattern(pattern: str) -> None:
    """Raise `re.error` when `pattern` is not a Python regular expression, and
    `UnsupportedPattern` when it cannot be matched in linear time."""
    try:
        re.compile(pattern)
    except (RecursionError, OverflowError):  # Python's own parser gives up
        raise UnsupportedPattern("the pattern nests too deeply or repeats too many times") from None
    _compiled(pattern, True)
    _compiled(pattern, False)


def pattern_problem(pattern: str) -> tuple[str, str] | None:
    """Why a pattern written in a survey cannot be used, and a hint; None when it
    can. For the load errors (E107) of `pattern` and of `regexMatch()`."""
    try:
        check_pattern(pattern)
    except re.error as err:
        return (f"this pattern is not a valid regular expression: {err}",
                "patterns use Python's regular expressions (re module)")
    except UnsupportedPattern as err:
        return (f"this pattern cannot be matched in linear time: {err}",
                "patterns are matched by RE2, which refuses what could make an answer take "
                "exponential time (see docs/qdl.md, 'Patterns')")
    return None


def fullmatch(pattern: str, text: str) -> bool:
    """Whether `re.fullmatch(pattern, text)` would match."""
    return _compiled(pattern, True).fullmatch(_encodable(text)) is not None


def search(pattern: str, text: str) -> bool:
    """Whether `re.search(pattern, text)` would match."""
    return _compiled(pattern, False).search(_encodable(text)) is not None


@functools.lru_cache(maxsize=512)
def _compiled(pattern: str, whole: bool):
    try:
        return re2.compile(translate_re2(pattern, whole), _OPTIONS)
    except re2.error as err:  # beyond RE2's bounds: repetitions over 1000, too large
        message = err.args[0].decode() if err.args and isinstance(err.args[0], bytes) else str(err)
        raise UnsupportedPattern(f"the pattern cannot be run: {message}") from None


def _encodable(text: str) -> str:
    """RE2 reads UTF-8: a lone surrogate (which no answer holds, but a text built
    from escapes might) is matched as U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return text
