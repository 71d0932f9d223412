"""Cost of one answer, incremental versus a full re-evaluation (issue 3).

Run by hand: `python benchmarks/runtime.py`. Surveys of 100, 1,000 and 10,000
questions are generated in two shapes:

- chains: independent chains of 10 single-choice questions, each shown only when
  the previous one is answered "a", with wording that reads it;
- dag: each question reads two random questions among the 20 before it, in its
  condition and its wording (seeded, so the graph is the same every run).

Each answer changes a question with a fixed number of dependents (the head of a
chain, or a question of the DAG with 4 to 12 downstream nodes of the graph). The per-answer
cost must stay flat as the survey grows; a full re-evaluation grows with it.
"""

from __future__ import annotations

import random
import statistics
import time

import qengine


def chains(n: int) -> str:
    lines = ['survey bench "Bench"', 'group g "G"']
    for i in range(n):
        lines.append(f'  single q{i} "Question {i}' + (f' after {{q{i - 1}.shown}}"' if i % 10 else '"'))
        if i % 10:
            lines.append(f'    when q{i - 1} == "a"')
        lines += ['    - a "A"', '    - b "B"']
    return "\n".join(lines) + "\n"


def dag(n: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = ['survey bench "Bench"', 'group g "G"']
    for i in range(n):
        refs = rng.sample(range(max(0, i - 20), i), k=min(2, i)) if i else []
        text = f"Question {i}" + "".join(f" {{q{r}}}" for r in refs)
        lines.append(f'  single q{i} "{text}"')
        if refs:
            lines.append("    when " + " or ".join(f'q{r} != "b"' for r in refs))
        lines += ['    - a "A"', '    - b "B"']
    return "\n".join(lines) + "\n"


def measure(survey, targets, values, repeat=200):
    session = survey.start()
    graph = survey.graph
    per_answer = []
    downstream = []
    for k in range(repeat):
        code = targets[k % len(targets)]
        value = values[(k // len(targets)) % 2]
        t = time.perf_counter()
        session.answer(code, value)
        per_answer.append(time.perf_counter() - t)
        downstream.append(len(graph.downstream([("val", code)])))
    t = time.perf_counter()
    session._recompute_all()
    full = time.perf_counter() - t
    return statistics.median(per_answer), full, statistics.median(downstream)


def main():
    print(f"{'shape':<7} {'questions':>9} {'load s':>8} {'dependents':>10} "
          f"{'answer µs':>10} {'full re-eval ms':>16} {'ratio':>7}")
    for shape, build in (("chains", chains), ("dag", dag)):
        for n in (100, 1_000, 10_000):
            t = time.perf_counter()
            survey = qengine.load(build(n))
            survey.graph  # noqa: B018 - built once, outside the timing of answers
            load = time.perf_counter() - t
            if shape == "chains":
                # "a" then "b": the rest of each chain appears and disappears.
                targets, values = [f"q{i}" for i in range(0, n, 10)][:20], ("a", "b")
            else:
                # "a" then blank: the wording of every dependent changes, and no
                # condition reading the target ("!= b") changes, so targets stay shown.
                start = survey.start()
                targets = [q.code for q in survey.questions if start.is_visible(q.code)
                           and 4 <= len(survey.graph.downstream([("val", q.code)])) <= 12][:20]
                values = ("a", None)
            answer, full, deps = measure(survey, targets, values)
            print(f"{shape:<7} {n:>9,} {load:>8.2f} {deps:>10.0f} {answer * 1e6:>10.0f} "
                  f"{full * 1e3:>16.1f} {full / answer:>7.0f}")


if __name__ == "__main__":
    main()
