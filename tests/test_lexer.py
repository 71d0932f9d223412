"""QDL's lexer: Lark's contextual lexing and QDL's newline rules, in one loop.

Its tokens, their locations and the errors it raises. `test_against_lark.py` holds
it, with the loop that runs the parse table, to Lark's own lexer and loop.
"""

from __future__ import annotations

import pytest
from lark.exceptions import UnexpectedToken
from test_errors import HEAD

from qengine.span import Source
from qengine.syntax import parser
from qengine.syntax.loader import check


def _tokens(text: str, start: str = "start") -> list[tuple[str, str, int, int, int, int, int, int]]:
    """The tokens the parser is fed, with their locations."""
    lark, builder = parser._machinery()
    with builder.reading(Source(text), []):
        interactive = lark.parse_interactive(text, start=start)
        return [(t.type, t.value, t.start_pos, t.line, t.column, t.end_line, t.end_column, t.end_pos)
                for t in interactive.iter_parse()]


def test_a_keyword_is_a_keyword_where_the_parser_wants_one_and_a_name_elsewhere():
    text = 'survey s\ngroup g "G"\n  integer min "Min"\n    min 1\n    validate min(min, 3) > 1\n      message "M"\n'
    kinds = [(kind, value) for kind, value, *_ in _tokens(text)]
    assert kinds[7:11] == [("KIND", "integer"), ("NAME", "min"), ("STRING", '"Min"'), ("_NL", "\n    ")]
    assert kinds[11:13] == [("MIN", "min"), ("SIGNED_NUMBER", "1")]
    assert [k for k, v in kinds[14:20]] == ["VALIDATE", "NAME", "LPAR", "NAME", "COMMA", "NUMBER"]


def test_a_longer_name_is_not_split_after_a_keyword():
    text = 'survey s\ngroup g "G"\n  single whenever "W"\n    when whenever == "a"\n    - a "A"\n'
    assert [(k, v) for k, v, *_ in _tokens(text)][7:13] == [
        ("KIND", "single"), ("NAME", "whenever"), ("STRING", '"W"'), ("_NL", "\n    "),
        ("WHEN", "when"), ("NAME", "whenever")]


def test_tokens_know_their_lines_and_columns_across_a_long_text():
    text = 'survey s\ngroup g "G"\n  display d """one\ntwo\n  three"""\n    when 1 > 0  # why\n'
    tokens = _tokens(text)
    long_text = next(t for t in tokens if t[0] == "LONG_STRING")
    assert long_text[2:] == (text.index('"""'), 3, 13, 5, 11, text.index('"""', text.index('"""') + 3) + 3)
    when = next(t for t in tokens if t[0] == "WHEN")
    assert when[2:7] == (text.index("when"), 6, 5, 6, 9)


def test_newlines_inside_parentheses_and_blank_lines_do_not_end_a_statement():
    text = '\n\n# intro\nsurvey s\n\n\ngroup g "G"\n  integer a "A"\n    when (1 > 0 and\n\n       2 > 1)\n'
    kinds = [k for k, *_ in _tokens(text)]
    assert kinds[:3] == ["SURVEY", "NAME", "_NL"]
    when = kinds.index("WHEN")
    assert "_NL" not in kinds[when:kinds.index("RPAR")]
    assert kinds.count("_NL") == 4


def test_the_input_ends_with_a_newline_even_when_the_file_does_not():
    for text, start in (('survey s\ngroup g "G"\n  integer a "A"', "start"), ("a + 1", "text_expr")):
        last = _tokens(text, start)[-1]
        assert last[:3] == ("_NL", "\n", len(text))


def test_a_keyword_glued_to_the_next_word_stops_the_lexer_there():
    lark, builder = parser._machinery()
    text = 'survey s\ngroup g "G"\n  array a "A"\n    scale 1 tox 5'
    with builder.reading(Source(text), []), pytest.raises(UnexpectedToken) as caught:
        lark.parse(text, start="start")
    assert caught.value.token.start_pos == text.index("x 5")


def test_an_error_expects_a_name_rather_than_every_keyword_a_name_may_be():
    _, diagnostics = check(Source(HEAD + '  integer a "A"\n    when not _x\n'))
    assert [d.message for d in diagnostics] == ["unexpected character '_'"]
    assert "a name" in diagnostics[0].hint and "'true'" not in diagnostics[0].hint


def test_an_unknown_character_and_a_misplaced_token_are_lark_errors():
    _, diagnostics = check(Source('survey s\ngroup g "G"\n  integer a "A" @\n'))
    assert [(d.code, d.span.line, d.span.column, d.message) for d in diagnostics] == [
        ("E101", 3, 17, "unexpected character '@'")]
    _, diagnostics = check(Source('survey s\ngroup g "G"\n  integer a "A" when\n'))
    assert [(d.code, d.span.column, d.message) for d in diagnostics] == [
        ("E101", 17, "'when' cannot stand here")]
