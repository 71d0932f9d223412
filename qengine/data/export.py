"""The responses as a table, in every format: CSV, XLSX, SPSS, Stata, Parquet,
JSON lines, and a pandas DataFrame.

Columns: the record's fields (id, version, status, started_at, submitted_at,
duration in seconds), then the survey's variables (`columns`). "Not asked" and
"asked, no answer" are never the same value:

| format        | not asked                   | asked, no answer            |
|---------------|-----------------------------|-----------------------------|
| CSV, XLSX     | -1 (`--not-asked`)          | -2 (`--no-answer`)          |
| SPSS .sav     | -1, user-missing, labelled  | -2, user-missing, labelled  |
| Stata .dta    | .a (extended missing)       | .b (extended missing)       |
| Parquet, API  | null, `q__asked` false      | null, `q__asked` true       |
| JSON lines    | the question is absent      | the question is null        |

Text variables hold the codes as text where a number cannot stand (SPSS: as
user-missing strings; Stata: "-1"/"-2", a string variable having no extended
missing values). A value equal to a missing code is refused, not written.

Spreadsheets (CSV and XLSX): a text that starts with =, +, -, @, a tab or a
carriage return is written with a leading apostrophe ('=SUM(A1)), so that Excel or
LibreOffice never takes an answer for a formula (OWASP's advice on CSV injection).
The other formats keep texts exactly.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, TextIO

import attrs

from qengine.data import DataError, require
from qengine.data.columns import (
    NO_ANSWER,
    NOT_ASKED,
    RECORD_COLUMNS,
    Layout,
    Variable,
    computed_types,
    layout,
    rows,
)
from qengine.data.sources import Loaded
from qengine.data.words import words

FORMATS = ("csv", "xlsx", "sav", "dta", "parquet", "jsonl", "json")
#: what a spreadsheet would read as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ASKED_SUFFIX = "__asked"  # QDL codes hold no "_": no variable can end so


@attrs.frozen
class Codes:
    """The two missing codes of CSV, XLSX and SPSS files."""

    not_asked: str = "-1"
    no_answer: str = "-2"

    def __attrs_post_init__(self):
        if self.not_asked == self.no_answer:
            raise DataError(f"'not asked' and 'asked, no answer' need two different codes, not "
                            f"'{self.not_asked}' twice")

    def numbers(self) -> tuple[float, float] | None:
        try:
            return _num(float(self.not_asked)), _num(float(self.no_answer))
        except ValueError:
            return None


def _num(x: float) -> int | float:
    return int(x) if x.is_integer() else x


def neutralise(text: str) -> str:
    """A text a spreadsheet will not run: a leading apostrophe before =, +, -, @."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class Table:
    """The rows of the responses for one layout: built once, written in any format."""

    def __init__(self, loaded: Loaded, lay: Layout | None = None):
        self.loaded = loaded
        self.lay = lay or layout(loaded.survey)
        self.rows = rows(self.lay, loaded)
        kinds = computed_types(self.lay, self.rows)
        self.types = {v.name: kinds.get(v.name, v.type) for v in self.lay.variables}
        n = len(self.lay.variables)
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * (n + len(self.lay.by_question))
        self.values = dict(zip((v.name for v in self.lay.variables), columns[:n], strict=True))
        self.asked = dict(zip(self.lay.by_question, columns[n:], strict=True))
        records = loaded.records
        self.fields = {"id": [r.id for r in records], "version": [r.version for r in records],
                       "status": [r.status for r in records], "started_at": [r.started_at for r in records],
                       "submitted_at": [r.submitted_at for r in records],
                       "duration": [r.duration for r in records]}

    @property
    def language(self) -> str:
        return self.loaded.survey.language

    def numeric(self, v: Variable) -> bool:
        return self.types[v.name] in ("flag", "number", "integer")

    # ------------------------------------------------------------ the two forms
    def coded(self, v: Variable, codes: Codes, *, numbers: bool = False, spreadsheet: bool = False) -> list:
        """The variable's values with the missing codes in; `numbers`: choices
        as their numbers (SPSS), codes as numbers where the variable is numeric."""
        raw = self.values[v.name]
        kind = self.types[v.name]
        na: str | float = codes.not_asked
        nr: str | float = codes.no_answer
        if numbers and (kind in ("choice", "flag", "number", "integer")):
            pair = codes.numbers()
            if pair is None:
                raise DataError(f"SPSS needs numbers as missing codes, not '{na}' and '{nr}'")
            na, nr = pair
        elif spreadsheet and (pair := codes.numbers()) is not None:  # XLSX: -1 a number in every column
            na, nr = pair
        self._collision(v, raw, codes)
        if numbers and kind == "choice":
            table = v.numbers
            return [na if x is NOT_ASKED else nr if x is NO_ANSWER else table[x] for x in raw]
        if spreadsheet and kind in ("text", "computed"):
            return [na if x is NOT_ASKED else nr if x is NO_ANSWER else neutralise(x) if isinstance(x, str) else x
                    for x in raw]
        if kind == "text" and numbers:
            return [na if x is NOT_ASKED else nr if x is NO_ANSWER else str(x) for x in raw]
        return [na if x is NOT_ASKED else nr if x is NO_ANSWER else x for x in raw]

    def _collision(self, v: Variable, raw, codes: Codes) -> None:
        kind = self.types[v.name]
        clash: set[str] | set[float]
        if kind in ("choice", "flag"):
            clash = {codes.not_asked, codes.no_answer} & set(v.values)
        elif kind in ("number", "integer"):
            pair = codes.numbers()
            clash = set() if pair is None else {x for x in set(raw) if isinstance(x, int | float) and x in pair}
        else:
            clash = {x for x in set(map(str, raw)) if x in (codes.not_asked, codes.no_answer)}
        if clash:
            raise DataError(f"{v.name} holds the value {sorted(map(str, clash))[0]}, which is also a missing code: "
                            "choose other codes with --not-asked and --no-answer")

    def plain(self, v: Variable) -> list:
        """The values with None for both missing kinds (the asked flag tells them apart)."""
        return [None if x is NOT_ASKED or x is NO_ANSWER else x for x in self.values[v.name]]

    # ------------------------------------------------------------ pandas
    def frame(self):
        """The DataFrame of `qengine.responses.load`: typed columns, missing values
        as NA, and one `q__asked` column a question (True: asked)."""
        require("pandas")
        import pandas as pd

        data: dict[str, Any] = {}
        for name in RECORD_COLUMNS:
            data[name] = pd.array(self.fields[name], dtype="Float64" if name == "duration" else None)
        for v in self.lay.variables:
            data[v.name] = pd.array(self.plain(v), dtype=_dtype(self.types[v.name]))
        for code, flags in self.asked.items():
            data[code + ASKED_SUFFIX] = pd.array(list(flags), dtype="bool")
        frame = pd.DataFrame(data)
        frame.attrs["qengine"] = self.metadata()
        return frame

    def metadata(self) -> dict:
        """What a file without value labels keeps beside the values: each
        variable's label, type and values, and the missing conventions."""
        said = words(self.language)
        return {"survey": self.loaded.survey.code, "language": self.language,
                "missing": {"not_asked": said["not_asked"], "no_answer": said["no_answer"],
                            "rule": f"a null value is 'not asked' where QUESTION{ASKED_SUFFIX} is false, "
                                    "'asked, no answer' where it is true"},
                "variables": [{"name": v.name, "question": v.question, "label": v.label,
                               "type": self.types[v.name], "values": v.values} for v in self.lay.variables]}


def _dtype(kind: str) -> str:
    return {"flag": "Int8", "integer": "Int64", "number": "Float64", "choice": "string",
            "text": "string", "computed": "string"}[kind]


# ---------------------------------------------------------------- writers
def write(table: Table, fmt: str, out: str | Path | TextIO, codes: Codes = Codes()) -> None:  # noqa: B008 - frozen
    """Write the table in `fmt` to the file `out` (CSV, JSON lines and JSON also
    to '-': standard output, by the caller)."""
    if fmt not in FORMATS:
        raise DataError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    {"csv": write_csv, "xlsx": write_xlsx, "sav": write_sav, "dta": write_dta, "parquet": write_parquet,
     "jsonl": write_jsonl, "json": write_json}[fmt](table, out, codes)


def _open_text(out):
    if isinstance(out, io.TextIOBase):
        return _Keep(out)
    return Path(out).open("w", encoding="utf-8", newline="")


class _Keep:
    def __init__(self, stream):
        self.stream = stream

    def __enter__(self):
        return self.stream

    def __exit__(self, *exc):
        return False


def write_csv(table: Table, out, codes: Codes) -> None:
    import csv

    columns = [[_field(x) for x in table.fields[name]] for name in RECORD_COLUMNS]
    columns += [table.coded(v, codes, spreadsheet=True) for v in table.lay.variables]
    heading = [*RECORD_COLUMNS, *(v.name for v in table.lay.variables)]
    with _open_text(out) as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(heading)
        writer.writerows(zip(*columns, strict=True) if table.rows else ())


def _field(x: Any) -> Any:
    if x is None:
        return ""
    return neutralise(x) if isinstance(x, str) else x


def write_jsonl(table: Table, out, codes: Codes) -> None:
    with _open_text(out) as stream:
        for r in table.loaded.records:
            stream.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")


def write_json(table: Table, out, codes: Codes) -> None:
    with _open_text(out) as stream:
        stream.write(json.dumps([r.to_json() for r in table.loaded.records], ensure_ascii=False, indent=2) + "\n")


def write_xlsx(table: Table, out, codes: Codes) -> None:
    require("openpyxl")
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    said = words(table.language)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("responses")
    bold = Font(bold=True)

    def cell(ws, value):
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # a string, never a formula, whatever it starts with
        return c

    heading = [*RECORD_COLUMNS, *(v.name for v in table.lay.variables)]
    head = []
    for name in heading:
        c = WriteOnlyCell(sheet, value=name)
        c.font = bold
        head.append(c)
    sheet.append(head)
    columns = [[_field(x) if x is not None else None for x in table.fields[name]] for name in RECORD_COLUMNS]
    columns += [table.coded(v, codes, spreadsheet=True) for v in table.lay.variables]
    for row in zip(*columns, strict=True) if table.rows else ():
        sheet.append([cell(sheet, x) for x in row])
    variables = book.create_sheet("variables")
    variables.append([said["variable"], said["label"], said["type"], said["values"], said["missing"]])
    missing = f"{codes.not_asked} = {said['not_asked']}; {codes.no_answer} = {said['no_answer']}"
    for v in table.lay.variables:
        values = "; ".join(f"{code} = {label}" for code, label in v.values.items())
        variables.append([cell(variables, neutralise(x)) for x in
                          (v.name, v.label, said["types"][table.types[v.name]], values, missing)])
    labels = book.create_sheet("values")
    labels.append([said["variable"], said["code"], said["label"]])
    for v in table.lay.variables:
        for code, label in v.values.items():
            labels.append([cell(labels, neutralise(x)) for x in (v.name, code, label)])
        labels.append([cell(labels, x) for x in (v.name, codes.not_asked, said["not_asked"])])
        labels.append([cell(labels, x) for x in (v.name, codes.no_answer, said["no_answer"])])
    try:
        book.save(out)
    except OSError as err:
        raise DataError(f"{out}: cannot write: {err.strerror or err}") from None


def _records_frame(table: Table, *, stata: bool = False):
    import pandas as pd

    data = {}
    for name in RECORD_COLUMNS:
        values = table.fields[name]
        if name == "duration":
            data[name] = pd.Series([float("nan") if x is None else float(x) for x in values], dtype="float64")
        elif name == "id" and all(isinstance(x, int) for x in values):
            data[name] = pd.Series(values, dtype="float64")
        else:
            data[name] = pd.Series(["" if x is None else str(x) for x in values], dtype=object)
    return data


def write_sav(table: Table, out, codes: Codes) -> None:
    require("pandas", "pyreadstat")
    import pandas as pd
    import pyreadstat

    said = words(table.language)
    pair = codes.numbers()
    if pair is None:
        raise DataError(f"SPSS needs numbers as missing codes, not '{codes.not_asked}' and '{codes.no_answer}'")
    data = _records_frame(table)
    labels = dict.fromkeys(RECORD_COLUMNS, None)
    value_labels: dict[str, dict] = {}
    missing: dict[str, list] = {}
    for v in table.lay.variables:
        kind = table.types[v.name]
        values = table.coded(v, codes, numbers=True)
        labels[v.name] = v.label[:250]
        if kind in ("text", "computed"):
            data[v.name] = pd.Series(values, dtype=object)
            missing[v.name] = [codes.not_asked, codes.no_answer]
            continue
        data[v.name] = pd.Series(values, dtype="float64")
        missing[v.name] = list(pair)
        own = {v.numbers[c]: label for c, label in v.values.items()} if kind in ("choice", "flag") else {}
        value_labels[v.name] = {**own, pair[0]: said["not_asked"], pair[1]: said["no_answer"]}
    frame = pd.DataFrame(data)
    try:
        pyreadstat.write_sav(frame, str(out), column_labels=labels, variable_value_labels=value_labels,
                             missing_ranges=missing, file_label=table.loaded.survey.code)
    except OSError as err:
        raise DataError(f"{out}: cannot write: {err.strerror or err}") from None


#: Stata's limits: names of 32 characters, labels of 80
STATA_NAME, STATA_LABEL = 32, 80


def stata_names(table: Table) -> dict[str, str]:
    """Each variable's Stata name (cut to 32 characters, made unique)."""
    from qengine.data.limesurvey import shorten

    taken = {n.lower() for n in RECORD_COLUMNS}
    return {v.name: shorten(v.name, STATA_NAME, taken) for v in table.lay.variables}


def write_dta(table: Table, out, codes: Codes) -> None:
    require("pandas", "pyreadstat")
    import pandas as pd
    import pyreadstat

    names = stata_names(table)
    data = _records_frame(table, stata=True)
    labels: dict[str, str | None] = dict.fromkeys(RECORD_COLUMNS, None)
    value_labels: dict[str, dict] = {}
    missing: dict[str, list] = {}
    for v in table.lay.variables:
        kind = table.types[v.name]
        name = names[v.name]
        labels[name] = v.label[:STATA_LABEL]
        if kind in ("text", "computed"):
            data[name] = pd.Series(table.coded(v, codes, numbers=True), dtype=object)
            continue
        raw = table.values[v.name]
        numbers = v.numbers if kind == "choice" else None
        data[name] = pd.Series(["a" if x is NOT_ASKED else "b" if x is NO_ANSWER
                                else float(numbers[x] if numbers else x) for x in raw], dtype=object)
        missing[name] = ["a", "b"]
        if kind in ("choice", "flag"):
            value_labels[name] = {v.numbers[c]: label[:32000] for c, label in v.values.items()}
    frame = pd.DataFrame(data)
    try:
        pyreadstat.write_dta(frame, str(out), column_labels=labels, variable_value_labels=value_labels,
                             missing_user_values=missing, file_label=table.loaded.survey.code[:80],
                             version=15)
    except OSError as err:
        raise DataError(f"{out}: cannot write: {err.strerror or err}") from None


def write_parquet(table: Table, out, codes: Codes) -> None:
    require("pandas", "pyarrow")
    import pyarrow as pa
    import pyarrow.parquet as pq

    frame = table.frame()
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(arrow.schema.metadata or {})
    meta[b"qengine"] = json.dumps(table.metadata(), ensure_ascii=False).encode()
    arrow = arrow.replace_schema_metadata(meta)
    try:
        pq.write_table(arrow, str(out))
    except OSError as err:
        raise DataError(f"{out}: cannot write: {err.strerror or err}") from None
