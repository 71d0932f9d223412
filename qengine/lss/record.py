"""A LimeSurvey survey as read from a `.lss`, in one language: a small record of
what the importer uses, independent of the two table layouts LimeSurvey has used
(texts inside each row before LimeSurvey 4, in `*_l10ns` tables since).

Texts are still LimeSurvey's (HTML, `{…}` tailoring); codes are still LimeSurvey's.
Every part keeps the line of its row in the `.lss`, for messages.
"""

from __future__ import annotations

import attrs


@attrs.frozen
class Answer:
    code: str
    text: str
    scale: int
    order: int
    line: int


@attrs.frozen
class Subquestion:
    qid: str
    code: str
    text: str
    relevance: str
    scale: int
    order: int
    line: int


@attrs.frozen
class Default:
    """A default answer: for the question (`sqid` "0") or one of its subquestions."""

    sqid: str
    scale: int
    specialtype: str
    value: str
    line: int


@attrs.frozen
class Question:
    qid: str
    gid: str
    type: str
    code: str
    text: str
    help: str
    mandatory: bool
    relevance: str
    other: bool
    preg: str
    order: int
    line: int
    attributes: dict[str, str] = attrs.field(factory=dict)
    subquestions: tuple[Subquestion, ...] = ()
    answers: tuple[Answer, ...] = ()
    defaults: tuple[Default, ...] = ()

    def rows(self, scale: int = 0) -> list[Subquestion]:
        return sorted((s for s in self.subquestions if s.scale == scale), key=lambda s: s.order)

    def options(self, scale: int = 0) -> list[Answer]:
        return sorted((a for a in self.answers if a.scale == scale), key=lambda a: a.order)

    def attribute(self, name: str, default: str = "") -> str:
        return self.attributes.get(name, default).strip()


@attrs.frozen
class Group:
    gid: str
    order: int
    title: str
    description: str
    relevance: str
    line: int


@attrs.frozen
class Condition:
    """A row of the legacy `conditions` table (LimeSurvey 2.x's condition editor)."""

    qid: str
    cqid: str
    cfieldname: str
    method: str
    value: str
    scenario: int
    line: int


@attrs.frozen
class Survey:
    sid: str
    dbversion: int
    language: str  # the language read
    base_language: str
    languages: tuple[str, ...]
    title: str
    description: str
    welcome: str
    end: str
    format: str  # LimeSurvey's G (group by group), S (question by question), A (all in one)
    groups: tuple[Group, ...]
    questions: tuple[Question, ...]  # in survey order
    conditions: tuple[Condition, ...] = ()
