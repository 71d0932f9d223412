"""From QDL text to the survey model: every construct of the language lands in the
right place of the model, with spans that point back at the author's text."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import qengine
from qengine.expr import ast
from qengine.kinds import (
    Array,
    Display,
    Equation,
    FreeText,
    Grid,
    MultipleChoice,
    Number,
    SingleChoice,
    kind_of,
)
from qengine.kinds import kinds as registered_kinds
from qengine.span import Source
from qengine.syntax import parser
from qengine.syntax.loader import check


def load(body: str, header: str = 'survey s "S"\ngroup g "G"\n') -> qengine.Survey:
    """A survey from QDL text; `body` is dedented so tests can indent it."""
    return qengine.load(header + textwrap.dedent(body))


def question(body: str):
    return load(body).questions[-1]


def condition(expr: str, decls: str = "") -> ast.Expr:
    """The resolved AST of `expr` used as a condition, over a few declared questions."""
    decls = decls or """
        integer a "A"
        integer b "B"
        text t "T"
        multiple m "M"
          - x "X"
          - y "Y"
        """
    survey = load(decls + f'\ndisplay probe "P"\n  when {expr}\n')
    return survey.question("probe").condition


def var(name, question=None, *sub, attr="value"):
    return ast.Var(name, attr, None, question or name, tuple(sub))


def lit(value):
    return ast.Literal(value, None)


# ------------------------------------------------------------------ survey and groups

def test_survey_header():
    survey = qengine.load(textwrap.dedent('''\
        survey coffee "Coffee break"
        language fr
        format question
        welcome "Hello"
        end "Bye"
        group g "G"
          display d "D"
        '''))
    assert survey.code == "coffee"
    assert survey.title.parts == ("Coffee break",)
    assert survey.language == "fr"
    assert survey.format == "question"
    assert survey.welcome.parts == ("Hello",)
    assert survey.end.parts == ("Bye",)


def test_survey_defaults():
    survey = load('display d "D"')
    assert survey.title.parts == ("S",)
    assert (survey.language, survey.format, survey.welcome, survey.end) == ("en", "group", None, None)


def test_survey_title_is_optional():
    survey = qengine.load('survey s\ngroup g "G"\n  display d "D"\n')
    assert survey.title is None


def test_groups_hold_their_questions_in_order():
    survey = qengine.load(textwrap.dedent('''\
        survey s "S"
        group one "First"
          description "About {a}"
          integer a "A"
          integer b "B"
        group two "Second"
          when a > 1
          display c "C"
        '''))
    one, two = survey.groups
    assert (one.code, one.title.parts, one.questions) == ("one", ("First",), ("a", "b"))
    assert one.description.parts[0] == "About "
    assert one.description.parts[1] == var("a")
    assert one.condition is None
    assert two.condition == ast.Compare(">", var("a"), lit(1), None)
    assert [(q.code, q.group, q.number) for q in survey.questions] == [
        ("a", "one", 1), ("b", "one", 2), ("c", "two", 3)]


def test_a_survey_may_have_no_group():
    assert qengine.load("survey s\n").questions == ()


# ------------------------------------------------------------------ question kinds

def test_single_choice():
    q = question('''
        single pet "Do you have a pet?"
          mandatory
          help "Pick one."
          default no
          - yes "Yes"
          - no "No" when 1 == 1
        '''.replace("default no", 'default "no"'))
    assert isinstance(q, SingleChoice) and kind_of(q).name == "single"
    assert q.mandatory and q.help.parts == ("Pick one.",)
    assert q.default == "no"
    assert [(o.code, o.label.parts, o.exclusive) for o in q.options] == [
        ("yes", ("Yes",), False), ("no", ("No",), False)]
    assert q.options[0].condition is None
    assert q.options[1].condition == ast.Compare("==", lit(1), lit(1), None)


def test_multiple_choice_with_exclusive_option_and_bounds():
    q = question('''
        multiple pets "Which pets?"
          min 1
          max 2
          - cat "Cat"
          - dog "Dog" when 1 == 1
          - none "None" exclusive
          - other "Other" exclusive when 2 > 1
        ''')
    assert isinstance(q, MultipleChoice) and (q.min, q.max) == (1, 2)
    assert [o.exclusive for o in q.options] == [False, False, True, True]
    assert q.options[3].condition == ast.Compare(">", lit(2), lit(1), None)
    assert q.option("dog").condition is not None and q.option("nope") is None


def test_option_modifiers_in_either_order():
    q = question("""
        multiple m "M"
          - x "X" when 1 == 1 exclusive
          - y "Y" exclusive when 1 == 1
        """)
    assert [(o.exclusive, o.condition is not None) for o in q.options] == [(True, True), (True, True)]


def test_array_with_labelled_columns_and_row_conditions():
    q = question('''
        array agree "Do you agree?"
          column n "No"
          column y "Yes"
          column dk "Don't know"
          row a "Statement A"
          row b "Statement B" when 1 < 2
        ''')
    assert isinstance(q, Array)
    assert [(c.code, c.label.parts) for c in q.columns] == [
        ("n", ("No",)), ("y", ("Yes",)), ("dk", ("Don't know",))]
    assert [r.code for r in q.rows] == ["a", "b"]
    assert q.rows[0].condition is None and q.rows[1].condition is not None


def test_array_scale_makes_numbered_columns():
    q = question('''
        array confidence "How confident?"
          scale 1 to 5
          row security "Security"
        ''')
    assert [(c.code, c.label.parts) for c in q.columns] == [(str(n), (str(n),)) for n in range(1, 6)]


def test_column_label_defaults_to_its_code():
    q = question('''
        array ab "AB"
          column 0
          column 1 "One"
          row r "R"
        ''')
    assert [(c.code, c.label.parts) for c in q.columns] == [("0", ("0",)), ("1", ("One",))]


def test_grid_of_numbers():
    q = question('''
        grid counts "How many?"
          min 0
          max 6
          default 0
          row usb "USB keys"
          row disk "Disks"
          column local "On site"
          column away "Elsewhere"
        ''')
    assert isinstance(q, Grid) and kind_of(q).name == "grid"
    assert (q.min, q.max, q.default) == (0, 6, 0)
    assert [r.code for r in q.rows] == ["usb", "disk"]
    assert [c.code for c in q.columns] == ["local", "away"]


def test_integer_with_bounds_prefix_suffix_and_default():
    q = question('''
        integer every "Every how many years?"
          min 1
          max 20
          prefix "Every"
          suffix "years"
          default 5
        ''')
    assert isinstance(q, Number) and q.integer and kind_of(q).name == "integer"
    assert (q.min, q.max, q.default) == (1, 20, 5)
    assert q.prefix.parts == ("Every",) and q.suffix.parts == ("years",)


def test_decimal_with_negative_and_fractional_bounds():
    q = question('''
        decimal temp "Temperature"
          min -40.5
          max 60
          default 20.5
        ''')
    assert isinstance(q, Number) and not q.integer and kind_of(q).name == "decimal"
    assert (q.min, q.max, q.default) == (-40.5, 60, 20.5)


def test_text_with_maxlength_pattern_and_default():
    q = question(r'''
        text zip "Postcode"
          maxlength 5
          pattern "^\d{5}$"
          default "69000"
        ''')
    assert isinstance(q, FreeText) and not q.long and kind_of(q).name == "text"
    assert (q.max_length, q.pattern, q.default) == (5, r"^\d{5}$", "69000")


def test_pattern_drops_limesurvey_slashes():
    q = question(r'''
        text zip "Postcode"
          pattern "/^[0-9]{5}$/"
        ''')
    assert q.pattern == "^[0-9]{5}$"


def test_longtext():
    q = question('''
        longtext why "Why?"
          maxlength 500
        ''')
    assert isinstance(q, FreeText) and q.long and kind_of(q).name == "longtext"


def test_equation_has_a_value_and_no_text():
    survey = load('''
        integer a "A"
        equation twice
          value a * 2
        ''')
    q = survey.question("twice")
    assert isinstance(q, Equation) and not q.is_input and q.text is None
    assert q.value == ast.Binary("*", var("a"), lit(2), None)


def test_display():
    q = question('''
        display hello "Hello"
          help "More"
        ''')
    assert isinstance(q, Display) and not q.is_input and q.help.parts == ("More",)


def test_validations_keep_their_order_and_messages():
    q = question('''
        integer a "A"
          validate a > 0
            message "Positive, please"
          validate a < 10 message "Below {10}"
        ''')
    first, second = q.validations
    assert first.rule == ast.Compare(">", var("a"), lit(0), None)
    assert first.message.parts == ("Positive, please",)
    assert second.message.parts == ("Below ", lit(10))


def test_mandatory_defaults_to_false():
    assert question('integer a "A"').mandatory is False


# ------------------------------------------------------------------ layout of the file

def test_multi_line_condition_in_parentheses():
    q = question('''
        integer a "A"
          when (1 == 1
                and 2 == 2
                or 3 == 3)
          min 0
        ''')
    assert q.condition == ast.Logical(
        "or",
        ast.Logical("and", ast.Compare("==", lit(1), lit(1), None),
                    ast.Compare("==", lit(2), lit(2), None), None),
        ast.Compare("==", lit(3), lit(3), None), None)
    assert q.min == 0


def test_indentation_does_not_matter():
    text = 'survey s "S"\ngroup g "G"\nsingle a "A"\n- x "X"\n        - y "Y"\n   mandatory\n'
    q = qengine.load(text).questions[0]
    assert [o.code for o in q.options] == ["x", "y"] and q.mandatory


def test_comments_and_blank_lines():
    survey = qengine.load(textwrap.dedent('''\
        # a comment before everything

        survey s "S"   # after the header
        group g "G"
          # a comment among questions
          text a "Not # a comment"   # but this is

          display b "B"
        '''))
    assert survey.question("a").text.parts == ("Not # a comment",)
    assert [q.code for q in survey.questions] == ["a", "b"]


def test_triple_quoted_text_is_dedented():
    q = question('''
        display d """
            First line
              indented line

            Last line
            """
        ''')
    assert q.text.parts == ("First line\n  indented line\n\nLast line",)


def test_triple_quoted_text_on_one_line():
    assert question('display d """Say "hi" to {1}"""').text.parts == ('Say "hi" to ', lit(1))


def test_backslash_joins_lines_of_triple_quoted_text():
    q = question('''
        display d """
            One long \\
            sentence.
            """
        ''')
    assert q.text.parts == ("One long sentence.",)


def test_a_backslash_ending_the_last_line_of_triple_quoted_text_is_kept():
    """It joins nothing, so it is a plain character (once, this looped forever)."""
    q = question('''
        display d """
            Hello \\
            """
        ''')
    assert q.text.parts == ("Hello \\",)


@pytest.mark.parametrize(("written", "read"), [
    (r'"a \{ b \} c"', "a { b } c"),
    (r'"back\\slash"', "back\\slash"),
    (r'"say \"hi\""', 'say "hi"'),
    (r'"tab\tnew\nline"', "tab\tnew\nline"),
    (r"'single \'quoted\''", "single 'quoted'"),
    # an unknown escape keeps its backslash, as in PHP and Python
    (r'"\q"', "\\q"),
    (r'"\d\{5\}"', "\\d{5}"),
])
def test_escapes_in_text(written, read):
    assert question(f"display d {written}").text.parts == (read,)


def test_string_literals_in_expressions_are_unescaped():
    assert condition(r't == "a\"b\\"').right == lit('a"b\\')


def test_a_pattern_copied_from_limesurvey_keeps_its_backslashes():
    """`'/^\\d{5}$/'` reaches regexMatch() as written: `\\d` is no escape of QDL."""
    call = condition(r"regexMatch('/^\d{5}$/', t)")
    assert call.args[0] == lit(r"/^\d{5}$/")


def test_utf8_text():
    survey = load('''
        single sexe "Êtes-vous… ? 🙂"
          - f "Féminin"
          - m "Masculin"
        ''')
    assert survey.questions[0].text.parts == ("Êtes-vous… ? 🙂",)
    assert survey.questions[0].options[0].label.parts == ("Féminin",)


def test_utf8_file_with_byte_order_mark(tmp_path):
    path = tmp_path / "bom.qdl"
    path.write_bytes('\ufeffsurvey s "Ça"\ngroup g "G"\n  display d "é"\n'.encode())
    survey = qengine.load(path)
    assert survey.title.parts == ("Ça",) and survey.source.path == str(path)


SAMPLE = textwrap.dedent('''\
    survey s "S"
    group g "G"
      integer a "A"
        when 1 == 1
      display d """
        Value: {a}
          second line
        """
    ''')


def test_crlf_line_endings_read_like_lf():
    lf = qengine.load(SAMPLE)
    crlf = qengine.load(SAMPLE.replace("\n", "\r\n"))
    assert crlf.questions == lf.questions
    assert crlf.question("d").text.parts == ("Value: ", var("a"), "\n  second line")
    lf_span = lf.question("d").text.parts[1].span
    crlf_span = crlf.question("d").text.parts[1].span
    assert (crlf_span.line, crlf_span.column) == (lf_span.line, lf_span.column) == (6, 13)


def test_file_without_final_newline():
    survey = qengine.load('survey s "S"\ngroup g "G"\n  integer a "A"\n    when 1 == 1')
    assert survey.question("a").condition is not None


def test_text_given_instead_of_a_path():
    assert qengine.load('survey s "S"').code == "s"


# ------------------------------------------------------------------ dynamic wording

def test_dynamic_parts_have_absolute_spans():
    text = 'survey s "S"\ngroup g "G"\n  integer age "Age"\n  display d "You are {age + 1} ({age.shown})"\n'
    survey = qengine.load(text)
    parts = survey.question("d").text.parts
    assert parts[0] == "You are " and parts[2] == " (" and parts[4] == ")"
    plus, shown = parts[1], parts[3]
    assert text[plus.span.start:plus.span.end] == "age + 1"
    assert (plus.span.line, plus.span.column) == (4, 23)
    assert text[plus.left.span.start:plus.left.span.end] == "age"
    assert shown == var("age", attr="shown")
    assert text[shown.span.start:shown.span.end] == "age.shown"
    assert (shown.span.line, shown.span.column, shown.span.end_column) == (4, 34, 43)


def test_dynamic_parts_inside_triple_quoted_text_keep_their_place():
    text = 'survey s "S"\ngroup g "G"\n  integer n "N"\n  display d """\n    one\n      two {n}\n    """\n'
    v = qengine.load(text).question("d").text.parts[1]
    assert text[v.span.start:v.span.end] == "n" and (v.span.line, v.span.column) == (6, 12)


def test_strings_inside_dynamic_parts_may_hold_braces_and_quotes():
    q = question('''
        integer a "A {if(a > 1, "{x}", 'it\\'s')}"
        ''')
    call = q.text.parts[1]
    assert call.args[1] == lit("{x}") and call.args[2] == lit("it's")


@pytest.mark.parametrize("where", [
    'display d "{a}"', 'display d "D"\n  help "{a}"', 'group h "{a}"\n  display d "D"',
    'group h "H"\n  description "{a}"\n  display d "D"', 'single d "D"\n  - o "{a}"',
    'array d "D"\n  row r "{a}"\n  column c "{a}"', 'integer d "D"\n  prefix "{a}"\n  suffix "{a}"',
    'integer d "D"\n  validate 1 == 1 message "{a}"',
])
def test_every_text_may_be_dynamic(where):
    survey = load('integer a "A"\n' + where)
    found = [e for t in [*survey.texts, *(t for q in survey.questions for t in q.texts)]
             for e in t.expressions]
    assert found and all(e == var("a") for e in found)


def test_welcome_and_end_may_be_dynamic():
    survey = qengine.load('survey s "S"\nwelcome "Hi {a}"\nend "Bye {a}"\ngroup g "G"\n  text a "A"\n')
    assert survey.welcome.parts[1] == var("a") and survey.end.parts[1] == var("a")


# ------------------------------------------------------------------ expressions

@pytest.mark.parametrize(("written", "expected"), [
    ("a", var("a")),
    ("a.NAOK", var("a")),
    ("a.shown", var("a", attr="shown")),
    ("a.visible", var("a", attr="visible")),
    ("a.relevanceStatus", var("a", attr="visible")),
    ("a.code", var("a")),  # LimeSurvey's: the answer itself
    ("a.value", var("a")),
    ("m_x", var("m_x", "m", "x")),
    ("-a", ast.Unary("-", var("a"), None)),
    ("-2", lit(-2)),
    ("- 2.5", lit(-2.5)),
    ("true", lit(True)),
    ("false", lit(False)),
    ("'q'", lit("q")),
    ("count(m)", ast.Call("count", (var("m"),), None)),
    ("if(a, 1, 2)", ast.Call("if", (var("a"), lit(1), lit(2)), None)),
])
def test_atoms(written, expected):
    assert condition(written) == expected


def test_not_binds_looser_than_comparison():
    expected = ast.Unary("not", ast.Compare("==", var("a"), lit(1), None), None)
    assert condition("not a == 1") == expected
    assert condition("!a == 1") == expected
    assert condition("!(a == 1)") == expected


def test_and_binds_tighter_than_or():
    a1, b2, a3 = (ast.Compare("==", var(n), lit(v), None) for n, v in [("a", 1), ("b", 2), ("a", 3)])
    assert condition("a == 1 or b == 2 and a == 3") == ast.Logical("or", a1, ast.Logical("and", b2, a3, None), None)
    assert condition("a == 1 || b == 2 && a == 3") == condition("a == 1 or b == 2 and a == 3")


def test_arithmetic_precedence_and_left_associativity():
    assert condition("a + b * 2 - 1 > 0") == ast.Compare(">", ast.Binary(
        "-", ast.Binary("+", var("a"), ast.Binary("*", var("b"), lit(2), None), None), lit(1), None),
        lit(0), None)
    assert condition("a / b % 2 == 0").left == ast.Binary(
        "%", ast.Binary("/", var("a"), var("b"), None), lit(2), None)


@pytest.mark.parametrize("op", ["==", "!=", "<", "<=", ">", ">="])
def test_comparison_operators(op):
    assert condition(f"a {op} 1") == ast.Compare(op, var("a"), lit(1), None)


@pytest.mark.parametrize("code", ["notes", "orange", "android", "whenever", "rowing", "minute",
                                  "value2", "truex", "texts", "singles"])
def test_names_that_begin_with_a_keyword(code):
    survey = load(f'''
        integer {code} "Q"
        display d "D {{not {code}}}"
          when not {code} or {code} == 1 and {code} > 0
        ''')
    cond = survey.question("d").condition
    assert cond.left == ast.Unary("not", var(code), None)
    assert survey.question("d").text.parts[1] == ast.Unary("not", var(code), None)


def test_variables_name_options_rows_and_cells():
    survey = load('''
        multiple m "M"
          - o "O"
        array arr "A"
          row r "R"
          scale 1 to 2
        grid gr "G"
          row r "R"
          column c "C"
        display d "D"
          when m_o == "Y" and arr_r == 1 and gr_r_c > 2 and is_empty(m)
        ''')
    names = {v.name: v.key for v in ast.variables(survey.question("d").condition)}
    assert names == {"m_o": ("m", "o"), "arr_r": ("arr", "r"), "gr_r_c": ("gr", "r", "c"), "m": ("m",)}


def test_every_node_has_a_span_into_the_source():
    text = 'survey s "S"\ngroup g "G"\n  integer a "A"\n  display d "D"\n    when (a + 1) * 2 > 3 and not is_empty(a)\n'
    cond = qengine.load(text).question("d").condition
    written = {text[n.span.start:n.span.end] for n in ast.walk(cond)}
    assert {"(a + 1) * 2 > 3 and not is_empty(a)", "(a + 1) * 2 > 3", "a + 1", "not is_empty(a)",
            "is_empty(a)", "a", "1", "2", "3"} <= written


# ------------------------------------------------------------------ unparse round trip

_NAMES = st.sampled_from([var("a"), var("b"), var("t"), var("m_x", "m", "x"),
                          var("a", attr="shown"), var("b", attr="visible")])
_LITERALS = st.one_of(
    st.integers(-10**6, 10**6).map(lit),
    st.floats(-1e6, 1e6, allow_nan=False).filter(lambda f: f != int(f)).map(lit),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from('"\\{}\n\t'),
            max_size=8).map(lit),
    st.booleans().map(lit),
)


def _extend(children):
    return st.one_of(
        st.builds(lambda o: ast.Unary("not", o, None), children),
        st.builds(lambda o: ast.Unary("-", o, None),
                  children.filter(lambda o: not (isinstance(o, ast.Literal)
                                                 and isinstance(o.value, int | float)
                                                 and not isinstance(o.value, bool)))),
        st.builds(lambda op, a, b: ast.Binary(op, a, b, None), st.sampled_from("+-*/%"), children, children),
        st.builds(lambda op, a, b: ast.Compare(op, a, b, None),
                  st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), children, children),
        st.builds(lambda op, a, b: ast.Logical(op, a, b, None), st.sampled_from(["and", "or"]),
                  children, children),
        st.builds(lambda args: ast.Call("max", tuple(args), None), st.lists(children, min_size=1, max_size=3)),
    )


EXPRESSIONS = st.recursive(st.one_of(_NAMES, _LITERALS), _extend, max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(EXPRESSIONS)
def test_unparse_reads_back_as_the_same_expression(expr):
    assert condition(ast.unparse(expr)) == expr


# ------------------------------------------------------------------ the language reference

REFERENCE = Path(__file__).parents[1] / "docs" / "qdl.md"
_KINDS = tuple(registered_kinds())  # the registry's: a kind added there is documented with an example


def _reference_examples():
    blocks = re.findall(r"```qdl\n(.*?)```", REFERENCE.read_text("utf-8"), re.DOTALL)
    for i, block in enumerate(blocks):
        yield pytest.param(block, id=f"example{i + 1}-{block.split()[0]}")


@pytest.mark.parametrize("block", list(_reference_examples()))
def test_reference_examples_load(block):
    """docs/qdl.md's examples are whole surveys, groups, or questions of a group."""
    first = block.split()[0]
    if first == "group":
        block = 'survey doc "Doc"\n' + block
    elif first in _KINDS:
        block = 'survey doc "Doc"\ngroup g "G"\n' + block
    else:
        assert first == "survey", block
    qengine.load(block)


def test_reference_lists_every_error_code():
    table = set(re.findall(r"^\| (E\d{3}) \|", REFERENCE.read_text("utf-8"), re.MULTILINE))
    package = Path(qengine.__file__).parent
    sources = [package / "model" / "graph.py", *package.glob("syntax/*.py"), *package.glob("kinds/*.py")]
    raised = {code for p in sources for code in re.findall(r'"(E\d{3})"', p.read_text("utf-8"))}
    assert raised == table


def test_single_choice_default_may_be_a_bare_code():
    survey = qengine.load('survey s "S"\ngroup g "G"\n  single a "A"\n    default no\n'
                          '    - yes "Yes"\n    - no "No"\n')
    assert survey.questions[0].default == "no"
    assert survey.start().current_value("a") == "no"


def test_surveys_load_the_same_from_many_threads():
    """The parser is built once per process and shared: loads from threads (a web
    server embedding qengine) must not mix up their files."""
    from concurrent.futures import ThreadPoolExecutor

    texts = [f'survey s{i} "S{i}"\ngroup g "G"\n' + "".join(
        f'  integer a{j} "A {{a{j - 1}}} {i}"\n    when (a{j - 1} > {i})\n' if j else '  integer a0 "A"\n'
        for j in range(40)) for i in range(8)]
    expected = [qengine.load(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(3):
            assert list(pool.map(qengine.load, texts)) == expected


def test_a_loaded_survey_is_not_left_for_the_young_collection():
    """Loading pauses the cycle collector and hands the new model to its oldest
    generation, so the first collection after a load does not walk it all again;
    the collector is on again afterwards."""
    import gc

    text = 'survey s "S"\ngroup g "G"\n  integer a0 "A"\n' + "".join(
        f'  integer a{j} "A {{a{j - 1}}}"\n    when a{j - 1} > 1\n' for j in range(1, 300))
    survey = qengine.load(text)
    assert gc.isenabled()
    young = {id(o) for o in gc.get_objects(generation=0)}
    assert young.isdisjoint({id(survey), id(survey.questions[-1]), id(survey.questions[-1].condition)})
    assert gc.get_count()[0] < 100  # no collection of the whole model pending
    assert any(o is survey for o in gc.get_objects(generation=2))

    gc.disable()
    try:  # a caller's own choice is kept
        qengine.load(text)
        assert not gc.isenabled()
    finally:
        gc.enable()

    gc.freeze()  # so are objects the application froze (before forking workers, say)
    try:
        frozen = gc.get_freeze_count()
        qengine.load(text)
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


@given(st.text("ab\n", max_size=80), st.data())
def test_a_span_knows_the_line_and_column_of_both_its_ends(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))

    def where(offset: int) -> tuple[int, int]:  # counted, not bisected
        before = text[:offset]
        return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1

    span = Source(text, "f.qdl").span(start, end)
    assert (span.path, span.start, span.end) == ("f.qdl", start, end)
    assert (span.line, span.column) == where(start)
    assert (span.end_line, span.end_column) == where(end)


def test_the_words_errors_know_as_keywords_are_the_grammars():
    lark = parser.lark_parser()
    words = {t.pattern.value for t in lark.terminals if t.pattern.type == "str" and t.pattern.value.isalpha()}
    kinds = set(re.findall("[a-z]+", lark.get_terminal("KIND").pattern.value))
    assert kinds == set(registered_kinds())
    in_expressions = {"true", "false", "not", "to",  # words inside a line, never leading one
                      "every", "respondent", "who", "is", "contains"}
    assert set(parser.keywords()) == (words - in_expressions) | kinds | {"title"}


def test_a_title_line_is_told_where_titles_go():
    _, diagnostics = check(Source('survey s\ntitle "My survey"\ngroup g "G"\n  integer a "A"\n'))
    assert [(d.code, d.span.line, d.message) for d in diagnostics] == [("E101", 2, "'title' is not a statement")]
    assert 'survey CODE "title"' in diagnostics[0].hint


@pytest.mark.parametrize(("line", "word", "hint"), [
    ("    obligatoire", "obligatoire", "the QDL keyword is 'mandatory'"),
    ("    Obligatoire", "Obligatoire", "the QDL keyword is 'mandatory'"),
    ('    si a == "x"', "si", "the QDL keyword is 'when'"),
    ('    quand a == "x"', "quand", "the QDL keyword is 'when'"),
    ('  choix c "C"', "choix", "the QDL keyword is 'single' or 'multiple'"),
    ('    défaut "x"', "défaut", "the QDL keyword is 'default'"),  # the lexer's name stops at 'é'
    ("    échelle 1 to 5", "échelle", "the QDL keyword is 'scale'"),  # no name starts with 'é'
    ("    maximumx 3", "maximumx", "each line starts with a keyword, or '-' for an option"),
])
def test_a_french_keyword_is_named_whole_with_the_qdl_keyword_it_stands_for(line, word, hint):
    text = f'survey s "S"\ngroup g "G"\n  single a "A"\n    - x "X"\n{line}\n'
    _, diagnostics = check(Source(text, "f.qdl"))
    assert [(d.code, d.message, d.hint) for d in diagnostics] == [("E103", f"unknown keyword '{word}'", hint)]
    assert text[diagnostics[0].span.start:diagnostics[0].span.end] == word


def test_the_french_words_stand_for_keywords_of_qdl():
    assert {k for keywords in parser.FRENCH_KEYWORDS.values() for k in keywords} <= set(parser.keywords())
    assert not set(parser.FRENCH_KEYWORDS) & set(parser.keywords())
    assert all(word.isascii() and word.islower() for word in parser.FRENCH_KEYWORDS)  # looked up so
