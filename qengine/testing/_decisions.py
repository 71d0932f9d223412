"""Choices read from strings of bytes Hypothesis drew.

A walk needs dozens of choices; drawn one by one from Hypothesis they would cost
more than the survey's whole evaluation (each draw carries bookkeeping for
shrinking). So a walk draws one string of bytes when it starts (a few per
question of the survey), and more when its choices have read them all; each
choice reads the next byte or two. Every choice is monotone in the bytes it
reads, with zero meaning the plainest outcome (first option, no detour, the
smallest number): Hypothesis shrinks bytes toward zero, which shrinks the
respondent toward the plainest one that still fails.
"""

from __future__ import annotations

from collections.abc import Callable


class Decisions:
    def __init__(self, data: bytes = b"", more: Callable[[], bytes] | None = None):
        self.data = data
        self.pos = 0
        self.more = more

    def byte(self) -> int:
        if self.pos >= len(self.data):
            if self.more is None:
                return 0
            self.data, self.pos = self.more(), 0
        self.pos += 1
        return self.data[self.pos - 1]

    def below(self, n: int) -> int:
        """A choice among `n` (0 <= result < n)."""
        if n <= 1:
            return 0
        width = 1 if n <= 256 else 2 if n <= 65536 else 8
        raw = 0
        for _ in range(width):
            raw = raw << 8 | self.byte()
        return raw * n >> (8 * width)

    def rare(self, k: int) -> bool:
        """True for `k` byte values out of 256, the highest ones (never for zero)."""
        return self.byte() >= 256 - k
