"""What checking an expectation found: a `Result` per route or `every` statement."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from qengine.model import Survey
from qengine.model.expect import Every, Route
from qengine.span import Span

PASSED, FAILED, UNDECIDED = "passed", "failed", "undecided"


@attrs.frozen
class Failure:
    """One step that does not hold, where it is written and why."""

    span: Span
    message: str


@attrs.frozen
class Result:
    """The verdict on one expectation. A failed `every` carries its counter-example
    (`witness`, an answers file that `qengine play` replays); an undecided one says
    why the solver could not tell, and is never counted as passed or failed."""

    expectation: Route | Every
    status: str
    failures: tuple[Failure, ...] = ()
    witness: dict[str, Any] | None = None
    note: str = ""  # how it passed ("proved") or why it is undecided

    @property
    def passed(self) -> bool:
        return self.status == PASSED


def run(survey: Survey, expectations: Iterable[Route | Every]) -> list[Result]:
    """Check every expectation, in the order written: routes through the runtime,
    `every` statements with the solver (all of them in one solver)."""
    from qengine.expect.every import decide
    from qengine.expect.routes import check_route

    items = list(expectations)
    decided = iter(decide(survey, [e for e in items if isinstance(e, Every)]))
    return [next(decided) if isinstance(e, Every) else check_route(survey, e) for e in items]
