"""Resolution: every name of every expression tied to what it denotes, bad names
and calls rejected, and the dependency graph the runtime walks."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import qengine
from qengine.expr import ast
from qengine.expr.functions import FUNCTIONS, Arg
from qengine.model import reads
from qengine.model.symbols import Symbol
from qengine.span import Source
from qengine.syntax.loader import check

HEAD = 'survey s "S"\ngroup g "G"\n'

PARTS = HEAD + textwrap.dedent('''\
      integer n "N"
      single one "One"
        - a "A"
        - b "B"
      multiple many "Many"
        - x "X"
        - y "Y"
      array arr "Array"
        row r1 "R1"
        row r2 "R2"
        scale 1 to 3
      grid gr "Grid"
        row r "R"
        column c1 "C1"
        column c2 "C2"
    ''')


def load(body: str = "", head: str = PARTS) -> qengine.Survey:
    return qengine.load(head + textwrap.dedent(body))


def codes(text: str) -> list[str]:
    survey, diagnostics = check(Source(text))
    assert survey is None
    return [d.code for d in diagnostics]


# ------------------------------------------------------------------ the symbol table

def test_symbol_table_names_every_answer_slot():
    names = load().symbols.names
    assert names == {
        "n": Symbol("n"), "one": Symbol("one"),
        "many": Symbol("many"), "many_x": Symbol("many", ("x",)), "many_y": Symbol("many", ("y",)),
        "arr": Symbol("arr"), "arr_r1": Symbol("arr", ("r1",)), "arr_r2": Symbol("arr", ("r2",)),
        "gr": Symbol("gr"), "gr_r_c1": Symbol("gr", ("r", "c1")), "gr_r_c2": Symbol("gr", ("r", "c2")),
    }
    assert "one_a" not in load().symbols  # options of a single choice are values, not variables


def test_variables_are_resolved_to_question_and_part():
    survey = load('''
        display d "D"
          when n > 1 and one == "a" and many_x == "Y" and arr_r2 == 3 and gr_r_c1 > 0
        ''')
    found = {v.name: (v.question, v.sub) for v in ast.variables(survey.question("d").condition)}
    assert found == {"n": ("n", ()), "one": ("one", ()), "many_x": ("many", ("x",)),
                     "arr_r2": ("arr", ("r2",)), "gr_r_c1": ("gr", ("r", "c1"))}


def test_attributes_keep_their_meaning_after_resolution():
    survey = load('display d "{one.shown} {one.visible} {one.relevanceStatus} {one.NAOK}"\n')
    exprs = survey.question("d").text.expressions
    assert [(v.question, v.attr) for v in exprs] == [
        ("one", "shown"), ("one", "visible"), ("one", "visible"), ("one", "value")]


def test_every_place_an_expression_may_stand_is_resolved():
    survey = qengine.load(textwrap.dedent('''\
        survey s "S {n}"
        welcome "W {n}"
        end "E {n}"
        group g "G {n}"
          description "D {n}"
          integer n "N"
        group h "H"
          when n > 0
          single q "Q {n}"
            help "H {n}"
            validate n > 0 message "M {n}"
            - a "A {n}" when n > 1
          array arr "A"
            row r "R {n}" when n > 2
            column c "C {n}"
          integer k "K"
            prefix "P {n}"
            suffix "S {n}"
          equation e
            value n * 2
        '''))
    exprs = [e for t in survey.texts for e in t.expressions]
    exprs += [e for q in survey.questions for e in q.expressions()]
    exprs += [g.condition for g in survey.groups if g.condition is not None]
    variables = [v for e in exprs for v in ast.variables(e)]
    assert len(variables) == 18
    assert all(v.key == ("n",) for v in variables)


def test_reads_lists_the_questions_an_expression_reads():
    survey = load('display d "D"\n  when n > 1 or many_x == "Y" or count(arr_r1, gr_r_c2) > 0\n')
    assert reads([survey.question("d").condition]) == {"n", "many", "arr", "gr"}


# ------------------------------------------------------------------ names that do not resolve

@pytest.mark.parametrize(("where", "code"), [
    ('display d "D"\n  when nn > 1\n', "E210"),
    ('display d "{nn}"\n', "E210"),
    ('integer d "D"\n  validate nn > 1 message "m"\n', "E210"),
    ('integer d "D"\n  validate d > 1 message "{nn}"\n', "E210"),
    ('single d "D"\n  - o "O" when nn > 1\n', "E210"),
    ('array d "D"\n  row r "R" when nn > 1\n  scale 1 to 2\n', "E210"),
    ('equation d\n  value nn + 1\n', "E210"),
    ('display d "{n_x}"\n', "E211"),
    ('display d "{one_a}"\n', "E211"),
    ('display d "{gr_r}"\n', "E211"),
    ('display d "{many_z}"\n', "E212"),
    ('display d "{arr_r3}"\n', "E212"),
    ('display d "{gr_q_c1}"\n', "E212"),
    ('display d "{gr_r_c3}"\n', "E212"),
])
def test_unknown_names_are_rejected_wherever_they_stand(where, code):
    assert codes(PARTS + where) == [code]


def test_unknown_names_in_group_conditions_and_survey_texts():
    text = 'survey s "S"\nend "{nn}"\ngroup g "G"\n  when nn > 1\n  display d "D"\n'
    assert codes(text) == ["E210", "E210"]


def test_unknown_name_hint_lists_the_parts():
    survey, diagnostics = check(Source(PARTS + 'display d "{arr_rr1}"\n'))
    assert diagnostics[0].hint == "did you mean 'r1'?"
    survey, diagnostics = check(Source(PARTS + 'display d "{arr_zz}"\n'))
    assert diagnostics[0].hint == "its rows are: r1, r2"


@pytest.mark.parametrize("expr", ["many", "arr", "gr"])
def test_whole_composite_questions_have_no_single_value(expr):
    assert codes(PARTS + f'display d "D"\n  when {expr} == 1\n')[0] == "E213"


@pytest.mark.parametrize("expr", ["is_empty(many)", "count(many)", "count(arr)", "is_empty(gr)",
                                  "count(many, n)", "many.visible", "many.question != ''", "gr.type == ':'",
                                  "listifop('type', '==', 'F', 'question', ', ', 'arr', 'gr') != ''"])
def test_whole_composite_questions_may_be_counted_or_tested_for_emptiness(expr):
    assert load(f'display d "D"\n  when {expr}\n').question("d").condition is not None


@pytest.mark.parametrize("expr", ["sum(many)", "max(arr)", "join(gr)", "if(many, 1, 2)", "strlen(many)"])
def test_other_functions_take_no_whole_composite(expr):
    assert codes(PARTS + f'display d "{{{expr}}}"\n') == ["E213"]


def test_unknown_function():
    assert codes(PARTS + 'display d "{length(n)}"\n') == ["E214"]


def _arities():
    for f in FUNCTIONS.values():
        if f.min_args > 0:
            yield pytest.param(f.name, f.min_args - 1, id=f"{f.name}-too-few")
        if f.max_args is not None:
            yield pytest.param(f.name, f.max_args + 1, id=f"{f.name}-too-many")


@pytest.mark.parametrize(("name", "count"), list(_arities()))
def test_argument_counts_are_checked(name, count):
    args = ", ".join(["n"] * count)
    assert codes(PARTS + f'display d "{{{name}({args})}}"\n') == ["E215"]


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_function_accepts_its_smallest_call(name):
    fn = FUNCTIONS[name]
    quoted = {Arg.ATTRIBUTE: "'value'", Arg.QUESTION: "'n'"}  # listifop() names them in quotes
    args = ", ".join(quoted.get(fn.param(i).type, "n") for i in range(fn.min_args))
    assert load(f'display d "{{{name}({args})}}"\n')


# ------------------------------------------------------------------ the dependency graph

def test_graph_nodes_and_edges():
    survey = load('''
        display d "Hello {one.shown}"
          when n > 1 and many.visible
        ''', head=PARTS.replace('group g "G"\n', 'group g "G"\n  when 1 == 1\n'))
    graph = survey.graph
    assert graph.inputs[("rel", "d")] == {("group", "g"), ("val", "n"), ("rel", "many")}
    assert graph.inputs[("val", "d")] == {("rel", "d")}
    assert graph.inputs[("view", "d")] == {("rel", "d"), ("val", "d"), ("val", "one"), ("view", "one")}
    assert ("view", "d") in graph.dependents[("val", "one")]
    assert graph.questions_read_by(("rel", "d")) == {"n", "many"}


def test_option_and_row_filters_feed_the_value_and_the_view():
    survey = load('''
        single d "D"
          - o "O" when n > 1
        ''')
    graph = survey.graph
    assert ("val", "n") in graph.inputs[("val", "d")]
    assert ("val", "n") in graph.inputs[("view", "d")]


def test_topological_order_puts_every_input_before_its_readers():
    survey = qengine.load(next(p for p in _examples() if p.name == "household.qdl"))
    graph = survey.graph
    assert set(graph.order) == set(graph.inputs)
    for node, inputs in graph.inputs.items():
        assert all(graph.index[i] < graph.index[node] for i in inputs)


def test_downstream_follows_dependents_in_order():
    survey = load('''
        equation twice
          value n * 2
        display d "{twice}"
          when twice > 2
        ''')
    down = survey.graph.downstream([("val", "n")])
    assert down.index(("val", "twice")) < down.index(("rel", "d")) < down.index(("view", "d"))
    assert ("val", "one") not in down


def test_wording_may_read_a_later_question_whose_condition_reads_this_one():
    """Split into condition, value and view, ordinary back-and-forth is no cycle."""
    survey = load('''
        single first "First, knowing {second}"
          - a "A"
        integer second "Second"
          when first == "a"
        ''')
    assert survey.question("first").text.parts[1].key == ("second",)


@pytest.mark.parametrize(("body", "message"), [
    ('equation x\n  value y + 1\nequation y\n  value x + 1\n', "circular dependency between 'x', 'y'"),
    ('integer x "X"\n  when x > 1\n', "'x' depends on itself"),
    ('single x "X"\n  - o "O" when x == "o"\n', "'x' depends on itself"),
    ('display x "X"\n  when y.visible\ndisplay y "Y"\n  when x.visible\n', "circular dependency between 'x', 'y'"),
])
def test_cycles_are_rejected(body, message):
    survey, diagnostics = check(Source(HEAD + textwrap.indent(body, "  ")))
    assert survey is None and [d.message for d in diagnostics] == [message]
    assert diagnostics[0].code == "E220"


def test_a_group_condition_cannot_read_its_own_questions():
    survey, diagnostics = check(Source('survey s "S"\ngroup g "G"\n  when n > 1\n  integer n "N"\n'))
    (d,) = diagnostics
    assert d.message == "circular dependency between 'g', 'n'"
    assert d.hint.startswith("the condition of group 'g' -> the value of 'n' -> the condition of 'n'")


def _examples():
    return sorted(Path(__file__).parents[1].glob("surveys/**/*.qdl"))


def test_shown_of_a_whole_array_or_grid_is_refused():
    source = ('survey s "S"\ngroup g "G"\n  array a "A"\n    row r "R"\n    scale 1 to 3\n'
              '  display d "You said {a.shown}"\n')
    with pytest.raises(qengine.QdlError) as info:
        qengine.load(source)
    (diag,) = info.value.diagnostics
    assert diag.code == "E213" and "'.shown' needs one row" in diag.message
    assert "a_r.shown" in diag.hint
