"""The terminal form and its storyboard against surveys that are legal but awkward
(everything filtered away, wording that fails to evaluate, huge words) and against
every survey shipped in surveys/: no traceback, ever."""

from __future__ import annotations

import time

import qengine
from qengine_renderers.terminal.storyboard import storyboard
from qengine_renderers.terminal.text import cells, wrap


def test_a_huge_word_wraps_in_linear_time():
    word = "x" * 80_000  # took 8.8 s in the storyboard: each piece re-measured the rest
    survey = qengine.load(f'survey s "S"\ngroup g "G"\n  single q "{word}"\n    - a "{word}"\n')
    started = time.perf_counter()
    text = storyboard(survey)
    assert time.perf_counter() - started < 3
    assert text.count("x") == 2 * len(word)


def test_a_long_word_is_broken_into_full_lines():
    word = "ab字" * 50
    lines = wrap(word, 7)
    assert "".join(lines) == word
    assert all(cells(line) <= 7 for line in lines)
    assert all(cells(line) >= 6 for line in lines[:-1])  # full, but for a wide character
