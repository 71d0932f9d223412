"""Stated routes: `expect` blocks, run by `qengine test`, the pytest plugin and lint.

    from qengine.expect import expectations_of, run
    for result in run(survey, expectations_of(survey, "surveys/gp_backup.qdl")):
        print(result.passed, result.message)

The syntax is in `grammars/qdl.lark` (docs/qdl.md, "Stated routes"); routes are
played through the runtime (`routes`), `every` statements decided by lint's solver
(`every`); `side` reads `SURVEY.expect`; `output` prints results as `qengine
test` does.
"""

from qengine.expect.results import Result, run
from qengine.expect.side import expectations_of, side_file

__all__ = ["Result", "expectations_of", "run", "side_file"]
