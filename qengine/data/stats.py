"""The statistics of the report: Wilson intervals, and the test of a cross-table.

- `wilson(k, n)`: the Wilson score interval of a proportion (95 %), which stays
  inside [0, 1] and behaves for small n and for 0 % or 100 % (the Wald interval
  p ± 1.96·√(p(1-p)/n) does neither).
- `association(table)`: Pearson's χ² test of independence when every expected
  count is at least 5 (Cochran's rule); otherwise Fisher's exact test: exact for
  a 2×2 table, estimated from 10,000 random tables with the same margins for a
  larger one (SciPy's Monte Carlo method, with a fixed seed so that a report is
  the same each time it is made).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import attrs

Z95 = 1.959963984540054
RESAMPLES = 10_000


def wilson(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of k successes out of n, as proportions."""
    if n <= 0:
        return (math.nan, math.nan)
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


@attrs.frozen
class Test:
    """A test of independence: `method` is "chi2", "fisher" or "montecarlo"."""

    method: str
    p: float
    statistic: float | None = None
    df: int | None = None
    resamples: int | None = None

    def to_json(self) -> dict:
        return {"method": self.method, "p": self.p, "statistic": self.statistic, "df": self.df,
                "resamples": self.resamples}


def association(table: Sequence[Sequence[int]]) -> Test | None:
    """The test of a table of counts (rows: groups, columns: answers), after
    dropping empty rows and columns; None when fewer than two of either remain."""
    import numpy as np
    from scipy import stats

    counts = np.asarray(table, dtype=np.int64)
    if counts.ndim != 2:
        return None
    counts = counts[counts.sum(axis=1) > 0][:, counts.sum(axis=0) > 0]
    if counts.shape[0] < 2 or counts.shape[1] < 2:
        return None
    expected = stats.contingency.expected_freq(counts)
    if (expected >= 5).all():
        result = stats.chi2_contingency(counts, correction=False)
        return Test("chi2", float(result.pvalue), float(result.statistic), int(result.dof))
    if counts.shape == (2, 2):
        return Test("fisher", float(stats.fisher_exact(counts).pvalue))
    method = stats.MonteCarloMethod(n_resamples=RESAMPLES, rng=np.random.default_rng(20190101))
    p = np.asarray(stats.fisher_exact(counts, method=method).pvalue).reshape(-1)[0]  # sometimes shaped (1,)
    return Test("montecarlo", float(p), resamples=RESAMPLES)


def quantiles(values: Sequence[float]) -> dict[str, float]:
    """n, mean, median, quartiles, min and max of numbers (not empty)."""
    import numpy as np

    x = np.asarray(values, dtype=float)
    q1, median, q3 = np.percentile(x, [25, 50, 75])
    return {"n": int(x.size), "mean": float(x.mean()), "median": float(median), "q1": float(q1),
            "q3": float(q3), "min": float(x.min()), "max": float(x.max())}
