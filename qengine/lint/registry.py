"""The one table of lint rules: every code lint can report, load errors included.

A `Rule` says what it reports and, for `qengine lint --explain CODE` and the
generated `docs/lint-rules.md`, what it does, why it matters, an example and what
to write instead. Checks (`qengine.lint.rules`) are plain functions registered with
the codes they may report, so that `--select` can skip a check none of whose codes
is wanted (the solver is not even built for `--select D`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import attrs

SEVERITIES = ("error", "warning", "info")

#: rule families, in the order of the documentation
FAMILIES = {
    "E": "Load errors: the survey cannot be read (from `qengine check`)",
    "R": "Reachability: exact verdicts of the solver, with witnesses",
    "V": "Values and types in expressions",
    "D": "Design",
}


@attrs.frozen
class Rule:
    code: str
    name: str
    severity: str
    summary: str
    what: str
    why: str
    example: str
    instead: str

    @property
    def family(self) -> str:
        return self.code[0]

    def explain(self) -> str:
        """The text `--explain` prints."""
        return "\n".join([
            f"{self.code} ({self.name}): {self.summary}", f"Severity: {self.severity}", "",
            "## What it does", self.what, "", "## Why it matters", self.why, "",
            "## Example", _indent(self.example), "", "## Instead", _indent(self.instead), ""])


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.strip("\n").split("\n"))


RULES: dict[str, Rule] = {}


def rule(code: str, name: str, severity: str, summary: str, *, what: str, why: str, example: str,
         instead: str) -> Rule:
    if code in RULES:
        raise ValueError(f"rule {code} registered twice")
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: unknown severity {severity!r}")
    RULES[code] = r = Rule(code, name, severity, summary, _clean(what), _clean(why),
                           example.strip("\n"), instead.strip("\n"))
    return r


def _clean(text: str) -> str:
    return " ".join(text.split())


@attrs.frozen
class Check:
    codes: tuple[str, ...]
    run: Callable


CHECKS: list[Check] = []


def check(*codes: str):
    """Register a check function reporting `codes`."""
    def register(fn):
        CHECKS.append(Check(codes, fn))
        return fn
    return register


def lookup(code: str) -> Rule | None:
    """The rule of a code, written in any case (`r101`), or by its name."""
    code = code.strip()
    found = RULES.get(code.upper())
    return found or next((r for r in RULES.values() if r.name == code.lower()), None)


@attrs.frozen
class Selection:
    """Which codes are wanted: `select` and `ignore` hold codes or prefixes; when
    both match a code, the longer (more specific) one wins, as in Ruff."""

    select: tuple[str, ...] = ("",)
    ignore: tuple[str, ...] = ()

    @classmethod
    def of(cls, select: Sequence[str] | None, ignore: Sequence[str] | None) -> Selection:
        return cls(tuple(_split(select)) or ("",), tuple(_split(ignore)))

    def __contains__(self, code: str) -> bool:
        chosen = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        dropped = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return chosen >= 0 and chosen > dropped

    def unknown(self) -> list[str]:
        """Prefixes that match no rule (a typo in --select or --ignore)."""
        return [p for p in (*self.select, *self.ignore) if p and not any(c.startswith(p) for c in RULES)]


def _split(values: Iterable[str] | None) -> Iterable[str]:
    for value in values or ():
        for part in value.replace(",", " ").split():
            yield part.upper()
