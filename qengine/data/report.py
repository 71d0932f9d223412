"""`qengine report`: the descriptive tables of a results chapter, each over the
respondents who were asked the question.

`summary(table, by=None)` computes everything as plain data (the JSON format,
schema in docs/data.md); `html(...)` and `pdf(...)` lay it out with a Jinja2
template (autoescaped: answers and labels are data, never markup) and matplotlib
plots (SVG images, which run nothing).

Per question: *asked* (the denominator: shown to the respondent when they
submitted, as the Session replays it), *answered*, and then by shape:
- a single choice, an array's row: count of each option, % of answered, Wilson 95 %;
- a multiple choice: each option ticked, % of asked (a box not ticked is an answer);
- numbers, grid cells and numeric equations: n, mean, median, quartiles, min, max
  and a histogram;
- texts: how many different answers (the texts themselves stay in the data);
- `by`: the same counts by group of a single choice (or a ticked box), with the test
  of `stats.association` stated under the table.
"""

from __future__ import annotations

import base64
import io
import math
from collections import Counter
from functools import cache
from importlib.resources import files
from typing import Any

from qengine.data import DataError, require
from qengine.data.columns import NO_ANSWER, NOT_ASKED, Variable
from qengine.data.export import Table
from qengine.data.stats import association, quantiles, wilson
from qengine.data.words import number, words
from qengine.kinds.registry import kind_of

SCHEMA = "qengine-report/1"
BINS = 10


def _is_value(x: Any) -> bool:
    return x is not NOT_ASKED and x is not NO_ANSWER


def summary(table: Table, by: str | None = None) -> dict:
    """The report as data: `{"respondents": N, "questions": {CODE: {...}}}`."""
    survey = table.loaded.survey
    said = words(table.language)
    groups = _groups(table, by) if by else None
    out: dict[str, Any] = {"schema": SCHEMA, "survey": survey.code, "language": table.language,
                           "title": _title(survey), "respondents": len(table.rows),
                           "problems": len(table.loaded.problems), "by": None, "questions": {}}
    if groups is not None:
        variable, labels, per_row = groups
        out["by"] = {"variable": variable.name, "label": variable.label, "groups": labels}
    for code, variables in table.lay.by_question.items():
        q = survey.by_code[code]
        asked_flags = table.asked[code]
        asked = sum(asked_flags)
        columns = [table.values[v.name] for v in variables]
        answered = sum(1 for i, flag in enumerate(asked_flags)
                       if flag and any(c[i] is not NO_ANSWER for c in columns))
        entry: dict[str, Any] = {"number": q.number, "text": _question_text(table, code), "kind": q.kind, "shape": kind_of(q).shape, "asked": asked, "answered": answered,
                                 "denominator": denominator(asked, said)}
        shape = entry["shape"]
        if shape == "choice":
            entry.update(_choice(variables[0], columns[0], answered))
        elif shape == "choices":
            entry["options"] = {}
            for v, col in zip(variables, columns, strict=True):
                ticked = sum(1 for x in col if x == 1)
                entry["options"][v.part[0]] = {"label": v.label.rsplit(" [", 1)[-1].rstrip("]"), "count": ticked,
                                               **_share(ticked, asked)}
            entry["counts"] = {k: o["count"] for k, o in entry["options"].items()}
        elif shape == "row_choice":
            entry["rows"] = {}
            for v, col in zip(variables, columns, strict=True):
                row_answered = sum(1 for x in col if _is_value(x))
                entry["rows"][v.part[0]] = {"label": _part_label(v), "answered": row_answered,
                                            **_choice(v, col, row_answered)}
        elif shape == "row_cells" or table.types[variables[0].name] in ("number", "integer"):
            entry["cells" if shape == "row_cells" else "summary"] = (
                {v.name.split("_", 1)[1]: {"label": _part_label(v), **_numbers(col)}
                 for v, col in zip(variables, columns, strict=True)}
                if shape == "row_cells" else _numbers(columns[0]))
        elif table.types[variables[0].name] == "text" and shape == "text":
            entry["distinct"] = len({x for x in columns[0] if _is_value(x)})
        else:  # an equation that computes texts
            entry.update(_choice(variables[0], columns[0], answered, free=True))
        if groups is not None and variables[0] is not groups[0] and code != groups[0].question:
            crossed = _crossed(table, variables, columns, shape, groups)
            if crossed:
                entry["by"] = crossed
        out["questions"][code] = entry
    return out


def denominator(asked: int, said: dict) -> str:
    if asked == 0:
        return said["nobody_asked"]
    return (said["among_asked_one"] if asked == 1 else said["among_asked"]).format(n=asked)


def _title(survey) -> str:
    from qengine.renderers.words import Reader

    return Reader(survey).reading(survey.title) if survey.title is not None else survey.code


def _question_text(table: Table, code: str) -> str:
    from qengine.renderers.words import Reader

    q = table.loaded.survey.by_code[code]
    return Reader(table.loaded.survey).reading(q.text) if q.text is not None else code


def _part_label(v: Variable) -> str:
    return v.label.rsplit(" [", 1)[-1].rstrip("]") if " [" in v.label else v.name


def _share(k: int, n: int) -> dict:
    lo, hi = wilson(k, n)
    return {"percent": None if n == 0 else round(100 * k / n, 2),
            "ci": None if n == 0 else [round(100 * lo, 2), round(100 * hi, 2)]}


def _choice(v: Variable, col, answered: int, free: bool = False) -> dict:
    counts = Counter(x for x in col if _is_value(x))
    order = list(v.values) if not free else [k for k, _ in counts.most_common()]
    extra = [k for k in counts if k not in order]  # values the survey's options do not have
    options = {}
    for code in [*order, *extra]:
        options[str(code)] = {"label": v.values.get(code, str(code)), "count": counts.get(code, 0),
                              **_share(counts.get(code, 0), answered)}
    return {"counts": {k: o["count"] for k, o in options.items()}, "options": options}


def _numbers(col) -> dict:
    values = [float(x) for x in col if _is_value(x) and isinstance(x, int | float) and math.isfinite(x)]
    if not values:
        return {"n": 0}
    out: dict[str, Any] = {k: round(v, 4) for k, v in quantiles(values).items()}
    out["histogram"] = _histogram(values)
    return out


def _histogram(values: list[float]) -> dict:
    import numpy as np

    low, high = min(values), max(values)
    if low == high:
        return {"edges": [low, high], "counts": [len(values)]}
    whole = all(float(x).is_integer() for x in values)
    if whole and high - low < 30:
        edges = np.arange(low - 0.5, high + 1.5)
    else:
        edges = np.linspace(low, high, BINS + 1)
    counts, edges = np.histogram(values, bins=edges)
    return {"edges": [round(float(e), 4) for e in edges], "counts": [int(c) for c in counts]}


# ---------------------------------------------------------------- cross-tables
def _groups(table: Table, by: str):
    """The variable `by` names (a variable, or a question of one variable), its
    groups (code -> label) and each row's group (None: no group)."""
    variable = table.lay.variable(by)
    if variable is None and by in table.lay.by_question and len(table.lay.by_question[by]) == 1:
        variable = table.lay.by_question[by][0]
    if variable is None or table.types[variable.name] not in ("choice", "flag"):
        choices = [v.name for v in table.lay.variables if table.types[v.name] in ("choice", "flag")]
        raise DataError(f"--by needs a single-choice variable or a ticked box; '{by}' is not one "
                        f"(for instance: {', '.join(choices[:6])})")
    labels = dict(variable.values)
    per_row = [x if _is_value(x) else None for x in table.values[variable.name]]
    if table.types[variable.name] == "flag":
        per_row = [None if x is None else str(x) for x in per_row]
        labels = {"1": labels["1"], "0": labels["0"]}
    return variable, labels, per_row


def _crossed(table: Table, variables, columns, shape: str, groups) -> dict | None:
    by_var, labels, per_row = groups
    kind = table.types[variables[0].name]
    if shape == "choices":
        out = {}
        for v, col in zip(variables, columns, strict=True):
            out[v.part[0]] = _cross(per_row, col, labels, {1: "1", 0: "0"})
        return {"options": out}
    if shape == "row_choice":
        return {"rows": {v.part[0]: _cross(per_row, col, labels, {c: c for c in v.values})
                         for v, col in zip(variables, columns, strict=True)}}
    if shape == "choice":
        return _cross(per_row, columns[0], labels, {c: c for c in variables[0].values})
    if kind in ("number", "integer") and shape != "row_cells":
        out = {}
        for g in labels:
            values = [x for x, grp in zip(columns[0], per_row, strict=True) if grp == g and _is_value(x)]
            out[g] = _numbers(values)
            out[g].pop("histogram", None)
        return {"summaries": out}
    return None


def _cross(per_row, col, labels: dict, answers: dict) -> dict:
    """Counts by group (rows) and answer (columns), among those asked and
    answering both, and the test of independence."""
    counts: Counter = Counter()
    for grp, x in zip(per_row, col, strict=True):
        if grp is not None and _is_value(x):
            counts[grp, answers.get(x, str(x))] += 1
    answer_codes = list(dict.fromkeys(answers.values()))
    matrix = [[counts.get((g, a), 0) for a in answer_codes] for g in labels]
    test = association(matrix)
    return {"answers": answer_codes, "groups": list(labels), "counts": matrix,
            "n": sum(map(sum, matrix)), "test": None if test is None else test.to_json()}


# ---------------------------------------------------------------- documents
@cache
def _environment():
    import jinja2
    import markupsafe

    here = files("qengine.data").joinpath("templates")
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: here.joinpath(name).read_text(encoding="utf-8")),
        autoescape=True,  # answers and labels are data, never markup
        undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["stylesheet"] = markupsafe.Markup(here.joinpath("data.css").read_text(encoding="utf-8"))
    return env


def render_html(data: dict, *, plots: bool = True) -> str:
    said = words(data["language"])
    language = data["language"]

    def num(x, digits=1):
        return "–" if x is None else number(x, language, digits)

    charts = _charts(data, said) if plots else {}
    return _environment().get_template("report.html.j2").render(
        report=data, said=said, num=num, charts=charts, crosses=_crosses,
        test_text=lambda t: test_text(t, said, language))


def _crosses(by: dict) -> list[tuple[str | None, dict]]:
    """The cross-tables of one question's `by` entry: (part or None, table)."""
    if "counts" in by:
        return [(None, by)]
    return list((by.get("options") or by.get("rows") or {}).items())


def test_text(test: dict | None, said: dict, language: str) -> str:
    if test is None:
        return said["no_test"]
    p = "< 0,001" if test["p"] < 0.001 and language.startswith("fr") else "< 0.001" if test["p"] < 0.001 \
        else number(test["p"], language, 3)
    if test["method"] == "chi2":
        return said["chi2"].format(stat=number(test["statistic"], language, 2), df=test["df"], p=p)
    if test["method"] == "fisher":
        return said["fisher"].format(p=p)
    return said["montecarlo"].format(p=p, n=number(test["resamples"], language, 0))


def render_pdf(data: dict) -> bytes:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as err:  # OSError: Pango/Cairo missing
        raise DataError(f"PDF output needs WeasyPrint and its libraries: {err}") from err
    return HTML(string=render_html(data)).write_pdf()


def _charts(data: dict, said: dict) -> dict[str, str]:
    """One SVG image a question (data: URI), drawn with matplotlib."""
    require("matplotlib")
    out = {}
    for code, q in data["questions"].items():
        svg = None
        if q["shape"] in ("choice", "choices") and q.get("options"):
            label = said["percent_asked"] if q["shape"] == "choices" else said["percent"]
            svg = _bars([o["label"] for o in q["options"].values()],
                        [o["percent"] or 0 for o in q["options"].values()],
                        [o["ci"] for o in q["options"].values()], label)
        elif q.get("summary", {}).get("histogram"):
            svg = _histogram_svg(q["summary"]["histogram"], said["frequency"])
        if svg:
            out[code] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return out


def _figure(height: float):
    import matplotlib

    matplotlib.rcParams.update({"text.parse_math": False, "svg.hashsalt": "qengine", "svg.fonttype": "path",
                                "font.size": 8})
    from matplotlib.figure import Figure

    return Figure(figsize=(5.5, height))


def _bars(labels: list[str], percents: list[float], cis: list, xlabel: str) -> bytes:
    fig = _figure(0.35 * len(labels) + 0.8)
    ax = fig.add_subplot()
    y = list(range(len(labels)))[::-1]
    errors = [[max(0.0, p - (c or [p, p])[0]) for p, c in zip(percents, cis, strict=True)],
              [max(0.0, (c or [p, p])[1] - p) for p, c in zip(percents, cis, strict=True)]]
    ax.barh(y, percents, xerr=errors, color="#4a78a8", ecolor="#333333", capsize=2)
    ax.set_yticks(y, [_short(t) for t in labels])
    ax.set_xlim(0, 100)
    ax.set_xlabel(xlabel)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _svg(fig)


def _histogram_svg(histogram: dict, ylabel: str) -> bytes:
    fig = _figure(1.8)
    ax = fig.add_subplot()
    edges, counts = histogram["edges"], histogram["counts"]
    widths = [b - a for a, b in zip(edges, edges[1:], strict=False)] or [1]
    ax.bar(edges[:-1] or [edges[0]], counts, width=widths, align="edge", color="#4a78a8", edgecolor="white")
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _svg(fig)


def _svg(fig) -> bytes:
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.BytesIO()
    FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
    return buffer.getvalue()


def _short(text: str, limit: int = 45) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
