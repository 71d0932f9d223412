"""Diagnostics and the exceptions that carry them.

All problems with a survey file are reported as `Diagnostic`s: a code, a message,
the span it concerns and an optional hint, printed like a compiler would print them.
`QdlError` is the one exception the loading functions raise for a bad survey; it
carries every diagnostic found, so a single run reports all of them.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Sequence

import attrs

from qengine.span import Source, Span


@attrs.frozen
class Diagnostic:
    """A problem with a survey, from loading or from lint: its code, message, place,
    hint and severity; a lint finding the solver proves possible also carries the
    witness that shows it (an answers file)."""

    code: str
    message: str
    span: Span
    hint: str | None = None
    severity: str = "error"
    witness: dict | None = attrs.field(default=None, eq=False)

    def format(self, source: Source | None = None, *, color: bool = False, head: str | None = None) -> str:
        """`path:line:col: severity[CODE]: message` (or the `head` given, as lint's
        Ruff-shaped `path:line:col: CODE message`), then the line and a caret, the
        hint and the witness."""
        if head is None:
            head = f"{self.span}: {self.severity}[{self.code}]: {self.message}"
            if color:
                tint = "\x1b[1;31m" if self.severity == "error" else "\x1b[1;33m"
                head = f"\x1b[1m{self.span}:\x1b[0m {tint}{self.severity}[{self.code}]\x1b[0m: {self.message}"
        lines = [head]
        if source is not None:
            lines.extend(excerpt(source, self.span))
        if self.hint:
            lines.append(f"  = hint: {self.hint}")
        if self.witness is not None:
            lines.append(f"  = witness: {_witness_line(self.witness)}")
        return "\n".join(lines)

    def to_json(self) -> dict:
        out = {"code": self.code, "severity": self.severity, "message": self.message,
               "path": self.span.path, **self.span.to_json()}
        if self.hint:
            out["hint"] = self.hint
        if self.witness is not None:
            out["witness"] = self.witness
        return out


#: a witness longer than this (as one line of JSON) is left to `--format json`
WITNESS_WIDTH = 100


def _witness_line(witness: dict) -> str:
    """The witness on one line when it is short, else where to find it."""
    compact = json.dumps(witness, ensure_ascii=False)
    if len(compact) <= WITNESS_WIDTH:
        return f"{compact} (an answers file for `qengine play --answers`)"
    return (f"an answers file of {len(witness)} answers, printed by `qengine lint --format json`; "
            "replay it with `qengine play --answers`")


#: columns of a source line an excerpt shows; a longer line is cut around the span
EXCERPT_WIDTH = 240


def excerpt(source: Source, span: Span) -> list[str]:
    """The source line of a span with carets under it, gutter-numbered. A line
    longer than `EXCERPT_WIDTH` is cut around the span (marked …): a text of
    thousands of {expressions} would otherwise be printed whole for each finding
    in it, output (and memory) growing with the square of their number."""
    text = source.line_text(span.line)
    if not text and span.line > 1 and span.column == 1:
        return []
    gutter = str(span.line)
    start = span.column - 1
    width = (span.end_column - span.column) if span.end_line == span.line else len(text) - start
    text, start, width = _window(text, start, max(1, width))
    # Tabs keep their width so that the caret lines up under the right character.
    pad = "".join("\t" if ch == "\t" else " " for ch in text[:start])
    return [f" {gutter} | {text}", f" {' ' * len(gutter)} | {pad}{'^' * width}"]


def _window(text: str, start: int, width: int) -> tuple[str, int, int]:
    """At most `EXCERPT_WIDTH` columns of `text` around `start`, with the span's
    start and width in them."""
    if len(text) <= EXCERPT_WIDTH:
        return text, start, width
    low = max(0, min(start - EXCERPT_WIDTH // 4, len(text) - EXCERPT_WIDTH))
    high = low + EXCERPT_WIDTH
    shown = ("…" if low else "") + text[low:high] + ("…" if high < len(text) else "")
    offset = start - low + (1 if low else 0)
    return shown, offset, max(1, min(width, high - start))


class QdlError(Exception):
    """A survey could not be loaded; `diagnostics` says every reason why."""

    def __init__(self, diagnostics: Sequence[Diagnostic], source: Source | None = None):
        self.diagnostics = tuple(diagnostics)
        self.source = source
        super().__init__(self.format())

    def format(self, *, color: bool = False) -> str:
        return "\n\n".join(d.format(self.source, color=color) for d in self.diagnostics)


class EvaluationError(Exception):
    """An expression failed while the survey runs (division by zero, text added to
    a number): a defect of the survey, which fuzzing exists to find."""

    def __init__(self, message: str, span: Span):
        self.span = span
        super().__init__(f"{span}: {message}")
        self.message = message


class AnswerError(ValueError):
    """An answer (or answers file) does not fit the question it is given to."""

    def __init__(self, question: str, message: str):
        self.question = question
        self.message = message
        super().__init__(f"{question}: {message}")


#: glyphs readers take for one another, in either direction
_LOOKALIKES = [frozenset(g) for g in (
    {"l", "1", "I", "i", "|"}, {"O", "0", "o"}, {"S", "5"}, {"Z", "2"}, {"B", "8"}, {"G", "6"},
    {"g", "9", "q"}, {"rn", "m"}, {"vv", "w"}, {"cl", "d"}, {"nn", "m"})]


def close_matches(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> list[str]:
    """The candidates closest to `word` by difflib's similarity (at least `cutoff`):
    every one of them when several are equally close, the likeliest misreading
    first (l for 1, O for 0, rn for m...), so that `agel` suggests `age1` before
    `age2` rather than whichever sorts last."""
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)
    best, tied = cutoff, []
    for candidate in candidates:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() < best or matcher.quick_ratio() < best:
            continue
        score = matcher.ratio()
        if score > best:
            best, tied = score, [candidate]
        elif score == best:
            tied.append(candidate)
    return sorted(tied, key=lambda c: (-_misreadings(word, c), c))


def _misreadings(word: str, candidate: str) -> int:
    """How many of the differences between two names are glyphs that look alike
    (or differ only in case)."""
    ops = difflib.SequenceMatcher(None, word, candidate, autojunk=False).get_opcodes()
    return sum(1 for op, i1, i2, j1, j2 in ops
               if op == "replace" and _look_alike(word[i1:i2], candidate[j1:j2]))


def _look_alike(a: str, b: str) -> bool:
    return a.lower() == b.lower() or any(a in g and b in g for g in _LOOKALIKES)


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest known names, when some are close enough."""
    close = close_matches(word, candidates)
    if not close:
        return None
    quoted = [f"'{c}'" for c in close]
    return "did you mean " + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]) + "?"


def close_or_listed(word: str, known: Iterable[str], what: str) -> str | None:
    """A hint naming the closest of the `known` names, or else listing them all
    ("its options are: a, b")."""
    known = list(known)
    return did_you_mean(word, known) or (f"its {what} are: " + ", ".join(known) if known else None)
