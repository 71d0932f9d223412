"""`display`: text shown without an answer."""

from __future__ import annotations

from typing import Any

import attrs

from qengine.kinds.base import Kind, MalformedAnswer, Widget, said
from qengine.model import Question


@attrs.frozen(kw_only=True)
class Display(Question):
    kind: str = "display"

    @property
    def is_input(self) -> bool:
        return False


class DisplayKind(Kind):
    name = "display"
    model = Display
    words = {"en": "a display text", "fr": "un texte d'information"}
    attributes = frozenset({"condition", "help"})
    shape = "none"
    widget = Widget("display")
    seconds = (0, 0)

    def check(self, q: Any, raw: Any) -> None:
        raise MalformedAnswer(q.code, "a display text takes no answer")

    def describe(self, q: Any, language: str) -> tuple[str, ...]:
        return (said(language, {"en": "Information text", "fr": "Texte d'information"}),)
