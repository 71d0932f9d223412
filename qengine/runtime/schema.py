"""The JSON Schema of one survey's responses (`qengine schema`).

Every response `Session.submit()` returns validates against it; answers files use
the same shapes, so the schema documents them too.
"""

from __future__ import annotations

from qengine.model import (
    Array,
    Display,
    Equation,
    FreeText,
    Grid,
    MultipleChoice,
    Number,
    Question,
    SingleChoice,
    Survey,
)


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _number(question) -> dict:
    out: dict = {"type": "integer" if question.integer else "number"}
    if question.min is not None:
        out["minimum"] = question.min
    if question.max is not None:
        out["maximum"] = question.max
    return out


def question_schema(q: Question) -> dict:
    title = {"title": q.text.plain.strip()[:200]} if q.text is not None else {}
    match q:
        case SingleChoice():
            body = {"enum": [o.code for o in q.options]}
        case MultipleChoice():
            body = {"type": "array", "uniqueItems": True, "minItems": q.min or 1,
                    "items": {"enum": [o.code for o in q.options]}}
            if q.max is not None:
                body["maxItems"] = q.max
        case Array():
            body = {"type": "object", "additionalProperties": False, "minProperties": 1,
                    "properties": {r.code: {"enum": [c.code for c in q.columns]} for r in q.rows}}
        case Grid():
            cell = _number(q)
            body = {"type": "object", "additionalProperties": False, "minProperties": 1,
                    "properties": {r.code: {"type": "object", "additionalProperties": False,
                                            "properties": {c.code: cell for c in q.columns}}
                                   for r in q.rows}}
        case Number():
            body = _number(q)
        case FreeText():
            body = {"type": "string", "minLength": 1}
            if q.max_length is not None:
                body["maxLength"] = q.max_length
            if q.pattern is not None:
                body["pattern"] = f"^(?:{q.pattern})$"
        case Equation():
            body = {"type": ["string", "number", "boolean"]}
        case _:
            body = {}
    return {**title, **_nullable(body)}


def response_schema(survey: Survey) -> dict:
    """Keys are the questions shown at submission (a shown question left blank is
    null); equations carry their computed value."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Responses to {survey.code}",
        "type": "object",
        "additionalProperties": False,
        "properties": {q.code: question_schema(q) for q in survey.questions
                       if not isinstance(q, Display)},
    }
