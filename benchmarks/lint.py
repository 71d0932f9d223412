"""Benchmark of `qengine lint`: the reference survey and generated surveys of
growing size with cross-question conditions. Run by hand:

    python benchmarks/lint.py [--sizes 500,1000,2000]

Prints one row per survey: questions, time to load, to lint (all rules), and to
compute path statistics.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import qengine
from qengine.lint import lint_survey
from qengine.lint.stats import path_statistics

ROOT = Path(__file__).resolve().parent.parent


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


def measure(name: str, load):
    t0 = time.perf_counter()
    survey = load()
    t1 = time.perf_counter()
    findings = lint_survey(survey)
    t2 = time.perf_counter()
    stats = path_statistics(survey)
    t3 = time.perf_counter()
    print(f"| {name:<22} | {len(survey.questions):>9} | {t1 - t0:>7.2f} | {t2 - t1:>7.2f} | "
          f"{len(findings):>8} | {t3 - t2:>8.2f} | {stats.fewest:>3}-{stats.most:<5} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="200,1000,2000")
    args = parser.parse_args()
    print("| survey                 | questions | load s  | lint s  | findings | stats s  | shown     |")
    print("| ---------------------- | --------- | ------- | ------- | -------- | -------- | --------- |")
    measure("gp_backup.qdl", lambda: qengine.load(ROOT / "surveys" / "gp_backup.qdl"))
    for n in (int(s) for s in args.sizes.split(",")):
        text = generated(n)
        measure(f"generated {n}", lambda text=text: qengine.load(text))


if __name__ == "__main__":
    main()
