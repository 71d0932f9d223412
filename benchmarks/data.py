"""Data out at scale (issue 17): 100,000 gp_backup responses exported to CSV and
Parquet (< 10 s each) and reported as JSON (< 30 s), with the peak memory.

Run by hand: `python benchmarks/data.py [RESPONSES] [DISTINCT]`. Respondents are
drawn with `qengine.testing.respondents` (Hypothesis); drawing one takes tens of
milliseconds, so DISTINCT respondents (default 300) are drawn and resampled (seeded)
to RESPONSES lines of JSON. The loader replays each distinct response once
(`sources.Replayer` memoises by content), so the time per distinct response is
printed too: real data with as many distinct responses as lines costs about that
much more per response.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

import qengine
from qengine.data.export import Codes, Table, write
from qengine.data.report import summary
from qengine.data.sources import Source, load, replay
from qengine.testing import respondents

ROOT = Path(__file__).parent.parent


def draw(survey, n: int) -> list[dict]:
    strategy = respondents(survey)
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # .example() outside a test is what we mean here
        while len(out) < n:
            r = strategy.example()
            if r.response is not None:
                out.append(dict(r.response))
    return out


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(total: int = 100_000, distinct: int = 300) -> None:
    survey = qengine.load(ROOT / "surveys" / "gp_backup.qdl")
    start = time.perf_counter()
    drawn = draw(survey, distinct)
    drawing = time.perf_counter() - start
    rng = random.Random(17)
    rows: list[tuple[str, float]] = [(f"draw {distinct} respondents (Hypothesis)", drawing)]
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "responses.jsonl"
        with source.open("w", encoding="utf-8") as f:
            for i in range(total):
                f.write(json.dumps({"id": i + 1, "status": "complete", "response": rng.choice(drawn)},
                                   ensure_ascii=False) + "\n")
        start = time.perf_counter()
        for r in drawn:
            replay(survey, r)
        per_replay = (time.perf_counter() - start) / len(drawn)

        start = time.perf_counter()
        loaded = load(survey, Source("jsonl", str(source)))
        table = Table(loaded)
        reading = time.perf_counter() - start
        rows.append((f"read and replay {total:,} lines ({loaded.distinct} distinct)", reading))
        for fmt in ("csv", "parquet"):
            start = time.perf_counter()
            # drawn integers take -1 and -2 (gp_backup's have no lower bound): text codes
            write(table, fmt, Path(tmp) / f"out.{fmt}", Codes("NA", "NR"))
            rows.append((f"write {fmt}", time.perf_counter() - start))
            rows.append((f"  read + write {fmt} (the < 10 s target)", reading + rows[-1][1]))
        start = time.perf_counter()
        json.dumps(summary(table))
        rows.append(("JSON report", time.perf_counter() - start))
        rows.append(("  read + JSON report (the < 30 s target)", reading + rows[-1][1]))
        size = {fmt: (Path(tmp) / f"out.{fmt}").stat().st_size / 1e6 for fmt in ("csv", "parquet")}
    print(f"gp_backup: {total:,} responses resampled from {distinct} distinct respondents drawn with "
          "qengine.testing.respondents")
    print(f"{'step':<55} {'seconds':>8}")
    for name, seconds in rows:
        print(f"{name:<55} {seconds:>8.2f}")
    print(f"replay of one distinct response: {per_replay * 1000:.2f} ms "
          f"(real data with {total:,} distinct responses: + {per_replay * total:.0f} s)")
    print(f"files: CSV {size['csv']:.1f} MB, Parquet {size['parquet']:.1f} MB; "
          f"peak memory (max RSS of the process): {peak_mb():.0f} MB")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
