"""The HTML form in Chromium: what one click costs, and what loading the page costs (issue 20).

    python benchmarks/form.py [--before REV] [--sizes 45,1000,10000] [--clicks N] [--rounds N]

Surveys: gp_backup (45 questions) and `benchmarks/lint.py`'s generator (groups of 10:
single and multiple choices and numbers, most with conditions on earlier questions) at
1,000 and 10,000 questions. Each is rendered with `qengine render --to html` by the
code of this checkout ("after") and, with `--before REV`, by the code of that revision
checked out in a temporary `git worktree` ("before"), then opened from disk in Debian's
Chromium (Playwright, headless), both in the same run.

Measured, per survey and version:

- file: the size of the self-contained HTML file;
- load: the load event (navigation start to the end of `load`), best of 5;
- click: a radio button of a question shown on the first page, clicked by the script
  (`input.click()`, which dispatches click, input and change and runs every handler
  synchronously): from before the click to after it, the browser's own work included
  (checking the radio, restyling `:has(input:checked)`), mean of the round's clicks (the
  browser's clock is coarsened to 100 µs with jitter: a mean of many stays right);
- handler: from the click's `input` event (a capturing listener on window) to the end
  of its last `change` handler (a bubbling listener on window): the form's own work;
- model: `session.answer()` itself during the same clicks (timed by wrapping it), per
  call; answers: calls per click (the form before issue 20 answered twice a click);
- drawn: questions the form drew per click (`QEngineForm.stats`, absent before);
- redraws, setItem, mutations: per click, the whole-form redraws (counted as writes of
  `document.title`, which a whole redraw does), `localStorage.setItem` calls (all
  of the run, 1 s after the last click, divided by the clicks: clicks come 40 ms apart,
  so a debounced save may serve several) and DOM mutations (MutationObserver records)

The machine is 2 shared cores: one round's figures move by ±30 % from run to run, so
each survey is clicked through in `--rounds` fresh pages and every figure is the median
of the rounds (the ratio the median of the rounds' ratios, each round's shown last).
Clicks come 40 ms apart, as a person's do: the code of both the model and the form
then runs cold (the frame drawn in between, the idle wait), about ten times slower
than in a loop (answer() takes 6 µs in a loop at 10,000 questions, 0.1 ms a click),
which is why the model is timed during the same clicks. One run, 6 December 2026,
`--before 95cc4ad` (the commit that added this benchmark; the form as it was drawn
until issue 20), `--clicks 200 --rounds 3`:

    survey             version                 file  load ms  click ms handler ms  model ms handler/model answers redraws drawn setItem mutations  handler/model of each round
    gp_backup (45)     before (95cc4ad)      0.21MB       39     0.934      0.875     0.050          17.6     2.0     2.0     -     2.0        10  17.24 20.24 17.58
    gp_backup (45)     after                 0.18MB       43     0.290      0.204     0.108           1.8     1.0     0.0   1.0     0.1         0  1.83 1.94 1.82
    generated (1,000)  before (95cc4ad)      1.94MB      248     2.408      2.331     0.063          37.3     2.0     2.0     -     2.0        24  35.88 38.54 37.3
    generated (1,000)  after                 1.01MB      101     0.317      0.240     0.123           1.9     1.0     0.0   1.5     0.1         1  1.88 1.87 1.95
    generated (10,000) before (95cc4ad)     19.00MB     1647    19.900     19.790     0.064         314.1     2.0     2.0     -     2.0        24  320.26 314.13 279.75
    generated (10,000) after                 9.21MB      461     0.240      0.184     0.105           1.7     1.0     0.0   1.5     0.1         1  1.75 1.99 1.69

(The model "before" is faster because the form then answered twice a click, the second
time warm.)
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from lint import generated  # noqa: E402

CHROMIUM = "/usr/bin/chromium"

RENDER = """
import sys, warnings
import qengine
from qengine.renderers import load_renderer
warnings.simplefilter("ignore")
survey = qengine.load(sys.argv[1])
open(sys.argv[2], "w", encoding="utf-8").write(load_renderer("html").render(survey, "html"))
"""

# Counts whole redraws (document.title is written by each) and storage writes.
INIT = """
(() => {
  window.__qe = {titles: 0, setItem: 0, mutations: 0};
  const d = Object.getOwnPropertyDescriptor(Document.prototype, "title");
  Object.defineProperty(document, "title", {configurable: true, get() { return d.get.call(this); },
    set(v) { window.__qe.titles++; d.set.call(this, v); }});
  const s = Storage.prototype.setItem;
  Storage.prototype.setItem = function (k, v) { window.__qe.setItem++; return s.call(this, k, v); };
})();
"""

CLICKS = """
async (n) => {
  const form = document.getElementById("qe-form");
  const welcome = document.getElementById("qe-welcome");
  if (welcome && !welcome.hidden) document.getElementById("qe-start").click();
  const visible = () => Array.from(form.querySelectorAll("input[type=radio]"))
    .filter(i => i.offsetParent !== null && !i.checked);
  const times = [], titles = [], mutations = [];
  let records = 0;
  const first = window.__qe.setItem;
  // The handlers: from the click's first input event to the end of its last change handler.
  let h0 = 0, handler = 0, model = 0, answers = 0;
  window.addEventListener("input", () => { if (!h0) h0 = performance.now(); }, true);
  window.addEventListener("change", () => { handler += performance.now() - h0; h0 = 0; });
  // The model: session.answer() itself, during the same clicks.
  const answer = QEngine.Session.prototype.answer;
  QEngine.Session.prototype.answer = function () {
    const start = performance.now();
    try { return answer.apply(this, arguments); } finally { model += performance.now() - start; answers++; }
  };
  const drawn = [];
  const observer = new MutationObserver(r => { records += r.length; });
  observer.observe(form, {subtree: true, attributes: true, childList: true, characterData: true});
  for (let k = 0; k < n; k++) {
    const inputs = visible();
    if (!inputs.length) break;
    const input = inputs[(k * 3) % Math.min(inputs.length, 11)];
    const t0 = window.__qe.titles;
    observer.takeRecords(); records = 0;
    // performance.now() is coarsened (100 µs, with jitter): the mean of many is still right.
    const start = performance.now();
    input.click();
    times.push(performance.now() - start);
    records += observer.takeRecords().length;
    mutations.push(records);
    titles.push(window.__qe.titles - t0);
    if (window.QEngineForm) drawn.push(QEngineForm.stats.drawn.length);
    await new Promise(r => setTimeout(r, 40));
  }
  await new Promise(r => setTimeout(r, 1000));
  const stored = window.__qe.setItem - first;
  const mean = a => a.reduce((x, y) => x + y, 0) / Math.max(a.length, 1);
  return {click: mean(times), handler: handler / Math.max(times.length, 1), model: model / Math.max(answers, 1),
          answers: answers / Math.max(times.length, 1), drawn: drawn.length ? mean(drawn) : null, redraws: mean(titles),
          setItem: stored / Math.max(times.length, 1), mutations: mean(mutations), clicks: times.length};
}
"""


def render(code_root: Path, survey_path: Path, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=f"{code_root}{os.pathsep}{code_root / 'renderers'}")
    subprocess.run([sys.executable, "-c", RENDER, str(survey_path), str(out)], env=env, check=True, cwd=code_root)


def measure(browser, html: Path, clicks: int, rounds: int) -> dict:
    loads = []
    for _ in range(5):
        context = browser.new_context()
        page = context.new_page()
        page.goto(html.as_uri(), timeout=120_000)
        loads.append(page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd"))
        context.close()
    runs = []
    for _ in range(rounds):
        context = browser.new_context()
        context.add_init_script(INIT)
        page = context.new_page()
        page.goto(html.as_uri(), timeout=120_000)
        runs.append(page.evaluate(CLICKS, clicks))
        context.close()
    # Each figure's median over the rounds; the ratio is the median of the rounds' ratios.
    out = {key: statistics.median(run[key] for run in runs) if runs[0][key] is not None else None
           for key in runs[0]}
    out["ratio"] = statistics.median(run["handler"] / run["model"] if run["model"] else math.nan for run in runs)
    out["ratios"] = [round(run["handler"] / run["model"], 2) if run["model"] else None for run in runs]
    out["load"] = min(loads)
    out["size"] = html.stat().st_size
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", metavar="REV", help="also measure the form as REV renders it")
    parser.add_argument("--sizes", default="45,1000,10000", help="45 is gp_backup; others are generated")
    parser.add_argument("--clicks", type=int, default=200, help="clicks per round")
    parser.add_argument("--rounds", type=int, default=3, help="fresh pages clicked through (medians are shown)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="qe-form-bench-"))
    versions = [("after", ROOT)]
    if args.before:
        tree = work / "before"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.before],
                       check=True, capture_output=True)
        versions.insert(0, (f"before ({args.before})", tree))
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                        "--disable-gpu", "--no-first-run", "--disable-background-networking"])
            for size in (int(s) for s in args.sizes.split(",")):
                if size == 45:
                    name, source = "gp_backup (45)", ROOT / "surveys" / "gp_backup.qdl"
                else:
                    name, source = f"generated ({size:,})", work / f"gen{size}.qdl"
                    source.write_text(generated(size), encoding="utf-8")
                for label, code_root in versions:
                    html = work / f"{size}-{label.split()[0]}.html"
                    t = time.perf_counter()
                    render(code_root, source, html)
                    rendered = time.perf_counter() - t
                    m = measure(browser, html, args.clicks, args.rounds)
                    rows.append((name, label, m, rendered))
                    print(json.dumps({"survey": name, "version": label, **m}), file=sys.stderr, flush=True)
            browser.close()
    finally:
        if args.before:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(work / "before")],
                           check=False, capture_output=True)
        shutil.rmtree(work, ignore_errors=True)

    print(f"{'survey':<18} {'version':<18} {'file':>9} {'load ms':>8} {'click ms':>9} {'handler ms':>10} "
          f"{'model ms':>9} {'handler/model':>13} {'answers':>7} {'redraws':>7} {'drawn':>5} {'setItem':>7} "
          f"{'mutations':>9}  handler/model of each round")
    for name, label, m, _ in rows:
        ratio = m["ratio"]
        drawn = "-" if m["drawn"] is None else f"{m['drawn']:.1f}"
        print(f"{name:<18} {label:<18} {m['size'] / 1e6:>7.2f}MB {m['load']:>8.0f} {m['click']:>9.3f} "
              f"{m['handler']:>10.3f} {m['model']:>9.3f} {ratio:>13.1f} {m['answers']:>7.1f} {m['redraws']:>7.1f} "
              f"{drawn:>5} {m['setItem']:>7.1f} {m['mutations']:>9.0f}  {' '.join(map(str, m['ratios']))}")


if __name__ == "__main__":
    main()
