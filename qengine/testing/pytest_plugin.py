"""pytest plugin: tests per survey file, `lint` (`qengine lint`: fails on findings
of error severity), `fuzz` (`qengine fuzz`), and one per stated route
(`expect:LINE`, as `qengine test` checks it).

Registered through the `pytest11` entry point, so installing qengine is enough;
it does nothing until a project opts in, in its pytest configuration:

    [tool.pytest.ini_options]
    qengine_surveys = ["surveys/*.qdl"]     # glob patterns, relative to the rootdir

or on the command line with `--qengine-fuzz` (every `.qdl` file pytest visits).
Matching files are collected wherever they are, also outside `testpaths`, unless
pytest was given explicit paths (then only the `.qdl` files among them).
`qengine_examples` / `--qengine-examples` and `qengine_seed` / `--qengine-seed`
set the number of respondents and the seed (fixed by default, so CI is stable);
`qengine_lint = false` / `--qengine-no-lint` leave out the lint tests.

Only pytest is imported at start-up: qengine and Hypothesis load when a survey test
runs, so the plugin costs nothing to projects that do not use it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

DEFAULT_EXAMPLES = 200
DEFAULT_SEED = 0


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("qengine", "qengine survey fuzzing")
    group.addoption("--qengine-fuzz", action="store_true", default=False,
                    help="fuzz every .qdl survey file collected (one test per file)")
    group.addoption("--qengine-examples", type=int, default=None, metavar="N",
                    help=f"respondents per survey (default: ini qengine_examples, or {DEFAULT_EXAMPLES})")
    group.addoption("--qengine-seed", type=int, default=None, metavar="S",
                    help=f"seed of the search (default: ini qengine_seed, or {DEFAULT_SEED})")
    group.addoption("--qengine-no-lint", action="store_true", default=False,
                    help="do not lint the surveys (no ::lint test; default: ini qengine_lint)")
    parser.addini("qengine_surveys", type="args", default=[],
                  help="glob patterns of survey files to fuzz, relative to the rootdir (turns the plugin on)")
    parser.addini("qengine_examples", default=str(DEFAULT_EXAMPLES), help="respondents per survey")
    parser.addini("qengine_seed", default=str(DEFAULT_SEED), help="seed of the search")
    parser.addini("qengine_lint", type="bool", default=True,
                  help="lint each survey too, failing on findings of error severity (default: true)")


_SETTINGS = pytest.StashKey[tuple[int, int]]()


def pytest_configure(config: pytest.Config) -> None:
    """Read the number of respondents and the seed once, so that a bad ini value
    is a usage error before any test runs."""
    if _enabled(config):
        config.stash[_SETTINGS] = (_setting(config, "qengine_examples", minimum=1),
                                   _setting(config, "qengine_seed", minimum=0))


def _setting(config: pytest.Config, name: str, minimum: int) -> int:
    value = config.getoption(name)
    if value is None:
        raw = config.getini(name)
        try:
            value = int(raw)
        except ValueError:
            raise pytest.UsageError(f"ini option {name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise pytest.UsageError(f"{name} must be at least {minimum}, got {value}")
    return value


def _patterns(config: pytest.Config) -> list[str]:
    return list(config.getini("qengine_surveys"))


def _enabled(config: pytest.Config) -> bool:
    return bool(config.getoption("qengine_fuzz") or _patterns(config))


def _wanted(path: Path, config: pytest.Config) -> bool:
    patterns = _patterns(config)
    if not patterns:
        return True
    return any(path.resolve() in _glob(config, p) for p in patterns)


def _glob(config: pytest.Config, pattern: str) -> set[Path]:
    return {p.resolve() for p in config.rootpath.glob(pattern) if p.suffix == ".qdl" and p.is_file()}


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix == ".qdl" and _enabled(parent.config) and _wanted(file_path, parent.config):
        return SurveyFile.from_parent(parent, path=file_path)
    return None


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    """Add the surveys named by `qengine_surveys` that collection did not visit
    (outside `testpaths`), unless pytest was given explicit paths."""
    if not _patterns(config) or config.args_source == pytest.Config.ArgsSource.ARGS:
        return
    seen = {Path(item.path).resolve() for item in items}
    for pattern in _patterns(config):
        for path in sorted(_glob(config, pattern) - seen):
            seen.add(path)
            items.extend(SurveyFile.from_parent(session, path=path).collect())


def _lint_wanted(config: pytest.Config) -> bool:
    return not config.getoption("qengine_no_lint") and config.getini("qengine_lint")


class SurveyFile(pytest.File):
    def collect(self):
        if _lint_wanted(self.config):
            yield LintItem.from_parent(self, name="lint")
        yield SurveyItem.from_parent(self, name="fuzz")
        yield from self._expectations()

    def _expectations(self):
        """One test per stated route (`expect` in the survey or its side file),
        named after the line it starts on; a side file that does not load is one
        failing test. A survey that does not load has none: its other tests say why."""
        from qengine.errors import QdlError
        from qengine.expect import expectations_of
        from qengine.syntax.loader import load

        try:
            survey = load(self.path)
        except QdlError:
            return
        try:
            items = expectations_of(survey, self.path)
        except QdlError as err:
            yield ExpectItem.from_parent(self, name="expect", survey=survey, expectation=None, error=err)
            return
        for e in items:
            where = "" if e.span.path == str(self.path) else Path(e.span.path).name + ":"
            yield ExpectItem.from_parent(self, name=f"expect:{where}{e.span.line}", survey=survey,
                                         expectation=e, error=None)


class SurveyFailed(Exception):
    """The survey does not load, lint found errors, or respondents found defects:
    reported as the message alone, without a Python traceback."""


class _SurveyTest(pytest.Item):
    """One test of a survey file, reported as the `qengine` command it runs."""

    command = ""

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, SurveyFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, None, f"qengine {self.command} {self.path.name}"


class LintItem(_SurveyTest):
    """Lint one survey as `qengine lint` does (`# noqa` included): findings of
    error severity fail the test, so that questions nobody can see, dead ends or
    options never offered stop CI as a crash does; warnings are listed in the
    test's captured output."""

    command = "lint"

    def runtest(self) -> None:
        from qengine.lint import lint
        from qengine.lint.diagnostic import lint_format

        result = lint(self.path)
        errors = [lint_format(f, result.source_of(f)) for f in result.findings if f.severity == "error"]
        others = [lint_format(f, result.source_of(f)) for f in result.findings if f.severity != "error"]
        if others:
            self.add_report_section("call", "lint", "\n\n".join(others))
        if errors:
            n = len(errors)
            raise SurveyFailed("\n\n".join(errors) + f"\n\n{n} lint error{'s' if n != 1 else ''} "
                               "(turn the lint tests off with qengine_lint = false or --qengine-no-lint)")


class SurveyItem(_SurveyTest):
    """Fuzz one survey: the property of `qengine.testing` over many respondents."""

    command = "fuzz"

    def runtest(self) -> None:
        from qengine.errors import QdlError
        from qengine.syntax.loader import load
        from qengine.testing import fuzz

        try:
            survey = load(self.path)
        except QdlError as err:
            raise SurveyFailed(f"the survey does not load:\n{err.format()}") from None
        examples, seed = self.config.stash[_SETTINGS]
        report = fuzz(survey, examples=examples, seed=seed)
        self.user_properties.append(("qengine_respondents", report.coverage.respondents))
        if report.coverage.never_shown:
            self.add_report_section("call", "coverage", report.never_shown_line())
        textless = report.textless_line()
        if textless is not None:  # report.textless
            self.add_report_section("call", "patterns", textless)
        if not report.passed:
            raise SurveyFailed("\n\n".join(_describe(self.path, r) for r in report.failures))


class ExpectItem(_SurveyTest):
    """One stated route or `every` statement, checked as `qengine test` does;
    undecided fails too (say `# noqa` nothing: reword or drop what the solver
    cannot decide)."""

    command = "test"

    def __init__(self, *, survey, expectation, error, **kwargs):
        super().__init__(**kwargs)
        self.survey, self.expectation, self.error = survey, expectation, error

    def runtest(self) -> None:
        from qengine.expect import run
        from qengine.expect.output import describe

        if self.error is not None:
            raise SurveyFailed(f"the expectations do not load:\n{self.error.format()}")
        result = run(self.survey, [self.expectation])[0]
        if not result.passed:
            raise SurveyFailed(describe(result, self.path.name))

    def reportinfo(self):
        if self.expectation is None:
            return super().reportinfo()
        from qengine.expect.output import title

        return self.path, self.expectation.span.line - 1, f"expect {title(self.expectation)}"


def _describe(path: Path, respondent) -> str:
    answers = json.dumps(dict(respondent.answers), ensure_ascii=False)
    return (f"{respondent.defect}\n\nshortest path found:\n{respondent.path}\n\n"
            f"answers (save as a file and replay with `qengine play {path.name} --answers FILE`):\n{answers}")
