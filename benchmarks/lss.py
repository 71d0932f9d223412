"""How long `qengine import` takes on a large LimeSurvey survey.

Generates a LimeSurvey 6 survey structure file (`.lss`) of 1,000 questions of mixed
types (lists, multiple choices, arrays, arrays of numbers, numbers, texts,
equations, displays), nine in ten with a relevance equation on earlier answers
(with and without `.NAOK`), some with `{…}` tailoring and validation equations, and
times each step of the import: the XML, the record of one language, the conversion
(translating every expression), writing the QDL, then loading that QDL.

    python benchmarks/lss.py                  # the table (best of 3)
    python benchmarks/lss.py --size 2000      # another size
    python benchmarks/lss.py --demos DIR      # and each .lss of DIR: questions, warnings, time

The target is 1,000 questions in under 5 s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from qengine.lss import import_lss
from qengine.lss.convert import Converter
from qengine.lss.notes import Notes
from qengine.lss.reader import read
from qengine.lss.writer import write
from qengine.lss.xmldoc import parse
from qengine.span import Source
from qengine.syntax.loader import check

TARGET_SECONDS = 5.0
TYPES = ("L", "M", "F", "N", "S", ":", "L", "K", "*", "X", "N", "T")


def generate(size: int) -> bytes:
    """A .lss of `size` questions in groups of 20."""
    sid = "123456"
    questions, subs, l10n, answers, answer_l10n, attributes = [], [], [], [], [], []
    qid = aid = 0
    kinds: dict[int, str] = {}
    for i in range(size):
        qid += 1
        kind = TYPES[i % len(TYPES)]
        kinds[i] = kind
        earlier_list = next((j for j in range(i - 1, max(-1, i - 12), -1) if kinds[j] == "L"), None)
        earlier_number = next((j for j in range(i - 1, max(-1, i - 12), -1) if kinds[j] == "N"), None)
        relevance = "1"
        if i % 10 and earlier_list is not None and i % 2:
            relevance = f'q{earlier_list} == "A1" or q{earlier_list}.NAOK == "A2"'
        elif i % 10 and earlier_number is not None:
            relevance = f"q{earlier_number} > {i % 7} and !is_empty(q{earlier_number}.NAOK)"
        text = f"Question {i}" + (f", you said {{q{earlier_number}}}" if earlier_number is not None else "")
        if kind == "*":
            text = f"{{sum(q{earlier_number}, 1)}}" if earlier_number is not None else "{1}"
        questions.append((qid, 0, 1 + i // 20, kind, f"q{i}", i, relevance))
        l10n.append((qid, f"<p>{text}?</p>", "Help" if i % 5 == 0 else ""))
        parent = qid
        if kind in ("M", "F", ":", "K"):
            for r in range(4):
                qid += 1
                subs.append((qid, parent, 1 + i // 20, kind, f"SQ{r}", r, "1", 0))
                l10n.append((qid, f"Row {r}", ""))
        if kind == ":":
            for c in range(2):
                qid += 1
                subs.append((qid, parent, 1 + i // 20, kind, f"C{c}", c, "1", 1))
                l10n.append((qid, f"Column {c}", ""))
        if kind in ("L", "F"):
            for a in range(3):
                aid += 1
                answers.append((aid, parent, f"A{a + 1}", a))
                answer_l10n.append((aid, f"Answer {a + 1}"))
        if kind == "N" and i % 3 == 0:
            attributes.append((parent, "em_validation_q", f"is_empty(this) or this < {i + 10}"))
            attributes.append((parent, "em_validation_q_tip", "Too large."))
        if kind == "M":
            attributes.append((parent, "min_answers", "1"))
    groups = range(1, size // 20 + 2)

    def cdata(v) -> str:
        return f"<![CDATA[{v}]]>"

    def tab(name, fields, rows):
        out = [f"<{name}><fields>" + "".join(f"<fieldname>{f}</fieldname>" for f in fields) + "</fields><rows>"]
        out += ["<row>" + "".join(f"<{f}>{cdata(v)}</{f}>" for f, v in zip(fields, r, strict=True)) + "</row>"
                for r in rows]
        out.append(f"</rows></{name}>")
        return "\n".join(out)

    qfields = ["qid", "parent_qid", "gid", "type", "title", "question_order", "relevance"]
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>', "<document>", "<LimeSurveyDocType>Survey</LimeSurveyDocType>",
        "<DBVersion>612</DBVersion>", "<languages><language>en</language></languages>",
        tab("answers", ["aid", "qid", "code", "sortorder"], answers),
        tab("answer_l10ns", ["aid", "answer", "language"], [(a, t, "en") for a, t in answer_l10n]),
        tab("groups", ["gid", "sid", "group_order", "grelevance"], [(g, sid, g, "") for g in groups]),
        tab("group_l10ns", ["gid", "group_name", "language"], [(g, f"Page {g}", "en") for g in groups]),
        tab("questions", qfields, questions),
        tab("subquestions", [*qfields, "scale_id"], [(q, p, g, k, t, o, r, s) for q, p, g, k, t, o, r, s in subs]),
        tab("question_l10ns", ["qid", "question", "help", "language"], [(*r, "en") for r in l10n]),
        tab("question_attributes", ["qid", "attribute", "value", "language"], [(*a, "") for a in attributes]),
        tab("surveys", ["sid", "language", "format"], [(sid, "en", "G")]),
        tab("surveys_languagesettings", ["surveyls_survey_id", "surveyls_language", "surveyls_title"],
            [(sid, "en", "Benchmark")]),
        "</document>",
    ]
    return "\n".join(parts).encode()


def timed(size: int) -> dict[str, float]:
    data = generate(size)
    t0 = time.perf_counter()
    root = parse(data)
    t1 = time.perf_counter()
    notes = Notes()
    survey = read(root, None, notes)
    t2 = time.perf_counter()
    outline = Converter(survey, notes).outline()
    t3 = time.perf_counter()
    qdl = write(outline)
    t4 = time.perf_counter()
    model, diagnostics = check(Source(qdl, "benchmark.qdl"))
    t5 = time.perf_counter()
    assert model is not None, diagnostics[:3]
    return {"xml": t1 - t0, "record": t2 - t1, "convert": t3 - t2, "write": t4 - t3, "load QDL": t5 - t4,
            "total": t5 - t0, "questions": len(model.questions), "bytes": len(data)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000)
    parser.add_argument("--demos", type=Path, help="a directory of .lss files to import and report on")
    args = parser.parse_args()
    best = min((timed(args.size) for _ in range(3)), key=lambda r: r["total"])
    print(f"importing a generated .lss of {args.size} LimeSurvey questions ({best['bytes'] / 1e6:.1f} MB), "
          f"best of 3:")
    print(f"{'step':<10} {'seconds':>8}")
    for step in ("xml", "record", "convert", "write", "load QDL", "total"):
        print(f"{step:<10} {best[step]:>8.3f}")
    print(f"QDL questions: {best['questions']}; target: under {TARGET_SECONDS:.0f} s "
          f"({'met' if best['total'] < TARGET_SECONDS else 'MISSED'})")
    if args.demos:
        print()
        print(f"{'file':<48} {'DBVersion':>9} {'questions':>9} {'warnings':>8} {'seconds':>8}")
        for path in sorted(args.demos.glob("*.lss")):
            t0 = time.perf_counter()
            result = import_lss(path)
            model, diagnostics = check(Source(result.qdl, path.name))
            seconds = time.perf_counter() - t0
            dbversion = result.qdl.split("DBVersion ", 1)[1].split(")", 1)[0]
            count = len(model.questions) if model else f"{len(diagnostics)} err"
            print(f"{path.name:<48} {dbversion:>9} {count:>9} {len(result.notes):>8} {seconds:>8.2f}")


if __name__ == "__main__":
    main()
