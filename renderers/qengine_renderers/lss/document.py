"""The XML of a LimeSurvey survey structure file.

The layout is the one LimeSurvey 4 to 6 export and import (`XMLImportSurvey` in
application/helpers/admin/import_helper.php): a `<document>` with
`LimeSurveyDocType`, `DBVersion`, `languages`, then one element per table, each with
its `<fields>` and `<rows>`; texts are in the `*_l10ns` tables. Values are written as
CDATA, as LimeSurvey writes them.
"""

from __future__ import annotations

import attrs

#: The DBVersion written: LimeSurvey 6.2's. LimeSurvey's importer converts only older
#: files (below 145, 156, 170), so a 6.x LimeSurvey reads this layout as its own.
DBVERSION = 612


@attrs.define
class Table:
    name: str
    fields: list[str]
    rows: list[dict[str, str]] = attrs.field(factory=list)

    def add(self, **values: object) -> dict[str, str]:
        row = {f: "" if values.get(f) is None else str(values[f]) for f in self.fields}
        unknown = set(values) - set(self.fields)
        if unknown:
            raise KeyError(f"{self.name} has no field {sorted(unknown)}")
        self.rows.append(row)
        return row


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def write(tables: list[Table], languages: list[str]) -> str:
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<document>",
           " <LimeSurveyDocType>Survey</LimeSurveyDocType>", f" <DBVersion>{DBVERSION}</DBVersion>",
           " <languages>"]
    out += [f"  <language>{lang}</language>" for lang in languages]
    out.append(" </languages>")
    for table in tables:
        if not table.rows:
            continue
        out.append(f" <{table.name}>")
        out.append("  <fields>")
        out += [f"   <fieldname>{f}</fieldname>" for f in table.fields]
        out.append("  </fields>")
        out.append("  <rows>")
        for row in table.rows:
            out.append("   <row>")
            out += [f"    <{f}>{_cdata(row[f])}</{f}>" for f in table.fields]
            out.append("   </row>")
        out.append("  </rows>")
        out.append(f" </{table.name}>")
    out.append("</document>")
    return "\n".join(out) + "\n"
