"""Text bound for a terminal, made safe: the one sanitiser of qengine.

Everything a survey says (titles, labels, help, messages, answers typed back) may
hold escape sequences: a label could move the cursor, recolour or retitle the
terminal, write the clipboard (OSC 52), clear the screen, or reorder text with
bidirectional overrides. The terminal form (`qengine run`, the `terminal`
renderer) and every command that prints survey text (`check`, `lint`, `play`)
pass it through `clean` first.
"""

from __future__ import annotations

import re
import unicodedata

# Bidirectional embeddings, overrides and isolates: they reorder what follows them.
_BIDI = {*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))}
# What `clean` rewrites, tabs and newlines aside: control characters and bidi overrides.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean(text: str, *, keep_newlines: bool = True) -> str:
    """`text` with every control character (C0, DEL, C1) and bidi override shown
    as a visible `\\xNN` / `\\uNNNN` escape instead of acting on the terminal.
    Tabs become spaces; newlines are kept unless `keep_newlines` is false."""
    out = []
    for ch in text:
        if ch == "\n" and keep_newlines:
            out.append(ch)
        elif ch == "\t":
            out.append("    ")
        elif ch in _BIDI:
            out.append(f"\\u{ord(ch):04x}")
        elif unicodedata.category(ch) == "Cc":
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def safe(text: str) -> str:
    """`clean(text)` when `text` holds something to neutralise, else `text` as it
    is (tabs kept, and no character-by-character pass over a long text): for
    commands that print survey text among their own lines."""
    return clean(text) if _UNSAFE.search(text) else text
