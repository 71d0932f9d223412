"""QDL's lexer against Lark's own.

The reference is Lark's contextual lexer with QDL's newline rules as a post-lexer
(what qengine used before `qengine.syntax.lexer`): on valid, mutated and random
files both must give the same model and the same diagnostics, located at the same
spots.
"""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lark import Lark, Token
from lark.exceptions import UnexpectedToken
from test_errors import _EXAMPLE_TEXTS, _QDL_ALPHABET, HEAD, mutated_surveys

import qengine
from qengine.span import Source
from qengine.syntax import parser
from qengine.syntax.loader import check
from qengine.syntax.transformer import ModelBuilder


class _NewlineRules:
    """QDL's newline rules as a Lark post-lexer: the reference for `QdlLexer`."""

    always_accept = ("_NL",)

    def process(self, stream):
        depth, after_newline, token, previous = 0, True, None, None
        for token in stream:
            if (previous is not None and token.start_pos == previous.end_pos and previous.type != "NAME"
                    and previous.value.isalpha() and (token.value[:1].isalnum() or token.value[:1] == "_")):
                raise UnexpectedToken(token, set())
            previous = token
            if token.type == "_NL":
                if depth > 0 or after_newline:
                    continue
                after_newline = True
            else:
                after_newline = False
                depth += token.type == "LPAR"
                depth -= token.type == "RPAR" and depth > 0
            yield token
        if not after_newline:
            yield Token("_NL", "\n", token.end_pos, token.end_line, token.end_column,
                        token.end_line, token.end_column, token.end_pos)


@functools.cache
def _reference_machinery():
    builder = ModelBuilder(parser._parse_embedded)
    lark = Lark(parser.grammar_text(), parser="lalr", lexer="contextual", postlex=_NewlineRules(),
                start=["start", "text_expr"], keep_all_tokens=True, maybe_placeholders=True,
                transformer=builder)
    return lark, builder


def _outcome(text: str):
    survey, diagnostics = check(Source(text, "t.qdl"))
    return survey, [(d.code, d.message, d.hint, d.span) for d in diagnostics]


def _same_as_reference(text: str, monkeypatch) -> None:
    ours = _outcome(text)
    with monkeypatch.context() as patch:
        patch.setattr(parser, "_machinery", _reference_machinery)
        reference = _outcome(text)
    assert ours == reference


@pytest.mark.parametrize("index", range(len(_EXAMPLE_TEXTS)))
def test_the_example_surveys_read_as_with_larks_own_parser(index, monkeypatch):
    _same_as_reference(_EXAMPLE_TEXTS[index], monkeypatch)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(mutated_surveys(),
                 st.text(max_size=300),
                 st.lists(_QDL_ALPHABET, max_size=60).map("".join),
                 st.lists(_QDL_ALPHABET, max_size=40).map(lambda words: HEAD + "".join(words))))
@example(HEAD + '  integer a "A"\n    when not _x\n')  # keywords that a name may be: not listed
def test_broken_surveys_read_as_with_larks_own_parser(monkeypatch, text):
    _same_as_reference(text, monkeypatch)


def test_the_reference_survey_reads_as_with_larks_lexer(monkeypatch):
    text = (Path(qengine.__file__).parents[1] / "surveys" / "gp_backup.qdl").read_text("utf-8")
    _same_as_reference(text, monkeypatch)
