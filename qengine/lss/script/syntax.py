"""ExpressionScript parsed the way LimeSurvey parses it, into a small tree.

The grammar is the one of ExpressionManager's recursive descent
(`RDP_EvaluateExpressions` and below), loosest first:

    expressions := expression ("," expression)*       the value is the last one
    expression  := NAME "=" or_test | or_test          assignment
    or_test     := and_test (("or" | "||") and_test)*
    and_test    := equality (("and" | "&&") equality)*
    equality    := relation (("==" | "!=" | "eq" | "ne") relation)*
    relation    := additive (("<" | "<=" | ">" | ">=" | "lt" | ...) additive)*
    additive    := term (("+" | "-") term)*
    term        := unary (("*" | "/") unary)*
    unary       := ("+" | "-" | "!") primary | primary
    primary     := "(" expressions ")" | NUMBER | STRING | NAME | NAME "(" args ")"

Two things differ from QDL and are kept here: `!`, `-` and `+` apply to a primary
only (so `!a == 1` is `(!a) == 1`), and comparisons of one level chain
(`a < b < c` is `(a < b) < c`). The translator then writes QDL whose parentheses
say the same.
"""

from __future__ import annotations

import attrs

from qengine.lss.script.tokens import Token, tokenize

_WORD_OPS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "&&": "and", "||": "or"}


@attrs.frozen
class Lit:
    """A constant as written: `kind` is NUMBER, DQ_STRING or SQ_STRING, which
    matters to LimeSurvey's comparisons (a quoted number is compared as text)."""

    value: str
    kind: str


@attrs.frozen
class Name:
    """A variable: `q1`, `q1.NAOK`, `q1_SQ001.shown`, `12345X6X7`, `TOKEN:FIRSTNAME`."""

    text: str
    offset: int = attrs.field(eq=False, default=0)

    @property
    def base(self) -> str:
        return self.text.split(".", 1)[0]

    @property
    def attr(self) -> str | None:
        parts = self.text.split(".")
        return parts[-1] if len(parts) > 1 else None


@attrs.frozen
class Call:
    name: str
    args: tuple[Node, ...]
    offset: int = attrs.field(eq=False, default=0)


@attrs.frozen
class Unary:
    op: str  # "!", "-", "+"
    operand: Node


@attrs.frozen
class Binary:
    op: str  # "or" "and" "==" "!=" "<" "<=" ">" ">=" "+" "-" "*" "/"
    left: Node
    right: Node


@attrs.frozen
class Assign:
    target: Name
    value: Node


@attrs.frozen
class Sequence:
    """`a, b`: evaluates both, gives the last."""

    items: tuple[Node, ...]


Node = Lit | Name | Call | Unary | Binary | Assign | Sequence


class ScriptSyntaxError(ValueError):
    """The expression does not parse; `offset` is where in the expression."""

    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.message = message
        self.offset = offset


def parse(source: str) -> Node:
    """The tree of an ExpressionScript expression, or ScriptSyntaxError."""
    return _Parser(tokenize(source), len(source)).parse()


def walk(node: Node):
    """Every node, parents first."""
    yield node
    match node:
        case Call(args=args) | Sequence(items=args):
            for a in args:
                yield from walk(a)
        case Unary(operand=o):
            yield from walk(o)
        case Binary(left=a, right=b):
            yield from walk(a)
            yield from walk(b)
        case Assign(target=t, value=v):
            yield t
            yield from walk(v)


class _Parser:
    def __init__(self, tokens: list[Token], end: int):
        self.tokens = tokens
        self.pos = 0
        self.end = end

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def next(self) -> Token:
        token = self.peek()
        if token is None:
            raise ScriptSyntaxError("the expression ends too early", self.end)
        self.pos += 1
        return token

    def parse(self) -> Node:
        if not self.tokens:
            raise ScriptSyntaxError("the expression is empty", 0)
        node = self.expressions()
        token = self.peek()
        if token is not None:
            raise ScriptSyntaxError(f"unexpected {token.text!r}", token.offset)
        return node

    def expressions(self) -> Node:
        items = [self.expression()]
        while (token := self.peek()) is not None and token.kind == "COMMA":
            self.pos += 1
            items.append(self.expression())
        return items[0] if len(items) == 1 else Sequence(tuple(items))

    def expression(self) -> Node:
        if (self.pos + 1 < len(self.tokens) and self.tokens[self.pos + 1].kind == "ASSIGN"
                and self.tokens[self.pos].kind in ("WORD", "SGQA")):
            target = self.tokens[self.pos]
            self.pos += 2
            return Assign(Name(target.text, target.offset), self.or_test())
        return self.or_test()

    def _chain(self, operand, kinds: tuple[str, ...], ops: set[str]) -> Node:
        node = operand()
        while (token := self.peek()) is not None and token.kind in kinds and token.text.lower() in ops:
            self.pos += 1
            op = token.text.lower()
            node = Binary(_WORD_OPS.get(op, op), node, operand())
        return node

    def or_test(self) -> Node:
        return self._chain(self.and_test, ("AND_OR",), {"or", "||"})

    def and_test(self) -> Node:
        return self._chain(self.equality, ("AND_OR",), {"and", "&&"})

    def equality(self) -> Node:
        return self._chain(self.relation, ("COMPARE",), {"==", "!=", "eq", "ne"})

    def relation(self) -> Node:
        return self._chain(self.additive, ("COMPARE",), {"<", "<=", ">", ">=", "lt", "le", "gt", "ge"})

    def additive(self) -> Node:
        return self._chain(self.term, ("BINARYOP",), {"+", "-"})

    def term(self) -> Node:
        return self._chain(self.unary, ("BINARYOP",), {"*", "/"})

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and token.text in ("!", "-", "+") and token.kind in ("NOT", "BINARYOP"):
            self.pos += 1
            return Unary(token.text, self.primary())
        return self.primary()

    def primary(self) -> Node:
        token = self.next()
        if token.kind == "LP":
            node = self.expressions()
            closing = self.next()
            if closing.kind != "RP":
                raise ScriptSyntaxError("a '(' is not closed", closing.offset)
            return node
        if token.kind == "NUMBER" or token.kind in ("DQ_STRING", "SQ_STRING"):
            return Lit(token.text, token.kind)
        if token.kind in ("WORD", "SGQA"):
            following = self.peek()
            if following is not None and following.kind == "LP":
                return self.call(token)
            if not token.text:
                raise ScriptSyntaxError("a name is missing", token.offset)
            return Name(token.text, token.offset)
        raise ScriptSyntaxError(f"unexpected {token.text!r}", token.offset)

    def call(self, name: Token) -> Node:
        self.pos += 1  # the "("
        args: list[Node] = []
        while True:
            token = self.peek()
            if token is None:
                raise ScriptSyntaxError(f"the call of {name.text}() is not closed", self.end)
            if token.kind == "RP":
                self.pos += 1
                return Call(name.text, tuple(args), name.offset)
            if args:
                if token.kind != "COMMA":
                    raise ScriptSyntaxError(f"expected ',' or ')' in the call of {name.text}()", token.offset)
                self.pos += 1
            args.append(self.expression())
