"""Rendering benchmark: the printable annex of gp_backup, as HTML and as PDF.

    python benchmarks/render.py [SURVEY] [--runs N]

Prints the best of N runs for each step, in process, then the whole command
(`qengine render --printable SURVEY -o out.pdf`, interpreter start and imports
included) as wall-clock and CPU time. The goal: the PDF in under 5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def best(fn, runs: int):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("survey", nargs="?", default=str(ROOT / "surveys" / "gp_backup.qdl"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    start = time.perf_counter()
    import weasyprint  # noqa: F401  (imported here so that its import time counts in this row)
    from qengine_renderers.printable import PrintableRenderer
    from qengine_renderers.printable.view import annex

    import qengine
    from qengine.lint.stats import path_statistics
    imports = time.perf_counter() - start

    renderer = PrintableRenderer()
    rows = [("imports (qengine, renderer, weasyprint)", imports, "")]
    t, survey = best(lambda: qengine.load(args.survey), args.runs)
    rows.append(("load and check the survey", t, f"{len(survey.questions)} questions"))
    t, stats = best(lambda: path_statistics(survey), args.runs)
    rows.append(("path statistics (z3)", t, f"{stats.fewest}-{stats.most} questions shown"))
    t, _ = best(lambda: annex(survey), args.runs)
    rows.append(("annex view (words, variants, statistics)", t, ""))
    t, html = best(lambda: renderer.render(survey, "html"), args.runs)
    rows.append(("HTML", t, f"{len(html) // 1024} KiB"))
    t, pdf = best(lambda: renderer.render(survey, "pdf"), args.runs)
    rows.append(("PDF (HTML, layout, drawing)", t, f"{len(pdf) // 1024} KiB"))

    command = shutil.which("qengine") or sys.exit("the qengine command is not on PATH: pip install -e .")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "annex.pdf")
        walls, cpus = [], []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([command, "render", "--printable", args.survey, "-o", out], check=True)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        pages = subprocess.run(["pdfinfo", out], capture_output=True, text=True).stdout if shutil.which("pdfinfo") else ""
        count = next((line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")), "?")
    rows.append(("qengine render --printable -o .pdf (wall)", min(walls), f"{count} pages"))
    rows.append(("qengine render --printable -o .pdf (CPU)", min(cpus), f"load average {os.getloadavg()[0]:.1f}"))

    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  note")
    print(f"{'-' * width}  {'-' * 8}  {'-' * 24}")
    for name, seconds, note in rows:
        print(f"{name:<{width}}  {seconds:>8.2f}  {note}")
    verdict = "under" if min(walls) < 5 else "OVER"
    print(f"\nwhole command, best of {args.runs}: {min(walls):.2f} s wall, {min(cpus):.2f} s CPU: {verdict} the 5 s goal")


if __name__ == "__main__":
    main()
