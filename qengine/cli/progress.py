"""A progress bar on stderr for long runs (`qengine lint`, `--stats`).

It hears `qengine.lint.progress` and draws nothing for a run shorter than `delay`
seconds, so quick runs print exactly what they always did. Drawn on one line,
rewritten in place at most ten times a second and wiped at the end, it never mixes
with what the command prints on stdout:

    lint: solving, page by page [##############··········]  412/700  14 s
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

WIDTH = 24


class Bar:
    def __init__(self, command: str, stream: TextIO | None = None, delay: float = 2.0,
                 clock=time.monotonic, enabled: bool = True):
        self.command = command
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.label, self.total, self.done = "", 0, 0
        self._drawn = 0.0  # when the line was last written (0: never)
        self._width = 0

    def phase(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self._draw(force=True)

    def advance(self, done: int = 1) -> None:
        self.done = min(self.total, self.done + done)
        self._draw()

    def close(self) -> None:
        """Wipe the line (when one was drawn)."""
        if self._drawn:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _draw(self, force: bool = False) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.started < self.delay or (not force and now - self._drawn < 0.1):
            return
        filled = WIDTH * self.done // self.total if self.total else 0
        line = (f"{self.command}: {self.label} [{'#' * filled}{'·' * (WIDTH - filled)}] "
                f"{self.done:>{len(str(self.total))}}/{self.total}  {now - self.started:.0f} s")
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = max(self._width, len(line))
        self._drawn = now


def bar(command: str, wanted: bool | None) -> Bar:
    """The bar of a command: `wanted` True or False as the user said (`--progress`,
    `--no-progress`), None for a terminal on stderr only."""
    return Bar(command, enabled=sys.stderr.isatty() if wanted is None else wanted)
