"""Key presses from the bytes a terminal sends in raw mode.

A key is either one printable character (`"a"`, `" "`, `"é"`) or the name of a
special key (`"up"`, `"enter"`, `"ctrl-x"`, ...): names are always longer than one
character, so `len(key) == 1` tells them apart. `decode()` is pure; the terminal
feeds it what it reads and keeps the undecoded rest (an unfinished escape
sequence) for the next read.
"""

from __future__ import annotations

import re

UP, DOWN, LEFT, RIGHT = "up", "down", "left", "right"
HOME, END, PAGE_UP, PAGE_DOWN, DELETE, INSERT = "home", "end", "pgup", "pgdn", "delete", "insert"
ENTER, ALT_ENTER, TAB, SHIFT_TAB, BACKSPACE, ESC = "enter", "alt-enter", "tab", "shift-tab", "backspace", "esc"

_CONTROL = {
    "\r": ENTER, "\n": ENTER, "\t": TAB, "\x7f": BACKSPACE, "\x08": BACKSPACE,
    "\x01": HOME, "\x05": END,  # Ctrl-A and Ctrl-E, as in a shell
}

_CSI_FINAL = {"A": UP, "B": DOWN, "C": RIGHT, "D": LEFT, "H": HOME, "F": END, "Z": SHIFT_TAB}
_CSI_TILDE = {"1": HOME, "7": HOME, "4": END, "8": END, "2": INSERT, "3": DELETE, "5": PAGE_UP,
              "6": PAGE_DOWN}

# ESC [ params final, or ESC O final (application cursor keys, as tmux may send).
_CSI = re.compile(r"\x1b\[([0-9;?<>=]*)([\x20-\x2f]*)([\x40-\x7e])")
_SS3 = re.compile(r"\x1bO([\x40-\x7e])")


def ctrl(letter: str) -> str:
    return f"ctrl-{letter}"


def _named_control(ch: str) -> str | None:
    if ch in _CONTROL:
        return _CONTROL[ch]
    code = ord(ch)
    if 1 <= code <= 26:
        return ctrl(chr(code + 96))
    return None  # other control characters (NUL, FS, ...) mean nothing here


def _escape(data: str, i: int) -> tuple[str | None, int] | None:
    """The key of the escape sequence at `data[i]` and where it ends, or None
    when the sequence is not complete yet."""
    rest = data[i:]
    if len(rest) == 1:
        return None
    nxt = rest[1]
    if nxt == "[":
        m = _CSI.match(rest)
        if m is None:
            return None if re.fullmatch(r"\x1b\[[0-9;?<>=\x20-\x2f]*", rest) else (None, i + 2)
        params, _, final = m.groups()
        if final == "~":
            key = _CSI_TILDE.get(params.split(";")[0])
        else:
            key = _CSI_FINAL.get(final)
        return key, i + m.end()
    if nxt == "O":
        if len(rest) == 2:
            return None
        m = _SS3.match(rest)
        return ((_CSI_FINAL.get(m.group(1)), i + 3) if m else (None, i + 2))
    if nxt in "\r\n":
        return ALT_ENTER, i + 2
    if nxt == "\x1b":
        return ESC, i + 1
    return None, i + 2  # Alt with a character: not used


def decode(data: str, *, final: bool = False) -> tuple[list[str], str]:
    """The keys in `data` and the unfinished rest. With `final` (no more input is
    coming soon) a lone or unfinished escape is the Esc key itself."""
    keys: list[str] = []
    i = 0
    while i < len(data):
        ch = data[i]
        if ch == "\x1b":
            found = _escape(data, i)
            if found is None:
                if not final:
                    return keys, data[i:]
                keys.append(ESC)
                i += 1
                continue
            key, i = found
            if key:
                keys.append(key)
            continue
        if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0:
            key = _named_control(ch)
            if key:
                keys.append(key)
        else:
            keys.append(ch)
        i += 1
    return keys, ""
