"""The terminal form connected to a real terminal: draw, read keys, repeat."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from qengine.errors import EvaluationError
from qengine.runtime import Response, Session
from qengine_renderers.terminal.console import Console, HungUp
from qengine_renderers.terminal.form import CLOSED, QUIT, Form


@attrs.frozen
class Outcome:
    """How the respondent left: with the survey submitted (`response` set) or not;
    `hung_up` when the terminal went away rather than the respondent quitting;
    `defect` when an expression of the survey failed (the form then stops)."""

    response: Response | None
    hung_up: bool = False
    defect: EvaluationError | None = None

    @property
    def submitted(self) -> bool:
        return self.response is not None


def run_form(session: Session, *, resumed: bool = False,
             on_submit: Callable[[Response], str | None] = lambda response: None,
             console: Console | None = None) -> Outcome:
    """Let the respondent fill `session` in the terminal of standard input.

    Raises `console.NotATerminal` when there is none. `on_submit` is called as
    soon as the survey is submitted (before the end screen), so the response is
    written even if the terminal is closed on the end screen."""
    own = console is None
    console = console or Console.open()
    form = Form(session, resumed=resumed, on_submit=on_submit)
    try:
        with console:
            console.draw(form.frame(*console.size()))
            while True:
                keys = console.keys()
                for key in keys:
                    if form.handle(key) in (QUIT, CLOSED):
                        return Outcome(form.response, defect=form.defect)
                if keys or console.resized:
                    console.draw(form.frame(*console.size()))
    except HungUp:
        return Outcome(form.response, hung_up=True, defect=form.defect)
    finally:
        if own:
            console.close()
