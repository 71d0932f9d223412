"""LimeSurvey 2's `conditions` table as relevance equations.

Before relevance equations, LimeSurvey's condition editor stored rows "show this
question when that answer is (not) this value", grouped in scenarios. LimeSurvey
turns them into a relevance equation whenever a survey is imported
(`UpgradeConditionsToRelevance`, which overwrites the question's relevance). This is
a port of its `ConvertConditionsToRelevance` (em_manager_helper.php, LimeSurvey
6.2.1): rows read in the same order, values quoted by the same rule, the same
equation written — which the translator then reads like any relevance.

Rows on the same answer field are ORed, different fields of a scenario ANDed,
scenarios ORed. Every field is read with `.NAOK`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from qengine.lss import record
from qengine.lss.script import php


def _number_text(value: str) -> bool:
    """PHP's `(string)(float)$value === (string)$value`: a number written canonically."""
    return php.float_to_string(php.floatval(value)) == value


def relevance(conditions: list[record.Condition], types: Mapping[str, str],
              names: Mapping[str, str]) -> dict[str, str]:
    """qid -> relevance equation. `types` gives each question's type by qid, `names`
    the LimeSurvey variable name of an SGQA field name."""
    rows = sorted(conditions, key=lambda c: (_int(c.qid), c.scenario, _int(c.cqid), c.cfieldname, c.value))
    out: dict[str, str] = {}
    qid = None
    scenarios: list[str] = []
    ands: list[str] = []
    ors: list[str] = []
    scenario = subqid = None
    cqid: str | int | None = None  # -1: ANDed with the next row
    previous: record.Condition | None = None

    def close_question(qid: str) -> None:
        nonlocal ands, ors, scenarios
        if ors:
            ands.append("(" + " or ".join(ors) + ")")
        if ands:
            scenarios.append("(" + " and ".join(ands) + ")")
        out[qid] = " or ".join(scenarios)

    for row in rows:
        if row.qid != qid:
            if qid is not None:
                close_question(qid)
            qid, scenario, cqid, subqid = row.qid, row.scenario, row.cqid, None
            scenarios, ands, ors = [], [], []
        if row.scenario != scenario:
            if ors:
                ands.append("(" + " or ".join(ors) + ")")
            scenarios.append("(" + " and ".join(ands) + ")")
            ands, ors = [], []
            scenario, cqid, subqid = row.scenario, row.cqid, None
        if row.cqid != cqid:
            ands.append("(" + " or ".join(ors) + ")")
            ors = []
            cqid, subqid = row.cqid, None
        field, this_sub, value = _field(row, types.get(row.cqid, ""), names)
        if subqid is not None and subqid != this_sub:
            ands.append("(" + " or ".join(ors) + ")")
            ors = []
        subqid = this_sub
        ors.append(_test(row.method, field, _value(row.method, value)))
        token = re.compile(r"^{TOKEN:([^}]*)}$")
        if (row.cqid in ("", "0") and token.match(row.cfieldname)
                and previous is not None and token.match(previous.cfieldname)) or row.cfieldname.startswith("+"):
            cqid = -1  # ANDed with the next row, not ORed with the same question's
        previous = row
    if qid is not None:
        close_question(qid)
    return out


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


def _field(row: record.Condition, qtype: str, names: Mapping[str, str]) -> tuple[str, str, str]:
    name = row.cfieldname
    if qtype == "" and re.fullmatch(r"{.+}", name):
        field = name[1:-1]
        return field, field, row.value
    if qtype in ("M", "P"):
        if name.startswith("+"):
            field = names.get(name[1:], name[1:]) + ".NAOK"
            return field, field, row.value
        base = names.get(name, name)
        return base + row.value + ".NAOK", base, "Y"
    field = names.get(name, name) + ".NAOK"
    return field, field, row.value


def _value(method: str, value: str) -> str:
    if re.fullmatch(r"@\d+X\d+X\d+.*@", value):
        return value[1:-1]
    if re.fullmatch(r"{.+}", value, re.DOTALL):
        return value[1:-1]
    if method == "RX":
        return value if re.fullmatch(r"/.*/", value, re.DOTALL) else f'"/{value}/"'
    if not _number_text(value):
        return f'"{value}"'
    return value


def _test(method: str, field: str, value: str) -> str:
    if method == "RX":
        return f"regexMatch({value},{field})"
    if value in ('" "', '""'):
        if method == "==":
            return f"is_empty({field})"
        if method == "!=":
            return f"!is_empty({field})"
        return f"{field} {method} {value}"
    if value == '"0"' or not re.fullmatch(r'".+"', value, re.DOTALL):
        if method in ("==", "<", "<=", ">="):
            return f"(!is_empty({field}) && ({field} {method} {value}))"
        if method == "!=":
            return f"(is_empty({field}) || ({field} != {value}))"
        return f"{field} {method} {value}"
    if method in ("<", "<="):
        return f"(!is_empty({field}) && ({field} {method} {value}))"
    return f"{field} {method} {value}"
