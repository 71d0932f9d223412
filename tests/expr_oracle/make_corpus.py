"""Build the LimeSurvey oracle corpus: `ls_cases.json`, read by tests/test_ls_expressions.py.

Run by hand, on a machine with PHP and LimeSurvey's `em_core_helper.php` (see
`../shared/tools/limesurvey-em/README.md`; LimeSurvey is GPL and stays out of this
repository):

    python tests/expr_oracle/make_corpus.py /path/to/ls_eval.php /dir/with/em_core_helper

It writes expressions over a fixed set of answers (`VARIABLES`: numeric, text, a
choice, a multiple choice, an unanswered question, a hidden one), runs them through LimeSurvey's
own ExpressionManager, and stores what LimeSurvey gives for each: whether it
evaluates at all (`ok`, `errors`), its text as a respondent reads it in `{…}`
(`text`) and its truth as a condition (`bool`). CI needs no PHP: the test reads the
stored data only. Regenerate after changing the expressions below; the test then
says which cases qengine reads differently.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
OUT = HERE / "ls_cases.json"

#: name: (LimeSurvey type letter, numeric?, the answer as LimeSurvey keeps it, the text
#: of the question or subquestion). tests/test_ls_expressions.py gives qengine the same
#: answers (`ANSWERS` there) and the same texts (its survey, checked against these).
VARIABLES = {
    "n10": ("N", 1, "10", "Ten"),
    "n5": ("N", 1, "5", "Five"),
    "nz": ("N", 1, "0", "Zero"),
    "d15": ("N", 1, "1.5", "One and a half"),
    "nu": ("N", 1, "", "No number"),
    "t": ("S", 0, "abc", "Some text"),
    "tnum": ("S", 0, "12", "Text of digits"),
    "tsp": ("S", 0, " Hello World ", "Spaced text"),
    "tu": ("S", 0, "", "No text"),
    "c": ("L", 0, "A2", "A choice"),
    "mf_y": ("M", 0, "Y", "Yes box"),
    "mf_n": ("M", 0, "", "No box"),
    "nh": ("N", 1, "7", "Hidden number"),
}
#: The questions LimeSurvey holds irrelevant (hidden): their answer reads as "".
HIDDEN = {"nh"}

# ------------------------------------------------------------ the expressions
OPERANDS = ["1", "0", "2.5", '"1"', '"2"', '"18"', '"abc"', '""', '"0.0"', '" 5 "',
            "n10", "nu", "t", "tnum"]
OPERATORS = ["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/"]

PRINTED = [
    "0.1 + 0.2", "1 / 3", "2 / 3", "-1 / 3", "10 / 4", "6 / 2", "7 / 2", "0.1 * 3", "1 / 7 * 7",
    "2.50", "1.0", "100 / 3", "1000000 / 3", "123456789.123456789", "1 / 1000", "1 / 100000",
    "1 / 10000000", "12345678901234567", "99999999999999.9", "2 * 1.5", "d15 * 2", "d15 + 0.1",
    "n10 / 4", "n10 / 3", "-0.5 * 2", "0 - 0.1 - 0.2", "1 > 0", "1 < 0", "true", "false",
    "!0", '!""', "1.5e3", '"1e3" + 1', '"1e3" == 1000', '"1e3" > 999',
]

TRUTH = ['"0"', '"0.0"', '"00"', '" 0"', '"false"', '" "', "0.0", "-0", '"-0"', "nu", "tu", "mf_n", "mf_y"]

#: (function, argument lists written as QDL), several each.
CALLS = {
    "abs": ["-3", "3.5", '"-2"', "nu", '"abc"'],
    "floor": ["2.7", "-2.7", "3", '"4.5"', "nu"],
    "ceil": ["2.1", "-2.1", "3", '"4.5"', "nu"],
    "round": ["2.5", "-2.5", "1.005, 2", "2.675, 2", "1.955, 2", "1234.5678, -2", "0.285, 2", "1.45, 1",
              "nu", "d15", "n10 / 3, 2", "5.055, 2", '"3.14159", 3'],
    "pow": ["2, 10", "2, 0.5", "2, -1", "-8, 2", "10, 3"],
    "sqrt": ["16", "2", "0", "n10"],
    "exp": ["0", "1", "2"],
    "log": ["1", "10", "100, 10", "8, 2"],
    "pi": [""],
    "intval": ['"12 ans"', '"abc"', "nu", "3.9", "-3.9", '"1.5 kg"', '"1e3"', "true"],
    "floatval": ['"1.5 kg"', '"abc"', "nu", '"2.50"', '"1e3"', '" 3 "'],
    "min": ["1, 2", "1, nu", "nu, nu", '1, "abc"', "n10, n5, d15", '"3", "20"'],
    "max": ["1, 2", "1, nu", "nu, nu", '1, "abc"', "n10, n5, d15", '"3", "20"'],
    "sum": ["1, 2", "1, nu", "nu", '1, "abc"', "n10, n5, d15", '"3", "20"'],
    "count": ["1, nu", "nu, tu", "mf_y, mf_n", "0, false", '"", 0', "n10, t, c"],
    "countif": ['"Y", mf_y, mf_n', "10, n10, n5", '"", nu, tu', "1, true, 1"],
    "is_empty": ["nu", "tu", "0", "false", '" "', "mf_n", "n10"],
    "strlen": ["t", "tsp", "nu", "12.5", '"héllo"'],
    "join": ['"a", 1', "t, n10", "nu, t", "1 / 3, 1"],
    "regexMatch": ["'/^\\d{5}$/', '75001'", "'/^\\d{5}$/', '7500'", "'/abc/i', 'ABC'", "'/abc/', 'ABC'",
                   "'#^a.c$#', 'abc'", "'/^a.c$/s', 'a\\nc'", "'/^b$/m', 'a\\nb'", "'/a b c/x', 'abc'",
                   "'/^\\w+$/u', 'héllo'", "'/^[0-9]+$/', n10", "'^abc', t", "'/\\bab/', 'x ab'",
                   "'/^\\s*$/', tu", "'/é/i', 'É'"],
    "if": ["1, 2, 3", "0, 2, 3", "nu, 'y', 'n'", "t == 'abc', 'yes', 'no'", "1, 2"],
    "strtolower": ["'AbC'", "t", "nu"],
    "strtoupper": ["'AbC'", "t", "'héllo'"],
    "trim": ["tsp", "'  x  '", "nu"],
    "ltrim": ["tsp"],
    "rtrim": ["tsp"],
    "substr": ["'abcdef', 1, 3", "'abcdef', -2", "'abcdef', 2", "t, 0, 1", "'abcdef', 1, -1", "'abc', 5"],
    "str_replace": ["'a', 'b', 'banana'", "'x', '', t", "'l', 'L', tsp"],
    "strpos": ["'banana', 'n'", "'banana', 'x'", "t, 'a'", "'abc', 'c'"],
    "stripos": ["'banana', 'N'", "'ABC', 'b'"],
    "strrev": ["'abc'", "t", "n10"],
    "ucwords": ["'hello world'", "tsp"],
    "implode": ["',', 'a', 'b'", "'-', n10, n5, nu", "'', 1, 2"],
    "sprintf": ["'%d items', 3", "'%.2f', 1.005", "'%s-%s', 'a', 'b'", "'%05d', 42", "'%5.1f', 3.14159"],
    "number_format": ["1234.567", "1234.567, 2", "0.5", "1234.5678, 2, ',', ' '", "-1234.567, 1"],
    "fixnum": ["1.50", "0.1 + 0.2", "3"],
    "is_numeric": ["n10", "t", "'1.5'", "'1e3'", "' 5'", "nu", "'abc'", "'5 '"],
    "is_string": ["t", "n10", "'12'", "1"],
    "unique": ["1, 2, 3", "1, 2, 1", "'a', 'A'", "nu, nu"],
    "countifop": ["'>', 5, n10, n5, nz", "'==', 'Y', mf_y, mf_n", "'<=', 5, n10, n5, nz, nu",
                  "'RX', '/^1/', n10, n5, tnum"],
    "sumifop": ["'>', 4, n10, n5, nz", "'<', 6, n10, n5, nz, nu"],
    "listifop": ["'>', 4, ',', n10, n5, nz", "'value', '>', 4, 'code', ',', 'n10', 'n5', 'nz'",
                 "'value', '>=', 5, 'question', ', ', 'n10', 'n5', 'nz', 'nu'",
                 "'value', '==', 'Y', 'question', ', ', 'mf_y', 'mf_n'",
                 "'value', '==', 'Y', 'shown', ', ', 'mf_y', 'mf_n'",
                 "'relevanceStatus', '==', 0, 'question', '; ', 'n10', 'nh', 'nz'",
                 "'relevanceStatus', '==', 1, 'code', '|', 'n10', 'nh', 'n5'",
                 "'type', '==', 'N', 'code', '+', 'n10', 't', 'd15', 'c'",
                 "'type', '!=', 'N', 'type', '', 't', 'n10', 'c', 'mf_y'",
                 "'value', '<', 6, 'code', ',', 'n10', 'n5', 'nz', 'nu'",
                 "'value', 'RX', '/^1/', 'code', ',', 'n10', 'n5', 'tnum'",
                 "'NAOK', 'eq', 'abc', 'question', ',', 't', 'tnum'",
                 "'code', '!=', '', 'code', ',', 'nu', 'n10', 'nu', 'n5'",
                 "'value', '!=', 'zz', 'code', ',', 'nu', 'n10', 'tu', 'n5'",
                 "'value', '>', 4, 'code', ',', 'nh', 'n10'",
                 "'shown', '==', 'A2', 'value', ',', 'c'",
                 "'question', 'RX', '/box/', 'question', ' & ', 'mf_y', 'mf_n', 'n10'",
                 "'valueNAOK', '>', 1, 'valueNAOK', ',', 'd15', 'nz'",
                 "'value', '>', 4, 'relevanceStatus', ',', 'n10', 'n5'",
                 "'type', '==', 'N', 'shown', ',', 'nh', 'n10'",
                 "'value', 'gt', '9', 'code', ',', 'n10', 'n5', 'tnum'",
                 "'value', 'xx', 4, 'code', ',', 'n10'",
                 "'value', '>', 4, 'qid', ',', 'n10'",
                 "'value', '>', 4, 'sgqa', ',', 'n10'",
                 "'label', '>', 4, 'code', ',', 'n10'",
                 "'value', '>', 4, 'code', ',', n10, n5",
                 "'value', '>', 4, 'code', ',', 'nx'"],
    "checkdate": ["2, 29, 2024", "2, 29, 2023", "13, 1, 2024"],
    "date": ["'Y-m-d', 0", "'d/m/Y', 86400 * 365", "'Y m d H i s j n y D l N w z t L', 1709251199",
             "'D, d M', 0", "'\\\\Y Y', 0", "'Y-m-d', n10"],
    "mktime": ["0, 0, 0, 1, 1, 2000", "0, 0, 0, 2, 30, 2024", "25, 61, 61, 13, 32, 2023", "0, 0, 0, 1, 1, 69",
               "0, 0, 0, 1, 1, 100"],
    "strtotime": ["'2000-01-01'", "'2024-01-01 10:00:00'", "'2024-01-01T10:00:00Z'", "'2023-02-30'",
                  "'2023-13-01'", "'abc'", "t"],
}

MORE = [
    "time() > 1700000000",
    "n10 % 3", "nu + 1", "nu - 1", "nu * 2", "nu / 2", "nu + 1 < 3", "nu - 1 < 3", "-nu",
    '"1" + "2"', '"a" + 1', 'n10 > "9"', '"9" < n10', 'n10 == "10"', 'n10 == "10.0"', '"2" > "18"',
    "c == 'A2'", "c.shown", "c.code", "c.value", "n10.value", "n10.code", "n10.NAOK", "c.NAOK == 'A2'",
    "n10.relevanceStatus", "nu.relevanceStatus", "!n10 == 1", "n10 eq 10", "1 , 2",
    "is_empty(nu) or nu > 3", "nu == 0", "nu == ''", "tu == 0", "nz == ''", "nz == 0",
    "mf_y == 'Y'", "mf_n == 'Y'", "mf_n != 'Y'", "5 > nu", "nu < 5",
    "n10.question", "mf_y.question", "nh.question", "nu.question", "c.question == 'A choice'",
    "c.type", "t.type", "d15.type", "mf_y.type", "nh.type", "n10.type == 'N'", "c.type == 'N'",
    "n10.valueNAOK", "nh.valueNAOK", "nh.NAOK", "nh.relevanceStatus", "nh.value == ''", "n10.qid",
    "mf_y.shown",
    # as the .lss exporter writes QDL's listifop() and attributes (tests/test_ls_expressions.py, EXPORTED)
    'listifop("NAOK", ">", 4, "NAOK", ",", "n10", "n5", "nz")',
    'listifop("relevanceStatus", "==", if(0, 1, 0), "question", "; ", "n10", "nh", "nz")',
    'listifop("shown", "==", "Yes box", "type", "", "mf_y", "mf_n", "c")',
    'listifop("type", "==", "N", "NAOK", "+", "n10", "t", "d15", "nh")',
    "mf_y.type", '(c.type == "L")',
]


def expressions() -> list[str]:
    out = list(PRINTED)
    out += [f"{a} {op} {b}" for a, b in itertools.product(OPERANDS, repeat=2) for op in OPERATORS
            if (OPERANDS.index(a) + OPERANDS.index(b) + OPERATORS.index(op)) % 3 == 0]  # a third, spread
    out += [f"if({x}, 'yes', 'no')" for x in TRUTH]
    out += [f"{name}({args})" for name, argss in CALLS.items() for args in argss]
    out += MORE
    return list(dict.fromkeys(out))


def ls_input(exprs: list[str]) -> dict:
    variables, relevance = {}, {}
    for qid, (name, (letter, numeric, code, question)) in enumerate(VARIABLES.items(), start=2):
        variables[name] = {"qid": qid, "gseq": 0, "type": letter, "onlynum": numeric, "code": code,
                           "question": question, "jsName": ""}
        relevance[str(qid)] = 0 if name in HIDDEN else 1
    return {"vars": variables, "relevance": relevance, "group_relevance": {"0": 1}, "exprs": exprs}


def main(ls_eval: str, ls_dir: str) -> None:
    exprs = expressions()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(ls_input(exprs), f)
    out = subprocess.run(["php", ls_eval, ls_dir, f.name], capture_output=True, text=True, check=True)
    results = json.loads(out.stdout)
    cases = [{"expr": r["expr"], "ok": r["ok"], "errors": r["errors"], "type": r["type"],
              "text": r["text"], "bool": r["bool"]} for r in results]
    OUT.write_text(json.dumps({"limesurvey": "6.2.1", "variables": VARIABLES, "hidden": sorted(HIDDEN),
                               "cases": cases},
                              ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases written to {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
