"""`qengine lint`: findings about a survey, each a code of one registry
(`qengine.lint.registry`), the reachability ones proved by a solver.

    result = qengine.lint.lint("survey.qdl", select=["R", "D301"])
    for f in result.findings:      # qengine.errors.Diagnostic
        print(f.format(result.source))

The rules live in `qengine.lint.rules`; the solver model in `logic`, `domains`
and `prover`; output formats in `output`; path statistics in `stats`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import attrs

from qengine.errors import Diagnostic, QdlError
from qengine.lint import rules as _rules  # noqa: F401  (fills the registry)
from qengine.lint.context import LintContext
from qengine.lint.noqa import silenced, suppressions
from qengine.lint.progress import SILENT, Progress
from qengine.lint.registry import CHECKS, RULES, Selection
from qengine.model import Survey
from qengine.span import Source
from qengine.syntax.loader import check, read_source


@attrs.frozen
class LintResult:
    path: str
    source: Source | None
    findings: tuple[Diagnostic, ...]
    loaded: bool
    survey: Survey | None = attrs.field(default=None, eq=False, repr=False)
    #: other files the findings point into (the side file of stated routes)
    others: tuple[Source, ...] = attrs.field(default=(), eq=False, repr=False)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    def source_of(self, finding: Diagnostic) -> Source | None:
        """The text a finding points into, for its excerpt: the survey's, or the
        other file its span names."""
        return next((s for s in self.others if s.path == finding.span.path), self.source)


def lint(path_or_text: str | os.PathLike, *, select: Sequence[str] | None = None,
         ignore: Sequence[str] | None = None, progress: Progress = SILENT, jobs: int = 1) -> LintResult:
    """Lint a .qdl file (or QDL text). A survey that does not load gives its load
    errors as findings, with `loaded` false. `progress` hears how far a long run
    has got (`qengine.lint.progress`); `jobs` processes share the solver's pages
    (where processes can be forked; the findings are the same)."""
    try:
        source = read_source(path_or_text)
    except QdlError as err:
        return _unloaded(err.source, err.diagnostics, str(path_or_text))
    return lint_source(source, select=select, ignore=ignore, progress=progress, jobs=jobs)


def lint_source(source: Source, *, select: Sequence[str] | None = None,
                ignore: Sequence[str] | None = None, progress: Progress = SILENT, jobs: int = 1) -> LintResult:
    survey, diagnostics = check(source)
    if survey is None:
        return _unloaded(source, diagnostics, source.path)
    ctx = LintContext(survey, Selection.of(select, ignore), progress, jobs)
    findings = _findings(ctx)
    return LintResult(source.path, source, tuple(findings), True, survey, tuple(ctx.sources))


def lint_survey(survey: Survey, selection: Selection | None = None, *, progress: Progress = SILENT,
                jobs: int = 1) -> list[Diagnostic]:
    """The findings of every selected rule, less those silenced by `# noqa`."""
    return _findings(LintContext(survey, selection or Selection(), progress, jobs))


def _findings(ctx: LintContext) -> list[Diagnostic]:
    """The findings of every selected rule, less those silenced by a `# noqa` of
    the survey (on the line of the survey a finding points at): the survey's
    findings first, then those of other files (a side file), each in file order."""
    selection, survey = ctx.selection, ctx.survey
    table = suppressions(survey.comments)
    found: dict[tuple, Diagnostic] = {}
    for c in CHECKS:
        if not ctx.wants(*c.codes):
            continue
        for f in c.run(ctx):
            own = f.span.path == survey.source.path
            if f.code in selection and not (own and silenced(f.code, f.span.line, table)):
                found.setdefault((f.span.path, f.span.start, f.span.end, f.code, f.message), f)
    return sorted(found.values(), key=lambda f: (f.span.path != survey.source.path, f.span.path, f.span.start,
                                                 f.code))


def _unloaded(source, diagnostics, path) -> LintResult:
    findings = tuple(d if d.code in RULES else attrs.evolve(d, code="E000") for d in diagnostics)
    return LintResult(path, source, findings, False)


def exit_code(results: Sequence[LintResult]) -> int:
    """0 clean, 1 findings at error level, 2 a survey that does not load."""
    if any(not r.loaded for r in results):
        return 2
    return 1 if any(r.count("error") for r in results) else 0


__all__ = ["LintResult", "Progress", "RULES", "Selection", "exit_code", "lint", "lint_source", "lint_survey"]
