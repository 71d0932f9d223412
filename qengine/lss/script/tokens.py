"""ExpressionScript's tokens, cut the way LimeSurvey's ExpressionManager cuts them.

LimeSurvey splits an expression with one regular expression made of fifteen
alternatives, then gives each piece the type of the first alternative that matches
it whole (`RDP_Tokenize` in em_core_helper.php). The same patterns, in the same
order, are used here, so that a piece is a string, a name or an operator here
exactly when it is one for LimeSurvey: `eq` is a comparison, `and` a logical
operator, `12345X6X7` an SGQA name, and a `%` an unknown token (an error).
"""

from __future__ import annotations

import re
from typing import NamedTuple, cast

_PATTERNS = [
    ("DQ_STRING", r'(?<!\\)".*?(?<!\\)"'),
    ("SQ_STRING", r"(?<!\\)'.*?(?<!\\)'"),
    ("SPACE", r"\s+"),
    ("LP", r"\("),
    ("RP", r"\)"),
    ("COMMA", r","),
    ("AND_OR", r"\band\b|\bor\b|&&|\|\|"),
    ("COMPARE", r"<=|<|>=|>|==|!=|\ble\b|\blt\b|\bge\b|\bgt\b|\beq\b|\bne\b"),
    ("SGQA", r"(?:INSERTANS:)?[0-9]+X[0-9]+X[0-9]+[A-Z0-9_]*\#?[01]?(?:\.(?:[a-zA-Z0-9_]*))?"),
    ("WORD", r"(?:TOKEN:)?(?:[A-Z][A-Z0-9_]*)?(?:\.(?:[A-Z][A-Z0-9_]*))*(?:\.(?:[a-zA-Z0-9_]*))?"),
    ("NUMBER", r"[0-9]+\.?[0-9]*|\.[0-9]+"),
    ("NOT", r"!"),
    ("OTHER", r"\+\+|--"),
    ("ASSIGN", r"="),
    ("BINARYOP", r"[+*/-]"),
]

# LimeSurvey's patterns carry the /i flag (names are matched without regard to case).
_SPLIT = re.compile("|".join(f"(?P<{kind}{i}>{p})" for i, (kind, p) in enumerate(_PATTERNS)),
                    re.IGNORECASE | re.DOTALL)
_WHOLE = [(kind, re.compile(f"(?:{p})\\Z", re.IGNORECASE | re.DOTALL)) for kind, p in _PATTERNS]


class Token(NamedTuple):
    text: str  # for strings, the unquoted value
    kind: str  # one of the kinds above, or OTHER for an unknown piece
    offset: int


def tokenize(source: str) -> list[Token]:
    """The tokens of `source`, without blanks. A piece no pattern takes whole is an
    OTHER token, which the parser reports.

    A piece the splitting pattern matched (not empty) has the type of the
    alternative that matched it: an earlier alternative matching it whole would have
    been taken instead. The pieces between matches are typed by trying each pattern."""
    tokens: list[Token] = []
    last = 0
    for match in _SPLIT.finditer(source):
        if match.start() > last:
            _add(tokens, source[last:match.start()], last, None)
        if match.end() > match.start():
            _add(tokens, match.group(), match.start(), cast(str, match.lastgroup).rstrip("0123456789"))  # a piece matched: a group did
        last = max(last, match.end())
    if last < len(source):
        _add(tokens, source[last:], last, None)
    return tokens


def _add(tokens: list[Token], piece: str, start: int, kind: str | None) -> None:
    if kind is None:
        kind = next((k for k, pattern in _WHOLE if pattern.match(piece)), "OTHER")
    if kind == "SPACE":
        return
    if kind in ("DQ_STRING", "SQ_STRING"):
        piece = _unquote(piece[1:-1])
    tokens.append(Token(piece, kind, start))


def _unquote(body: str) -> str:
    # As str_replace(array('\"', "\'", "\\\\"), array('"', "'", '\\'), ...): left to right.
    return re.sub(r"\\([\"'\\])", r"\1", body)
