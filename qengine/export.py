"""The survey model as JSON (`qengine export`), described by the JSON Schema
shipped in `qengine/schemas/survey.schema.json`."""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json

from qengine.expr.ast import unparse
from qengine.kinds.registry import kinds
from qengine.model import Survey, Text


def text_source(text: Text | None) -> str | None:
    """Wording written back as QDL text, expressions in braces."""
    if text is None:
        return None
    out = []
    for p in text.parts:
        if isinstance(p, str):
            out.append(p.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}"))
        else:
            out.append("{" + unparse(p) + "}")
    return "".join(out)


def _expr(e):
    return None if e is None else unparse(e)


def _drop_none(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None and v != [] and v is not False}


def question_json(q) -> dict:
    out = {
        "code": q.code, "number": q.number, "kind": q.kind, "group": q.group,
        "text": text_source(q.text), "help": text_source(q.help), "mandatory": q.mandatory,
        "condition": _expr(q.condition),
        "validations": [{"rule": unparse(v.rule), "message": text_source(v.message)}
                        for v in q.validations],
        "line": q.span.line if q.span else None,
    }
    if hasattr(q, "options"):
        out["options"] = [_drop_none({"code": o.code, "label": text_source(o.label),
                                      "exclusive": o.exclusive, "condition": _expr(o.condition)})
                          for o in q.options]
    if hasattr(q, "rows"):
        out["rows"] = [_drop_none({"code": r.code, "label": text_source(r.label),
                                   "condition": _expr(r.condition)}) for r in q.rows]
        out["columns"] = [{"code": c.code, "label": text_source(c.label)} for c in q.columns]
    for name in ("min", "max", "default", "max_length", "pattern"):
        if getattr(q, name, None) is not None:
            out[name] = getattr(q, name)
    for name in ("prefix", "suffix"):
        if getattr(q, name, None) is not None:
            out[name] = text_source(getattr(q, name))
    if q.formula is not None:
        out["value"] = unparse(q.formula)
    return _drop_none(out) | {"mandatory": q.mandatory}


def survey_json(survey: Survey) -> dict:
    return _drop_none({
        "qengine": "survey/1",
        "code": survey.code,
        "title": text_source(survey.title),
        "language": survey.language,
        "format": survey.format,
        "welcome": text_source(survey.welcome),
        "end": text_source(survey.end),
        "groups": [_drop_none({"code": g.code, "title": text_source(g.title),
                               "description": text_source(g.description),
                               "condition": _expr(g.condition), "questions": list(g.questions)})
                   for g in survey.groups],
        "questions": [question_json(q) for q in survey.questions],
    })


@functools.cache

def version_of(survey: Survey) -> str:
    """The survey's version: a hash of its model, where each question stands in the
    file left out (editing a comment or the layout makes no new version; changing a
    wording, an option or a condition does). The server records responses under it."""
    model = survey_json(survey)
    for q in model["questions"]:
        q.pop("line", None)
    text = json.dumps(model, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

def survey_schema() -> dict:
    """The JSON Schema every export validates against; a question's kind is one of
    those installed (`qengine.kinds`)."""
    text = importlib.resources.files("qengine").joinpath("schemas/survey.schema.json").read_text("utf-8")
    schema = json.loads(text)
    schema["$defs"]["kind"]["enum"] = list(kinds())
    return schema
