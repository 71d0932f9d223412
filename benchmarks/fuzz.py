"""Complete respondent paths per second under `qengine fuzz` (issue 6).

Run by hand: `python benchmarks/fuzz.py [--examples 2000] [--seed 1] [SURVEY ...]`
(default: surveys/gp_backup.qdl and the example surveys).

For each survey the whole property runs, as `qengine fuzz` runs it (Hypothesis
drawing and checking every respondent, lint's witnesses seeding the search), and
the table gives:

- paths/s: respondents walked to submission per second, by the wall clock and by
  the process's CPU time (the machine is shared: the CPU figure is the steadier);
- answers: the mean number of answers given per respondent;
- runtime %: the share of the CPU time spent inside the runtime's `Session`
  (answering, moving, views, submission), the rest being Hypothesis, the walk's
  own bookkeeping and the checks of the property;
- play/s: for scale, `qengine play` replaying one fixed complete answers file
  (gp_backup only), the runtime alone with no drawing at all.

`--profile` prints the functions where the time goes (cProfile, by own time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import time
from pathlib import Path

import qengine
from qengine.runtime.play import play
from qengine.runtime.session import Session
from qengine.testing import fuzz

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT / "surveys" / "gp_backup.qdl", *sorted((ROOT / "surveys" / "examples").glob("*.qdl"))]
RUNTIME = ("answer", "clear", "next", "back", "submit", "response", "questions", "view", "given",
           "is_visible", "current_value", "problems", "group_texts", "to_json", "copy")

# One thesis respondent who sees 44 questions (everything but the branches that
# exclude each other), for the play/s reference.
GP_COMPLETE = {
    "sexe": "F", "age": "age2", "anciennete": ["anc1"], "solo": "solog", "territoire": "urb",
    "reseau": "rescs", "progicielpartage": "o", "cloud": "cldn", "progicielseul": "n", "sauvegarde": "o",
    "responsabilite": {"sans": "o", "avec": "n"}, "machine": "o", "chemin": "o", "horsprogiciel": "o",
    "confiance": {"securite": "3"}, "competence": {"realisation": "1", "restauration": "2"}, "perte": "o",
    "pertecauses": ["virus"], "pertejours": 3, "pertesauvegarde": "o", "perterestauree": "o",
    "perterestaureetotal": "n", "pertedefinitive": 2, "pertefonctionnement": 4, "sauvegardeauto": "sao",
    "sauvegardequi": ["moi"], "sauveprogiciel": "n", "sauvegardemethode": ["os"], "sauvegardecloud": "sco",
    "sauvegardesupports": {"susb": {"slocal": 1}}, "chiffrement": "n", "cloudtierschiffre": "o",
    "cloudtierschiffreavant": "o", "verification": ["oui"], "restaurationtestee": "o",
    "restaurationfrequence": "annuel", "restaurationmachine": ["hors"],
    "plans": {"continuite": "o", "restauration": "n"}, "archives": "o", "archivesduree": 10,
    "archivessupport": ["usb"], "archiveslieu": ["cabinet"], "archivesrecopie": "o", "archivesfrequence": 3,
}


class RuntimeClock:
    """CPU time spent inside Session's public methods (outermost calls only)."""

    def __init__(self):
        self.spent = 0.0
        self.depth = 0
        self.saved = {}

    def __enter__(self):
        for name in RUNTIME:
            original = getattr(Session, name)
            self.saved[name] = original
            setattr(Session, name, self._timed(original))
        return self

    def __exit__(self, *exc):
        for name, original in self.saved.items():
            setattr(Session, name, original)

    def _timed(self, original):
        clock = self

        def timed(*args, **kwargs):
            clock.depth += 1
            started = time.process_time() if clock.depth == 1 else 0.0
            try:
                return original(*args, **kwargs)
            finally:
                clock.depth -= 1
                if clock.depth == 0:
                    clock.spent += time.process_time() - started

        return timed


def measure(path: Path, examples: int, seed: int) -> dict:
    survey = qengine.load(path)
    wall, cpu = time.perf_counter(), time.process_time()
    with RuntimeClock() as clock:
        report = fuzz(survey, examples=examples, seed=seed)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    cov = report.coverage
    return {"survey": path.name, "respondents": cov.respondents, "passed": report.passed,
            "wall": cov.respondents / wall, "cpu": cov.respondents / cpu, "runtime": clock.spent / cpu,
            "shown": f"{len(cov.visible_questions) - len(cov.never_shown)}/{len(cov.visible_questions)}"}


def mean_answers(path: Path, examples: int, seed: int) -> float:
    """Answers per respondent, counted on a separate (shorter) run."""
    survey = qengine.load(path)
    counts = []
    original = Session.answer

    def counting(self, name, value):
        counts[-1] += 1
        return original(self, name, value)

    original_copy = Session.copy

    def start(self):
        counts.append(0)
        return original_copy(self)

    Session.answer, Session.copy = counting, start
    try:
        fuzz(survey, examples=examples, seed=seed)
    finally:
        Session.answer, Session.copy = original, original_copy
    return sum(counts) / max(1, len(counts))


def play_rate(path: Path) -> float:
    survey = qengine.load(path)
    n, started = 0, time.process_time()
    while time.process_time() - started < 2.0:
        play(survey, GP_COMPLETE)
        n += 1
    return n / (time.process_time() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("surveys", nargs="*", type=Path, default=DEFAULT)
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    rows = []
    for path in args.surveys:
        row = measure(path, args.examples, args.seed)
        row["answers"] = mean_answers(path, min(args.examples, 400), args.seed)
        row["play"] = play_rate(path) if path.name == "gp_backup.qdl" else None
        rows.append(row)
    if args.json:
        print(json.dumps({"load": load, "rows": rows}, indent=2))
    else:
        print(f"machine load average at start: {load:.2f} on {os.cpu_count()} cores")
        print(f"{'survey':<16} {'respondents':>11} {'passed':>6} {'paths/s wall':>12} {'paths/s CPU':>11} "
              f"{'answers':>7} {'runtime %':>9} {'shown':>6} {'play/s':>7}")
        for r in rows:
            play_text = f"{r['play']:.0f}" if r["play"] else "-"
            print(f"{r['survey']:<16} {r['respondents']:>11} {r['passed']!s:>6} {r['wall']:>12.0f} {r['cpu']:>11.0f} "
                  f"{r['answers']:>7.1f} {100 * r['runtime']:>8.0f}% {r['shown']:>6} {play_text:>7}")
    if args.profile:
        survey = qengine.load(args.surveys[0])
        profiler = cProfile.Profile()
        profiler.runcall(fuzz, survey, examples=min(args.examples, 500), seed=args.seed)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
