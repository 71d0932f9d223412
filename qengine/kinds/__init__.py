"""Question kinds: one module a kind, one registry.

Every QDL question keyword (`single`, `integer`, ...) is a *kind*: an object that
knows its statements, builds its questions, gives expressions its parts, defines a
valid answer (for the runtime, `qengine schema`, lint's solver, the fuzzer and the
HTML form alike) and tells renderers its answer's shape and widget
(`qengine.kinds.base.Kind`). The rest of qengine asks a question's kind,
`kind_of(question)`, rather than testing its class.

Kinds are found through the `qengine.kinds` entry point group, qengine's own
included (`qengine.kinds.registry`): a third party adds one with a module and an
entry point, as docs/extending.md shows. Each built-in kind's module holds the
`Question` subclass of its questions, re-exported here.
"""

from qengine.kinds.array import Array, TableQuestion
from qengine.kinds.base import (
    COMPOSITE,
    SHAPES,
    WIDGETS,
    Choices,
    Kind,
    MalformedAnswer,
    Numbers,
    Statements,
    Table,
    Ticks,
    Widget,
)
from qengine.kinds.display import Display
from qengine.kinds.equation import Equation
from qengine.kinds.grid import Grid
from qengine.kinds.multiple import MultipleChoice
from qengine.kinds.number import Number
from qengine.kinds.registry import kind_named, kind_of, kinds
from qengine.kinds.single import OptionsQuestion, SingleChoice
from qengine.kinds.text import FreeText

__all__ = [
    "COMPOSITE", "SHAPES", "WIDGETS", "Array", "Choices", "Display", "Equation", "FreeText", "Grid", "Kind",
    "MalformedAnswer", "MultipleChoice", "Number", "Numbers", "OptionsQuestion", "SingleChoice", "Statements", "Table", "Ticks",
    "TableQuestion", "Widget", "kind_named", "kind_of", "kinds",
]
