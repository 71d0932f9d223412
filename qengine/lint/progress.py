"""How far a long lint run has got, for whoever shows it (the command line draws a
bar on stderr, `qengine.cli.progress`); the library itself prints nothing.

A run goes through a few phases, each counted in its own units (questions whose
goals are built, random respondents, pages asked of the solver, optimisations of
the path statistics): `phase()` names the next one and its total, `advance()` counts
what is done of it.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def phase(self, label: str, total: int) -> None: ...

    def advance(self, done: int = 1) -> None: ...


class Silent:
    """Progress nobody watches."""

    def phase(self, label: str, total: int) -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass


SILENT = Silent()
