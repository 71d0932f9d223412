"""The real terminal: raw mode, the alternate screen, keys in, frames out.

Standard library only (termios, tty, select, ANSI escapes): no curses, so nothing
depends on a terminfo entry and the form behaves the same in tmux, a plain pty, a
Linux console or an ssh session. Keys are read from standard input; screens are
written to the terminal standard input belongs to (opened by name), so standard
output stays free for the response JSON.
"""

from __future__ import annotations

import codecs
import os
import select
import signal
import sys
import termios
import tty
from typing import Any

from qengine.renderers.errors import RenderError
from qengine_renderers.terminal.frame import Line, to_ansi
from qengine_renderers.terminal.keys import decode

ENTER_SCREEN = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J"  # alternate screen, cursor hidden
LEAVE_SCREEN = "\x1b[0m\x1b[?25h\x1b[?1049l"
ESCAPE_WAIT = 0.05  # seconds to wait for the rest of an escape sequence


class NotATerminal(RenderError):
    """Standard input is not a terminal (a pipe, a file, /dev/null), or the
    terminal cannot be written to."""


class HungUp(Exception):
    """The terminal went away (SIGHUP) or the program was asked to stop (SIGTERM)."""


class Console:
    def __init__(self, fd_in: int, fd_out: int):
        self.fd_in = fd_in
        self.fd_out = fd_out
        self.resized = False
        self.colour = "NO_COLOR" not in os.environ
        self._pending = ""
        self._utf8 = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._saved: list[Any] = []  # the terminal's attributes before raw mode (termios)
        self._handlers: dict = {}

    @classmethod
    def open(cls) -> Console:
        """The console of standard input, or NotATerminal."""
        fd = sys.stdin.fileno() if sys.stdin is not None else -1
        if fd < 0 or not os.isatty(fd):
            raise NotATerminal("standard input is not a terminal")
        try:
            out = os.open(os.ttyname(fd), os.O_WRONLY | os.O_NOCTTY)
        except OSError as err:
            raise NotATerminal(f"cannot open the terminal for writing: {err}") from None
        return cls(fd, out)

    def __enter__(self) -> Console:
        self._saved = termios.tcgetattr(self.fd_in)
        tty.setraw(self.fd_in, termios.TCSANOW)  # TCSANOW: keep keys typed ahead
        self._handlers = {sig: signal.signal(sig, handler) for sig, handler in (
            (signal.SIGWINCH, self._on_resize), (signal.SIGHUP, _hang_up), (signal.SIGTERM, _hang_up))}
        self.write(ENTER_SCREEN)
        return self

    def __exit__(self, *exc) -> None:
        for sig, handler in self._handlers.items():
            signal.signal(sig, handler)
        try:
            self.write(LEAVE_SCREEN)
            termios.tcsetattr(self.fd_in, termios.TCSADRAIN, self._saved)
        except OSError:
            pass  # the terminal is gone: nothing left to restore

    def close(self) -> None:
        os.close(self.fd_out)

    def _on_resize(self, signum, frame) -> None:
        self.resized = True

    def write(self, text: str) -> None:
        data = text.encode("utf-8")
        while data:
            data = data[os.write(self.fd_out, data):]

    def size(self) -> tuple[int, int]:
        try:
            size = os.get_terminal_size(self.fd_out)
        except OSError:
            return 80, 24
        return size.columns or 80, size.lines or 24

    def draw(self, lines: list[Line]) -> None:
        self.resized = False
        width, _ = self.size()
        self.write(to_ansi(lines, width, colour=self.colour))

    def keys(self, timeout: float = 0.25) -> list[str]:
        """The keys pressed, waiting at most `timeout` seconds for the first."""
        if not self._readable(timeout):
            return []
        keys, self._pending = decode(self._pending + self._read())
        while self._pending:
            if self._readable(ESCAPE_WAIT):
                found, self._pending = decode(self._pending + self._read())
            else:
                found, self._pending = decode(self._pending, final=True)
            keys += found
        return keys

    def _read(self) -> str:
        try:
            data = os.read(self.fd_in, 4096)
        except OSError as err:  # EIO once the terminal has hung up
            raise HungUp(str(err)) from None
        if not data:
            raise HungUp("end of input")
        return self._utf8.decode(data)

    def _readable(self, timeout: float) -> bool:
        return bool(select.select([self.fd_in], [], [], timeout)[0])


def _hang_up(signum, frame):
    raise HungUp(signal.Signals(signum).name)
