"""The JSON Schema of one survey's responses and answers files (`qengine schema`).

It writes out `answers.answer_problem`, the one definition of a valid answer: a
value the schema accepts is one `qengine play` accepts, and the other way round
(`tests/test_hostile_answers.py` holds the two together on random values). Every
response `Session.submit()` returns validates against it, and so replays as an
answers file. What depends on the other answers (mandatory, fewest ticks, the
survey's own rules, options filtered away) is not in it: it is checked page by page.
Each kind writes the schema of its answers (`Kind.json_schema`).
"""

from __future__ import annotations

from qengine.kinds.registry import kind_of
from qengine.model import Question, Survey


def question_schema(q: Question) -> dict:
    """The answer's schema, as its kind writes it (`Kind.json_schema`); null is no
    answer. Titled with the question's wording."""
    title = {"title": q.text.plain.strip()[:200]} if q.text is not None else {}
    return {**title, "anyOf": [kind_of(q).json_schema(q), {"type": "null"}]}


def response_schema(survey: Survey) -> dict:
    """Keys are questions (display texts have none); a response holds those shown
    at submission (a shown question left blank is null) and the equations' values."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Responses to {survey.code}",
        "type": "object",
        "additionalProperties": False,
        "properties": {q.code: question_schema(q) for q in survey.questions
                       if q.is_input or q.formula is not None},
    }
