"""The function table of docs/qdl.md, generated from the rows of
`qengine.expr.functions`, so that the reference can only list the functions that
exist, as they are called. `python -m qengine.expr.docs` rewrites it in place;
a test fails while the two differ."""

from __future__ import annotations

import sys
from pathlib import Path

from qengine.expr.functions import FUNCTIONS, Arg

BEGIN = "<!-- functions: generated from qengine/expr/functions.py by `python -m qengine.expr.docs` -->"
END = "<!-- end of functions -->"


def markdown() -> str:
    """The table, one line a row, and which functions take a whole question,
    between the two marks."""
    lines = [BEGIN, "| function | result |", "| --- | --- |"]
    lines += [f"| `{f.signature}` | {f.doc} |" for f in FUNCTIONS.values()]
    wholes = [f"`{f.name}()`" for f in FUNCTIONS.values() if any(p.type is Arg.ANSWERS for p in f.params)]
    listed = ", ".join(wholes[:-1]) + " and " + wholes[-1] if len(wholes) > 1 else wholes[0]
    lines += ["", f"Only {listed} take a whole multiple choice, array or grid (elsewhere it is E213)."]
    return "\n".join([*lines, END])


def rewrite(text: str) -> str:
    """`text` (docs/qdl.md) with its function table replaced by `markdown()`."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + markdown() + text[end:]


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/qdl.md")
    path.write_text(rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main()
