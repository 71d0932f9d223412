"""Lark's LALR(1) parse table for QDL, run by a tighter loop.

Lark reads `grammars/qdl.lark`, computes the LALR(1) table and wraps the model
builder's methods as the rules' callbacks; `QdlLALR` is plugged in through Lark's
`_plugins` hook (the one lark-cython uses) and only runs that table. A large survey
makes a quarter of a million reductions, and Lark's own loop spends more time on
each than the model builder does:

- a reduction's rule is looked up, compared (`assert arg != end_state` calls the
  rule's Python `__eq__`) and followed to its left-hand side, whose name is one of
  the grammar's tokens, so finding the next state calls a Python `__eq__` again;
- half the reductions are the unit steps of the precedence chain
  (`?expr: or_test`), which only hand their one child up through a wrapper.

Here an action is an int (a shift: the next state; a reduction: the rule's index,
complemented), names are plain strings, a rule is a tuple, and a unit step calls
nothing. What the callbacks receive and what errors carry is what Lark's loop gives
them: the same child lists, and Lark's `UnexpectedToken` with a `ParserState` whose
stack is this loop's, which the lexer reads to know which terminals may come next.
"""

from __future__ import annotations

import functools

from lark.exceptions import UnexpectedToken
from lark.lexer import Token
from lark.parse_tree_builder import ExpandSingleChild
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_parser import LALR_Parser
from lark.parsers.lalr_parser_state import ParseConf, ParserState

END = "$END"


class _Table:
    """The parse table as the loop reads it."""

    def __init__(self, parse_table, callbacks):
        rules: dict[object, int] = {}
        #: state -> {terminal or rule name: next state, or ~index of the rule to reduce}
        self.actions: dict[int, dict[str, int]] = {
            state: {str(name): arg if action is Shift else ~rules.setdefault(arg, len(rules))
                    for name, (action, arg) in row.items()}
            for state, row in parse_table.states.items()}
        #: index -> (length of its right-hand side, callback or None for a unit step, its name)
        self.rules: list[tuple[int, object, str]] = [None] * len(rules)
        for rule, index in rules.items():
            size, callback = len(rule.expansion), callbacks[rule]
            unit = size == 1 and isinstance(callback, ExpandSingleChild)
            self.rules[index] = (size, None if unit else callback, str(rule.origin.name))


class QdlLALR(LALR_Parser):
    """Lark's LALR parser with `parse` running the table in `_Table`'s form."""

    @functools.cached_property
    def _table(self) -> _Table:
        return _Table(self.parser.parse_table, self.parser.callbacks)

    def parse(self, lexer, start, on_error=None):
        if on_error is not None:  # Lark's error recovery resumes Lark's own loop
            return super().parse(lexer, start, on_error)
        conf = ParseConf(self.parser.parse_table, self.parser.callbacks, start)
        state = ParserState(conf, lexer)
        states, values = state.state_stack, state.value_stack
        actions, rules = self._table.actions, self._table.rules
        end_state = conf.end_state
        for token in _ended(lexer.lex(state)):
            kind = token.type
            while True:
                action = actions[states[-1]].get(kind)
                if action is None:
                    raise _unexpected(token, state)
                if action >= 0:
                    states.append(action)
                    values.append(token)
                    break
                size, callback, name = rules[~action]
                if callback is None:  # a unit step: the child stands for the rule
                    states[-1] = actions[states[-2]][name]
                else:
                    _reduce(states, values, size, callback)
                    states.append(actions[states[-1]][name])
                if kind == END and states[-1] == end_state:  # the end is never shifted
                    return values[-1]


def _ended(tokens):
    """The tokens, then the end of the input, placed where the last token ends."""
    token = None
    for token in tokens:
        yield token
    yield Token.new_borrow_pos(END, "", token) if token is not None else Token(END, "", 0, 1, 1)


def _reduce(states: list, values: list, size: int, callback) -> None:
    """Replace the rule's right-hand side on both stacks by the callback's value
    (the caller pushes the state that follows)."""
    if size:
        children = values[-size:]
        del states[-size:], values[-size:]
    else:
        children = []
    values.append(callback(children))


def _unexpected(token: Token, state: ParserState) -> UnexpectedToken:
    expected = {name for name in state.parse_conf.states[state.position] if name.isupper()}
    return UnexpectedToken(token, expected, state=state)
