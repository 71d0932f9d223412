"""Bad survey files: every error code, where it points, what it says, and the
guarantee that no input whatsoever makes loading fail with anything but QdlError."""

from __future__ import annotations

import contextlib
import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import qengine
from qengine.errors import EXCERPT_WIDTH, QdlError
from qengine.span import Source
from qengine.syntax import transformer
from qengine.syntax.loader import check

EXAMPLES = sorted(Path(__file__).parents[1].glob("surveys/**/*.qdl"))
HEAD = 'survey s "S"\ngroup g "G"\n'


def diagnose(text: str, path: str = "bad.qdl"):
    survey, diagnostics = check(Source(text, path))
    assert survey is None and diagnostics, "expected errors"
    return diagnostics


def only(text: str):
    diagnostics = diagnose(text)
    assert len(diagnostics) == 1, [d.format() for d in diagnostics]
    return diagnostics[0]


def caret(diagnostic, text: str) -> tuple[str, int, int]:
    """The quoted source line, and the column and width of the carets under it."""
    lines = diagnostic.format(Source(text, "bad.qdl")).splitlines()
    quoted, marks = lines[1], lines[2]
    gutter = quoted.index("|") + 2
    assert marks.index("|") + 2 == gutter
    first = len(marks) - len(marks[gutter:].lstrip())
    return quoted[gutter:], first - gutter + 1, len(marks.strip(" |"))


# (id, file text, code, line, column, what the carets cover, words of the message)
CASES = [
    ("E101-assign", HEAD + '  integer a "A"\n    when a = 1\n', "E101", 4, 12, "=", "'=' is not an operator"),
    ("E101-token", HEAD + '  integer a "A"\n    min 1 2\n', "E101", 4, 11, "2", "unexpected number '2'"),
    ("E101-early", HEAD + '  integer a "A"\n    when a ==\n', "E101", 4, 14, None, "ends too early"),
    ("E101-brace-outside-text", HEAD + '  integer a "A"\n    when {a} == 1\n', "E101", 4, 10, "{",
     "only allowed inside text"),
    ("E101-paren-never-closed", HEAD + '  integer a "A"\n    when (a == 1\n  integer b "B"\n', "E101", 4, 10,
     "(", "'(' is never closed"),
    ("E101-paren-at-end", HEAD + '  integer a "A"\n    when (a == 1\n', "E101", 4, 10, "(",
     "'(' is never closed"),
    ("E101-paren-too-many", HEAD + '  integer a "A"\n    when a == 1)\n', "E101", 4, 16, ")", "unexpected ')'"),
    ("E101-option-outside-a-question", HEAD + '  - x "X"\n', "E101", 3, 3, "-", "unexpected '-'"),
    ("E101-glued-mid-line", HEAD + '  integer a "A"\n  integer b "B"\n    when a == 1 orb == 2\n', "E101", 5, 17,
     "orb", "unexpected word 'orb'"),
    ("E102-string", HEAD + '  integer a "A\n', "E102", 3, 13, '"', "string is never closed"),
    ("E102-triple", HEAD + '  display d """A\n  integer a "A"\n', "E102", 3, 13, '"""', "text is never closed"),
    ("E103-unknown", HEAD + '  integer a "A"\n    maximum 3\n', "E103", 4, 5, "maximum", "unknown keyword 'maximum'"),
    ("E103-glued", HEAD + '  integer a "A"\n    whena == 1\n', "E103", 4, 5, "whena", "unknown keyword 'whena'"),
    ("E104-unclosed", HEAD + '  display d "Hello {name"\n', "E104", 3, 20, "{", "no matching '}'"),
    ("E104-stray", HEAD + '  display d "Hello } there"\n', "E104", 3, 20, "}", "closes nothing"),
    ("E104-empty", HEAD + '  display d "Hello {}"\n', "E104", 3, 20, "{}", "empty '{}'"),
    ("E105", HEAD + '  integer a_b "A"\n', "E105", 3, 11, "a_b", "may hold only letters and digits"),
    ("E106", HEAD + '  integer a "A"\n  display d "{a.shwon}"\n', "E106", 4, 17, "shwon", "unknown attribute '.shwon'"),
    ("E107", HEAD + '  text t "T"\n    pattern "[a-"\n', "E107", 4, 13, '"[a-"', "not a valid regular expression"),
    ("E107-linear", HEAD + '  text t "T"\n    pattern "(a)\\1"\n', "E107", 4, 13, '"(a)\\1"',
     "cannot be matched in linear time"),
    ("E107-regexMatch", HEAD + '  text t "T"\n  display d "D"\n    when regexMatch("[a-", t)\n', "E107", 5, 21,
     '"[a-"', "not a valid regular expression"),
    ("E108", HEAD + '  array a "A"\n    row r "R"\n    column c "C"\n    scale 5 to 1\n', "E108", 6, 5, "scale 5 to 1",
     "scale runs"),
    ("E109", 'survey s "S"\nformat pages\ngroup g "G"\n  display d "D"\n', "E109", 2, 1, "format pages",
     "unknown format 'pages'"),
    ("E110", HEAD + '  integer a "A"\n  display d "D"\n    when ' + " + ".join(["a"] * 101) + ' > 1\n', "E110", 5, 10,
     " + ".join(["a"] * 101) + " > 1", "nests more than 100 levels deep"),
    ("E111-digits", HEAD + '  integer a "A"\n    max ' + "9" * 4301 + '\n', "E111", 4, 9, "9" * 4301,
     "is too large"),
    ("E111-infinite", HEAD + '  decimal a "A"\n    min -' + "1" * 400 + '.5\n', "E111", 4, 9, "-" + "1" * 400 + ".5",
     "is too large"),
    ("E111-magnitude", HEAD + '  integer a "A"\n  display d "D"\n    when a > 9007199254740992\n', "E111", 5, 14,
     "9007199254740992", "is too large"),
    ("E201-attribute", HEAD + '  single a "A"\n    - x "X"\n    maxlength 3\n', "E201", 5, 5, "maxlength 3",
     "'maxlength' is not allowed in a single-choice question"),
    ("E201-exclusive", HEAD + '  single a "A"\n    - x "X" exclusive\n', "E201", 4, 5, '- x "X" exclusive',
     "only options of a multiple choice can be exclusive"),
    ("E202-question", HEAD + '  integer a "A"\n    min 1\n    min 2\n', "E202", 5, 5, "min 2", "'min' is given twice"),
    ("E202-group", HEAD + '  description "x"\n  description "y"\n  display d "D"\n', "E202", 4, 3,
     'description "y"', "given twice for a group"),
    ("E202-option", HEAD + '  integer a "A"\n  single b "B"\n    - x "X" when a > 1 when a > 2\n', "E202", 5, 24,
     "when a > 2", "'when' is given twice for the option 'x'"),
    ("E203", HEAD + '  single a "A"\n    - x "X"\n    - x "Y"\n', "E203", 5, 5, '- x "Y"', "option code 'x' is used twice"),
    ("E204", HEAD + '  integer a\n', "E204", 3, 11, "a", "'a' has no text"),
    ("E205-options", HEAD + '  single a "A"\n', "E205", 3, 10, "a", "needs options"),
    ("E205-columns", HEAD + '  array a "A"\n    row r "R"\n', "E205", 3, 9, "a", "needs columns"),
    ("E205-value", HEAD + '  equation e\n', "E205", 3, 12, "e", "has no value"),
    ("E206", HEAD + '  integer a "A"\n    default "x"\n', "E206", 4, 5, 'default "x"', "must be a number"),
    ("E207-question", HEAD + '  integer a "A"\n  integer a "B"\n', "E207", 4, 3, 'integer a "B"',
     "'a' is already used (line 3)"),
    ("E207-group", HEAD + '  display d "D"\ngroup g "again"\n  display e "E"\n', "E207", 4, 1, 'group g "again"',
     "group code 'g' is already used"),
    ("E210", HEAD + '  integer age1 "A"\n  display d "D"\n    when agel > 1\n', "E210", 5, 10, "agel",
     "unknown question 'agel'"),
    ("E211-simple", HEAD + '  integer a "A"\n  display d "{a_x}"\n', "E211", 4, 15, "a_x",
     "'a' is an integer question and has no parts"),
    ("E211-grid-row", HEAD + '  grid g2 "G"\n    row r "R"\n    column c "C"\n  display d "{g2_r}"\n', "E211", 6, 15,
     "g2_r", "names a whole row"),
    ("E212", HEAD + '  multiple m "M"\n    - cat "Cat"\n  display d "{m_cta}"\n', "E212", 5, 15, "m_cta",
     "'m' has no option 'cta'"),
    ("E213", HEAD + '  multiple m "M"\n    - x "X"\n  display d "D"\n    when m == "x"\n', "E213", 6, 10, "m",
     "it has no single value"),
    ("E214", HEAD + '  integer a "A"\n  display d "{summ(a)}"\n', "E214", 4, 15, "summ(a)", "unknown function 'summ'"),
    ("E215", HEAD + '  integer a "A"\n  display d "{strlen(a, a)}"\n', "E215", 4, 15, "strlen(a, a)",
     "strlen() takes 1 argument, not 2"),
    ("E216", HEAD + '  single a "A"\n    default "z"\n    - x "X"\n', "E216", 4, 5, 'default "z"',
     "the default 'z' is not an option of 'a'"),
    ("E217-attribute", HEAD + '  integer a "A"\n  display d "{listifop(\'qid\', \'==\', 1, \'code\', \',\', \'a\')}"\n',
     "E217", 4, 24, "'qid'", "unknown attribute 'qid'"),
    ("E217-question", HEAD + '  integer a "A"\n  display d "{listifop(\'value\', \'>\', 1, \'code\', \',\', a)}"\n',
     "E217", 4, 54, "a", "names each question in quotes"),
    ("E220", HEAD + '  integer a "A"\n    when b > 1\n  integer b "B"\n    when a > 1\n', "E220", 3, 3,
     'integer a "A"', "circular dependency between 'a', 'b'"),
]


@pytest.mark.parametrize(("text", "code", "line", "column", "marked", "words"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_error_code_place_and_caret(text, code, line, column, marked, words):
    d = only(text)
    assert (d.code, d.span.line, d.span.column) == (code, line, column), d.format(Source(text, "bad.qdl"))
    assert words in d.message
    head = d.format().splitlines()[0]
    assert head.startswith(f"bad.qdl:{line}:{column}: error[{code}]: ")
    if marked is not None:
        quoted, first, width = caret(d, text)
        whole = text.splitlines()[line - 1]
        if len(whole) > EXCERPT_WIDTH:  # a long line is quoted around the place, cut with "…"
            quoted, marked = quoted.removesuffix("…"), marked[:width]
            whole = whole[:len(quoted)]
        assert quoted == whole
        assert (first, quoted[first - 1 : first - 1 + width]) == (column, marked)


def test_every_code_the_core_raises_is_covered():
    """A new error code of loading gets a case above (E000 and E200 are internal
    safety nets)."""
    package = Path(qengine.__file__).parent
    sources = [package / "model" / "graph.py", *package.glob("syntax/*.py")]
    raised = {m for p in sources for m in re.findall(r'"(E[0-9]{3})"', p.read_text("utf-8"))}
    covered = {case[2] for case in CASES} | {"E000", "E001", "E002", "E200"}
    assert raised <= covered, sorted(raised - covered)


# ------------------------------------------------------------------ hints

@pytest.mark.parametrize(("text", "hint"), [
    (HEAD + '  integer age1 "A"\n  display d "{agel}"\n', "did you mean 'age1'?"),
    (HEAD + '  integer a "A"\n    mandatroy\n', "did you mean 'mandatory'?"),
    (HEAD + '  integer a "A"\n    when a = 1\n', "to compare, write '=='"),
    (HEAD + '  integer a "A"\n  display d "{a.shwon}"\n', "did you mean 'shown'?"),
    (HEAD + '  integer a "A"\n  display d "{lenght(a)}"\n', "known functions:"),
    (HEAD + '  integer a "A"\n  display d "{summ(a)}"\n', "did you mean 'sum'?"),
    (HEAD + '  multiple m "M"\n    - x "X"\n  display d "D"\n    when m == "x"\n', "m_x is \"Y\" when ticked"),
    (HEAD + '  single a "A"\n    row r "R"\n', "choices are written '- code \"label\"'"),
    (HEAD + '  integer a_b "A"\n', "try 'ab'"),
    (HEAD + '  single a "A"\n    default "z"\n    - x "X"\n    - y "Y"\n', "its options are: x, y"),
    (HEAD + '  single a "A"\n    default "yse"\n    - yes "Yes"\n    - no "No"\n', "did you mean 'yes'?"),
    (HEAD + '  multiple m "M"\n    - cat "Cat"\n  display d "{m_zebra}"\n', "its options are: cat"),
    (HEAD + '  display d "Hello {name"\n', "write \\{ for a brace itself"),
    (HEAD + '  integer a "A\n', '"""triple quotes"""'),
    (HEAD + '  integer a "A"\n    when b > 1\n  integer b "B"\n    when a > 1\n',
     "the condition of 'a' -> the value of 'b' -> the condition of 'b' -> the value of 'a' -> the condition of 'a'"),
])
def test_hints_teach(text, hint):
    assert any(hint in (d.hint or "") for d in diagnose(text)), [d.format() for d in diagnose(text)]


def test_a_keyword_in_the_wrong_place_is_not_called_unknown():
    d = only(HEAD + '  integer a "A"\n    when (a == 1\n    and a == 2\n  single b "B"\n    - x "X"\n')
    assert d.message == "this '(' is never closed"


# ------------------------------------------------------------------ several errors in one run

def test_every_syntax_error_of_a_file_is_reported_in_one_run():
    text = HEAD + textwrap.dedent('''\
          integer a "A"
            when a = 1
          integer b "B
          text c "C"
            maxlenght 3
          single d "D {d"
            - x "X"
          integer e "E"
            when (e == 1
          display f "F"
        ''')
    found = [(d.code, d.span.line) for d in diagnose(text)]
    assert found == [("E101", 4), ("E102", 5), ("E103", 7), ("E104", 8), ("E101", 11)]


def test_every_semantic_error_of_a_file_is_reported_in_one_run():
    text = HEAD + textwrap.dedent('''\
          integer a "A"
            min 1
            min 2
          single b "B"
            - x "X" exclusive
          display c "C {nope}"
            when b == "x" and a_x == 1
          integer a "again"
        ''')
    found = [(d.code, d.span.line) for d in diagnose(text)]
    assert found == [("E202", 5), ("E201", 7), ("E210", 8), ("E211", 9), ("E207", 10)]


def test_name_errors_are_reported_beside_syntax_errors():
    text = HEAD + textwrap.dedent('''\
          integer age "A"
            when age = 1
          multiple m "M"
            - cat "Cat"
          display d "{summ(age)}"
            when m_cta == "Y"
        ''')
    found = [(d.code, d.span.line) for d in diagnose(text)]
    assert found == [("E101", 4), ("E214", 7), ("E212", 8)]


def test_a_line_left_out_after_a_syntax_error_explains_the_names_it_defines():
    """The option `cat` and the value of `total` are left out: that `m_cat` and
    `total` look unknown is their doing, not an error of its own; `nope` is."""
    text = HEAD + textwrap.dedent('''\
          multiple m "M"
            - cat "Cat" when = 1
          equation total
            value sum(1, 2 3)
          display d "{total} {m_cat}"
            when m_cat == "Y" and nope > 1
        ''')
    found = [(d.code, d.span.line) for d in diagnose(text)]
    assert found == [("E101", 4), ("E101", 6), ("E210", 8)]
    # A lost line that may be a heading may have defined any name: none is said.
    text = HEAD + '  integer age "A" @\n  display d "{age}"\n    when nope > 1\n'
    assert [(d.code, d.span.line) for d in diagnose(text)] == [("E101", 3)]


# Characters that can only break a line, never make another valid one ('=' could:
# `{s==ize}`).
_BREAKERS = st.sampled_from(list("@)\"!"))


@st.composite
def broken_examples(draw):
    """A valid example survey with one to three characters that break its syntax
    inserted: every name it uses is defined, so nothing but syntax can be wrong."""
    text = draw(st.sampled_from(_SMALL_TEXTS))
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        text = text[:i] + draw(_BREAKERS) + text[i:]
    return text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_examples())
def test_syntax_errors_bring_no_name_error_of_their_own(text):
    _, diagnostics = check(Source(text, "broken.qdl"))
    assert all(d.code < "E200" for d in diagnostics), [d.format(Source(text, "broken.qdl")) for d in diagnostics]


def test_errors_come_in_the_order_of_the_file():
    text = HEAD + '  display z "{zz}"\n  display y "{yy}"\n  display x "{xx}"\n'
    assert [d.span.line for d in diagnose(text)] == [3, 4, 5]


def test_cycles_are_checked_once_everything_else_is_right():
    text = HEAD + '  integer a "A"\n    when b > 1\n  integer b "B"\n    when a > 1\n  display d "{nope}"\n'
    assert [d.code for d in diagnose(text)] == ["E210"]


def test_a_cycle_names_every_question_in_it():
    text = HEAD + textwrap.dedent('''\
          equation x
            value z + 1
          equation y
            value x + 1
          equation z
            value y + 1
          integer free "Not in the cycle"
        ''')
    d = only(text)
    assert d.message == "circular dependency between 'x', 'y', 'z'"
    assert d.hint == ("the value of 'x' -> the value of 'z' -> the value of 'y' -> the value of 'x': "
                      "none of them can be computed first")


def test_self_dependency():
    d = only(HEAD + '  integer a "A"\n    validate a > 1 message "m"\n  display d "D"\n    when d.visible\n')
    assert d.message == "'d' depends on itself"


def test_many_broken_lines_are_capped():
    text = HEAD + "".join(f'  integer q{i} "Q"\n    when q{i} = 1\n' for i in range(40))
    assert len(diagnose(text)) == 20


# ------------------------------------------------------------------ files

def test_missing_file():
    with pytest.raises(QdlError) as caught:
        qengine.load("no/such/survey.qdl")
    (d,) = caught.value.diagnostics
    assert (d.code, d.span.path, d.span.line) == ("E001", "no/such/survey.qdl", 1)
    assert "cannot read the file" in d.message


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "latin1.qdl"
    path.write_bytes('survey s "Été"\n'.encode("latin-1"))
    with pytest.raises(QdlError) as caught:
        qengine.load(path)
    (d,) = caught.value.diagnostics
    assert (d.code, d.span.line, d.span.column) == ("E002", 1, 11)
    assert d.hint == "save it as UTF-8 in your editor"


def test_text_with_a_nul_character():
    d = only('survey s "S"\x00\n')
    assert (d.code, d.span.column) == ("E002", 13)


def test_an_internal_failure_is_reported_not_raised(monkeypatch):
    """The safety net: a bug in the model builder becomes E000, never a traceback."""
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(transformer, "_build_question", broken)
    d = only('survey s "S"\ngroup g "G"\n  integer a "A"\n')
    assert d.code == "E000" and "boom" in d.message


def test_qdl_error_lists_every_diagnostic():
    with pytest.raises(QdlError) as caught:
        qengine.load(HEAD + '  display a "{x}"\n  display b "{y}"\n')
    message = str(caught.value)
    assert "<string>:3:15: error[E210]: unknown question 'x'" in message
    assert "<string>:4:15: error[E210]: unknown question 'y'" in message
    assert ' 3 |   display a "{x}"\n   |               ^' in message


# ------------------------------------------------------------------ nothing but QdlError, ever

def _load_only_fails_with_qdl_error(text: str) -> None:
    source = Source(text, "fuzz.qdl")
    survey, diagnostics = check(source)
    assert (survey is None) == bool(diagnostics)
    for d in diagnostics:
        assert d.code.startswith("E") and d.code != "E000", d.format(source)
        assert 0 <= d.span.start <= len(source.text) and d.span.line >= 1
        d.format(source)
    with contextlib.suppress(QdlError):
        qengine.load(text)


_EXAMPLE_TEXTS = [p.read_text("utf-8") for p in EXAMPLES]
_SMALL_TEXTS = [t for t in _EXAMPLE_TEXTS if len(t) < 6000] or _EXAMPLE_TEXTS


@st.composite
def mutated_surveys(draw):
    """An example survey with characters or lines deleted, duplicated or swapped."""
    text = draw(st.sampled_from(_SMALL_TEXTS))
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        operation = draw(st.sampled_from(["delete", "duplicate", "swap", "insert",
                                          "delete line", "duplicate line", "swap lines"]))
        i = draw(st.integers(0, max(0, len(text) - 1)))
        j = min(len(text), i + draw(st.integers(1, 20)))
        a, b = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
        if operation == "delete":
            text = text[:i] + text[j:]
        elif operation == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif operation == "swap" and j < len(text):
            text = text[:i] + text[j] + text[i + 1 : j] + text[i] + text[j + 1 :]
        elif operation == "insert":
            text = text[:i] + draw(st.sampled_from(list('"\'{}()\\#-=!\n\t _.,é\r'))) + text[i:]
        elif operation == "delete line":
            del lines[a]
            text = "\n".join(lines)
        elif operation == "duplicate line":
            lines.insert(a, lines[b])
            text = "\n".join(lines)
        elif operation == "swap lines":
            lines[a], lines[b] = lines[b], lines[a]
            text = "\n".join(lines)
    return text


_QDL_ALPHABET = st.sampled_from(list('survey group single multiple when and or not "\'{}()\\#-=<>!._,0123456789\n\t\r')
                                + ["integer", "text", "row", "column", "scale", "value", "validate", "message",
                                   '"""', "\\{", " a", " b", "mandatory", "- x \"X\""])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_surveys())
def test_mutated_surveys_fail_only_with_qdl_error(text):
    _load_only_fails_with_qdl_error(text)


@settings(max_examples=150, deadline=None)
@given(st.one_of(st.text(max_size=300),
                 st.lists(_QDL_ALPHABET, max_size=60).map("".join),
                 st.lists(_QDL_ALPHABET, max_size=40).map(lambda words: HEAD + "".join(words))))
def test_random_text_fails_only_with_qdl_error(text):
    _load_only_fails_with_qdl_error(text)


def test_examples_are_valid():
    """The fuzzing above starts from valid files."""
    assert EXAMPLES
    for path in EXAMPLES:
        qengine.load(path)


def test_an_expression_at_the_nesting_limit_works_in_every_backend():
    """E110 stops what would exhaust a backend; what it lets through must work
    everywhere: evaluation, wording, lint and path statistics, export, both forms."""
    import json

    from qengine_renderers.html.renderer import HtmlRenderer
    from qengine_renderers.printable import PrintableRenderer

    from qengine.export import survey_json
    from qengine.expr import ast
    from qengine.lint import lint_survey
    from qengine.lint.stats import path_statistics
    from qengine.runtime import Session
    from qengine.syntax.transformer import MAX_NESTING

    half = MAX_NESTING // 2
    survey = qengine.load(HEAD + '  integer a "A"\n'
                          f'  display d "Sum: {{{" + ".join(["a"] * half)}}}"\n'
                          f'    when {"not " * (half - 2)}({" or ".join(f"a == {i}" for i in range(half + 1))})\n'
                          f'  equation e\n    value {" + ".join(["a"] * MAX_NESTING)}\n')
    session = Session(survey)
    session.answer("a", 3)
    assert session.value(ast.Var("e", question="e")) == 3 * MAX_NESTING
    assert session.preview("d").text == f"Sum: {3 * half}"
    assert session.is_visible("d")  # an even number of "not" over a true "or"
    codes = {f.code for f in lint_survey(survey)}
    assert "D302" in codes and "R190" not in codes  # decided, not given up on
    assert (path_statistics(survey).fewest, path_statistics(survey).most) == (1, 1)
    json.dumps(survey_json(survey))
    assert "Sum:" in HtmlRenderer().render(survey, "html", post_url="/responses")
    assert "Sum:" in PrintableRenderer().render(survey, "html")
