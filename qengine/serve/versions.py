"""Survey versions: a response is always read with the survey it was answered under.

A version is a hash of the survey *model* (`qengine export`, source lines left
out), so editing a comment or the layout of the `.qdl` file makes no new version,
and changing a wording, an option or a condition does. The server records the QDL
text of every version it serves (`survey_versions`), so a response of an older
version can still be read with its own survey.

A partial response started under an older version is continued only when every
question it has answers for still means the same (same kind, wording, options,
bounds...) in the survey served now: then it simply goes on under the new version,
its answers re-checked by the new survey's session. Otherwise the respondent is told
that the survey changed. A response is never evaluated half with one version and
half with another.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from qengine.errors import QdlError
from qengine.export import question_json
from qengine.export import version_of as version_of  # the server's name for it
from qengine.model import Survey
from qengine.serve.storage import Store
from qengine.span import Source
from qengine.syntax.loader import check

# What a question is, as far as an answer given to it goes; where it stands in the
# file, its number and its conditions may change without changing what the answer means.
_PLACE = ("line", "number", "group", "condition", "validations", "mandatory")


def changed_questions(old: Survey, new: Survey, codes: Iterable[str]) -> list[str]:
    """Of `codes` (questions answered under `old`), those that `new` lacks or asks
    differently."""
    out = []
    for code in codes:
        before, after = old.by_code.get(code), new.by_code.get(code)
        if before is None or after is None or _meaning(before) != _meaning(after):
            out.append(code)
    return out


def _meaning(question) -> dict:
    data = question_json(question)
    for key in _PLACE:
        data.pop(key, None)
    return data


def recorded(store: Store, version: str) -> Survey | None:
    """A version of the store's survey, loaded again from the text the server
    recorded; None if it was never recorded (or no longer loads)."""
    source = store.version_source(version)
    if source is None:
        return None
    try:
        return _load(source, f"{store.survey}@{version}")
    except QdlError:
        return None


@lru_cache(maxsize=16)
def _load(text: str, name: str) -> Survey:
    survey, diagnostics = check(Source(text, name))
    if survey is None:
        raise QdlError(diagnostics, Source(text, name))
    return survey
