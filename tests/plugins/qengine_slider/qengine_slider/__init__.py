"""`slider`: a whole number from 0 to 10, asked with a slider.

The whole plugin: a kind that is an `integer` with fixed bounds, its own words and
a `range` input. Everything else (coercion, refusal, JSON Schema, the solver's
domain, samples for the fuzzer, the HTML form's checks) is the integer's, and works
because it reads the question's bounds. In a survey:

    slider like "How much do you like it, from 0 to 10?"
      mandatory
"""

from qengine.kinds import Statements, Widget
from qengine.kinds.base import said
from qengine.kinds.number import IntegerKind, numeric_default
from qengine.model import Question

LOW, HIGH = 0, 10


class SliderKind(IntegerKind):
    name = "slider"
    words = {"en": "a slider question", "fr": "une question à curseur"}
    attributes = frozenset({"mandatory", "condition", "help", "validate", "default"})
    widget = Widget("number", input_type="range")
    seconds = (2, 5)

    def build(self, s: Statements) -> Question | None:
        return self.model(**s.common, integer=True, min=LOW, max=HIGH, default=numeric_default(s))

    def describe(self, q: Question, language: str) -> tuple[str, ...]:
        return (said(language, {"en": f"Please move the slider to a whole number from {LOW} to {HIGH}:",
                                "fr": f"Veuillez placer le curseur sur un nombre entier de {LOW} à {HIGH} :"}),)
