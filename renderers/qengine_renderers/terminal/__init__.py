"""The terminal form: a respondent fills a survey in a terminal, one question a page.

`qengine run SURVEY` starts it. The form is registered in the `qengine.renderers`
entry point group as `terminal`, like any renderer; besides the document every
renderer writes (here: the form's screens as text, see `storyboard`), it has
`run()`, which `qengine run` looks for.
"""

from qengine_renderers.terminal.app import Outcome, run_form
from qengine_renderers.terminal.console import NotATerminal
from qengine_renderers.terminal.renderer import TerminalRenderer

__all__ = ["NotATerminal", "Outcome", "TerminalRenderer", "run_form"]
