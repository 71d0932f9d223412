"""Stated routes that do not hold: the `expect` blocks of a survey checked as
`qengine test` checks them, so that an edit breaking the author's stated intent
is reported where the survey is linted (the editor, CI's lint step)."""

from __future__ import annotations

from qengine.lint.context import LintContext
from qengine.lint.diagnostic import finding
from qengine.lint.registry import check, rule

rule("R150", "broken-expectation", "error", "a stated route (`expect`) that does not hold",
     what="Checks each `expect` block of the survey: a route's answers are given through the "
          "runtime and its checks read off (asked, not asked, wording, refused, value, completes); "
          "an `expect every respondent who ...` statement is decided by the solver. Reports the "
          "step that fails: an answer the route can no longer give (its question is not asked, or "
          "the answer is refused), a check that no longer matches, or a counter-example to an "
          "`every` statement, with its witness. Undecided `every` statements are not reported "
          "(`qengine test` lists them). The side file beside the survey (`SURVEY.expect`) is "
          "checked too, its findings pointing at its own lines; one that cannot be read (a "
          "syntax error, a question it names that the survey no longer has) is reported there.",
     why="Valid, plausible logic can differ from what the author meant (a condition `cloud != "
         "\"o\"` that silently excludes a population); only a statement of intent catches it, and "
         "it is worth something only while it is checked.",
     example='single alone "Do you work alone?"\n  - o "Yes"\n  - n "No"\n'
             'single who "Who backs up?"\n  when alone == "o"\n  - me "Me"\n  - it "A provider"\n\n'
             'expect every respondent who alone == "n" is asked who',
     instead='single who "Who backs up?"\n  when alone == "n"\n  - me "Me"\n  - it "A provider"')


@check("R150")
def broken_expectations(ctx: LintContext):
    from qengine.errors import QdlError
    from qengine.expect import run
    from qengine.expect.results import FAILED
    from qengine.expect.side import read_side_file, side_file_of

    items = ctx.survey.expectations
    side = side_file_of(ctx.survey.source.path)
    if side is not None:
        try:
            read = read_side_file(ctx.survey, side)
        except QdlError as err:
            if err.source is not None:
                ctx.sources.append(err.source)
            for d in err.diagnostics:
                yield finding("R150", f"the stated routes of {side.name} cannot be read: {d.message} [{d.code}]",
                              d.span, d.hint or "fix the side file, or the expectation if the intent changed")
        else:
            ctx.sources.append(read.source)
            items = (*items, *read.expectations)
    for result in run(ctx.survey, items):
        if result.status != FAILED:
            continue
        for failure in result.failures:
            yield finding("R150", failure.message, failure.span,
                          "fix the survey, or the expectation if the intent changed",
                          result.witness)
