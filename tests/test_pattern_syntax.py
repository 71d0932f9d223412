"""The one reading of an author pattern (qengine/expr/pattern_syntax.py), which the
JavaScript and RE2 writers and lint's solver walk. Their agreement with Python's
`re` is tested where each is used (tests/test_to_js.py, tests/test_hostile_values.py,
tests/test_lint_rules.py's dead ends)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qengine.expr.pattern_syntax import (
    CAPTURE,
    NAMED,
    PLAIN,
    Alternation,
    Anchor,
    Backref,
    Char,
    CharClass,
    Dot,
    Group,
    Range,
    Repeat,
    Shorthand,
    UnsupportedPattern,
    parse,
)

ROOT = Path(__file__).resolve().parents[1]


def only(pattern: str):
    """The nodes of a pattern with no top-level `|`."""
    (branch,) = parse(pattern).root.branches
    return branch


def test_characters_escapes_and_classes():
    assert only(r"a\.\x41\N{DIGIT ONE}\0") == (Char("a"), Char("."), Char("A"), Char("1"), Char("\0"))
    assert only(r"[^a-z\d\W\b-]") == (CharClass(True, (Range("a", "z"), Shorthand("d"), Shorthand("W"),
                                                        Char("\b"), Char("-"))),)
    assert only(r"[]a]") == (CharClass(False, (Char("]"), Char("a"))),)
    assert only(r"x{2") == (Char("x"), Char("{"), Char("2"))  # not a quantifier: literal
    assert only(r".^$\A\Z\b\B") == (Dot(), *map(Anchor, "^$AZbB"))


def test_groups_repeats_and_alternatives():
    assert parse("a|b").root == Alternation(((Char("a"),), (Char("b"),)))
    assert only(r"(?:a)*?(?P<n>b){,3}(?P=n)\1") == (
        Repeat(Group(PLAIN, Alternation(((Char("a"),),))), 0, None, "*", lazy=True),
        Repeat(Group(NAMED, Alternation(((Char("b"),),)), "n"), 0, 3, "{0,3}"),
        Backref("n"), Backref("1"))
    assert only("(a)(?=b)(?#note)") == (Group(CAPTURE, Alternation(((Char("a"),),))),
                                        Group("?=", Alternation(((Char("b"),),))))
    assert only("a{2,}b{3}") == (Repeat(Char("a"), 2, None, "{2,}"), Repeat(Char("b"), 3, 3, "{3}"))


def test_global_flags_and_verbose_mode():
    pattern = parse("(?xi) a + # a comment\n b")
    assert pattern.flags == {"x", "i"}
    assert pattern.root.branches == ((Repeat(Char("a"), 1, None, "+"), Char("b")),)


@pytest.mark.parametrize("pattern", ["(?i:a)", "(?>a)", "(a)(?(1)b|c)", "a*+", "(" * 101 + ")" * 101])
def test_what_no_consumer_can_express_is_refused(pattern):
    with pytest.raises(UnsupportedPattern):
        parse(pattern)


def test_an_invalid_pattern_is_pythons_error():
    with pytest.raises(re.error):
        parse("(a")


def test_no_module_reads_patterns_with_pythons_private_parser():
    for path in (ROOT / "qengine").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert "import _parser" not in source and "sre_parse" not in source, path
