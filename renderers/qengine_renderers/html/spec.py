"""The survey as a JavaScript module for the runtime in `qengine.js`.

`survey_module(survey)` returns the source of one JS function expression,
`(function(Q){return {...};})`, which, applied to the runtime, gives the survey as
the browser's `Session` reads it: questions with their expressions compiled once
by `qengine_renderers.html.to_js`, the dependency graph in topological order, the pages of
each navigation format, the variable names and the messages of the catalogue. The
HTML form embeds it; the differential test loads the very same text into Node.

Whatever can be decided in Python is decided here and shipped as data (pages,
graph, symbols, initial answers, option labels used in messages), so that the
runtime has no second copy of those rules.
"""

from __future__ import annotations

import hashlib
from typing import cast

from qengine.kinds.attributes import type_letter
from qengine.kinds.base import Table
from qengine.kinds.registry import kind_of
from qengine.model import NAVIGATION_FORMATS, Question, Survey
from qengine.runtime import answers as _answers
from qengine.runtime.messages import CATALOGUE, message
from qengine.runtime.navigation import pages_of
from qengine_renderers.html.to_js import compile_function, compile_regex, compile_text, js_literal


class Js(str):
    """JS source to be written as it is (a compiled function, a call)."""


def _emit(value) -> str:
    match value:
        case Js():
            return str(value)
        case dict():
            return "{" + ",".join(f"{js_literal(k)}:{_emit(v)}" for k, v in value.items()) + "}"
        case list() | tuple():
            return "[" + ",".join(_emit(v) for v in value) + "]"
    return js_literal(value)


def _fn(expr) -> Js | None:
    return None if expr is None else Js(compile_function(expr))


def _text(text) -> Js:
    return Js(compile_text(text))


def messages(language: str) -> dict[str, str]:
    """The catalogue's templates for a language, placeholders kept: `message()`
    itself picks the table, so the form and the runtime cannot disagree on it."""
    return {key: message(language, key, n="{n}", label="{label}", value="{value}") for key in CATALOGUE["en"]}


def _question(q: Question) -> dict:
    """A question as the runtime reads it: its answer's shape (`Kind.shape`), on
    which the runtime's checks dispatch, never on its kind, and what they check it
    with (`Kind.answer_check`)."""
    kind = kind_of(q)
    out = {
        "code": q.code, "kind": q.kind, "shape": kind.shape, "group": q.group, "number": q.number,
        "mandatory": q.mandatory, "text": _text(q.text), "help": _text(q.help), "when": _fn(q.condition),
        "validations": [{"rule": _fn(v.rule), "message": _text(v.message)} for v in q.validations],
        "options": None, "rows": None, "columns": None,
        "min": getattr(q, "min", None), "max": getattr(q, "max", None),
        "integer": False, "default": None, "maxLength": None, "pattern": None,
        **kind.answer_check(q),
        "initial": _answers.to_json(q, _answers.initial(q)),
        "prefix": _text(getattr(q, "prefix", None)), "suffix": _text(getattr(q, "suffix", None)),
        "value": _fn(q.formula), "typeLetter": type_letter(q),
    }
    if out["pattern"] is not None:
        out["pattern"] = Js(compile_regex(out["pattern"], fullmatch=True))
    if hasattr(q, "options"):
        out["options"] = [{"code": o.code, "label": _text(o.label), "plain": o.label.plain.strip(),
                           "exclusive": o.exclusive, "when": _fn(o.condition)} for o in q.options]
    if hasattr(q, "rows"):
        out["rows"] = [{"code": r.code, "label": _text(r.label), "when": _fn(r.condition)} for r in q.rows]
        out["columns"] = [{"code": c.code, "label": _text(c.label)} for c in cast(Table, q).columns]
    return out


def _always_shown(survey: Survey, codes) -> bool:
    """Whether every respondent is shown the page of these questions: one of them has no
    condition, nor has its group. The form counts such pages as certain ("Page 2 of 6")
    and the others as possible ("Page 2 of at most 8")."""
    unconditional = {g.code for g in survey.groups if g.condition is None}
    return any(q.formula is None and q.condition is None and q.group in unconditional
               for q in map(survey.question, codes))


def survey_module(survey: Survey) -> str:
    """The JS source of the survey (see the module docstring). Every pattern a
    loaded survey holds translates: loading refuses those RE2 or JavaScript cannot
    run as Python means them (E107)."""
    graph = survey.graph
    nodes = [f"{kind}:{code}" for kind, code in graph.order]
    index = {node: i for i, node in enumerate(graph.order)}
    questions = [_question(q) for q in survey.questions]
    spec = {
        "code": survey.code, "language": survey.language, "format": survey.format,
        "title": _text(survey.title), "welcome": _text(survey.welcome), "end": _text(survey.end),
        "messages": messages(survey.language),
        "groups": [{"code": g.code, "title": _text(g.title), "description": _text(g.description),
                    "when": _fn(g.condition), "questions": list(g.questions)} for g in survey.groups],
        "questions": questions,
        "symbols": {name: [s.question, *s.sub] for name, s in survey.symbols.names.items() if s.sub},
        "graph": {"nodes": nodes,
                  "dependents": [sorted(index[d] for d in graph.dependents.get(n, ())) for n in graph.order]},
        "pages": {fmt: [{"key": p.key, "groups": list(p.groups), "questions": list(p.questions),
                         "always": _always_shown(survey, p.questions)}
                        for p in pages_of(survey, fmt)] for fmt in NAVIGATION_FORMATS},
    }
    body = _emit(spec)
    fingerprint = hashlib.sha256(body.encode()).hexdigest()[:16]
    return f"(function(Q){{var s={body};s.fingerprint={js_literal(fingerprint)};return s;}})"
