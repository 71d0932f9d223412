"""Example strings for a text pattern: what a witness types in a text question
whose answers must match a regular expression.

A short string is built from the parsed pattern (`re._parser`, the parser `re`
itself uses), once preferring letters and once digits, and kept only if the
pattern really matches it; constructs it does not know give no example.
"""

from __future__ import annotations

import re
from re import _constants as c
from re import _parser

from qengine.expr import regex

_TRIES = "axA0 1b-_.@"
_CATEGORIES = {
    c.CATEGORY_DIGIT: str.isdigit,
    c.CATEGORY_NOT_DIGIT: lambda ch: not ch.isdigit(),
    c.CATEGORY_SPACE: str.isspace,
    c.CATEGORY_NOT_SPACE: lambda ch: not ch.isspace(),
    c.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
    c.CATEGORY_NOT_WORD: lambda ch: not (ch.isalnum() or ch == "_"),
}


def examples(pattern: str) -> list[str]:
    """Strings the pattern accepts in full (as the runtime matches them), letters
    first; may be empty."""
    try:
        tree = _parser.parse(pattern)
    except (re.error, RecursionError):
        return []
    out = []
    for prefer in ("a", "0"):
        try:
            s = _build(tree, prefer)
        except _Unknown:
            continue
        if s not in out and regex.fullmatch(pattern, s):
            out.append(s)
    return out


class _Unknown(Exception):
    pass


def _build(items, prefer: str) -> str:
    return "".join(_one(op, av, prefer) for op, av in items)


def _one(op, av, prefer: str) -> str:
    if op is c.LITERAL:
        return chr(av)
    if op is c.NOT_LITERAL:
        return next(ch for ch in prefer + _TRIES if ord(ch) != av)
    if op is c.ANY:
        return prefer
    if op is c.IN:
        for ch in prefer + _TRIES:
            if _in(ch, av):
                return ch
        raise _Unknown
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", None)):
        low, _, sub = av
        return _build(sub, prefer) * max(low, 0)
    if op is c.SUBPATTERN:
        return _build(av[-1], prefer)
    if op is c.ATOMIC_GROUP:
        return _build(av, prefer)
    if op is c.BRANCH:
        for alternative in av[1]:
            try:
                return _build(alternative, prefer)
            except _Unknown:
                continue
        raise _Unknown
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return ""
    raise _Unknown


def _in(ch: str, items) -> bool:
    negate = False
    found = False
    for op, av in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            found |= ord(ch) == av
        elif op is c.RANGE:
            found |= av[0] <= ord(ch) <= av[1]
        elif op is c.CATEGORY:
            test = _CATEGORIES.get(av)
            if test is None:
                raise _Unknown
            found |= test(ch)
        else:
            raise _Unknown
    return found != negate
