"""What a question's answer is for lint's solver: the base of every kind's domain.

A `Domain` owns the solver variables of one question's *stored* answer and says, in
the runtime's own terms (`qengine.runtime.answers`, `qengine.runtime.session`):

- `rules()`: what `Session.answer()` accepts (options offered, bounds, ticks,
  exclusive options), plus "a hidden question holds no answer", which loses no
  situation because a hidden question reads as empty anyway;
- `initial()`: the answer before the respondent reaches it (its default);
- `read(sub)`: what expressions read: empty while hidden, hidden options and rows
  filtered out, exactly as `Session.value()`;
- `checks()`: no problem is left on the page (mandatory, rows, ticks, validations),
  as `Session._problems()`;
- `witness(model)`: the answer in the answers-file form.

Kinds build their domain (`Kind.domain(question, tools)`) with the toolkit lint
passes in (`qengine.lint.toolkit.Toolkit`): the solver and lint's constraint
helpers. No kind module imports the solver, so loading a survey does not pay for
it. This base is the domain of a question without an answer (equations, display
texts); the built-in kinds' domains are in their modules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from qengine.model import Question

if TYPE_CHECKING:
    import z3

    from qengine.lint.constraints import Cond, Sym, Whole
    from qengine.lint.toolkit import Toolkit


class Domain:
    """A question without an answer (equations, display texts)."""

    def __init__(self, question: Question, tools: Toolkit):
        self.question = question
        self.tools = tools
        self.logic = tools.logic
        self.code = question.code

    @property
    def variables(self) -> tuple[Any, ...]:
        return ()

    def typed(self) -> z3.BoolRef:
        """What holds in every situation, the starting one included: the range of
        the variables and what `Session.answer()` always refuses (bounds, ticks).
        Quantifiers range over it."""
        return self.tools.TRUE

    def rules(self) -> Cond:
        return self.tools.ALWAYS

    def initial(self) -> z3.BoolRef:
        return self.tools.TRUE

    def read(self, sub: tuple[str, ...]) -> Sym:
        return self.tools.Sym.const(None)

    def whole(self) -> Whole | None:
        return None

    def answered(self) -> z3.BoolRef:
        """The value read is not empty."""
        return self.tools.FALSE

    def checks(self) -> Cond:
        return self.tools.ALWAYS

    def witness(self, model: z3.ModelRef) -> Any:
        """The answer in the answers-file form (None: blank)."""
        return None

    def preferred(self) -> z3.BoolRef:
        """What witnesses should hold when they can (nothing the replay may doubt)."""
        return self.tools.TRUE

    @property
    def typeable(self) -> bool:
        """Whether an answer can be typed in at all (False: only its default)."""
        return True

    def possible(self, offered: list[z3.BoolRef]) -> z3.BoolRef:
        """Whether some non-blank answer fits, given whether each item (option or
        row) is offered (a question without items always has one). Validations are
        not considered."""
        t = self.tools
        return t.disj(*offered) if offered else t.TRUE

    def alternatives(self) -> list[list[tuple[Any, Any]]] | None:
        """Every non-blank answer, as substitutions of the variables, when there are
        few (one option each); None otherwise (then lint quantifies)."""
        return None

    # ------------------------------------------------------------ shared
    @property
    def shown(self) -> z3.BoolRef:
        return self.logic.shown(self.code).formula

    def offered(self, items: Any) -> list[Cond]:
        """Whether each of `items` (options or rows) is offered."""
        return [self.logic.offered(self.code, i.code) for i in items]

    def _validations(self) -> Cond:
        out = self.tools.ALWAYS
        for v in self.question.validations:
            out = out & self.tools.condition(v.rule, self.logic)
        return out

    def problems_free(self, extra: z3.BoolRef | None = None) -> Cond:
        """No problem: blank is fine unless mandatory; an answer must pass `extra`
        and the validations."""
        t = self.tools
        filled = self.answered()
        rules = self._validations()
        ok_filled = t.Cond(t.conj(t.TRUE if extra is None else extra, rules.formula), rules.reasons)
        blank_ok = t.FALSE if self.question.mandatory else t.TRUE
        return t.Cond(t.z3.If(filled, ok_filled.formula, blank_ok), ok_filled.reasons)
