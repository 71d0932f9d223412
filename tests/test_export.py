"""`qengine export`: the survey model as JSON, valid against the schema shipped in
the package, and faithful enough that its expressions read back as the same AST."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

import qengine
from qengine.cli import main
from qengine.export import survey_json, survey_schema
from qengine.expr import ast
from qengine.kinds import kind_of

ROOT = Path(__file__).parents[1]
EXAMPLES = sorted(ROOT.glob("surveys/**/*.qdl"))
IDS = [p.stem for p in EXAMPLES]


def export(path: Path) -> dict:
    result = CliRunner().invoke(main, ["export", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module", params=EXAMPLES, ids=IDS)
def example(request):
    path = request.param
    return path, qengine.load(path), export(path)


def test_there_are_examples():
    assert {"tutorial", "household", "mobilite"} <= set(IDS)


def test_the_schema_is_a_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(survey_schema())


def test_export_validates_against_the_schema(example):
    _, _, data = example
    jsonschema.validate(data, survey_schema(), cls=jsonschema.Draft202012Validator)


def test_export_is_the_model_as_json(example):
    path, survey, data = example
    assert data == json.loads(json.dumps(survey_json(survey)))
    assert data["code"] == survey.code and data["language"] == survey.language


def test_questions_and_groups_round_trip(example):
    _, survey, data = example
    assert [q["code"] for q in data["questions"]] == [q.code for q in survey.questions]
    assert [q["number"] for q in data["questions"]] == list(range(1, len(survey.questions) + 1))
    assert [q["kind"] for q in data["questions"]] == [kind_of(q).name for q in survey.questions]
    assert [(g["code"], g.get("questions", [])) for g in data["groups"]] == [
        (g.code, list(g.questions)) for g in survey.groups]
    for exported, q in zip(data["questions"], survey.questions, strict=True):
        assert exported["group"] == q.group and exported["mandatory"] == q.mandatory
        for part in ("options", "rows", "columns"):
            if hasattr(q, part):
                assert [o["code"] for o in exported[part]] == [o.code for o in getattr(q, part)]


def _strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def _probe_survey(path: Path, survey, data) -> tuple[str, list[ast.Expr]]:
    """The example followed by one probe question per exported expression, so that
    a single load reads every expression back in the survey's own context."""
    expressions = []
    for q, exported in zip(survey.questions, data["questions"], strict=True):
        if q.condition is not None:
            expressions.append((exported["condition"], q.condition))
        for v, rule in zip(q.validations, exported.get("validations", []), strict=True):
            expressions.append((rule["rule"], v.rule))
        if "value" in exported:
            expressions.append((exported["value"], q.value))
        for o in [*getattr(q, "options", ()), *getattr(q, "rows", ())]:
            if o.condition is not None:
                expressions.append((ast.unparse(o.condition), o.condition))
        texts = list(_strings(exported))
        for t in q.texts:
            for e in t.expressions:
                assert any("{" + ast.unparse(e) + "}" in text for text in texts)
                expressions.append((ast.unparse(e), e))
    probes = "".join(f'  display probe{i} "P"\n    when {text}\n' for i, (text, _) in enumerate(expressions))
    source = path.read_text("utf-8").rstrip("\n") + '\ngroup probes "Probes"\n' + probes
    return source, [e for _, e in expressions]


def test_exported_expressions_read_back_as_the_same_ast(example):
    path, survey, data = example
    source, expected = _probe_survey(path, survey, data)
    probed = qengine.load(source)
    found = [probed.question(f"probe{i}").condition for i in range(len(expected))]
    assert found == expected


def test_exported_text_keeps_literal_braces_escaped():
    survey = qengine.load('survey s "S"\ngroup g "G"\n  integer a "A"\n  display d "a \\{b\\} \\\\ {a}"\n')
    assert survey_json(survey)["questions"][1]["text"] == "a \\{b\\} \\\\ {a}"


def test_unicode_is_written_as_is():
    result = CliRunner().invoke(main, ["export", str(ROOT / "surveys/examples/mobilite.qdl")])
    assert "Vos trajets domicile-travail" in result.stdout and "\\u00e9" not in result.stdout


def test_export_to_a_file(tmp_path):
    out = tmp_path / "tutorial.json"
    result = CliRunner().invoke(main, ["export", str(ROOT / "surveys/examples/tutorial.qdl"), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text("utf-8"))["code"] == "tutorial"


def test_export_of_a_bad_survey_exits_2_with_the_errors(tmp_path):
    bad = tmp_path / "bad.qdl"
    bad.write_text('survey s "S"\ngroup g "G"\n  display d "{nope}"\n', "utf-8")
    result = CliRunner().invoke(main, ["export", str(bad)])
    assert result.exit_code == 2 and result.stdout == ""
    assert f"{bad}:3:15: error[E210]: unknown question 'nope'" in result.stderr


def test_the_schema_rejects_what_is_not_an_export():
    data = survey_json(qengine.load(ROOT / "surveys/examples/tutorial.qdl"))
    schema = survey_schema()
    for broken in ({**data, "questions": [{**data["questions"][0], "kind": "slider"}]},
                   {**data, "extra": 1},
                   {k: v for k, v in data.items() if k != "code"},
                   {**data, "code": "a_b"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, schema, cls=jsonschema.Draft202012Validator)
