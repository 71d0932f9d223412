"""The protocol of a question kind, and the defaults most kinds share.

A kind is everything qengine knows about one QDL question keyword (`single`,
`integer`, ...): which statements it accepts and how its question is built, the
variables it gives expressions, what a valid answer is, and how renderers present
it. That last point matters most: the runtime, `qengine schema`, lint's solver,
the fuzzer's samples and the HTML form's checks all read the one definition of a
valid answer here. The rest of qengine asks a question's kind
(`qengine.kinds.kind_of`) rather than testing its class.

Renderers cannot ask a kind to draw itself (a kind does not know the HTML form),
so a kind also says what it looks like in two small closed vocabularies that every
renderer knows: the *shape* of its answer (how the stored value is laid out and
read by part) and its *widget* (how it is asked). A new kind picks one of each;
it usually subclasses a built-in kind and changes a few things (a slider is an
integer with another widget).

A kind is a small immutable object: class attributes and methods, no state.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol, TypeVar

import attrs

from qengine.errors import AnswerError
from qengine.expr.values import as_text
from qengine.model import Column, Option, Question, Row
from qengine.span import Span

if TYPE_CHECKING:
    from qengine.kinds.domain import Domain
    from qengine.kinds.samples import Decisions, Invalid, Texts
    from qengine.lint.toolkit import Toolkit
    from qengine.runtime.session import Choice, QuestionView

_T = TypeVar("_T")

#: How an answer is stored and read by part; the HTML form's script and the
#: renderers dispatch on it, never on a kind's name:
#: - choice: one option code; `.shown` gives its label
#: - choices: option codes (a tuple), each option a part reading "Y" or empty
#: - row_choice: {row: column code}, each row a part
#: - row_cells: {row: {column: number}}, each cell a part
#: - number, text: a number, a string
#: - none: no answer (a display text, or an equation's computed value)
Shape = Literal["choice", "choices", "row_choice", "row_cells", "number", "text", "none"]
SHAPES: tuple[Shape, ...] = ("choice", "choices", "row_choice", "row_cells", "number", "text", "none")
#: Shapes whose question has parts, and no single value of its own.
COMPOSITE: frozenset[str] = frozenset({"choices", "row_choice", "row_cells"})

#: The renderers' widgets: radio buttons, checkboxes, a table of radio buttons, a
#: table of number boxes, a number box, a one-line text box, a text area, a text to
#: read, nothing shown.
WidgetName = Literal["choice", "choices", "choice_table", "number_table", "number", "text", "long_text",
                     "display", "hidden"]
WIDGETS: tuple[WidgetName, ...] = ("choice", "choices", "choice_table", "number_table", "number", "text",
                                   "long_text", "display", "hidden")


# What a question of a shape has, whatever its kind (a third party's too): code that
# dispatches on `kind.shape` reads the question through these.
class Choices(Protocol):
    """A question of shape `choice` or `choices`: its options."""

    @property
    def options(self) -> tuple[Option, ...]: ...

    def option(self, code: str) -> Option | None: ...


class Ticks(Choices, Protocol):
    """A question of shape `choices`: the fewest and most ticks, if said."""

    @property
    def min(self) -> int | None: ...

    @property
    def max(self) -> int | None: ...


class Table(Protocol):
    """A question of shape `row_choice` or `row_cells`: its rows and columns."""

    @property
    def rows(self) -> tuple[Row, ...]: ...

    @property
    def columns(self) -> tuple[Column, ...]: ...

    def row(self, code: str) -> Row | None: ...

    def column(self, code: str) -> Column | None: ...


class Numbers(Protocol):
    """A question of shape `number` or `row_cells`: whole numbers or not, and bounds."""

    @property
    def integer(self) -> bool: ...

    @property
    def min(self) -> int | float | None: ...

    @property
    def max(self) -> int | float | None: ...


class _Repr(reprlib.Repr):
    """reprlib's bounded repr (depth and length), and whole numbers too large to
    print (over 4,300 digits Python refuses to) described by their size."""

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 1000:  # over 300 digits
            return f"<a whole number of about {int(x.bit_length() * 0.30103):,} digits>"
        return super().repr_int(x, level)


_REPR = _Repr()
_REPR.maxstring = _REPR.maxother = 60


def short_repr(raw: Any) -> str:
    """A value as an error message quotes it: short, and safe to compute for any."""
    return _REPR.repr(raw)


class MalformedAnswer(AnswerError):
    """The value does not have the shape of an answer to that question (a list
    for a single choice), or names codes the question does not have: the answers
    file or the calling code is wrong, not the respondent."""


@attrs.frozen
class Widget:
    """How a kind is asked: one of `WIDGETS`, and its options. `input_type` is the
    HTML input of a number or text box (`range` draws a slider between the
    question's min and max; renderers without sliders show a box)."""

    name: WidgetName
    input_type: str = "text"


@attrs.frozen
class Statements:
    """What the block of one question says, as its kind builds it. The
    transformer has already refused the statements the kind does not accept, and
    said which were given twice."""

    kind: str
    code: str
    #: the fields every question has (kind, code, text, help, mandatory, condition,
    #: validations, group, number, span)
    common: Mapping[str, Any]
    #: statements given once: their keyword -> value, and where each is
    single: Mapping[str, Any]
    where: Mapping[str, Span]
    #: options, rows and columns (a `scale` adds columns), in order
    options: Sequence[Any]
    rows: Sequence[Any]
    columns: Sequence[Any]
    code_span: Span  # the question's code: where "needs options" points
    #: report(code, message, span, hint): an E2xx error
    report: Callable[[str, str, Span, str | None], None]


class Kind:
    """One kind of question. Subclasses set the class attributes and override
    what differs from these defaults, which fit a question with a single answer
    and no parts."""

    name: ClassVar[str]  # the QDL keyword
    model: ClassVar[type[Question]]  # the attrs class of its questions
    #: "a single-choice question", by language ("en" is the fallback)
    words: ClassVar[Mapping[str, str]]
    #: the statements it accepts besides a question's heading (`transformer.STATEMENTS`)
    attributes: ClassVar[frozenset[str]]
    shape: ClassVar[Shape]
    widget: ClassVar[Widget]
    needs_text: ClassVar[bool] = True  # E204 without wording
    #: whether `min` and `max` are strings (a date's `min "2024-01-01"`), not numbers
    text_bounds: ClassVar[bool] = False
    #: seconds a fast and a slow respondent take to answer (beyond reading the
    #: wording): per row of a `row_choice` answer, per cell of a `row_cells` one.
    #: `qengine lint --stats` and the printable annex's duration add them up.
    seconds: ClassVar[tuple[int, int]] = (3, 8)

    def word(self, language: str = "en") -> str:
        """The kind in words, with its article: "an integer question"."""
        return said(language, self.words)

    def __repr__(self) -> str:
        return f"<kind {self.name}>"

    # ------------------------------------------------------------ building
    def build(self, s: Statements) -> Question | None:
        """The question (None when it cannot be built: an error was reported)."""
        return self.model(**s.common)

    # ------------------------------------------------------------ variables
    def parts(self, q: Question) -> Iterable[tuple[str, ...]]:
        """The parts expressions may read on their own, `code_part` (the codes of
        an option, a row, a row and a column)."""
        return ()

    def part_problem(self, q: Question, name: str, parts: tuple[str, ...]) -> tuple[str, str, str | None]:
        """Why `name` (the question's code, then `parts`) names no part of `q`: an
        error's code, message and hint."""
        return "E211", f"'{q.code}' is {self.word()} and has no parts", f"write '{q.code}' alone"

    def codes(self, q: Question, sub: tuple[str, ...]) -> list[str] | None:
        """The values the whole question (`sub` empty) or one of its parts reads when
        answered, when they are codes ("Y" for a ticked box); None otherwise."""
        return None

    def numeric(self, q: Question, sub: tuple[str, ...]) -> bool:
        """Whether the question or its part `sub` reads a number when answered."""
        return False

    def whole_problem(self, q: Question, attr: str) -> tuple[str, str] | None:
        """Why the whole question cannot be read as `q.attr` outside a function
        that takes a whole question (message and hint), or None."""
        return None

    # ------------------------------------------------------------ answers
    def coerce(self, q: Question, raw: Any) -> Any:
        """The stored form of `raw` (not None), or `MalformedAnswer` for a value of
        the wrong shape or naming codes `q` does not have."""
        raise MalformedAnswer(q.code, f"{self.name} questions are not answered")

    def check(self, q: Question, raw: Any) -> None:
        """MalformedAnswer unless `raw` may stand for `q` in an answers file or a
        response (None, no answer, may stand for any question that has one)."""
        if raw is not None:
            self.coerce(q, raw)

    def refusal(self, q: Question, value: Any, offered: set[str], language: str) -> str | None:
        """Why a stored `value` (not None) is not acceptable now, or None;
        `offered` holds the codes of the options or rows offered now."""
        return None

    def lacks(self, q: Question, value: Any, rows: Sequence[Choice], language: str) -> list[str]:
        """What an answered question still lacks to pass its page (beyond its
        validations): every row of a mandatory array, enough ticks, ..."""
        return []

    def initial(self, q: Question) -> Any:
        """The stored answer a question starts with (its default)."""
        return None

    def to_json(self, q: Question, value: Any) -> Any:
        """A stored value (not None) as answers files and responses hold it."""
        return value

    def json_schema(self, q: Question) -> dict[str, Any]:
        """The JSON Schema of an answer (not None): exactly what `check` and
        `refusal` accept with every option and row offered."""
        return {}

    # ------------------------------------------------------------ reading by the session
    def filtered(self, q: Question, value: Any, offered: set[str]) -> Any:
        """What expressions read of a stored value (not None): options and rows not
        offered now left out; None when nothing is left."""
        return value

    def read(self, q: Question, value: Any, sub: tuple[str, ...]) -> Any:
        """The part `sub` of a filtered value (not None)."""
        return value

    def shown(self, q: Question, value: Any, sub: tuple[str, ...], view: QuestionView) -> str:
        """`.shown` of a value read (not None): labels rather than codes."""
        return as_text(value)

    def whole_answer(self, q: Question, given: Any, sub: tuple[str, ...], value: Any) -> Any:
        """The whole answer when part `sub` is answered `value`, the answer given
        so far being `given` (stored form, None when blank)."""
        raise NotImplementedError(f"{self.name} questions have no parts")

    def kept(self, q: Question, stored: Any, previous: Any) -> set[str]:
        """Codes of rows or options not offered now that an answer may hold
        anyway: those answered earlier and left untouched."""
        return set()

    # ------------------------------------------------------------ lint
    def domain(self, q: Question, tools: Toolkit) -> Domain:
        """The solver's variables and constraints of the answer, built with the
        toolkit lint passes in (so that no kind imports the solver itself)."""
        from qengine.kinds.domain import Domain

        return Domain(q, tools)

    # ------------------------------------------------------------ samples (testing and lint)
    def pattern(self, q: Question) -> str | None:
        """The regular expression a text answer must match, if any."""
        return None

    def valid_answer(self, q: Question, view: QuestionView, dec: Decisions, texts: Texts) -> Any:
        """An answer `Session.answer()` accepts for `q` shown as `view`, chosen by
        `dec` (zero bytes: the plainest one), in the answers-file form; None when
        there is none."""
        return None

    def invalid_values(self, q: Question, view: QuestionView) -> list[Invalid]:
        """Values the runtime must refuse for `q` shown as `view`, each with why.
        Deterministic: a walk picks one by index."""
        return []

    def well_formed(self, q: Question) -> Any:
        """Some answer of the right shape, whatever is shown now."""
        return None

    def candidates(self, q: Question, view: QuestionView, texts: Texts) -> list[Any]:
        """A short, deterministic list of valid answers worth trying when a page
        cannot be left."""
        return []

    # ------------------------------------------------------------ rendering
    def describe(self, q: Question, language: str) -> tuple[str, ...]:
        """What the printable annex says of the answer's format ("Veuillez
        sélectionner une seule des propositions suivantes :")."""
        return ()

    def answer_check(self, q: Question) -> dict[str, Any]:
        """What the HTML form's script checks an answer of this shape with (see
        `qengine_renderers.html.spec`): bounds, ticks, length, pattern."""
        return {}


def said(language: str, table: Mapping[str, _T]) -> _T:
    """The entry of a {language: words} table for `language` ("fr-CA" reads
    "fr"), English for a language without one."""
    return table.get(re.split(r"[-_]", language or "en")[0].lower(), table["en"])

