"""QDL expressions written as LimeSurvey ExpressionScript that means the same.

QDL and ExpressionScript look alike but differ (docs/qdl.md, the compatibility
table). To keep QDL's meaning in LimeSurvey:

- every answer is read with `.NAOK`: a hidden question then reads as "", as it reads
  as empty in QDL, and a condition reading it is not made false by LimeSurvey's
  rule for hidden questions;
- an ordering (`<` ...) of values that may be empty is guarded: `!is_empty(a) and
  !is_empty(b) and a < b` (in LimeSurvey "" < "0" is true);
- a quoted number compared with `<`, `>` is written unquoted (LimeSurvey would
  compare texts: "2" > "18");
- `+ - * /` of values that may be empty give "" as in QDL (LimeSurvey joins texts
  with `+`); `%` becomes `a - b * floor(a / b)` (LimeSurvey has no `%`);
- `not` is written `!( ... )`, whose precedence differs;
- `x.visible` is `x.relevanceStatus`; a whole multiple choice, array or grid is the
  list of its parts;
- `x.type` and `x.question` are LimeSurvey's own (the exported type is the letter
  `.type` reads); a wording with `{…}` is not, as LimeSurvey's `.question` gives it
  unevaluated; listifop() names its attributes and questions as LimeSurvey does;
- answer codes LimeSurvey made shorter are written as LimeSurvey has them.

What has no equivalent raises `Unexportable`; the renderer turns it into a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, Arg, Result
from qengine.expr.values import as_number
from qengine.kinds.attributes import wording_texts
from qengine.kinds.base import COMPOSITE
from qengine.kinds.registry import kind_of
from qengine.lss.translate.cases import is_boolean
from qengine.model import Question, Survey


class Unexportable(Exception):
    """A QDL expression LimeSurvey cannot evaluate the same way."""


class ScriptWriter:
    def __init__(self, survey: Survey, question_codes: Mapping[str, str], option_codes: Mapping[str, Mapping[str, str]]):
        self.survey = survey
        self.question_codes = question_codes  # QDL question code -> LimeSurvey code
        self.option_codes = option_codes  # QDL question code -> {QDL option/column code: LimeSurvey code}

    def write(self, e: ast.Expr) -> str:
        return self._expr(e)

    def _value(self, e: ast.Expr) -> str:
        """An operand used as a value. A QDL truth value is 1 or 0 next to a number
        and never empty; LimeSurvey's true and false compare as truths (true ==
        "a") and false is empty for is_empty(): written as if(..., 1, 0)."""
        text = self._expr(e)
        return f"if({text}, 1, 0)" if is_boolean(e) else text

    # ---------------------------------------------------------------- names
    def name(self, var: ast.Var) -> str:
        code = _code(var)
        return "_".join([self.question_codes.get(code, code), *var.sub])

    def parts(self, q: Question) -> list[str]:
        """The LimeSurvey variables of a whole multiple choice, array or grid."""
        code = self.question_codes.get(q.code, q.code)
        return ["_".join((code, *sub)) for sub in kind_of(q).parts(q)] or [code]

    def _whole(self, var: ast.Var) -> bool:
        q = self.survey.by_code.get(_code(var))
        return not var.sub and q is not None and kind_of(q).shape in COMPOSITE

    def _parts(self, whole: ast.Var) -> list[str]:
        """A whole question read as the list of its parts' answers."""
        return [f"{p}.NAOK" for p in self.parts(self.survey.by_code[_code(whole)])]

    # ----------------------------------------------------------- expressions
    def _expr(self, e: ast.Expr) -> str:
        match e:
            case ast.Literal(value=bool() as v):
                return "1" if v else "0"
            case ast.Literal(value=str() as v):
                return _string(v)
            case ast.Literal(value=int() | float() as v):
                return ast.unparse(e) if v >= 0 else f"({ast.unparse(e)})"
            case ast.Var(attr="visible"):
                return f"{self._any_part(e)}.relevanceStatus"
            case ast.Var(attr="shown"):
                if self._whole(e):
                    return "join(" + ", ".join(f"{p}.shown" for p in self.parts(self.survey.by_code[_code(e)])) + ")"
                return f"{self.name(e)}.shown"
            case ast.Var(attr="type"):
                return f"{self._any_part(e) if self._whole(e) else self.name(e)}.type"
            case ast.Var(attr="question"):
                return f"{self._wording(e)}.question"
            case ast.Var():
                if self._whole(e):
                    raise Unexportable(f"{e.name} as one value")
                return f"{self.name(e)}.NAOK"
            case ast.Logical(op=op, left=a, right=b):
                return f"({self._expr(a)} {op} {self._expr(b)})"
            case ast.Unary(op="not", operand=o):
                return f"!({self._expr(o)})"
            case ast.Unary(op="-", operand=o):
                inner = self._value(o)
                return f"if(is_empty({inner}), '', 0 - ({inner}))" if _may_be_empty(o) else f"(0 - ({inner}))"
            case ast.Compare(op=op, left=a, right=b):
                return self._compare(op, a, b)
            case ast.Binary(op=op, left=a, right=b):
                return self._arithmetic(op, a, b)
            case ast.Call(name="listifop"):
                return self._listifop(e)
            case ast.Call(name=name, args=args):
                return self._call(name, args)
        raise Unexportable(f"{ast.unparse(e)}")

    def _wording(self, var: ast.Var) -> str:
        """The LimeSurvey variable whose `.question` is the wording `var.question`
        reads: LimeSurvey's is the text as stored, the same only without `{…}`."""
        if self._whole(var):
            raise Unexportable(f"{var.name}.question (LimeSurvey's whole {var.name} has no variable)")
        q = self.survey.by_code[_code(var)]
        if not all(t is None or t.is_static for t in wording_texts(q, var.sub)):
            raise Unexportable(f"{var.name}.question (LimeSurvey gives its {{…}} unevaluated)")
        return self.name(var)

    def _listifop(self, call: ast.Call) -> str:
        """listifop() as LimeSurvey's: the attributes by LimeSurvey's names
        (`visible` is `relevanceStatus`), the questions by their LimeSurvey names."""
        assert call.expanded is not None  # a loaded survey's listifop() has its operands
        op, value, glue, *operands = call.expanded
        read = cast("list[ast.Var]", operands)  # each question named: its compared, then its listed attribute
        names = []
        for compared, listed in zip(read[::2], read[1::2], strict=True):
            for var in (compared, listed):
                if var.attr == "question":
                    self._wording(var)
            if not self._whole(compared):
                names.append(_string(self.name(compared)))
            elif {compared.attr, listed.attr} <= {"type", "visible"}:  # the same for every part
                names.append(_string(self._any_part(compared)))
            else:
                raise Unexportable(f"listifop() reading the whole {compared.name} (LimeSurvey has no variable for it)")
        cmp, ret = (_LS_ATTRIBUTES.get(v.attr, v.attr) for v in read[:2])
        return (f"listifop({_string(cmp)}, {self._value(op)}, {self._value(value)}, {_string(ret)}, "
                f"{self._value(glue)}, {', '.join(names)})")

    def _any_part(self, var: ast.Var) -> str:
        q = self.survey.by_code[_code(var)]
        parts = self.parts(q)
        unfiltered = [p for p, item in zip(parts, q.items, strict=False) if item.condition is None] \
            if kind_of(q).shape in ("choices", "row_choice") else parts
        return (unfiltered or parts)[0]

    def _compare(self, op: str, a: ast.Expr, b: ast.Expr) -> str:
        ordering = op not in ("==", "!=")
        a_text, b_text = self._operand(a, b, ordering), self._operand(b, a, ordering)
        if not ordering:
            return f"({a_text} {op} {b_text})"
        guards = [f"!is_empty({t})" for t, e in ((a_text, a), (b_text, b)) if _may_be_empty(e)]
        test = f"({a_text} {op} {b_text})"
        if not (self._numeric(a) and self._numeric(b)):
            # QDL compares numbers as numbers and anything else as text; LimeSurvey finds
            # a number and a text "mismatched" (false): say which it is
            test = (f"if(is_numeric({a_text}) and is_numeric({b_text}), {test}, "
                    f"(strcmp({a_text}, {b_text}) {op} 0))")
        return f"({' and '.join([*guards, test])})" if guards else test

    def _numeric(self, e: ast.Expr) -> bool:
        """Whether a value is a number (or empty) whatever the answers."""
        match e:
            case ast.Literal(value=v):
                return as_number(v) is not None
            case ast.Var(attr="value"):
                q = self.survey.by_code.get(_code(e))
                return q is not None and kind_of(q).numeric(q, e.sub)
            case ast.Var(attr="visible") | ast.Binary() | ast.Unary(op="-"):
                return True
            case ast.Call(name=name):
                return FUNCTIONS[name].returns in (Result.NUMBER, Result.NUMBER_OR_EMPTY, Result.BOOLEAN)
        return is_boolean(e)

    def _operand(self, e: ast.Expr, other: ast.Expr, ordering: bool) -> str:
        """A comparison's side: a code of the question on the other side is written as
        LimeSurvey has it; in an ordering, a quoted number is written unquoted (QDL
        compares it as a number; quoted, LimeSurvey would compare texts)."""
        if isinstance(e, ast.Literal) and isinstance(e.value, str):
            if isinstance(other, ast.Var) and other.attr == "value":
                mapping = self.option_codes.get(_code(other), {})
                if e.value in mapping:
                    return _string(mapping[e.value])
            n = as_number(e.value)
            if ordering and n is not None:
                return self._expr(ast.Literal(n, e.span))
        return self._value(e)

    def _number(self, e: ast.Expr) -> str:
        """An arithmetic operand: a quoted number unquoted (quoted, LimeSurvey's `+`
        would join the texts)."""
        if isinstance(e, ast.Literal) and isinstance(e.value, str) and (n := as_number(e.value)) is not None:
            return self._expr(ast.Literal(n, e.span))
        return self._value(e)

    def _arithmetic(self, op: str, a: ast.Expr, b: ast.Expr) -> str:
        x, y = self._number(a), self._number(b)
        body = f"({x} - ({y}) * floor(({x}) / ({y})))" if op == "%" else f"({x} {op} {y})"
        empties = [f"is_empty({t})" for t, e in ((x, a), (y, b)) if _may_be_empty(e)]
        return f"if({' or '.join(empties)}, '', {body})" if empties else body

    def _call(self, name: str, args: tuple[ast.Expr, ...]) -> str:
        """A call, its arguments written as its row in the function table types
        them: a whole question where one is taken is the list of its parts, a
        quoted pattern has LimeSurvey's `/.../` delimiters. Then what LimeSurvey's
        function of the same name does otherwise."""
        fn = FUNCTIONS[name]
        if name == "is_empty" and len(args) == 1 and isinstance(args[0], ast.Var) and self._whole(args[0]):
            # LimeSurvey's is_empty() takes one value: nothing answered among the parts
            return f"(count({', '.join(self._parts(args[0]))}) == 0)"
        if any(fn.takes(i, Arg.ANSWERS) or fn.takes(i, Arg.PATTERN) for i in range(len(args))):
            written: list[str] = []
            for i, a in enumerate(args):
                if fn.takes(i, Arg.ANSWERS) and isinstance(a, ast.Var) and self._whole(a):
                    written += self._parts(a)
                elif fn.takes(i, Arg.PATTERN) and isinstance(a, ast.Literal):
                    written.append(_string(_delimited(str(a.value))))
                else:
                    written.append(self._value(a))
            return f"{name}({', '.join(written)})"
        if name == "min" and any(_may_be_empty(a) for a in args):
            # QDL leaves empty values out; LimeSurvey's min() would give the empty one
            texts = [self._value(a) for a in args]
            out = texts[0]
            for t in texts[1:]:
                out = f"if(is_empty({out}), {t}, if(is_empty({t}), {out}, min({out}, {t})))"
            return out
        if name == "if":
            return f"if({self._expr(args[0])}, {self._value(args[1])}, {self._value(args[2])})"
        return f"{name}({', '.join(self._value(a) for a in args)})"


#: QDL's spelling of what an attribute reads -> LimeSurvey's.
_LS_ATTRIBUTES = {"visible": "relevanceStatus", "value": "NAOK"}


def _code(var: ast.Var) -> str:
    """The question a name reads (names are resolved before a survey is exported)."""
    assert var.question is not None, f"'{var.name}' is not resolved"
    return var.question


def _delimited(pattern: str) -> str:
    """A QDL pattern as LimeSurvey writes one, between slashes."""
    if pattern.startswith("/") and pattern.rfind("/") > 0:
        return pattern
    return "/" + pattern.replace("/", "\\/") + "/"


def _may_be_empty(e: ast.Expr) -> bool:
    """Whether an operand can be empty in QDL (an answer, or what is computed from one)."""
    if isinstance(e, ast.Literal):
        return e.value == ""
    if isinstance(e, ast.Call) and FUNCTIONS[e.name].returns in (Result.NUMBER, Result.BOOLEAN):
        return False
    if isinstance(e, ast.Var) and e.attr == "visible":
        return False
    return not isinstance(e, ast.Compare | ast.Logical | ast.Unary) or isinstance(e, ast.Unary) and e.op == "-"


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


