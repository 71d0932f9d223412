"""Each lint rule: a minimal survey that triggers it and one that does not."""

from __future__ import annotations

import textwrap

import pytest

import qengine
from qengine.expr import ast
from qengine.lint import lint_source
from qengine.lint.registry import RULES
from qengine.lint.replay import replay
from qengine.span import Source

HEAD = 'survey t "T"\n\ngroup g "G"\n'
AGE = """
  single age "Age?"
    mandatory
    - age1 "Young"
    - age2 "Old"
"""


def survey(body: str) -> str:
    """A one-group survey around `body` (questions written at the left margin)."""
    return HEAD + textwrap.indent(textwrap.dedent(body).strip("\n"), "  ") + "\n"


def codes(text: str, select: str) -> list[str]:
    result = lint_source(Source(text, "t.qdl"), select=[select])
    assert result.loaded, [f.format(result.source) for f in result.findings]
    return [f.code for f in result.findings]


# code -> (survey that triggers it, survey that does not)
CASES = {
    "R101": (AGE + """
display never "Never"
  when age == "age1" and age == "age2"
""", AGE + """
display sometimes "Sometimes"
  when age == "age1" or age == "age2" and age == "age1"
"""),
    "R102": (AGE + """
display d "D"
""", AGE + """
display d "D"
"""),
    "R150": (AGE + """
display d "D"
  when age == "age1"
expect every respondent who age == "age2" is asked d
""", AGE + """
display d "D"
  when age == "age1"
expect every respondent who age == "age2" is not asked d
"""),
    "R103": (AGE + """
single s "S"
  when age == "age1"
  - a "A" when age == "age2"
  - b "B"
""", AGE + """
single s "S"
  when age == "age1"
  - a "A" when age == "age1"
  - b "B"
"""),
    "R104": (AGE + """
array a "A"
  when age == "age1"
  row r1 "R1" when age == "age2"
  row r2 "R2"
  column y "Yes"
  column n "No"
""", AGE + """
array a "A"
  when age == "age1"
  row r1 "R1" when age == "age1"
  row r2 "R2"
  column y "Yes"
  column n "No"
"""),
    "R110": (AGE + """
display always "Always"
  when age == "age1" or age != "age1"
""", AGE + """
display sometimes "Sometimes"
  when age == "age1" or age != "age2" and age != "age1"
"""),
    "R111": (AGE + """
single solo "Alone?"
  - y "Yes"
  - n "No"
display d "D"
  when (age == "age1" and age == "age2") or solo == "y"
""", AGE + """
single solo "Alone?"
  - y "Yes"
  - n "No"
display d "D"
  when (age == "age1" and solo == "n") or solo == "y" and not is_empty(age)
"""),
    "R112": (AGE + """
display d "You are {if(age == 'age1', 'young', 'old')}."
  when age == "age2"
""", AGE + """
display d "You are {if(age == 'age1', 'young', 'old')}."
"""),
    "R113": ("""
integer n "N?"
  min 0
  max 10
  validate n <= 10 message "At most 10."
""", """
integer n "N?"
  min 0
  max 10
  validate n <= 5 message "At most 5."
"""),
    "R120": (AGE + """
single s "S"
  mandatory
  - a "A" when age == "age1"
""", AGE + """
single s "S"
  mandatory
  - a "A" when age == "age1"
  - b "B"
"""),
    "R121": ("""
integer n "N"
  min 1
  max 10
  validate n > 10 message "more than ten"
""", """
integer n "N"
  min 1
  max 20
  validate n > 10 message "more than ten"
"""),
    "R130": (AGE + """
single x "X?"
  when age == "age1"
  - o "Oui"
  - n "Non"
display y "Y"
  when x != "o"
""", AGE + """
single x "X?"
  when age == "age1"
  - o "Oui"
  - n "Non"
display y "Y"
  when x.visible and x != "o"
"""),
    "R140": ("""
text name "Name?"
display hi "Hello {name}"
""", """
text name "Name?"
  mandatory
display hi "Hello{if(is_empty(name), '', ' ')}{if(is_empty(name), '', name)}"
"""),
    "R190": ("""
text code "Code?"
display d "D"
  when regexMatch("^x+$", code) and code == "a"
""", """
text code "Code?"
display d "D"
  when code == "a"
"""),
    "V201": (AGE + """
display typo "Typo"
  when age == "agel"
""", AGE + """
display ok "Ok"
  when age == "age1"
"""),
    "V202": ("""
integer n "N"
  min 0
  max 9
display d "D"
  when n > "three"
""", """
integer n "N"
  min 0
  max 9
display d "D"
  when n > 3
"""),
    "V203": (AGE + """
equation older
  value age + 10
""", """
integer age "Age"
  min 0
  max 120
equation older
  value age + 10
"""),
    "V204": ("""
text t "T"
equation joined
  value t + 1
""", """
integer t "T"
  min 0
  max 9
equation added
  value t + 1
"""),
    "V205": ("""
integer n "N"
  min 0
  max 99
display d "D"
  when n >= "18"
""", """
integer n "N"
  min 0
  max 99
display d "D"
  when n >= 18
"""),
    "V206": ("""
integer n "N"
  min 0
  max 9
display d "D"
  when n + 1 < 3
""", """
integer n "N"
  mandatory
  min 0
  max 9
display d "D"
  when n + 1 < 3
display e "E"
  when sum(n, 1) < 3 or is_empty(n) or n - 1 > 0
"""),
    "V207": ("""
integer n "N"
  min 0
  max 9
display d "D"
  when n <= 0
""", """
integer n "N"
  min 0
  max 9
integer m "M"
  mandatory
  min 0
  max 9
display d "D"
  when n >= 5 or n < 2 or (not is_empty(n) and n <= 0) or m <= 0
"""),
    "V208": ("""
text t "T"
display d "D"
  when t
""", """
text t "T"
integer n "N"
  min 0
  max 9
display d "D"
  when t != "" and n and is_empty(n) and if(n > 1, t, "")
"""),
    "V210": ("""
single a "A"
  when b == "y"
  - y "Yes"
single b "B"
  - y "Yes"
""", """
single b "B"
  - y "Yes"
single a "A"
  when b == "y"
  - y "Yes"
"""),
    "V220": ("""
text code "Code?"
text check "Check?"
  validate regexMatch(code, check) message "No match"
""", """
text check "Check?"
  validate regexMatch("^[A-Z]{3}$", check) message "No match"
"""),
    "D301": ("""
multiple m "M"
  - a "A"
  - dk "Je ne sais pas"
""", """
multiple m "M"
  - a "A"
  - dk "Je ne sais pas" exclusive
"""),
    "D302": ("""
integer n "How many days?"
""", """
integer n "How many days?"
  min 0
  max 365
"""),
    "D303": ("""
integer n "N"
  min 0
  max 9
equation twice
  value n * 2
""", """
integer n "N"
  min 0
  max 9
equation twice
  value n * 2
display d "Twice: {twice}"
"""),
    "D304": ("""
single s "S"
  - a "Cat"
  - b "Cat"
""", """
single s "S"
  - a "Cat"
  - b "Dog"
"""),
    "D305": ("""
multiple m "Pick three"
  min 3
  - a "A"
  - b "B"
""", """
multiple m "Pick two"
  min 2
  - a "A"
  - b "B"
"""),
    "D306": ("""
integer n "N"
  min 1
  max 9
  default 0
""", """
integer n "N"
  min 1
  max 9
  default 1
"""),
}


def text_of(code: str, which: int) -> str:
    text = survey(CASES[code][which])
    if code == "R102":  # a second group, whose condition is the point
        cond = 'age == "age1" and age == "age2"' if which == 0 else 'age == "age1"'
        text += f'\ngroup later "Later"\n  when {cond}\n  display e "E"\n'
    return text


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_triggers(code):
    assert code in codes(text_of(code, 0), code)


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_stays_quiet(code):
    assert code not in codes(text_of(code, 1), code)


def test_every_check_rule_has_a_case():
    checked = {c for c in RULES if not c.startswith("E")}
    assert checked == set(CASES)


def test_load_errors_are_findings():
    result = lint_source(Source(HEAD + '  single s "S"\n    when nosuch == "a"\n    - a "A"\n', "t.qdl"))
    assert not result.loaded
    assert [f.code for f in result.findings] == ["E210"]
    assert result.findings[0].span.line == 5


def test_dead_end_names_its_cause_and_witness():
    text = survey(AGE + """
multiple m "M"
  mandatory
  min 2
  - a "A"
  - b "B" when age == "age1"
""")
    [finding] = lint_source(Source(text, "t.qdl"), select=["R120"]).findings
    assert "requires at least 2 ticks but only 1 option is offered" in finding.message
    assert finding.witness["age"] == "age2"


def test_unreachable_group_hides_its_questions_findings():
    text = survey(AGE) + 'group never "Never"\n  when age == "age1" and age == "age2"\n' \
        '  display d "D"\n    when age == "age1"\n'
    found = codes(text, "R1")
    assert found.count("R102") == 1 and "R101" not in found


@pytest.mark.parametrize(("rule", "stuck"), [("age == \"age2\" or n > 20", True), ("age == \"age1\" or n > 20", False)])
def test_validation_reading_another_answer_is_decided_over_every_answer(rule, stuck):
    # "no acceptable answer" quantifies over the answers of n: such goals are
    # decided on their own, first of a solver holding only what they read
    text = survey(AGE + f"""
integer n "N"
  when age == "age1"
  mandatory
  min 0
  max 10
  validate {rule} message "M"
""")
    assert codes(text, "R120") == (["R120"] if stuck else [])


@pytest.mark.parametrize("comparison", ['n10 > "9"', '"9" < n10', '"9" < "10"'])
def test_quoted_number_is_reported_on_either_side(comparison):
    text = survey(f"""
integer n10 "N"
  min 0
  max 99
display d "D"
  when {comparison}
""")
    found = lint_source(Source(text, "t.qdl"), select=["V205"]).findings
    assert len(found) == comparison.count('"') // 2
    assert all(text[f.span.start:f.span.end] in ('"9"', '"10"') for f in found)


@pytest.mark.parametrize(("expression", "flagged"), [
    ('n * "2"', True), ('"18" / n', True), ('n - "1"', True), ('n * 2', False), ('n % "2"', False)])
def test_a_quoted_number_in_arithmetic_is_nan_in_limesurvey(expression, flagged):
    text = survey('integer n "N"\n  mandatory\n  min 1\n  max 9\nequation e\n  value ' + expression + "\n")
    assert codes(text, "V204") == (["V204"] if flagged else [])


@pytest.mark.parametrize(("declaration", "flagged"), [
    ('integer x "X"\n  min 0\n  max 9', True),
    ('integer x "X"\n  mandatory\n  min 0\n  max 9', False),
    ('integer x "X"\n  mandatory\n  when age == "age1"\n  min 0\n  max 9', True),
    ('equation x\n  value 1', False),
])
def test_arithmetic_on_a_question_that_may_be_unanswered(declaration, flagged):
    """V206: where QDL's empty arithmetic and LimeSurvey's computing on can part."""
    text = survey(AGE + declaration + '\ndisplay d "D"\n  when x * 2 < 3 or -x < 0\n')
    found = lint_source(Source(text, "t.qdl"), select=["V206"]).findings
    assert len(found) == (2 if flagged else 0)
    assert all(text[f.span.start:f.span.end] == "x" for f in found)


@pytest.mark.parametrize(("condition", "flagged"), [
    ("x <= 0", True), ("0 <= x", True), ("x >= 0", True), ('x <= ""', True), ("x >= x", True),
    ("x <= y", True), ('"abc" > x', True), ('x < "abc"', True), ("t > x", True), ("x < trim(t)", True),
    ("x < 5", False), ("x >= 5", False), ("x > 0", False), ("x <= 2.5", False), ('x <= "2"', False),
    ('x > "abc"', False), ("x <= m", False), ("not is_empty(x) and x <= 0", False),
    ("count(x) > 0 and x >= x", False), ("m <= 0", False),
])
def test_ordering_with_a_question_that_may_be_unanswered(condition, flagged):
    """V207: the orderings LimeSurvey finds true with an unanswered side, QDL false."""
    text = survey(AGE + 'integer x "X"\n  min 0\n  max 9\ninteger y "Y"\n  min 0\n  max 9\n'
                  'integer m "M"\n  mandatory\n  min 1\n  max 9\ntext t "T"\n'
                  'display d "D"\n  when ' + condition + "\n")
    found = lint_source(Source(text, "t.qdl"), select=["V207"]).findings
    assert len(found) == (1 if flagged else 0), [f.message for f in found]


@pytest.mark.parametrize(("condition", "flagged"), [
    ("t", True), ("t and n > 1", True), ("n > 1 or trim(t)", True), ("not t", True),
    ('if(t, 1, 0) == 1', True), ('age == "age1" and substr(t, 0, 1)', True),
    ('t != ""', False), ("n", False), ("n and age", False), ('mc_a', False), ("true", False),
    ('t == "0"', False), ('if(n > 1, t, "") == "x"', False), ("is_empty(t)", False),
])
def test_text_used_as_truth(condition, flagged):
    """V208: a text read as true or false, where "0.0" parts LimeSurvey and QDL."""
    text = survey(AGE + 'text t "T"\ninteger n "N"\n  min 0\n  max 9\n'
                  'multiple mc "MC"\n  - a "A"\n  - b "B"\ndisplay d "D"\n  when ' + condition + "\n")
    found = lint_source(Source(text, "t.qdl"), select=["V208"]).findings
    assert len(found) == (1 if flagged else 0), [f.message for f in found]


LEANING = AGE + """
integer x "X"
  when age == "age1"
  min 0
  max 9
multiple mf "MF"
  - y "Y" when age == "age1"
  - z "Z"
"""


@pytest.mark.parametrize(("condition", "flagged"), [
    ('x != 3', "'x' is hidden"),  # true for everybody who never saw x
    ('age == "age2" or x < 2', None),  # with x hidden, the truth comes from the other side
    ('age == "age2" or (x.visible and x < 2)', None),  # the hint of R130, followed
    ('not x.visible or x != 3', None),  # visibility tested on purpose
    ('x < 2', None),  # a hidden x makes it false
    ('age == "age1" or x != 3', "'x' is hidden"),
    ('mf_y != "Y"', "'mf_y' is withheld by its own condition"),  # an option hidden by its condition
    ('mf_z != "Y"', None),  # never withheld: unticked is not hidden
    ('is_empty(mf_y) or mf_y != "Y"', None),
])
def test_r130_fires_only_when_the_empty_value_makes_the_condition_true(condition, flagged):
    text = survey(LEANING + f'display d "D"\n  when {condition}\n')
    found = lint_source(Source(text, "t.qdl"), select=["R130"]).findings
    assert [f.message.split("because ")[1].split(" (")[0] for f in found] == ([flagged] if flagged else [])
    for f in found:  # the witness shows d to a respondent for whom the read is empty
        session = replay(qengine.load(text), f.witness, 0)
        read = ast.Var("x", question="x") if flagged.startswith("'x'") else ast.Var("mf_y", question="mf", sub=("y",))
        assert session.is_visible("d") and session.value(read) is None


@pytest.mark.parametrize(("attributes", "expected"), [
    ('mandatory\n  pattern "^[0-9]{5}$"\n  maxlength 4', ["R120"]),  # five digits in four characters
    ('mandatory\n  pattern "^$"', ["R120"]),  # matches only the blank, which is no answer
    ('pattern "^(?:){3}$"', ["R121"]),  # optional: every answer is refused
    ('mandatory\n  pattern "^[0-9]{5}$"\n  maxlength 5', []),
    ('mandatory\n  pattern "^$"\n  default "none"', []),  # left untouched, the default stands
])
def test_a_pattern_no_text_matches_is_a_dead_end(attributes, expected):
    text = survey(f'text zip "Postcode"\n  {attributes}\ndisplay after "After"\n')
    found = lint_source(Source(text, "t.qdl"), select=["R120", "R121"]).findings
    assert [f.code for f in found if "'zip'" in f.message and "pattern" in f.message] == expected


def test_wording_reading_a_later_question_is_a_later_reference():
    text = survey('''
display hi "Hello {name}"
text name "Name?"
group h "H"
  description "About {later}"
  display d "D"
  text later "Later?"
''')
    found = [f for f in lint_source(Source(text)).findings if f.code == "V210"]
    assert [f.span.line for f in found] == [4, 7]
    assert "the wording of 'hi' reads 'name'" in found[0].message


def test_each_validation_rule_is_decided_on_its_own():
    """A rule the solver does not model (regexMatch) leaves the other rules decided."""
    text = survey('''
text t "T?"
  mandatory
  validate regexMatch("^a", t) message "x"
  validate t == "zz" and t == "yy" message "y"
integer n "N?"
  min 0
  max 10
  validate regexMatch("^1", n) message "x"
  validate n >= 0 message "never shown"
''')
    found = {(f.code, f.span.line) for f in lint_source(Source(text)).findings}
    assert ("R120", 7) in found and ("R113", 12) in found


BLANK = "it happens only because {} may be left blank (not mandatory)"


def test_empty_wording_names_the_cause_a_hidden_or_an_optional_question():
    text = survey('''
text name "Name?"
single a "A"
  - y "Y"
text other "Other?"
  mandatory
  when a == "y"
display hi "Hello {name}, {other}"
''')
    found = {f.span.column: f for f in lint_source(Source(text)).findings if f.code == "R140"}
    name, other = found[22], found[30]
    assert name.message.endswith(BLANK.format("'name'")) and "or make 'name' mandatory" in name.hint
    assert name.witness.get("name") is None
    # 'other' is hidden when 'a' is blank, but may also be unanswered yet on its own page:
    # the blank of 'a' is not what the finding rests on, and is not named
    assert "'other' is hidden" in other.message and "may be left blank" not in other.message


def _blank_causes(text: str, code: str) -> list[tuple[str, str]]:
    return [(f.code, f.message) for f in lint_source(Source(text, "t.qdl")).findings if f.code == code]


@pytest.mark.parametrize(("options", "named"), [
    ('- y "Y"', True),  # answered, 'a' is "y": 'x' is shown
    ('- y "Y"\n  - n "N"', False),  # answered "n", 'a' hides 'x' as well
])
def test_a_condition_true_when_hidden_names_the_blank_that_hides(options, named):
    text = survey(f'''
single a "A?"
  {options}
single x "X?"
  mandatory
  when a == "y"
  - o "Oui"
  - n "Non"
display y "Y"
  when x != "o"
''')
    [(_, message)] = _blank_causes(text, "R130")
    assert message.startswith("the condition of 'y' is true because 'x' is hidden")
    assert message.endswith(BLANK.format("'a'")) == named


@pytest.mark.parametrize(("top", "named"), [
    (10, True),  # answered, n can be m + 1
    (100, False),  # m = 100 leaves n no answer either
])
def test_a_dead_end_names_the_blank_it_rests_on(top, named):
    def text(mandatory: str) -> str:
        return survey(f'''
integer m "M?"{mandatory}
  min 0
  max {top}
integer n "N?"
  mandatory
  min 0
  max 100
  validate n > m message "More than m."
''')
    [(_, message)] = _blank_causes(text(""), "R120")
    assert message.startswith("'n' is mandatory but some respondents cannot answer it")
    assert message.endswith(BLANK.format("'m'")) == named
    # the named cause is the whole cause: 'm' mandatory, the dead end is gone
    assert bool(_blank_causes(text("\n  mandatory"), "R120")) != named


def test_an_empty_answer_joined_into_wording_is_a_hole_unless_guarded():
    text = survey('''
text name "Name?"
display hi "Hello{join(' ', name)}!"
display ok "Hello{if(is_empty(name), '', join(' ', name))}!"
''')
    found = [(f.span.line, f.message) for f in lint_source(Source(text)).findings if f.code == "R140"]
    assert [line for line, _ in found] == [5]
    assert "joins an empty 'name'" in found[0][1]
