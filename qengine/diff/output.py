"""The report as text (for review), JSON (for tools) and Markdown (for a
pull-request comment)."""

from __future__ import annotations

import json
from typing import Any

from qengine.diff.changes import CHANGED, SAME, UNDECIDED, Change, Report

_MARK = {CHANGED: "changed", SAME: "same", UNDECIDED: "undecided"}


#: A witness longer than this is counted, not printed (the JSON gives it whole).
SHORT = 240


def _answers(answers: dict[str, Any]) -> str:
    written = json.dumps(answers, ensure_ascii=False, sort_keys=True)
    if len(written) <= SHORT:
        return written
    return f"{len(answers)} answers (--format json gives them)"


def _witness_lines(c: Change) -> list[str]:
    w = c.witness
    if w is None:
        return []
    lines = []
    if w.old_answers == w.new_answers:
        lines.append(f"witness: {_answers(w.old_answers)}")
    else:
        lines += [f"witness (old): {_answers(w.old_answers)}", f"witness (new): {_answers(w.new_answers)}"]
    lines.append(f"old: {w.old_observed}")
    lines.append(f"new: {w.new_observed}")
    return lines


def _summary(report: Report) -> str:
    changed, undecided = len(report.changed), len(report.undecided)
    if not changed and not undecided:
        return "no change for any respondent"
    parts = [f"{changed} change{'s' if changed != 1 else ''}"]
    if undecided:
        parts.append(f"{undecided} undecided")
    return ", ".join(parts)


def text(report: Report) -> str:
    lines = [f"{report.old} → {report.new}"]
    for old, new in sorted(report.renamed.items()):
        lines.append(f"  renamed: {old} → {new}")
    for c in report.changes:
        lines.append(f"{_MARK[c.status]}: {c.message}")
        lines += ["    " + line for line in _witness_lines(c)]
        if c.reasons:
            lines.append("    rests on: " + "; ".join(c.reasons))
    lines.append(_summary(report))
    return "\n".join(lines) + "\n"


def to_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2) + "\n"


def markdown(report: Report) -> str:
    lines = [f"### `qengine diff` {report.old} → {report.new}", "", f"**{_summary(report)}**", ""]
    for old, new in sorted(report.renamed.items()):
        lines.append(f"- renamed: `{old}` → `{new}`")
    for status, title in ((CHANGED, "Changes"), (UNDECIDED, "Undecided"), (SAME, "Rewritten, same meaning")):
        chosen = [c for c in report.changes if c.status == status]
        if not chosen:
            continue
        lines += ["", f"#### {title}", ""]
        for c in chosen:
            lines.append(f"- {_escape(c.message)}")
            lines += [f"  - {_escape(line)}" for line in _witness_lines(c)]
            if c.reasons:
                lines.append("  - rests on: " + _escape("; ".join(c.reasons)))
    return "\n".join(lines) + "\n"


def _escape(s: str) -> str:
    """Markdown's active characters in survey words, made literal."""
    return "".join("\\" + ch if ch in "\\`*_[]<>|#" else ch for ch in s)
