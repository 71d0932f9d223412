"""The QDL lexer: Lark's contextual lexing, done in one loop.

Lark's own contextual lexer asks, for every token, which terminals the parser's
current state accepts and tries only those; so `min` is a keyword at the start of a
statement and a function name inside a condition. This lexer does the same from the
same grammar, but a large survey has a hundred thousand tokens and its per-token
work is kept to one regular-expression match:

- each parser state's accepted terminals become one compiled pattern, in Lark's
  order of preference, with the grammar's ignored terminals (blanks, comments)
  skipped by a possessive prefix of the same pattern rather than matched as tokens
  of their own;
- a keyword that is also a valid name (`when`) is looked up after the name matches,
  as Lark does, so `whenever` stays one name;
- lines are counted only in tokens that hold a newline;
- the newline rules of QDL (a newline ends a statement except inside parentheses,
  blank lines count once, the input ends with one) are applied here, not by a
  post-lexer over the token stream;
- a keyword glued to the word after it stops the lexer: read as `when x`, `whenx`
  would make a baffling error further on (`syntax_diagnostic` names the whole word);
- comments are skipped with the blanks, and handed as `COMMENT` tokens to the
  `lexer_callbacks` Lark was given (Lark's documented way to keep comments), only
  where the skipped stretch holds a `#`: lint reads `# noqa` from them, so comments
  are found once, by the lexer that knows where strings are.

Errors are Lark's: `UnexpectedCharacters` when nothing matches, `UnexpectedToken`
when a terminal matches that the parser does not want here.
"""

from __future__ import annotations

import re
from typing import NoReturn

from lark.exceptions import UnexpectedCharacters, UnexpectedToken
from lark.lexer import Lexer, Token

NEWLINE = "_NL"
COMMENT = "COMMENT"


class _Token(Token):
    """Lark's token, built without its constructor's layer of keyword handling
    (a survey of 5,000 questions has 140,000 tokens)."""

    __slots__ = ()

    def __new__(cls, type, value, start_pos=None, line=None, column=None,  # noqa: A002 - Lark's names
                end_line=None, end_column=None, end_pos=None):
        token = str.__new__(cls, value)
        token.type, token.value, token.start_pos = type, value, start_pos
        token.line, token.column, token.end_line, token.end_column, token.end_pos = (
            line, column, end_line, end_column, end_pos)
        return token


class _Scanner:
    """The terminals one parser state accepts, as one pattern."""

    __slots__ = ("pattern", "keywords", "allowed")

    def __init__(self, names, terminals: dict, ignore: list[str]):
        chosen = [terminals[n] for n in names if n in terminals and n not in ignore]
        chosen.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
        # A literal word that a pattern of the same priority also matches (`when`,
        # a NAME) is not tried on its own: the pattern matches and then the word is
        # looked up. Otherwise `whenever` would lex as `when` + `ever`.
        self.keywords: dict[str, dict[str, str]] = {}
        literal: set[str] = set()
        for t in chosen:
            if t.pattern.type != "re":
                continue
            regexp = re.compile(t.pattern.to_regexp())
            for s in chosen:
                if (s.pattern.type == "str" and s.priority == t.priority
                        and regexp.fullmatch(s.pattern.value)):
                    self.keywords.setdefault(t.name, {})[s.pattern.value] = s.name
                    literal.add(s.name)
        tried = [t for t in chosen if t.name not in literal]
        alternatives = "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in tried)
        self.pattern = re.compile(_skipping(terminals, ignore) + f"(?:{alternatives})")
        # What an error says was expected: "a name" rather than every keyword a name may be.
        self.allowed = {t.name for t in tried}


def _skipping(terminals: dict, ignore: list[str]) -> str:
    """A pattern for a run of ignored terminals (blanks, comments). Possessive: once
    skipped, blanks are never tried again as the start of a token."""
    return "(?:" + "|".join(terminals[n].pattern.to_regexp() for n in ignore) + ")*+" if ignore else ""


class QdlLexer(Lexer):
    """A Lark custom lexer (`Lark(..., lexer=QdlLexer)`) for the QDL grammar."""

    __future_interface__ = 2

    def __init__(self, conf):
        self._on_comment = conf.callbacks.get(COMMENT)
        self._terminals = {t.name: t for t in conf.terminals}
        self._ignore = list(conf.ignore)
        self._scanners: dict[object, _Scanner] = {}  # parser state -> its scanner
        self._root = _Scanner(self._terminals, self._terminals, self._ignore)
        self._skip = re.compile(_skipping(self._terminals, self._ignore))

    def _scanner(self, parser_state) -> _Scanner:
        position = parser_state.position
        scanner = self._scanners.get(position)
        if scanner is None:
            accepted = {*parser_state.parse_conf.states[position], NEWLINE}
            scanner = self._scanners[position] = _Scanner(accepted, self._terminals, self._ignore)
        return scanner

    def lex(self, lexer_state, parser_state):
        text = lexer_state.text.text
        pos, end = lexer_state.text.start, lexer_state.text.end
        line, line_start = text.count("\n", 0, pos) + 1, text.rfind("\n", 0, pos) + 1
        depth = 0  # open parentheses: newlines inside them do not end the statement
        after_newline = True  # skips blank lines before the first statement
        previous: _Token | None = None
        previous_end = -1
        scanners, stack = self._scanners, parser_state.state_stack
        while True:
            scanner = scanners.get(stack[-1]) or self._scanner(parser_state)
            m = scanner.pattern.match(text, pos, end)
            if m is None:
                skipped = self._skip.match(text, pos, end)
                assert skipped is not None  # blanks and comments: it matches the empty string
                stop = skipped.end()
                if self._on_comment is not None:
                    self._comments(text, pos, stop, line, line_start)
                if stop == end:
                    break
                self._fail(text, stop, end, line, line_start, scanner, parser_state, previous)
            # every alternative of the scanner's pattern is a named group (no cost in this loop)
            kind: str = m.lastgroup  # type: ignore[assignment]
            start = m.start(kind)
            if self._on_comment is not None and start > pos:
                self._comments(text, pos, start, line, line_start)
            pos = m.end()
            value = text[start:pos]
            keywords = scanner.keywords.get(kind)
            if keywords is not None:
                kind = keywords.get(value, kind)
            newlines = value.count("\n")
            first_line, column = line, start - line_start + 1
            if newlines:
                line += newlines
                line_start = start + value.rindex("\n") + 1
            token = _Token(kind, value, start, first_line, column, line, pos - line_start + 1, pos)
            if (start == previous_end and previous is not None and is_word_char(value[0])
                    and previous.type != "NAME"
                    and previous.value.isalpha()):
                # A keyword glued to the next word: `whenx` would read as `when x`.
                raise UnexpectedToken(token, set(), state=parser_state)
            previous, previous_end = token, pos
            if kind == NEWLINE:
                if depth > 0 or after_newline:
                    continue
                after_newline = True
            else:
                after_newline = False
                if kind == "LPAR":
                    depth += 1
                elif kind == "RPAR" and depth > 0:
                    depth -= 1
            lexer_state.last_token = token
            yield token
        if not after_newline and previous is not None:  # a token was given
            last = previous
            yield _Token(NEWLINE, "\n", last.end_pos, last.end_line, last.end_column,
                        last.end_line, last.end_column, last.end_pos)

    def _comments(self, text: str, pos: int, stop: int, line: int, line_start: int) -> None:
        """Hand the comments of a skipped stretch (blanks and comments, on one line:
        newlines are tokens) to the comment callback."""
        sharp = text.find("#", pos, stop)
        while sharp >= 0:
            close = text.find("\n", sharp, stop)
            close = stop if close < 0 else close
            column = sharp - line_start + 1
            self._on_comment(_Token(COMMENT, text[sharp:close], sharp, line, column, line,
                                    column + close - sharp, close))
            sharp = text.find("#", close, stop)

    def _fail(self, text, pos, end, line, line_start, scanner, parser_state, previous) -> NoReturn:
        """Nothing this state accepts matches at `pos`: say what does, if anything."""
        column = pos - line_start + 1
        m = self._root.pattern.match(text, pos, end)
        if m is not None:
            kind = m.lastgroup
            assert kind is not None  # every alternative of the pattern is a named group
            value = m.group(kind)
            kind = self._root.keywords.get(kind, {}).get(value, kind)
            token = _Token(kind, value, pos, line, column, line, column + len(value), pos + len(value))
            raise UnexpectedToken(token, scanner.allowed, state=parser_state,
                                  token_history=previous and [previous])
        raise UnexpectedCharacters(text, pos, line, column, allowed=scanner.allowed,
                                   state=parser_state, token_history=previous and [previous])


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"
