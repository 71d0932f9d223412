"""How a survey is cut into pages: LimeSurvey's three formats.

- ``question``: one question a page;
- ``group``: one group a page (the default);
- ``all``: the whole survey on one page.

Equations never make a page of their own. A page none of whose questions is
shown now is skipped by navigation.
"""

from __future__ import annotations

import attrs

from qengine.model import NAVIGATION_FORMATS, Survey


@attrs.frozen
class Page:
    key: str
    groups: tuple[str, ...]
    questions: tuple[str, ...]


def pages_of(survey: Survey, fmt: str) -> tuple[Page, ...]:
    if fmt not in NAVIGATION_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(NAVIGATION_FORMATS)}")
    if fmt == "all":
        return (Page("all", tuple(g.code for g in survey.groups),
                     tuple(q.code for q in survey.questions)),)
    if fmt == "group":
        return tuple(Page(g.code, (g.code,), g.questions) for g in survey.groups)
    return tuple(Page(q.code, (q.group,), (q.code,)) for q in survey.questions
                 if q.formula is None)
