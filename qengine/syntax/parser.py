"""From .qdl text to a Lark parse tree, with syntax errors a person can act on.

The parser is Lark's LALR with the contextual lexer, built once per process. A
small post-lexer makes newlines mean "end of statement" except inside parentheses,
so long conditions may be wrapped over several lines.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from qengine.errors import Diagnostic, did_you_mean
from qengine.span import Source


class _Newlines:
    """Drops newlines inside ( ), merges runs of them, and ends the input with one."""

    always_accept = ("_NL",)

    def process(self, stream):
        depth = 0
        last_was_newline = True  # no statement before the first line: skip leading blank lines
        token = None
        for token in stream:
            kind = token.type
            if kind == "_NL":
                if depth > 0 or last_was_newline:
                    continue
                last_was_newline = True
            else:
                last_was_newline = False
                if kind == "LPAR":
                    depth += 1
                elif kind == "RPAR" and depth > 0:
                    depth -= 1
            yield token
        if not last_was_newline:
            end = token.end_pos if token is not None else 0
            yield Token("_NL", "\n", start_pos=end, end_pos=end,
                        line=token.end_line, column=token.end_column,
                        end_line=token.end_line, end_column=token.end_column)


def grammar_text() -> str:
    """The grammar, from inside the installed package or else from the checkout."""
    try:
        return importlib.resources.files("qengine").joinpath("grammars/qdl.lark").read_text("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return (Path(__file__).resolve().parents[2] / "grammars" / "qdl.lark").read_text("utf-8")


@functools.cache
def lark_parser() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="contextual", postlex=_Newlines(),
                start=["start", "text_expr"], propagate_positions=True, maybe_placeholders=True)


# How the grammar's terminals read in an error message.
_TERMINAL_WORDS = {
    "NAME": "a name", "INT": "a whole number", "NUMBER": "a number",
    "SIGNED_NUMBER": "a number", "STRING": "a quoted string", "LONG_STRING": "a quoted string",
    "_NL": "the end of the line", "$END": "the end of the file",
    "KIND": "a question kind (single, multiple, array, grid, integer, decimal, text, longtext, equation, display)",
    "COMPARE": "a comparison (== != < <= > >=)", "ADD_OP": "'+' or '-'", "MUL_OP": "'*', '/' or '%'",
    "_OR": "'or'", "_AND": "'and'", "_NOT": "'not'",
}
KEYWORDS = ("survey", "title", "language", "welcome", "end", "format", "group", "description",
            "when", "mandatory", "help", "validate", "message", "default", "min", "max", "prefix",
            "suffix", "maxlength", "pattern", "value", "row", "column", "scale", "exclusive",
            "single", "multiple", "array", "grid", "integer", "decimal", "text", "longtext",
            "equation", "display")


def _describe(terminal: str) -> str:
    if terminal in _TERMINAL_WORDS:
        return _TERMINAL_WORDS[terminal]
    try:
        pattern = lark_parser().get_terminal(terminal).pattern
    except KeyError:
        return terminal
    return f"'{pattern.value}'" if pattern.type == "str" else terminal.lower()


def _expected(names) -> str:
    words = sorted({_describe(n) for n in names if not n.startswith("__")})
    if len(words) > 6:
        return "one of " + ", ".join(words[:6]) + ", ..."
    return " or ".join(words) if len(words) < 3 else ", ".join(words[:-1]) + " or " + words[-1]


def syntax_diagnostic(err: UnexpectedInput, source: Source, base: int = 0) -> Diagnostic:
    """Turn a Lark error into a located diagnostic with a message that teaches."""
    text = source.text
    if isinstance(err, UnexpectedCharacters):
        pos = base + err.pos_in_stream
        ch = text[pos] if pos < len(text) else ""
        span = source.span(pos, pos + 1)
        if ch in "\"'":
            return Diagnostic("E102", "this string is never closed", span,
                              "a string ends on its own line with the quote it began with; "
                              'use """triple quotes""" for text over several lines')
        if ch == "=":
            return Diagnostic("E101", "'=' is not an operator here", span, "to compare, write '=='")
        if ch == "{":
            return Diagnostic("E101", "'{' is only allowed inside text", span,
                              "dynamic wording goes inside a quoted string: \"Hello {name}\"")
        shown = repr(ch) if ch.strip() else "whitespace"
        return Diagnostic("E101", f"unexpected character {shown}", span,
                          f"expected {_expected(err.allowed)}" if err.allowed else None)
    if isinstance(err, UnexpectedToken | UnexpectedEOF):
        token = getattr(err, "token", None)
        expected = err.expected if hasattr(err, "expected") else set()
        if token is None or token.type == "$END":
            end = len(text)
            return Diagnostic("E101", "the file ends in the middle of a statement",
                              source.span(end, end), f"expected {_expected(expected)}")
        start = base + (token.start_pos or 0)
        end = base + (token.end_pos or start + len(token))
        span = source.span(start, max(end, start + 1))
        if token.type == "_NL":
            if "RPAR" in expected:
                return Diagnostic("E101", "this line ends before a ')' closes the parenthesis", span)
            return Diagnostic("E101", "this statement ends too early", span,
                              f"expected {_expected(expected)}")
        word = str(token)
        hint = None
        if token.type == "NAME" and expected & {"KIND", "WHEN", "GROUP", "MANDATORY"}:
            hint = did_you_mean(word, KEYWORDS) or "each line starts with a keyword, or '-' for an option"
            return Diagnostic("E103", f"unknown keyword '{word}'", span, hint)
        if token.type == "RPAR" and "LPAR" not in expected:
            hint = "there is one ')' too many"
        return Diagnostic("E101", f"unexpected {_describe(token.type) if token.type in _TERMINAL_WORDS else repr(word)}",
                          span, hint or f"expected {_expected(expected)}")
    return Diagnostic("E101", str(err).splitlines()[0], source.span(base, base + 1))


def _blank_line(text: str, offset: int) -> str:
    """The text with the line holding `offset` replaced by spaces (offsets kept)."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    end = len(text) if end < 0 else end
    return text[:start] + " " * (end - start) + text[end:]


MAX_SYNTAX_ERRORS = 20


def parse_tree(source: Source) -> tuple[Tree | None, list[Diagnostic]]:
    """Parse a whole file. On a syntax error, blank out the line at fault and try
    again, so that one run reports every broken line; the tree is returned only
    when the file has no syntax error at all."""
    diagnostics: list[Diagnostic] = []
    text = source.text
    seen: set[int] = set()
    while True:
        try:
            tree = lark_parser().parse(text, start="start")
        except UnexpectedInput as err:
            diag = syntax_diagnostic(err, source)
            if diag.span.start in seen or len(diagnostics) >= MAX_SYNTAX_ERRORS:
                break
            seen.add(diag.span.start)
            diagnostics.append(diag)
            if diag.span.start >= len(text.rstrip()):
                break
            text = _blank_line(text, diag.span.start)
            continue
        return (tree if not diagnostics else None), diagnostics
    return None, diagnostics


def parse_expression_tree(snippet: str) -> Tree:
    """Parse one expression (the inside of a `{...}` in text)."""
    return lark_parser().parse(snippet, start="text_expr")
