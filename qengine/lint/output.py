"""Lint results as text (Ruff's shape), JSON, or SARIF 2.1.0 for code-scanning
tools."""

from __future__ import annotations

import json
from collections.abc import Sequence

from qengine import __version__
from qengine.lint import LintResult
from qengine.lint.diagnostic import lint_format
from qengine.lint.registry import RULES

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def text(results: Sequence[LintResult]) -> str:
    blocks: list[str] = []
    for r in results:
        blocks.extend(lint_format(f, r.source_of(f)) for f in r.findings)
        if not r.loaded:
            blocks.append(f"{r.path}: the survey does not load; fix the errors above first")
    counts = {s: sum(r.count(s) for r in results) for s in ("error", "warning", "info")}
    total = sum(counts.values())
    if total:
        parts = [f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items() if n]
        blocks.append(f"Found {total} finding{'s' if total != 1 else ''} ({', '.join(parts)}).")
    else:
        blocks.append("All checks passed.")
    return "\n\n".join(blocks) + "\n"


def to_json(results: Sequence[LintResult]) -> str:
    return json.dumps([_json(f) for r in results for f in r.findings], ensure_ascii=False, indent=2) + "\n"


def _json(finding) -> dict:
    """The finding's JSON with its rule's symbolic name beside the code."""
    out = finding.to_json()
    return {"code": out.pop("code"), "name": RULES[finding.code].name, **out}


def sarif(results: Sequence[LintResult]) -> str:
    return json.dumps(sarif_log(results), ensure_ascii=False, indent=2) + "\n"


def sarif_log(results: Sequence[LintResult]) -> dict:
    codes = sorted({f.code for r in results for f in r.findings})
    index = {c: i for i, c in enumerate(codes)}
    rules = [{
        "id": c,
        "name": RULES[c].name,
        "shortDescription": {"text": RULES[c].summary},
        "fullDescription": {"text": RULES[c].what},
        "help": {"text": RULES[c].explain()},
        "defaultConfiguration": {"level": _SARIF_LEVEL[RULES[c].severity]},
    } for c in codes]
    out = []
    for r in results:
        for f in r.findings:
            result = {
                "ruleId": f.code,
                "ruleIndex": index[f.code],
                "level": _SARIF_LEVEL[f.severity],
                "message": {"text": f.message + (f" ({f.hint})" if f.hint else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": f.span.path},
                    "region": {"startLine": f.span.line, "startColumn": f.span.column,
                               "endLine": f.span.end_line, "endColumn": max(f.span.end_column, f.span.column)},
                }}],
            }
            if f.witness is not None:
                result["properties"] = {"witness": f.witness}
            out.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "qengine lint", "version": __version__, "rules": rules}},
            "results": out,
        }],
    }
