"""From .qdl text to the survey model, with syntax errors a person can act on.

The parser is Lark's LALR through its public API, built once per process (the
grammar's analysis cached by Lark in the temporary directory, `cache=True`) and fed
by QDL's own contextual lexer (`qengine.syntax.lexer`, Lark's documented custom
lexer interface), which also makes newlines mean "end of statement"
except inside parentheses, so long conditions may be wrapped over several lines.
It builds the model as it parses (`qengine.syntax.transformer.ModelBuilder`), with
no parse tree in between.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple, cast

from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from qengine.errors import Diagnostic, did_you_mean
from qengine.expr import ast
from qengine.kinds.registry import kinds, problem
from qengine.model import Survey
from qengine.model.expect import Expectation
from qengine.span import Source
from qengine.syntax.lexer import QdlLexer, is_word_char
from qengine.syntax.transformer import ModelBuilder


def grammar_text() -> str:
    """The grammar, from inside the installed package or else from the checkout,
    with its `KIND` terminal: the names of the question kinds registered
    (`qengine.kinds`), so that a plugin's kind parses too. Lark's cache keys on
    the text, so a new kind makes a new parse table once."""
    try:
        text = importlib.resources.files("qengine").joinpath("grammars/qdl.lark").read_text("utf-8")
    except (FileNotFoundError, NotADirectoryError):
        text = (Path(__file__).resolve().parents[2] / "grammars" / "qdl.lark").read_text("utf-8")
    names = sorted(kinds(), key=lambda n: (-len(n), n))  # a longer word first: `texts` is not `text`
    return text + "KIND: " + " | ".join(f'"{n}"' for n in names) + "\n"


@functools.cache
def _machinery() -> tuple[Lark, ModelBuilder]:
    builder = ModelBuilder(_parse_embedded)
    lark = Lark(grammar_text(), parser="lalr", lexer=QdlLexer,
                start=["start", "text_expr", "expect_file"], keep_all_tokens=True, maybe_placeholders=True,
                transformer=builder, lexer_callbacks={"COMMENT": builder.on_comment}, cache=True)
    return lark, builder


def lark_parser() -> Lark:
    return _machinery()[0]


# How the grammar's terminals read in an error message.
_TERMINAL_WORDS = {
    "NAME": "a name", "INT": "a whole number", "NUMBER": "a number",
    "SIGNED_NUMBER": "a number", "STRING": "a quoted string", "LONG_STRING": "a quoted string",
    "_NL": "the end of the line", "$END": "the end of the file",
    "COMPARE": "a comparison (== != < <= > >=)", "ADD_OP": "'+' or '-'", "MUL_OP": "'*', '/' or '%'",
    "_OR": "'or'", "_AND": "'and'",
}
# How an unexpected token is named: "unexpected name 'x'", "unexpected number 3".
_TOKEN_NOUNS = {"NAME": "name", "KIND": "question kind", "INT": "number", "NUMBER": "number",
                "SIGNED_NUMBER": "number", "STRING": "text", "LONG_STRING": "text"}
# The words that lead a line, question kinds aside: statements and attributes, and
# `title`, which LimeSurvey authors look for (`tests/test_parser.py` holds this and
# `keywords()` to the grammar).
WORDS = ("survey", "title", "language", "welcome", "end", "format", "group", "description",
         "when", "mandatory", "help", "validate", "message", "default", "min", "max", "prefix",
         "suffix", "maxlength", "pattern", "value", "row", "column", "scale", "exclusive",
         "expect", "answer", "asked", "wording", "refused", "completes")


@functools.cache
def keywords() -> tuple[str, ...]:
    """The words that lead a line: `WORDS` and the names of the question kinds."""
    return (*WORDS, *kinds())


# The words a French-speaking author types where a keyword belongs, and the QDL
# keywords they mean: the syntax error's hint names them. Looked up without case
# or accents ("Défaut" as "defaut"); `tests/test_parser.py` holds them to keywords().
FRENCH_KEYWORDS = {
    "questionnaire": ("survey",), "enquete": ("survey",), "titre": ("title",), "langue": ("language",),
    "bienvenue": ("welcome",), "accueil": ("welcome",), "fin": ("end",), "groupe": ("group",),
    "si": ("when",), "quand": ("when",), "lorsque": ("when",), "condition": ("when",),
    "obligatoire": ("mandatory",), "requis": ("mandatory",), "aide": ("help",),
    "valider": ("validate",), "validation": ("validate",), "verifier": ("validate",),
    "defaut": ("default",), "minimum": ("min",), "maximum": ("max",), "prefixe": ("prefix",),
    "suffixe": ("suffix",), "longueur": ("maxlength",), "longueurmax": ("maxlength",), "motif": ("pattern",),
    "valeur": ("value",), "ligne": ("row",), "colonne": ("column",), "echelle": ("scale",),
    "exclusif": ("exclusive",), "choix": ("single", "multiple"), "unique": ("single",),
    "choixunique": ("single",), "choixmultiple": ("multiple",), "tableau": ("array",), "grille": ("grid",),
    "matrice": ("array", "grid"), "entier": ("integer",), "nombre": ("integer", "decimal"),
    "numerique": ("integer", "decimal"), "texte": ("text",), "textelong": ("longtext",),
    "calcul": ("equation",), "affichage": ("display",), "afficher": ("display",),
}


@functools.cache
def statement_words() -> frozenset[str]:
    """Words that start a statement, as opposed to those that may also begin a name
    or a call inside a condition (min, max, value, end)."""
    return frozenset(keywords()) - {"min", "max", "value", "end", "title", "message"}


def _describe(terminal: str) -> str:
    if terminal == "KIND":
        return f"a question kind ({', '.join(kinds())})"
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
    """Turn a Lark error into a located diagnostic with a message that teaches.

    `base` is the offset of an expression embedded in text (`{...}`), 0 for a file."""
    text = source.text
    glued = _glued_word(err, source, base)
    if glued is not None:
        return glued
    if isinstance(err, UnexpectedCharacters):
        assert err.pos_in_stream is not None  # Lark sets it for a character it cannot lex
        pos = base + err.pos_in_stream
        ch = text[pos] if pos < len(text) else ""
        span = source.span(pos, pos + 1)
        if ch in "\"'":
            return _unclosed_string(source, pos)
        if ch == "=":
            return Diagnostic("E101", "'=' is not an operator here", span, "to compare, write '=='")
        if ch == "{":
            return Diagnostic("E101", "'{' is only allowed inside text", span,
                              "dynamic wording goes inside a quoted string: \"Hello {name}\"")
        if ch.isalpha() and not text[text.rfind("\n", 0, pos) + 1:pos].strip():
            return _unknown_keyword(source, pos)  # a line starting with a letter no keyword has: "échelle"
        shown = repr(ch) if ch.strip() else "whitespace"
        return Diagnostic("E101", f"unexpected character {shown}", span,
                          f"expected {_expected(err.allowed)}" if err.allowed else None)
    if isinstance(err, UnexpectedToken | UnexpectedEOF):
        token = getattr(err, "token", None)
        expected = _acceptable(err)
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
            return Diagnostic("E101", f"this {'expression' if base else 'statement'} ends too early",
                              span, f"expected {_expected(expected)}")
        word = str(token)
        hint = None
        if word == "title":
            return Diagnostic("E101", "'title' is not a statement", span,
                              'a title follows the code: survey CODE "title", group CODE "title"')
        if word == "=":  # a token since `expect` steps (`answer x = 3`) use it
            return Diagnostic("E101", "'=' is not an operator here", span, "to compare, write '=='")
        if word in keywords():
            return Diagnostic("E101", f"'{word}' cannot stand here", span,
                              f"expected {_expected(expected)}")
        if token.type == "NAME" and expected & {"KIND", "WHEN", "GROUP", "MANDATORY"}:
            return _unknown_keyword(source, start)
        if token.type == "RPAR" and "LPAR" not in expected:
            hint = "there is one ')' too many"
        noun = _TOKEN_NOUNS.get(token.type)
        shown = f"{noun} {_shorten(word)}" if noun else repr(word)
        return Diagnostic("E101", f"unexpected {shown}", span, hint or f"expected {_expected(expected)}")
    return Diagnostic("E101", str(err).splitlines()[0], source.span(base, base + 1))


def _acceptable(err: UnexpectedToken | UnexpectedEOF) -> set[str]:
    """What the parser would have accepted. When the contextual lexer stops at a
    word, Lark reports what the lexer allowed, newline included; the parser's
    own table says what really fits."""
    state: Any = getattr(err, "state", None)  # Lark's parser state: no public type
    try:
        return {name for name in state.parse_conf.states[state.position] if name.isupper()}
    except AttributeError:
        return set(getattr(err, "expected", ()) or ())


def _shorten(word: str) -> str:
    if word[:1] not in "\"'":
        word = f"'{word}'"
    return word if len(word) <= 30 else word[:26] + "..." + word[-1]


def _glued_word(err: UnexpectedInput, source: Source, base: int) -> Diagnostic | None:
    """A keyword run into the next word (`whenx`, `mandatoryy`) is one unknown word."""
    token = getattr(err, "token", None)
    pos = base + (token.start_pos if token is not None and token.start_pos is not None
                  else err.pos_in_stream or 0)
    text = source.text
    if not (0 < pos < len(text) and is_word_char(text[pos - 1]) and is_word_char(text[pos])):
        return None
    start, end = pos, pos
    while start > 0 and is_word_char(text[start - 1]):
        start -= 1
    while end < len(text) and is_word_char(text[end]):
        end += 1
    word = text[start:end]
    if not word[0].isalpha():
        return None
    line_start = text.rfind("\n", 0, start) + 1
    span = source.span(start, end)
    if text[line_start:start].strip(" \t") == "":
        return _unknown_keyword(source, start)
    keyword = text[start:pos]
    return Diagnostic("E101", f"unexpected word '{word}'", span,
                      f"'{keyword}' is a keyword: if you meant it, put a space after it")


def _unknown_keyword(source: Source, start: int) -> Diagnostic:
    """E103 for the word at `start`, taken whole: the lexer's names stop at a
    letter with an accent (`défaut` reaches the parser as `d`)."""
    text = source.text
    end = start
    while end < len(text) and is_word_char(text[end]):
        end += 1
    word = text[start:end]
    broken = problem(word)  # a kind whose plugin is installed but cannot be used: say why
    if broken:
        return Diagnostic("E103", broken, source.span(start, end),
                          "the other question kinds work; fix or uninstall that plugin")
    return Diagnostic("E103", f"unknown keyword '{word}'", source.span(start, end), _keyword_hint(word))


def _keyword_hint(word: str) -> str:
    """The keyword a French word stands for, else the closest keywords, else the rule."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(c))
    if plain in FRENCH_KEYWORDS:
        return "the QDL keyword is " + " or ".join(f"'{k}'" for k in FRENCH_KEYWORDS[plain])
    return did_you_mean(word, keywords()) or "each line starts with a keyword, or '-' for an option"


_BRACED = re.compile(r"""\{(?:[^{}"']|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')*\}""")


def _unclosed_string(source: Source, pos: int) -> Diagnostic:
    """Why the string starting at `pos` does not lex: never closed, or closed but
    holding a broken `{...}`."""
    text = source.text
    triple = _triple_quote(text, pos)
    pos = pos if triple is None else triple
    quote = '"""' if triple else text[pos]
    stop = -1 if triple else text.find("\n", pos)
    stop = len(text) if stop < 0 else stop
    i = pos + len(quote)
    while i < stop:
        if text[i] == "\\":
            i += 2
        elif text.startswith(quote, i):
            break
        elif text[i] == "{":
            braced = _BRACED.match(text, i, stop)
            if braced is None:
                return Diagnostic("E104", "this '{' has no matching '}' in the text",
                                  source.span(i, i + 1),
                                  "an {expression} in text ends with '}' before the closing quote, "
                                  "and holds no other braces; write \\{ for a brace itself")
            i = braced.end()
        else:
            i += 1
    span = source.span(pos, pos + len(quote))
    if triple:
        return Diagnostic("E102", "this text is never closed", span,
                          'text in triple quotes runs until the next """')
    return Diagnostic("E102", "this string is never closed", span,
                      "a string ends on its own line with the quote it began with; "
                      'use """triple quotes""" for text over several lines')


def _triple_quote(text: str, pos: int) -> int | None:
    """Where the triple quote holding offset `pos` starts, if there is one: when a
    triple-quoted text cannot be read, the lexer takes its first two quotes for an
    empty string and stops at the third."""
    for start in (pos, pos - 2):
        if start >= 0 and text.startswith('"""', start):
            return start
    return None


def _unclosed_paren(text: str, offset: int) -> int | None:
    """The offset of a '(' still open at `offset` and opened on an earlier line."""
    stack: list[int] = []
    for m in _bracket_scanner().finditer(text, 0, offset):
        if m.lastgroup == "open":
            stack.append(m.start())
        elif m.lastgroup == "close" and stack:
            stack.pop()
    if stack and "\n" in text[stack[-1] : offset]:
        return stack[-1]
    return None


@functools.cache
def _bracket_scanner() -> re.Pattern:
    """Finds parentheses, skipping strings (as the grammar lexes them) and comments."""
    parser = lark_parser()
    strings = "|".join(parser.get_terminal(n).pattern.to_regexp() for n in ("LONG_STRING", "STRING"))
    return re.compile(f"{strings}|#[^\\n]*|(?P<open>\\()|(?P<close>\\))")


def _first_word_of_line(text: str, offset: int) -> tuple[bool, str]:
    """Whether `offset` is the first non-blank character of its line, and that line's first word."""
    start = text.rfind("\n", 0, offset) + 1
    before = text[start:offset]
    found = re.match(r"[ \t]*([A-Za-z]*)", text[start:])
    assert found is not None  # every part of the pattern may be empty
    word = found.group(1)
    return before.strip(" \t") == "", word


@functools.cache
def heading() -> re.Pattern[str]:
    """A survey, group or question heading as written: its keyword, then its code if any."""
    return re.compile(rf"^[ \t]*(survey|group|{'|'.join(kinds())})(?![A-Za-z0-9_])(?:[ \t]+([A-Za-z0-9_]+))?",
                      re.MULTILINE)


def _blank_lines(text: str, first: int, last: int) -> tuple[str, tuple[int, int]]:
    """The text with the lines from the one holding `first` to the one holding `last`
    blanked (offsets kept), and the offsets blanked. A survey, group or question
    heading is kept as a stub (`single x_`) so that the lines below it do not become
    errors of their own; no real code holds a `_`, so the stub's cannot clash."""
    start = text.rfind("\n", 0, first) + 1
    end = text.find("\n", last)
    end = len(text) if end < 0 else end
    line_end = text.find("\n", start)
    line_end = end if line_end < 0 else min(line_end, end)
    header = heading().match(text, start, line_end)
    stub = ""
    if header:
        stub = text[start : header.end(1)] + (' x_ ""' if header.group(1) == "group" else " x_")
        if len(stub) > line_end - start:
            stub = ""
    blank = "".join(ch if ch == "\n" else " " for ch in text[start + len(stub) : end])
    return text[:start] + stub + blank + text[end:], (start, end)


MAX_SYNTAX_ERRORS = 20


class Reading(NamedTuple):
    """What `parse` made of a file."""

    survey: Survey | None  # read without the lines left out; None if nothing could be read
    diagnostics: list[Diagnostic]
    left_out: tuple[tuple[int, int], ...] = ()  # offsets of the lines left out after syntax errors


def parse(source: Source) -> Reading:
    """Parse a whole file into the model (its names not yet checked). On a syntax
    error, blank out the line at fault and try again, so that one run reports every
    broken line. The survey read without those lines comes back with them, so that
    the names of the lines that did parse can be checked too."""
    lark, builder = _machinery()
    diagnostics: list[Diagnostic] = []
    left_out: list[tuple[int, int]] = []
    text = source.text
    seen: set[int] = set()
    while True:
        found: list[Diagnostic] = []  # what the model builder reports
        try:
            with builder.reading(source, found):
                # the ModelBuilder transformer builds the Survey (Lark types parse() as a Tree)
                survey = cast(Survey, lark.parse(text, start="start"))
        except UnexpectedInput as err:
            diag = syntax_diagnostic(err, source)
            first = last = diag.span.start
            triple = (_triple_quote(text, err.pos_in_stream)
                      if isinstance(err, UnexpectedCharacters) and err.pos_in_stream is not None else None)
            if triple is not None:  # blank the whole text, up to its closing quotes if any
                close = text.find('"""', triple + 3)
                last = len(text) if close < 0 else close
            opened = _unclosed_paren(text, diag.span.start)
            if opened is not None:
                # Inside a condition wrapped over several lines: if a new statement
                # begins, the real mistake is the '(' never closed.
                at_line_start, word = _first_word_of_line(text, diag.span.start)
                line_ended = isinstance(err, UnexpectedToken) and err.token.type == "_NL"
                if at_line_start or word in statement_words() or line_ended:
                    last = max(opened, text.rfind("\n", 0, diag.span.start) if not line_ended else last)
                    diag = Diagnostic("E101", "this '(' is never closed", source.span(opened, opened + 1),
                                      "a condition may run over several lines only inside ( ); "
                                      "close it before the next statement")
                first = opened
            if diag.span.start in seen or len(diagnostics) >= MAX_SYNTAX_ERRORS:
                break
            seen.add(diag.span.start)
            diagnostics.append(diag)
            if last >= len(text.rstrip()):
                break
            text, blanked = _blank_lines(text, first, last)
            left_out.append(blanked)
            continue
        except Exception as err:  # noqa: BLE001 - a bug of ours: say so without a traceback
            diagnostics.append(Diagnostic("E000", f"internal error while reading the file: {err!r}",
                                          source.span(0, 0)))
            return Reading(None, diagnostics)
        if diagnostics:
            # What the model builder finds on one token (E1xx, a broken `{…}` in a text, say)
            # holds whatever the lines around it; "a single choice needs options" (E2xx)
            # may be the doing of a line left out.
            local = [d for d in found if d.code.startswith("E1") and not d.span.touches(left_out)]
            return Reading(survey, diagnostics + local, tuple(left_out))
        return Reading(survey, found)
    return Reading(None, diagnostics)


def parse_expectations(source: Source) -> tuple[tuple[Expectation, ...], list[Diagnostic]]:
    """The expectations of a side file of stated routes (`SURVEY.expect`: start
    symbol `expect_file`, the syntax of a survey's `expect` blocks), and what is
    wrong with it: a syntax error (then no expectation is read), or what the model
    builder reports. Their names are not checked yet (`resolve_expectations`)."""
    lark, builder = _machinery()
    found: list[Diagnostic] = []
    try:
        with builder.reading(source, found):
            # the ModelBuilder transformer makes the tuple of expectations (Lark types it as a Tree)
            items = cast("tuple[Expectation, ...]", lark.parse(source.text, start="expect_file"))
    except UnexpectedInput as err:
        return (), [syntax_diagnostic(err, source)]
    return items, found


def _parse_embedded(snippet: str, offset: int) -> ast.Expr | None:
    """Parse the inside of a `{...}` of text, found at `offset` of the file the
    builder is reading."""
    lark, builder = _machinery()
    source = builder.source  # called while the builder reads a file
    with builder.reading(source, builder.diagnostics, offset):
        try:
            return cast(ast.Expr, lark.parse(snippet, start="text_expr"))  # built by the transformer
        except UnexpectedInput as err:
            builder.diagnostics.append(syntax_diagnostic(err, source, base=offset))
            return None
