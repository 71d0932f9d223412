"""The JSON Schema of one survey's responses and answers files (`qengine schema`).

It writes out `answers.answer_problem`, the one definition of a valid answer: a
value the schema accepts is one `qengine play` accepts, and the other way round
(`tests/test_hostile_answers.py` holds the two together on random values). Every
response `Session.submit()` returns validates against it, and so replays as an
answers file. What depends on the other answers (mandatory, fewest ticks, the
survey's own rules, options filtered away) is not in it: it is checked page by page.

Patterns are written as in the survey, Python regular expressions (anchored with
`\\A` and `\\Z`), and are read as such by Python validators such as `jsonschema`.
"""

from __future__ import annotations

from qengine.expr.values import MAX_NUMBER, MAX_TEXT
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

#: No lone surrogate: such a string is not Unicode text (see answers._text_problem).
_SURROGATE = "[\\ud800-\\udfff]"


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _forms(code: str) -> list:
    """The ways an answer may give a code: as written, and as a whole number when
    it is written with digits (`scale 1 to 5`)."""
    if code.isascii() and code.isdigit() and str(int(code)) == code and int(code) <= MAX_NUMBER:
        return [code, int(code)]
    return [code]


def _codes(items) -> dict:
    return {"enum": [form for i in items for form in _forms(i.code)]}


def _number(question) -> dict:
    low = max(question.min, -MAX_NUMBER) if question.min is not None else -MAX_NUMBER
    high = min(question.max, MAX_NUMBER) if question.max is not None else MAX_NUMBER
    return {"type": "integer" if question.integer else "number", "minimum": low, "maximum": high}


def _multiple(q: MultipleChoice) -> dict:
    body: dict = {"type": "array", "items": _codes(q.options), "uniqueItems": True}
    if q.max is not None:
        body["maxItems"] = q.max
    rules = []
    for o in q.options:
        forms = _forms(o.code)
        if len(forms) > 1:  # "1" and 1 are the same option, given twice
            rules.append({"not": {"allOf": [{"contains": {"const": f}} for f in forms]}})
        if o.exclusive:
            rules.append({"if": {"contains": {"enum": forms}}, "then": {"maxItems": 1}})
    if rules:
        body["allOf"] = rules
    return body


def _text(q: FreeText) -> dict:
    body: dict = {"type": "string", "maxLength": min(q.max_length or MAX_TEXT, MAX_TEXT),
                  "not": {"pattern": _SURROGATE}}
    if q.pattern is not None:  # "" is no answer: no pattern to match
        body["if"] = {"minLength": 1}
        body["then"] = {"pattern": f"\\A(?:{q.pattern})\\Z"}
    return body


def question_schema(q: Question) -> dict:
    title = {"title": q.text.plain.strip()[:200]} if q.text is not None else {}
    match q:
        case SingleChoice():
            body = _codes(q.options)
        case MultipleChoice():
            body = _multiple(q)
        case Array():
            body = {"type": "object", "additionalProperties": False,
                    "properties": {r.code: _nullable(_codes(q.columns)) for r in q.rows}}
        case Grid():
            cell = _nullable(_number(q))
            body = {"type": "object", "additionalProperties": False,
                    "properties": {r.code: {"type": "object", "additionalProperties": False,
                                            "properties": {c.code: cell for c in q.columns}}
                                   for r in q.rows}}
        case Number():
            body = _number(q)
        case FreeText():
            body = _text(q)
        case Equation():
            body = {"anyOf": [{"type": ["string", "boolean"]},
                              {"type": "number", "minimum": -MAX_NUMBER, "maximum": MAX_NUMBER}]}
        case _:
            body = {}
    return {**title, **_nullable(body)}


def response_schema(survey: Survey) -> dict:
    """Keys are questions (display texts have none); a response holds those shown
    at submission (a shown question left blank is null) and the equations' values."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Responses to {survey.code}",
        "type": "object",
        "additionalProperties": False,
        "properties": {q.code: question_schema(q) for q in survey.questions
                       if not isinstance(q, Display)},
    }
