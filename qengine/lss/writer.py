"""QDL source text for an imported survey.

The importer builds a small outline (`QdlSurvey` > `QdlGroup` > `QdlQuestion`) with
texts as parts (strings and expressions) and statements already in QDL syntax, and
this module writes it out: a header comment saying where the survey came from,
then the survey, each note as a comment beside what it concerns.
"""

from __future__ import annotations

import attrs

from qengine.expr import ast

Parts = list  # of str and ast.Expr


@attrs.define
class QdlQuestion:
    kind: str
    code: str
    text: Parts | None = None
    lines: list[str] = attrs.field(factory=list)
    comments: list[str] = attrs.field(factory=list)
    condition: ast.Expr | None = None


@attrs.define
class QdlGroup:
    code: str
    title: Parts
    description: Parts | None = None
    condition: ast.Expr | None = None
    questions: list[QdlQuestion] = attrs.field(factory=list)
    comments: list[str] = attrs.field(factory=list)


@attrs.define
class QdlSurvey:
    code: str
    title: Parts
    language: str
    format: str
    welcome: Parts | None = None
    end: Parts | None = None
    groups: list[QdlGroup] = attrs.field(factory=list)
    header: list[str] = attrs.field(factory=list)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "{": "\\{", "}": "\\}",
                          "\r": ""})


def text(parts: Parts, indent: str = "    ") -> str:
    """A QDL string: literal parts escaped, expressions in braces. A text of several
    lines is written triple-quoted, its lines at `indent`."""
    if any(isinstance(p, str) and "\n" in p for p in parts):
        body = "".join(p.translate(_BLOCK_ESCAPES) if isinstance(p, str) else "{" + ast.unparse(p) + "}"
                       for p in parts)
        lines = [f"{indent}{line}" if line.strip() else "" for line in body.split("\n")]
        return '"""\n' + "\n".join(lines) + f'\n{indent}"""'
    out = []
    for p in parts:
        out.append(p.translate(_ESCAPES) if isinstance(p, str) else "{" + ast.unparse(p) + "}")
    return '"' + "".join(out) + '"'


_BLOCK_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\t": "\\t", "{": "\\{", "}": "\\}", "\r": ""})


def raw(pattern: str) -> str:
    """A pattern as QDL takes it: as written, between quotes."""
    return '"' + pattern.replace("\n", "").replace('"', '\\"') + '"'


def expression(e: ast.Expr) -> str:
    return ast.unparse(e)


def _comments(lines: list[str], indent: str) -> list[str]:
    out = []
    for line in lines:
        for piece in line.splitlines() or [""]:
            out.append(f"{indent}# {piece}".rstrip())
    return out


def write(survey: QdlSurvey) -> str:
    lines = _comments(survey.header, "")
    lines.append("")
    lines.append(f"survey {survey.code} {text(survey.title)}" if survey.title else f"survey {survey.code}")
    lines.append(f"language {survey.language}")
    if survey.format != "group":
        lines.append(f"format {survey.format}")
    if survey.welcome:
        lines.append(f"welcome {text(survey.welcome, '  ')}")
    if survey.end:
        lines.append(f"end {text(survey.end, '  ')}")
    for group in survey.groups:
        lines.append("")
        lines.extend(_comments(group.comments, ""))
        lines.append(f"group {group.code} {text(group.title or [group.code])}")
        if group.description:
            lines.append(f"  description {text(group.description, '    ')}")
        if group.condition is not None:
            lines.append(f"  when {expression(group.condition)}")
        for q in group.questions:
            lines.append("")
            lines.extend(_comments(q.comments, "  "))
            head = f"  {q.kind} {q.code}"
            if q.text is not None:
                head += f" {text(q.text, '      ')}"
            lines.append(head)
            if q.condition is not None:
                lines.append(f"    when {expression(q.condition)}")
            lines.extend(f"    {line}" for line in q.lines)
    return "\n".join(lines) + "\n"
