"""`QdlLALR` runs Lark's parse table; Lark's own loop is its reference.

On small grammars with what QDL's has (inlined `?rules`, repetitions, optional
parts) and what it has not (an empty rule), with and without every token kept,
both loops must build the same tree from any input, or raise the same error at
the same token expecting the same terminals. The QDL grammar itself is held to
Lark's loop by the differential tests of `test_against_lark.py`.
"""

from __future__ import annotations

import functools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lark import Lark
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from qengine.span import Source
from qengine.syntax import parser
from qengine.syntax.lalr import QdlLALR

GRAMMAR = r"""
start: statement* finish
statement: NAME "=" value ";"          -> assign
         | "print" [value ("," value)*] ";"
finish:                                  // empty: reduced with no children
      | "."
?value: sum
?sum: product
    | sum ADD product
?product: atom
        | product "*" atom
?atom: NUMBER
     | NAME
     | NAME "(" value ")"               -> call
     | "(" value ")"
     | "-" atom                         -> neg
ADD: "+" | "-"
%import common.CNAME -> NAME
%import common.INT -> NUMBER
%ignore " "
"""
_WORDS = ("x", "y", "print", "=", ";", ",", ".", "+", "-", "*", "(", ")", "1", "22", " ", "f")


@functools.cache
def _parsers(keep_all_tokens: bool) -> tuple[Lark, Lark]:
    options = dict(parser="lalr", keep_all_tokens=keep_all_tokens, maybe_placeholders=True)
    return Lark(GRAMMAR, **options), Lark(GRAMMAR, _plugins={"LALR_Parser": QdlLALR}, **options)


def _outcome(lark: Lark, text: str):
    try:
        return "tree", lark.parse(text)
    except UnexpectedToken as err:
        # state numbers differ from one build of a table to the next: the depth does not
        return "token", err.token.type, err.token.start_pos, sorted(err.expected), len(err.state.state_stack)
    except UnexpectedCharacters as err:
        return "characters", err.pos_in_stream


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=30).map("".join), st.booleans())
@example("x = 1 + 2 * (y - 3); print; print f(x), -1; .", False)
@example("print 1 2;", True)
@example("", False)
def test_the_same_tree_or_the_same_error_as_larks_loop(text, keep_all_tokens):
    larks, ours = _parsers(keep_all_tokens)
    assert _outcome(ours, text) == _outcome(larks, text)


def test_an_empty_rule_and_inlined_rules_build_what_lark_builds():
    larks, ours = _parsers(False)
    tree = ours.parse("x = (1);")
    assert tree == larks.parse("x = (1);")
    assert [child.data for child in tree.children] == ["assign", "finish"]
    assert tree.children[1].children == []


def test_error_recovery_is_larks_own():
    """`on_error` resumes Lark's interactive parser, so it runs Lark's own loop."""
    seen = []

    def skip(err: UnexpectedInput) -> bool:
        seen.append(err.token.type)
        return True

    larks, ours = (lark.parse("x = 1; print ) ; y = 2;", on_error=skip) for lark in _parsers(False))
    assert ours == larks and len(ours.children) == 4  # two assignments, a print, the finish
    assert seen == ["RPAR", "RPAR"]


def test_qdl_runs_on_this_loop():
    lark = parser.lark_parser()
    assert isinstance(lark.parser.parser, QdlLALR)


@pytest.mark.parametrize("text", ["", "survey", 'survey s\ngroup g "G"\n  single q "Q"\n    - a "A" when\n'])
def test_a_qdl_error_carries_the_state_the_parser_stopped_in(text):
    lark = parser.lark_parser()
    builder = parser._machinery()[1]
    with builder.reading(Source(text), []), pytest.raises(UnexpectedInput) as caught:
        lark.parse(text, start="start")
    state = caught.value.state
    assert set(caught.value.expected) <= set(state.parse_conf.states[state.position])
