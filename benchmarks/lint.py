"""What `qengine lint` costs on surveys of growing size, before and after a change (issue 20).

    python benchmarks/lint.py [--before REV] [--sizes 200,1000,2000] [--open] [--jobs N] [--stats]
                              [--timeout SECONDS]

Surveys: `surveys/gp_backup.qdl` (always the first row; each version lints the copy of
its own tree) and surveys of `--sizes` questions made by `generated()` below (groups
of 10: single and multiple choices and numbers, most with a condition on one or two
of the 50 questions before, some groups and options with conditions, a few
validations). The generated text always comes from this checkout's `generated()`,
written to a temporary file, so that both versions lint the same text. The targets
of issue 20 are at 2,000, 5,000 and 10,000 questions:

    python benchmarks/lint.py --before REV --sizes 2000,5000,10000 --open

From 2,870 questions on, `generated()` makes a page no respondent can leave (q2876 is
mandatory and every one of its options can be filtered away, R120), so the rest of the
survey is unreachable for everybody: lint still checks every question there, but the
verdicts are easy. With `--open`, each size is also measured on the same survey with
its `mandatory` lines taken out ("open"): every page is reachable, and the solver has
to work through the whole of it, the harder measure of scale.

Versions: the code of this checkout ("after") and, with `--before REV`, the code of
REV checked out in a temporary `git worktree add --detach` ("before"), removed at the
end; both are measured in the same run, before first.

With `--jobs N` (N > 1), this checkout is also measured with `lint_survey(survey, jobs=N)`
("after, N jobs"); its "same" compares with the serial run, and its peak is that of the
largest of its processes.

Each measurement runs in a fresh subprocess (this interpreter, `PYTHONPATH` the
version's tree and its `renderers/`, cwd the tree), which reports:

- load s: `qengine.load()` of the survey file (parse and check);
- lint s: `qengine.lint.lint_survey(survey)`, every rule (wall clock, perf_counter);
- peak MB: the subprocess's peak resident memory (`ru_maxrss`) after lint;
- findings: their number; "same" (with `--before`): whether after's findings, as
  sorted (code, line) pairs, equal before's (else how many are only after's, +,
  and only before's, -);
- with `--stats`, stats s: `qengine.lint.stats.path_statistics(survey)`, and shown:
  the fewest and most questions a respondent who completes the survey is shown.

A measurement longer than `--timeout` seconds (default 900) is killed and shows
`>timeout`; one that fails shows `error` (its stderr goes to stderr). After the table,
the growth exponent of lint time between the smallest and the largest generated sizes
n1 < n2, per version and kind of survey: log(t2/t1) / log(n2/n1) (1 is linear, 2
quadratic). Each measurement's JSON
goes to stderr as it completes. The machine is 2 shared cores: figures move by
±30 % from run to run.

One run, 6 December 2026, `--before` the last commit before lint's slices (ec91dce),
`--sizes 2000,5000,10000 --open --timeout 600`, after = 650039c (the later clean-ups
measure 6.9 s at 2,000). The "before" run at 2,000 shared the machine with a test run
(13.6 s quiet); at 5,000 and 10,000 it ran out of z3's 2 GB limit (error) or time:

    survey               version              questions   load s   lint s  peak MB findings         same
    gp_backup            before (ec91dce)            45     0.03     0.12       76        8
    gp_backup            after                       45     0.03     0.18       76        8          yes
    generated 2,000      before (ec91dce)         2,000     0.23    22.85      375      180
    generated 2,000      after                    2,000     0.23     7.77      186      180          yes
    generated 5,000      before (ec91dce)         5,000     0.59    error        -        -
    generated 5,000      after                    5,000     0.53    20.83      331      245            -
    generated 10,000     before (ec91dce)        10,000     1.08 >timeout        -        -
    generated 10,000     after                   10,000     1.07    37.55      663      245            -
    open 2,000           before (ec91dce)         2,000     0.21    13.87      382      149
    open 2,000           after                    2,000     0.24     6.09      185      149          yes
    open 5,000           before (ec91dce)         5,000     0.57   155.69     1636      272
    open 5,000           after                    5,000     0.54    20.81      353      272          yes
    open 10,000          before (ec91dce)        10,000     1.06    error        -        -
    open 10,000          after                   10,000     1.15    67.88      838      447            -

    growth exponent of lint time, 2,000 -> 10,000 questions, log(t2/t1)/log(n2/n1):
      generated  before (ec91dce)     > 2.03 (lint of 10,000 over 598.8 s)
      generated  after                0.98
      open       before (ec91dce)     n/a
      open       after                1.50

The open surveys grow faster than linearly because their longest cascade of
conditions grows with them: on the last pages of the 10,000-question one, a slice
holds some 1,400 questions (a question there is shown only if the one it reads is,
and so on back), and each check costs about its slice.

The final code (cf16ff1), serial and with `--jobs 2`, one run on the same machine
(`--sizes 2000,5000,10000 --open --jobs 2`); from run to run the figures move by up
to a fifth (generated 10,000: 37.6 s above, 44.3 s here):

    survey               version              questions   load s   lint s  peak MB findings         same
    gp_backup            after                       45     0.03     0.18       77        8
    gp_backup            after, 2 jobs               45     0.03     0.21       74        8          yes
    generated 2,000      after                    2,000     0.22     7.16      186      180
    generated 2,000      after, 2 jobs            2,000     0.27     5.50      176      180          yes
    generated 5,000      after                    5,000     0.54    19.01      332      245
    generated 5,000      after, 2 jobs            5,000     0.58    19.01      315      245          yes
    generated 10,000     after                   10,000     1.12    44.27      664      245
    generated 10,000     after, 2 jobs           10,000     1.11    32.44      621      245          yes
    open 2,000           after                    2,000     0.22     6.54      185      149
    open 2,000           after, 2 jobs            2,000     0.22     5.56      177      149          yes
    open 5,000           after                    5,000     0.61    20.35      353      272
    open 5,000           after, 2 jobs            5,000     0.55    15.15      336      272          yes
    open 10,000          after                   10,000     1.01    70.26      838      447
    open 10,000          after, 2 jobs           10,000     1.08    47.48      796      447          yes

    growth exponent of lint time, 2,000 -> 10,000 questions, log(t2/t1)/log(n2/n1):
      generated  after                1.13
      generated  after, 2 jobs        1.10
      open       after                1.48
      open       after, 2 jobs        1.33
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in the version's tree: loads argv[1], lints it, and prints a line of JSON after
# each phase (a timeout then shows which phase it stopped). Written against the API only
# (a finding's `code` and `span.line`), so that any version of qengine.lint can be measured.
# `time.monotonic()` is the system's clock (CLOCK_MONOTONIC), the same in the parent.
MEASURE = """
import json, resource, sys, time, warnings
from pathlib import Path
warnings.simplefilter("ignore")
import qengine
from qengine.lint import lint_survey
def report(**fields):
    print(json.dumps(fields), flush=True)
t0 = time.perf_counter()
survey = qengine.load(Path(sys.argv[1]))
t1 = time.perf_counter()
report(questions=len(survey.questions), load_s=t1 - t0, qengine=qengine.__file__, lint_start=time.monotonic())
t1 = time.perf_counter()
jobs = int(sys.argv[3])
findings = lint_survey(survey, jobs=jobs) if jobs > 1 else lint_survey(survey)
t2 = time.perf_counter()
pairs = sorted((str(getattr(f, "code", "?")), int(getattr(getattr(f, "span", None), "line", 0) or 0))
               for f in findings)
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
report(lint_s=t2 - t1, findings=len(pairs), pairs=pairs, peak_mb=peak / 1024, stats_start=time.monotonic())
if sys.argv[2] == "stats":
    from qengine.lint.stats import path_statistics
    t2 = time.perf_counter()
    try:
        stats = path_statistics(survey)
        shown = f"{stats.fewest}-{stats.most}"
    except Exception as e:
        shown = type(e).__name__
    report(stats_s=time.perf_counter() - t2, shown=shown,
           peak_stats_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def generated(n: int, seed: int = 1) -> str:
    """A survey of `n` questions in groups of 10: single choices, numbers and
    multiple choices, most with a condition on one or two earlier questions,
    some groups with a condition, a few option conditions and validations."""
    rng = random.Random(seed)
    lines = [f'survey gen{n} "Generated survey of {n} questions"', ""]
    kinds: dict[str, str] = {}
    for i in range(n):
        if i % 10 == 0:
            lines.append(f'group g{i // 10} "Group {i // 10}"')
            if i and rng.random() < 0.3:
                lines.append(f"  when {_condition(rng, kinds)}")
        code = f"q{i}"
        kind = rng.choice(["single", "single", "single", "integer", "multiple"])
        lines.append(f'  {kind} {code} "Question {i}?"')
        if rng.random() < 0.5:
            lines.append("    mandatory")
        if kinds and rng.random() < 0.6:
            lines.append(f"    when {_condition(rng, kinds)}")
        if kind == "integer":
            lines += ["    min 0", f"    max {rng.randint(5, 100)}"]
            if rng.random() < 0.1:
                lines.append(f'    validate {code} != 3 message "not 3"')
        else:
            for j in range(rng.randint(2, 5)):
                cond = f" when {_condition(rng, kinds)}" if kinds and rng.random() < 0.05 else ""
                lines.append(f'    - a{j} "Answer {j}"{cond}')
        kinds[code] = kind
        lines.append("")
    return "\n".join(lines) + "\n"


def opened(text: str) -> str:
    """A generated survey without its `mandatory` lines: no page can block."""
    return "".join(line for line in text.splitlines(keepends=True) if line.strip() != "mandatory")


def _condition(rng, kinds) -> str:
    parts = []
    for _ in range(rng.choice([1, 1, 2])):
        code = rng.choice(list(kinds)[-50:])
        match kinds[code]:
            case "single":
                parts.append(f'{code} == "a{rng.randint(0, 1)}"')
            case "integer":
                parts.append(f"{code} > {rng.randint(0, 5)}")
            case _:
                parts.append(f"count({code}) >= {rng.randint(1, 2)}")
    return f" {rng.choice(['and', 'or'])} ".join(parts)



def run(tree: Path, survey: Path, stats: bool, timeout: float, jobs: int = 1) -> dict:
    """One measurement in a subprocess of the code of `tree`: the fields its phases
    reported and a status, "ok", "timeout" (then `over`: the seconds the unfinished
    phase had run when killed, a lower bound of its time) or "error"."""
    env = dict(os.environ, PYTHONPATH=f"{tree}{os.pathsep}{tree / 'renderers'}")
    command = [sys.executable, "-c", MEASURE, str(survey), "stats" if stats else "lint", str(jobs)]
    # A session of its own, so that a timeout kills whatever the measurement started.
    proc = subprocess.Popen(command, env=env, cwd=tree, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    status, killed = "ok", None
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        killed = time.monotonic()
        stdout, stderr = proc.communicate()
        status = "timeout"
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    out: dict = {}
    for line in stdout.splitlines():
        try:
            out.update(json.loads(line))
        except ValueError as e:  # not JSON, or a line cut by the timeout's kill
            if status == "ok":
                print(f"{tree}: {survey.name}: {e}: {line[:200]}", file=sys.stderr)
                status = "error"
    if status == "ok" and (proc.returncode or "lint_s" not in out or (stats and "stats_s" not in out)):
        status = "error"
    if status == "error":
        print(f"{tree}: {survey.name}: exit status {proc.returncode}\n{stderr[-3000:]}", file=sys.stderr)
    if "qengine" in out and not Path(out["qengine"]).resolve().is_relative_to(tree.resolve()):
        print(f"{tree}: measured the qengine of {out['qengine']}, not of the tree", file=sys.stderr)
        return {"status": "error"}
    if killed is not None:
        start = out.get("stats_start" if "lint_s" in out else "lint_start")
        out["over"] = killed - start if start is not None else None
    out["status"] = status
    return out


def same(after: dict, before: dict | None) -> str:
    """Whether after's findings (code, line) are before's, else how many are only
    after's (+) and only before's (-)."""
    if before is None or "pairs" not in before or "pairs" not in after:
        return "-"
    a = Counter(map(tuple, after["pairs"]))
    b = Counter(map(tuple, before["pairs"]))
    if a == b:
        return "yes"
    return f"no (+{(a - b).total()} -{(b - a).total()})"


def cell(m: dict, key: str, fmt: str) -> str:
    """A figure of the measurement; `>timeout` or `error` in the cell of the phase
    that did not finish, `-` in the cells that depend on it."""
    if key in m:
        return format(m[key], fmt)
    phase = next((k for k in ("load_s", "lint_s", "stats_s") if k not in m), None)
    if m["status"] != "ok" and key == phase:
        return ">timeout" if m["status"] == "timeout" else "error"
    return "-"


def growth(a: dict, b: dict, n1: int, n2: int) -> str:
    """log(t2/t1) / log(n2/n1) of lint time; a lower bound when the larger timed out."""
    t1, t2 = a.get("lint_s"), b.get("lint_s")
    if not t1:
        return "n/a"
    if t2 is None and b.get("over"):
        return f"> {math.log(b['over'] / t1) / math.log(n2 / n1):.2f} (lint of {n2:,} over {b['over']:.1f} s)"
    if not t2:
        return "n/a"
    return f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also measure the lint of REV (a git worktree of it)")
    parser.add_argument("--sizes", default="200,1000,2000",
                        help="questions of the generated surveys (issue 20's targets: 2000,5000,10000)")
    parser.add_argument("--open", action="store_true",
                        help="also measure each size without its mandatory lines (every page reachable)")
    parser.add_argument("--stats", action="store_true", help="also time path_statistics()")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="also measure this checkout with lint's pages shared among N processes")
    parser.add_argument("--timeout", type=float, default=900, metavar="SECONDS",
                        help="limit of one measurement (default 900)")
    args = parser.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    # Killed or interrupted, it still kills its measurement and removes its worktree.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    work = Path(tempfile.mkdtemp(prefix="qe-lint-bench-"))
    versions = [("after", ROOT, 1)]
    if args.jobs > 1:
        versions.append((f"after, {args.jobs} jobs", ROOT, args.jobs))
    columns = [("survey", 20), ("version", 20), ("questions", 9), ("load s", 8), ("lint s", 8),
               ("peak MB", 8), ("findings", 8)]
    if args.stats:
        columns += [("stats s", 8), ("shown", 11)]
    if args.before or args.jobs > 1:
        columns.append(("same", 12))
    results: dict[tuple[str, str], dict] = {}
    try:
        if args.before:
            tree = work / "before"
            added = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.before],
                                   capture_output=True, text=True)
            if added.returncode:
                sys.exit(f"git worktree add {args.before}: {added.stderr.strip()}")
            rev = subprocess.run(["git", "-C", str(tree), "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip()
            versions.insert(0, (f"before ({rev})", tree, 1))
        print(" ".join(f"{name:<{width}}" if i < 2 else f"{name:>{width}}"
                       for i, (name, width) in enumerate(columns)))
        print(" ".join("-" * width for _, width in columns), flush=True)
        surveys = [("gp_backup", None)]
        kinds = ["generated", "open"] if args.open else ["generated"]
        for kind in kinds:
            for n in sizes:
                path = work / f"{kind}{n}.qdl"
                path.write_text(generated(n) if kind == "generated" else opened(generated(n)), encoding="utf-8")
                surveys.append((f"{kind} {n:,}", path))
        for name, path in surveys:
            before = None
            for label, tree, jobs in versions:
                source = path or tree / "surveys" / "gp_backup.qdl"
                m = run(tree, source, args.stats, args.timeout, jobs)
                results[name, label] = m
                print(json.dumps({"survey": name, "version": label,
                                  **{k: v for k, v in m.items() if k not in ("pairs", "lint_start", "stats_start")}}),
                      file=sys.stderr, flush=True)
                row = [name, label, cell(m, "questions", ",d"), cell(m, "load_s", ".2f"), cell(m, "lint_s", ".2f"),
                       cell(m, "peak_mb", ".0f"), cell(m, "findings", "d")]
                if args.stats:
                    row += [cell(m, "stats_s", ".2f"), cell(m, "shown", "")]
                if args.before or args.jobs > 1:
                    row.append(same(m, before) if label != versions[0][0] else "")
                print(" ".join(f"{v:<{w}}" if i < 2 else f"{v:>{w}}"
                               for i, (v, (_, w)) in enumerate(zip(row, columns, strict=True))), flush=True)
                before = m
    finally:
        if args.before:
            removed = subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / "before")],
                                     capture_output=True, text=True)
            if removed.returncode and (work / "before").exists():
                print(f"git worktree remove {work / 'before'}: {removed.stderr.strip()}", file=sys.stderr)
        shutil.rmtree(work, ignore_errors=True)

    print()
    if len(sizes) < 2:
        print("growth exponent of lint time: needs two generated sizes")
        return
    n1, n2 = sizes[0], sizes[-1]
    print(f"growth exponent of lint time, {n1:,} -> {n2:,} questions, log(t2/t1)/log(n2/n1):")
    for kind in kinds:
        for label, _, _ in versions:
            exponent = growth(results[f"{kind} {n1:,}", label], results[f"{kind} {n2:,}", label], n1, n2)
            print(f"  {kind:<10} {label:<20} {exponent}")


if __name__ == "__main__":
    main()
