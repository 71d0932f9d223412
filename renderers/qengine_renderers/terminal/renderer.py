"""The terminal form as a renderer object, found through the entry point group."""

from __future__ import annotations

from collections.abc import Callable

from qengine.model import Survey
from qengine.renderers.errors import RenderError
from qengine.runtime import Response, Session
from qengine_renderers.terminal.app import Outcome, run_form


class TerminalRenderer:
    """The respondent's form in a terminal (interactive, through `run`)."""

    summary = "terminal form (interactive: qengine run); as a document, its screens as text"
    formats = ("txt",)

    def render(self, survey: Survey, format: str) -> str:
        if format != "txt":
            raise RenderError(f"the terminal renderer writes txt, not {format}")
        from qengine_renderers.terminal.storyboard import storyboard

        return storyboard(survey)

    def run(self, session: Session, *, resumed: bool = False,
            on_submit: Callable[[Response], str | None] = lambda response: None) -> Outcome:
        """Let a respondent fill `session` in the terminal of standard input;
        raises `NotATerminal` when there is none."""
        return run_form(session, resumed=resumed, on_submit=on_submit)
