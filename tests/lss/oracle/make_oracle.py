"""Write `em_cases.json`: what LimeSurvey's own ExpressionManager says about a corpus
of generated expressions, for tests that cannot run PHP.

How the table was made (run again to remake it; the output is deterministic):

    python tests/lss/oracle/make_oracle.py /work/lsem \
        /work/shared/tools/limesurvey-em/ls_eval.php > tests/lss/oracle/em_cases.json

- LSDIR holds `em_core_helper.php` of LimeSurvey 6.2.1 (taken from a LimeSurvey
  release; LimeSurvey is GPL and none of its code is kept in this repository);
- `ls_eval.php` is the harness of `../shared/tools/limesurvey-em/` (stand-ins for
  the few Yii pieces ExpressionManager calls, and the runner): for each expression it
  prints the value (`RDP_Evaluate`), the relevance reading
  (`ProcessBooleanExpression`) and the text reading (`{expression}` in a text).

The corpus: `ENVIRONMENTS` respondents (random answers to a fixed set of variables,
each question relevant or hidden at random) times `EXPRESSIONS` random expressions
over those variables (seeded, depth at most 3), then `FUNCTION_EXPRESSIONS` more that
each call one of `NEW_FUNCTIONS` (issue #18's functions the translator knows; drawn
with their own seed, so that the first corpus stays as it was), then `MATH_EXPRESSIONS`
that call one of `MATH_FUNCTIONS` (a third seed, the first two corpora unchanged), then
`TEXT_EXPRESSIONS` that call one of `TEXT_FUNCTIONS` (a fourth seed), then
`REPLACE_EXPRESSIONS` that call str_replace() (a fifth), then `COUNT_EXPRESSIONS`
that call countifop() (a sixth), then `UNIQUE_EXPRESSIONS` that call unique() (a
seventh), then `SUM_EXPRESSIONS` that call sumifop() (an eighth); each corpus has its
own seed, so the ones before it stay as they were. Values of numeric questions are
canonical decimal numbers, as LimeSurvey's number inputs give them; free texts are
taken from a small set of awkward ones (empty, "0", numeric-looking, letters).
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

SEED = 19
ENVIRONMENTS = 24
EXPRESSIONS = 300
FUNCTION_SEED = 18
FUNCTION_EXPRESSIONS = 150
NEW_FUNCTIONS = ["strtolower", "strtoupper", "trim", "ltrim", "rtrim", "ucwords", "strrev", "is_string",
                 "floor", "ceil", "abs", "sqrt", "implode", "pi"]
MATH_SEED = 20
MATH_EXPRESSIONS = 120
MATH_FUNCTIONS = ["pow", "exp", "log"]
#: awkward arguments for them: "", texts, a text starting with a number, 0, negatives
MATH_AWKWARD = ['""', '"abc"', '"5 kg"', '" 7"', '"-2.5"', '"é"', "0", "-1", "-8", "0.5", "1000", '"0"']
#: exponents and bases: known ones (the translation needs them known), and answers
EXPONENTS = ["2", "3", "0.5", "-1", "0", '"2"', "-0.5", '""', '"abc"', "l2", "l2.NAOK", "n2"]
TEXT_SEED = 21
TEXT_EXPRESSIONS = 120
TEXT_FUNCTIONS = ["substr", "strpos", "stripos"]
#: texts, needles, starts and lengths for them: spaces, capitals, letters outside ASCII,
#: negative and out-of-range offsets, "" and texts where a number is due
TEXTS = ['"Été x"', '"b c"', '""', '"abc"', '"ÉCOLE"', '" a b "', '"1.50"']
NEEDLES = ['"b"', '"é"', '"É"', '""', '"x"', '"A"', '"0"', '" "', "t1", "l1", "n2"]
OFFSETS = ["0", "1", "-2", "10", "-10", "1.5", '"1"', '""', '"abc"', "n2", "n1.NAOK", "l2", "t1"]
REPLACE_SEED = 22
REPLACE_EXPRESSIONS = 60
#: searches and replacements for str_replace()
REPLACEMENTS = ['"é"', '"e"', '""', '" "', '"b"', '"A"', '"0"', '"."', '","', '"aa"', "t1", "l1.shown", "n2"]
COUNT_SEED = 23
COUNT_EXPRESSIONS = 60
#: countifop()'s operators in both spellings, an unknown one, and values to compare with
COUNT_OPERATORS = ["==", "eq", "!=", "ne", "<", "lt", "<=", "le", ">", "gt", ">=", "ge", "xx"]
UNIQUE_SEED = 24
UNIQUE_EXPRESSIONS = 40
#: values for unique(): blanks, a number written two ways, case
UNIQUE_VALUES = ['" "', '""', '"5"', '"5.0"', '"05"', '"a"', '"A"', '"abc"', "5", "t1", "t1.NAOK", "n1", "l1.shown"]
SUM_SEED = 25
SUM_EXPRESSIONS = 40
BASES = ["2", "10", "0.5", "1", "0", "-2", '""', '"abc"', "2.718281828459045", "l2", "l2.NAOK", "n2"]

#: The variables, as LimeSurvey declares them: type letter, numbers only, the values
#: a respondent may give (a list question: its codes; a checkbox: "Y"), labels.
VARIABLES = {
    "n1": {"type": "N", "onlynum": 1, "values": ["", "0", "5", "18", "2", "-3", "2.5", "10"]},
    "n2": {"type": "N", "onlynum": 1, "values": ["", "0", "5", "18", "1.5"]},
    "t1": {"type": "S", "onlynum": 0, "values": ["", "0", "abc", "5", "18", "A1", "Y", "b c", "1.50", "007"]},
    "l1": {"type": "L", "onlynum": 0, "values": ["", "A1", "A2", "3"],
           "answers": {"A1": "First", "A2": "Second", "3": "Third"}},
    "l2": {"type": "L", "onlynum": 0, "values": ["", "1", "2", "10"],
           "answers": {"1": "One", "2": "Two", "10": "Ten"}},
    "m1_a": {"type": "M", "onlynum": 0, "values": ["", "Y"], "question": "Apples"},
    "m1_b": {"type": "M", "onlynum": 0, "values": ["", "Y"], "question": "Pears"},
}
STRINGS = ["", "0", "5", "18", "2", "A1", "A2", "abc", "Y", "3", "10", "1.5", "b c"]
#: texts for the text functions: spaces around, capitals, a letter outside ASCII
AWKWARD = [" a b ", "Été x", "Y  ", "-2.5", " 7", "mIxEd cAsE", "a..c", "élan"]  # written as they are
NUMBERS = ["0", "1", "2", "5", "18", "2.5", "10", "3"]
ATTRIBUTES = ["", "", ".NAOK", ".NAOK", ".shown", ".relevanceStatus"]
PATTERNS = ["/^[0-9]+$/", "/^a/i", "/b c/", "/^$/", "/^[A-Z][0-9]$/"]


def expression(rng: random.Random, depth: int) -> str:
    if depth <= 0 or rng.random() < 0.25:
        return leaf(rng)
    kind = rng.choices(["compare", "logic", "not", "arith", "call", "paren"], [6, 3, 1, 2, 3, 1])[0]
    if kind == "compare":
        op = rng.choice(["==", "!=", "<", "<=", ">", ">=", "eq", "ne", "lt", "ge"])
        return f"{operand(rng, depth - 1)} {op} {operand(rng, depth - 1)}"
    if kind == "logic":
        op = rng.choice(["and", "or", "&&", "||"])
        return f"({expression(rng, depth - 1)}) {op} ({expression(rng, depth - 1)})"
    if kind == "not":
        return f"!({expression(rng, depth - 1)})" if rng.random() < 0.7 else f"!{leaf(rng)}"
    if kind == "arith":
        return f"{operand(rng, depth - 1)} {rng.choice('+-*/')} {operand(rng, depth - 1)}"
    if kind == "paren":
        return f"({expression(rng, depth - 1)})"
    return call(rng, depth - 1)


def operand(rng: random.Random, depth: int) -> str:
    if depth > 0 and rng.random() < 0.3:
        return call(rng, depth) if rng.random() < 0.6 else f"({expression(rng, depth)})"
    return leaf(rng)


def leaf(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        return rng.choice(list(VARIABLES)) + rng.choice(ATTRIBUTES)
    if r < 0.8:
        return json.dumps(rng.choice(STRINGS)) if rng.random() < 0.8 else f"'{rng.choice(STRINGS)}'"
    return rng.choice(NUMBERS)


def call(rng: random.Random, depth: int) -> str:
    name = rng.choice(["is_empty", "if", "sum", "count", "countif", "min", "max", "intval",
                       "floatval", "round", "strlen", "regexMatch", "join", "is_numeric"])
    args = lambda n: ", ".join(operand(rng, depth - 1) for _ in range(n))  # noqa: E731
    if name == "if":
        return f"if({expression(rng, depth - 1)}, {operand(rng, depth - 1)}, {operand(rng, depth - 1)})"
    if name == "regexMatch":
        return f"regexMatch('{rng.choice(PATTERNS)}', {operand(rng, depth - 1)})"
    if name == "countif":
        return f"countif({leaf(rng)}, {args(rng.randint(1, 3))})"
    if name in ("sum", "count", "min", "max", "join"):
        return f"{name}({args(rng.randint(1, 3))})"
    if name == "round" and rng.random() < 0.3:
        return f"round({operand(rng, depth - 1)}, {rng.choice(['0', '1', '2'])})"
    return f"{name}({operand(rng, depth - 1)})"


def function_call(rng: random.Random, depth: int) -> str:
    """One of `NEW_FUNCTIONS` over an operand (or an awkward text), perhaps inside
    a comparison, an arithmetic or another call."""
    name = rng.choice(NEW_FUNCTIONS)
    if name == "implode":
        return f"implode({', '.join(operand(rng, depth) for _ in range(rng.randint(1, 4)))})"
    if name == "pi":
        return f"pi() {rng.choice(['==', '<', '*', '+'])} {operand(rng, 1)}" if rng.random() < 0.5 else "pi()"
    # (strrev() of a letter outside ASCII gives broken UTF-8, which the harness cannot report)
    awkward = [a for a in AWKWARD if a.isascii()] if name == "strrev" else AWKWARD
    inner = f'"{rng.choice(awkward)}"' if rng.random() < 0.2 else operand(rng, depth)
    if name in ("trim", "ltrim", "rtrim") and rng.random() < 0.2:  # translated for constants only
        made = f"{name}(\"{rng.choice(AWKWARD)}\", '{rng.choice(['a', ' Y', '0..9', 'b c'])}')"
    else:
        made = f"{name}({inner})"
    return placed(rng, made, lambda m: f"{rng.choice([f for f in NEW_FUNCTIONS if f != 'pi'])}({m})")


def placed(rng: random.Random, made: str, wrap) -> str:
    """`made` as it is or, at random, inside a comparison, an arithmetic or another
    call (`wrap(made)`)."""
    around = rng.random()
    if around < 0.3:
        return f"{made} {rng.choice(['==', '!=', '<', '>='])} {operand(rng, 1)}"
    if around < 0.45:
        return f"{made} {rng.choice('+-*/')} {operand(rng, 1)}"
    if around < 0.55:
        return wrap(made)
    return made


def math_call(rng: random.Random, depth: int) -> str:
    """One of `MATH_FUNCTIONS` over an operand or an awkward argument, with an
    exponent or base from `EXPONENTS`/`BASES`, perhaps inside a comparison, an
    arithmetic or another call."""
    name = rng.choice(MATH_FUNCTIONS)
    inner = rng.choice(MATH_AWKWARD) if rng.random() < 0.3 else operand(rng, depth)
    if name == "pow":
        made = f"pow({inner}, {rng.choice(EXPONENTS)})"
    elif name == "log" and rng.random() < 0.5:
        made = f"log({inner}, {rng.choice(BASES)})"
    else:
        made = f"{name}({inner})"
    return placed(rng, made, lambda m: f"{rng.choice(['floor', 'round', 'is_empty', 'strlen'])}({m})")


def text_call(rng: random.Random, depth: int) -> str:
    """One of `TEXT_FUNCTIONS` over an operand or an awkward text, perhaps inside a
    comparison, an arithmetic or another call."""
    name = rng.choice(TEXT_FUNCTIONS)
    inner = rng.choice(TEXTS) if rng.random() < 0.3 else operand(rng, depth)
    if name == "substr":
        lengths = ["", f", {rng.choice(OFFSETS)}"]
        made = f"substr({inner}, {rng.choice(OFFSETS)}{rng.choice(lengths)})"
    else:
        needle = rng.choice(NEEDLES) if rng.random() < 0.8 else operand(rng, depth)
        made = f"{name}({inner}, {needle})"
    def wrap(m: str) -> str:
        wrapper = rng.choice(["strlen", "is_empty", "strtoupper", "if"])
        return f"if({m}, 1, 2)" if wrapper == "if" else f"{wrapper}({m})"

    return placed(rng, made, wrap)


def replace_call(rng: random.Random, depth: int) -> str:
    """str_replace() over an operand or an awkward text, with searches and
    replacements from `REPLACEMENTS` (or operands), perhaps inside a comparison."""
    pick = lambda: rng.choice(REPLACEMENTS) if rng.random() < 0.8 else operand(rng, depth)  # noqa: E731
    subject = rng.choice(TEXTS) if rng.random() < 0.3 else operand(rng, depth)
    made = f"str_replace({pick()}, {pick()}, {subject})"
    if rng.random() < 0.3:
        return f"{made} {rng.choice(['==', '!=', '<'])} {operand(rng, 1)}"
    return made


def count_call(rng: random.Random, depth: int, name: str = "countifop") -> str:
    """countifop() (or sumifop()) with a known operator, a value and one to three
    operands."""
    values = ", ".join(operand(rng, depth) for _ in range(rng.randint(1, 3)))
    made = f"{name}('{rng.choice(COUNT_OPERATORS)}', {leaf(rng)}, {values})"
    if rng.random() < 0.3:
        return f"{made} {rng.choice(['==', '>', '<'])} {rng.choice(NUMBERS)}"
    return made


def unique_call(rng: random.Random, depth: int) -> str:
    """unique() of two to four answers or awkward constants."""
    values = [rng.choice(UNIQUE_VALUES) if rng.random() < 0.5 else leaf(rng) for _ in range(rng.randint(2, 4))]
    made = f"unique({', '.join(values)})"
    return f"!{made}" if rng.random() < 0.2 else made


def environment(rng: random.Random) -> dict:
    """One respondent: each question's answer and whether it is relevant."""
    answers, relevant = {}, {}
    for name, decl in VARIABLES.items():
        answers[name] = rng.choice(decl["values"])
        relevant[name] = rng.random() < 0.75
    return {"answers": answers, "relevant": relevant}


def harness_input(env: dict, exprs: list[str]) -> dict:
    variables, relevance = {}, {}
    for qid, (name, decl) in enumerate(VARIABLES.items(), 1):
        var = {"qid": qid, "gseq": 0, "type": decl["type"], "onlynum": decl["onlynum"],
               "code": env["answers"][name]}
        if "answers" in decl:
            var["answers"] = decl["answers"]
        if "question" in decl:
            var["question"] = decl["question"]
        variables[name] = var
        relevance[str(qid)] = 1 if env["relevant"][name] else 0
    return {"vars": variables, "relevance": relevance, "exprs": exprs}


def corpus(seed: int, make, count: int, taken: list[str]) -> list[str]:
    """`count` expressions `make(rng)` draws with a generator of its own seed, none
    already `taken`: a corpus added leaves the others as they were."""
    rng = random.Random(seed)
    drawn = sorted({make(rng) for _ in range(count * 2)} - set(taken), key=lambda e: (len(e), e))
    return rng.sample(drawn, count)


def main(lsdir: str, harness: str) -> None:
    rng = random.Random(SEED)
    exprs = sorted({expression(rng, 3) for _ in range(EXPRESSIONS * 2)}, key=lambda e: (len(e), e))
    exprs = rng.sample(exprs, EXPRESSIONS)
    exprs += corpus(FUNCTION_SEED, lambda r: function_call(r, 2), FUNCTION_EXPRESSIONS, exprs)
    exprs += corpus(MATH_SEED, lambda r: math_call(r, 2), MATH_EXPRESSIONS, exprs)
    exprs += corpus(TEXT_SEED, lambda r: text_call(r, 2), TEXT_EXPRESSIONS, exprs)
    exprs += corpus(REPLACE_SEED, lambda r: replace_call(r, 2), REPLACE_EXPRESSIONS, exprs)
    exprs += corpus(COUNT_SEED, lambda r: count_call(r, 2), COUNT_EXPRESSIONS, exprs)
    exprs += corpus(UNIQUE_SEED, lambda r: unique_call(r, 2), UNIQUE_EXPRESSIONS, exprs)
    exprs += corpus(SUM_SEED, lambda r: count_call(r, 2, "sumifop"), SUM_EXPRESSIONS, exprs)
    envs = [environment(rng) for _ in range(ENVIRONMENTS)]
    results = []
    for env in envs:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            json.dump(harness_input(env, exprs), f)
        out = subprocess.run(["php", harness, lsdir, f.name], capture_output=True, text=True, check=True)
        Path(f.name).unlink()
        rows = json.loads(out.stdout)
        results.append([[r["ok"], r["type"], r["value"], r["bool"], r["text"]] for r in rows])
    json.dump({"made_by": "tests/lss/oracle/make_oracle.py", "limesurvey": "6.2.1",
               "variables": VARIABLES, "expressions": exprs, "environments": envs,
               "results": results}, sys.stdout, ensure_ascii=False, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(*sys.argv[1:3])
