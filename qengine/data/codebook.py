"""`qengine codebook`: every variable of a survey, for a thesis appendix and for
whoever analyses the data: name, question, type, values with their labels (and
the numbers SPSS and Stata files store), missing codes, and when the question is
asked, in plain words (the printable annex's words backend).

Markdown, HTML (autoescaped Jinja2) or PDF (WeasyPrint).
"""

from __future__ import annotations

from typing import Any

from qengine.data import DataError
from qengine.data.columns import Layout, layout
from qengine.data.export import ASKED_SUFFIX, Codes
from qengine.data.words import words
from qengine.kinds.registry import kind_of
from qengine.model import Survey
from qengine.renderers.words import Reader

FORMATS = ("md", "html", "pdf")


def entries(survey: Survey, codes: Codes = Codes(), lay: Layout | None = None) -> dict:  # noqa: B008 - frozen
    """The codebook as data: one entry a question, with its variables."""
    lay = lay or layout(survey)
    said = words(survey.language)
    reader = Reader(survey)
    questions = []
    for code, variables in lay.by_question.items():
        q = survey.by_code[code]
        r = reader.about(code)
        group = survey.groups_by_code.get(q.group)
        conditions = []
        if group is not None and group.condition is not None:
            conditions.append(said["group_if"].format(condition=r.sentence(group.condition)))
        if q.condition is not None:
            conditions.append(said["asked_if"].format(condition=r.sentence(q.condition)))
        if q.formula is not None:
            conditions.append(said["computed"])
        elif not conditions:
            conditions.append(said["always"])
        questions.append({
            "code": code, "number": q.number, "text": reader.reading(q.text) if q.text is not None else "",
            "kind": kind_of(q).word(survey.language), "conditions": conditions,
            "formula": reader.about(code).term(q.formula) if q.formula is not None else None,
            "asked_column": code + ASKED_SUFFIX,
            "variables": [{"name": v.name, "label": v.label, "type": said["types"][v.type],
                           "values": [{"code": c, "number": v.numbers.get(c), "label": label}
                                      for c, label in v.values.items()]} for v in variables]})
    return {"survey": survey.code, "language": survey.language,
            "title": reader.reading(survey.title) if survey.title is not None else survey.code,
            "missing": {"not_asked": said["not_asked"], "no_answer": said["no_answer"],
                        "csv": [codes.not_asked, codes.no_answer], "stata": [".a", ".b"]},
            "questions": questions, "said": said}


def render(survey: Survey, fmt: str, codes: Codes = Codes()) -> str | bytes:  # noqa: B008 - frozen
    data = entries(survey, codes)
    if fmt == "md":
        return markdown(data)
    if fmt == "html":
        return html(data)
    if fmt == "pdf":
        try:
            from weasyprint import HTML
        except (ImportError, OSError) as err:
            raise DataError(f"PDF output needs WeasyPrint and its libraries: {err}") from err
        return HTML(string=html(data)).write_pdf()
    raise DataError(f"unknown codebook format {fmt!r}; one of {', '.join(FORMATS)}")


def html(data: dict) -> str:
    from qengine.data.report import _environment

    return _environment().get_template("codebook.html.j2").render(book=data, said=data["said"])


def _md(text: Any) -> str:
    """Survey text made inert in Markdown: no HTML, no table cell broken."""
    text = " ".join(str(text).split())
    for a, b in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("`", "\\`"), ("*", "\\*"),
                 ("_", "\\_"), ("[", "\\["), ("]", "\\]")):
        text = text.replace(a, b)
    return text


def markdown(data: dict) -> str:
    said = data["said"]
    missing = data["missing"]
    lines = [f"# {said['codebook']} — {_md(data['title'])}", "",
             f"{said['missing']}: CSV/XLSX/SPSS `{missing['csv'][0]}` = {missing['not_asked']}, "
             f"`{missing['csv'][1]}` = {missing['no_answer']}; Stata `.a` = {missing['not_asked']}, "
             f"`.b` = {missing['no_answer']}; Parquet/pandas: null, `QUESTION{ASKED_SUFFIX}`.", ""]
    for q in data["questions"]:
        lines += [f"## {q['number']}. `{q['code']}` — {_md(q['text'])}", "", f"*{_md(q['kind'])}*", ""]
        lines += [f"- {_md(c)}" for c in q["conditions"]]
        if q["formula"]:
            lines.append(f"- = {_md(q['formula'])}")
        lines += ["", f"| {said['variable']} | {said['label']} | {said['type']} | {said['values']} |",
                  "|---|---|---|---|"]
        for v in q["variables"]:
            values = "<br>".join(f"`{_md(x['code'])}` ({x['number']}) {_md(x['label'])}" for x in v["values"])
            lines.append(f"| `{v['name']}` | {_md(v['label'])} | {_md(v['type'])} | {values} |")
        lines.append("")
    return "\n".join(lines)
