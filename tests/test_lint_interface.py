"""The lint interface: registry, --explain, generated docs, selection, noqa,
text / JSON / SARIF output and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.lint import lint_source
from qengine.lint.docs import markdown
from qengine.lint.noqa import suppressions
from qengine.lint.registry import RULES, Selection, lookup
from qengine.span import Source

ROOT = Path(__file__).resolve().parent.parent

CLEAN = '''survey t "T"

group g "G"
  single age "Age?"
    mandatory
    - age1 "Young"
    - age2 "Old"
  display d "D"
    when age == "age1"
'''
FLAWED = CLEAN + '''  display never "Never"
    when age == "age1" and age == "age2"
  integer n "How many?"
'''
BROKEN = 'survey t "T"\n\ngroup g "G"\n  single s "S"\n    when nosuch == "a"\n    - a "A"\n'


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, text in (("clean", CLEAN), ("flawed", FLAWED), ("broken", BROKEN)):
        paths[name] = tmp_path / f"{name}.qdl"
        paths[name].write_text(text, encoding="utf-8")
    return paths


def run(*args):
    return CliRunner().invoke(main, ["lint", *map(str, args)])


# ---------------------------------------------------------------- registry
def test_every_load_error_code_of_the_core_is_registered():
    raised = set()
    for path in (ROOT / "qengine").rglob("*.py"):
        if "lint" in path.parts:
            continue
        for m in re.finditer(r'(?:Diagnostic|_error|error)\(\s*"(E\d{3})"', path.read_text()):
            raised.add(m.group(1))
    assert raised, "no load error found in the core"
    assert raised <= set(RULES), sorted(raised - set(RULES))


def test_rules_are_complete():
    for r in RULES.values():
        assert re.fullmatch(r"[A-Z]\d{3}", r.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", r.name)
        assert r.severity in ("error", "warning", "info")
        assert all([r.summary, r.what, r.why, r.example, r.instead]), r.code
    assert len({r.name for r in RULES.values()}) == len(RULES)


def test_explain_prints_the_four_parts():
    out = run("--explain", "e210")
    assert out.exit_code == 0
    for part in ("E210 (unknown-question)", "## What it does", "## Why it matters", "## Example", "## Instead"):
        assert part in out.output
    assert lookup("dead-end").code == "R120"
    assert run("--explain", "Z999").exit_code == 2


def test_docs_are_generated_from_the_registry():
    committed = (ROOT / "docs" / "lint-rules.md").read_text(encoding="utf-8")
    assert committed == markdown(), "run: qengine lint --docs > docs/lint-rules.md"
    for code in RULES:
        assert f"### {code}" in committed


def test_selection_by_code_and_prefix():
    s = Selection.of(["R", "D301"], ["R1"])
    assert "D301" in s and "D302" not in s and "R190" not in s and "R201" in Selection.of(["R"], [])
    assert "R120" not in Selection.of(["R"], ["R12"])
    assert "R120" in Selection.of(["R120"], ["R1"])  # the more specific one wins
    assert Selection.of(["X1"], None).unknown() == ["X1"]


# ---------------------------------------------------------------- noqa
def test_noqa_silences_the_line_it_is_on():
    text = FLAWED.replace('when age == "age1" and age == "age2"',
                          'when age == "age1" and age == "age2"  # noqa: R101')
    found = [f.code for f in lint_source(Source(text, "t.qdl")).findings]
    assert "R101" not in found and "D302" in found
    bare = FLAWED.replace('integer n "How many?"', 'integer n "How many?"  # noqa')
    assert "D302" not in [f.code for f in lint_source(Source(bare, "t.qdl")).findings]


def _noqa_table(lines: str) -> dict[int, frozenset[str]]:
    """The suppressions of a survey whose group holds `lines` (line 1 of `lines` is
    line 3 of the file)."""
    survey = qengine.load('survey s "S"\ngroup g "G"\n' + lines)
    return {line - 2: codes for line, codes in suppressions(survey.comments).items()}


def test_noqa_needs_a_comment_not_text():
    text = ('  display d "# noqa: R101 {\'#\'}"  # noqa: D302, r110\n  display e """\n  # noqa\n  """\n'
            '  display f "{\'# noqa\'}"\n')
    assert _noqa_table(text) == {1: frozenset({"D302", "R110"})}


def test_noqa_after_a_string_continued_with_a_backslash_stays_on_its_line():
    text = '  display w """\n  one \\\n  two\n  """\n  integer n "N"  # noqa: D302\n  integer m "M"\n'
    assert _noqa_table(text) == {5: frozenset({"D302"})}
    found = lint_source(Source(CLEAN + "  " + text.replace("\n", "\n  "), "t.qdl"), select=["D302"]).findings
    assert [f.message.split("'")[1] for f in found] == ["m"]


def test_noqa_for_another_code_silences_nothing():
    text = FLAWED.replace('integer n "How many?"', 'integer n "How many?"  # noqa: R101')
    assert "D302" in [f.code for f in lint_source(Source(text, "t.qdl")).findings]


# ---------------------------------------------------------------- formats and exit codes
def test_text_format_and_exit_codes(files):
    clean = run(files["clean"])
    assert clean.exit_code == 0 and "All checks passed." in clean.output
    flawed = run(files["flawed"])
    assert flawed.exit_code == 1
    lines = flawed.output.splitlines()
    head = next(i for i, line in enumerate(lines) if " R101 " in line)
    assert re.fullmatch(rf"{re.escape(str(files['flawed']))}:11:10: R101 'never' is never shown.*", lines[head])
    assert lines[head + 1] == ' 11 |     when age == "age1" and age == "age2"'
    assert lines[head + 2] == "    |          " + "^" * 31
    assert "Found 2 findings (1 error, 1 warning)." in flawed.output
    warnings_only = run(files["flawed"], "--ignore", "R101")
    assert warnings_only.exit_code == 0


def test_unloadable_survey_exits_2_in_every_format(files):
    for fmt in ("text", "json", "sarif"):
        out = run(files["broken"], "--format", fmt)
        assert out.exit_code == 2, fmt
        assert "E210" in out.output
    found = json.loads(run(files["broken"], "--format", "json").output)
    assert found[0]["code"] == "E210" and found[0]["line"] == 5


def test_usage_errors_exit_2(files):
    assert run().exit_code == 2
    assert run(files["clean"], "--select", "Q9").exit_code == 2
    assert run(files["clean"], files["flawed"], "--witness", "d").exit_code == 2


def test_json_format(files):
    found = json.loads(run(files["flawed"], "--format", "json").output)
    by_code = {f["code"]: f for f in found}
    assert by_code["R101"]["severity"] == "error" and by_code["R101"]["name"] == "unreachable-question"
    assert by_code["D302"]["line"] == 12 and by_code["D302"]["path"] == str(files["flawed"])


# The parts of the SARIF 2.1.0 schema (sarif-schema-2.1.0.json, OASIS) that a
# consumer relies on: required properties and the shapes of what lint writes.
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "items": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {
                    "type": "object", "required": ["name"],
                    "properties": {"name": {"type": "string"}, "version": {"type": "string"},
                                   "rules": {"type": "array", "items": {
                                       "type": "object", "required": ["id"],
                                       "properties": {
                                           "id": {"type": "string"},
                                           "shortDescription": {"$ref": "#/$defs/message"},
                                           "fullDescription": {"$ref": "#/$defs/message"},
                                           "defaultConfiguration": {"type": "object", "properties": {
                                               "level": {"$ref": "#/$defs/level"}}}}}}}}}},
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["message"],
                    "properties": {
                        "ruleId": {"type": "string"},
                        "ruleIndex": {"type": "integer", "minimum": -1},
                        "level": {"$ref": "#/$defs/level"},
                        "message": {"$ref": "#/$defs/message"},
                        "locations": {"type": "array", "items": {"type": "object", "properties": {
                            "physicalLocation": {"type": "object", "properties": {
                                "artifactLocation": {"type": "object", "properties": {
                                    "uri": {"type": "string"}}},
                                "region": {"type": "object", "properties": {
                                    "startLine": {"type": "integer", "minimum": 1},
                                    "startColumn": {"type": "integer", "minimum": 1},
                                    "endLine": {"type": "integer", "minimum": 1},
                                    "endColumn": {"type": "integer", "minimum": 1}}}}}}}},
                        "properties": {"type": "object"}}}}}}},
    },
    "$defs": {
        "message": {"type": "object", "anyOf": [{"required": ["text"]}, {"required": ["id"]}],
                    "properties": {"text": {"type": "string"}}},
        "level": {"enum": ["none", "note", "warning", "error"]},
    },
}


def test_sarif_format(files):
    out = run(files["flawed"], files["clean"], "--format", "sarif")
    assert out.exit_code == 1
    log = json.loads(out.output)
    jsonschema.validate(log, SARIF_SUBSET)
    run_ = log["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in run_["results"]}
    assert levels == {"R101": "error", "D302": "warning"}


def test_text_output_prints_a_short_witness_and_says_where_a_long_one_is(tmp_path):
    dead = CLEAN + '  multiple m "M"\n    mandatory\n    min 2\n    - a "A"\n    - b "B" when age == "age1"\n'
    path = tmp_path / "dead.qdl"
    path.write_text(dead, encoding="utf-8")
    out = run(path).output
    line = next(x for x in out.splitlines() if x.startswith("  = witness: "))
    answers = json.loads(line.removeprefix("  = witness: ").split(" (")[0])
    assert answers == json.loads(run("--format", "json", path).output)[0]["witness"] == {"age": "age2"}
    many = dead.replace('group g "G"\n', 'group first "F"\n' + "".join(
        f'  single q{i} "Q{i}"\n    mandatory\n    - long{i}code "X"\n' for i in range(12)) + 'group g "G"\n')
    path.write_text(many, encoding="utf-8")
    assert "printed by `qengine lint --format json`" in run(path).output
