/* Drives the browser runtime headlessly for the Python tests.
 *
 * One Node process serves many requests: one JSON object a line on stdin, one JSON
 * answer a line on stdout. Requests:
 *   {"op": "load", "id": ID, "module": SOURCE}      the survey module of spec.py
 *   {"op": "play", "id": ID, "format": F, "actions": [...]}
 *                                                  a respondent's actions, traced
 *   {"op": "eval", "items": [{"fn": SOURCE, "env": {...}}, ...]}
 *                                                  compiled expressions on fixed values
 * The trace written by "play" has exactly the shape tests/test_differential.py
 * writes for the Python Session, so the two compare with ==.
 */
"use strict";
const path = require("path");
const readline = require("readline");

// The runtime as the form ships it (to_js.runtime(): qengine.js with the function
// table written in), saved by node_runtime.py; its path is the one argument.
const Q = require(path.resolve(process.argv[2]));
const surveys = new Map();

function load(request) {
  const spec = eval(request.module)(Q); // eslint-disable-line no-eval
  surveys.set(request.id, spec);
  return { ok: true, fingerprint: spec.fingerprint };
}

/* Numbers JSON cannot hold travel as {"$num": "inf"}; the Python side does the same. */
function encode(v) {
  if (typeof v === "number" && !isFinite(v)) return { $num: v !== v ? "nan" : v > 0 ? "inf" : "-inf" };
  if (Array.isArray(v)) return v.map(encode);
  if (v !== null && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v)) out[k] = encode(v[k]);
    return out;
  }
  return v;
}

function failure(err) {
  if (err instanceof Q.EvaluationError) return { error: err.message };
  throw err;
}

function snapshot(spec, s) {
  const page = s.page;
  return {
    page: s.pageNumber,
    finished: s.finished,
    questions: s.questions(),
    visible: spec.questions.filter((q) => s.isVisible(q.code)).map((q) => q.code),
    values: Object.fromEntries(spec.questions.map((q) => [q.code, s.currentValue(q.code)])),
    groups: page === null ? [] : page.groups.map((g) => s.groupTexts(g)),
  };
}

function act(s, action) {
  switch (action.op) {
    case "answer":
      try {
        s.answer(action.name, action.value);
        return { ok: true };
      } catch (err) {
        if (err instanceof Q.MalformedAnswer) return { malformed: err.detail };
        if (err instanceof Q.AnswerError) return { refused: err.detail };
        throw err;
      }
    case "clear":
      s.clear(action.name);
      return { ok: true };
    case "next": {
      const moved = s.next();
      return { moved: moved, problems: s.lastProblems };
    }
    case "back":
      return { moved: s.back() };
    case "submit":
      try {
        return { response: s.submit() };
      } catch (err) {
        if (err instanceof Q.IncompleteError) return { incomplete: err.problems };
        throw err;
      }
  }
  throw new Error("unknown action " + action.op);
}

function play(request) {
  const spec = surveys.get(request.id);
  const steps = [];
  let s;
  try {
    s = new Q.Session(spec, { format: request.format || undefined });
  } catch (err) {
    return { start: failure(err), steps: steps };
  }
  const trace = { start: snapshot(spec, s), steps: steps };
  for (const action of request.actions) {
    try {
      const result = act(s, action);
      steps.push({ result: result, after: snapshot(spec, s) });
    } catch (err) {
      steps.push({ result: failure(err) });
      return trace;
    }
  }
  try {
    trace.end = { response: s.response(), state: s.toJSON(), endText: s.text(spec.end) };
    const resumed = Q.Session.fromJSON(spec, JSON.parse(JSON.stringify(s.toJSON())));
    trace.resumed = snapshot(spec, resumed);
  } catch (err) {
    trace.end = failure(err);
  }
  return trace;
}

function evaluate(request) {
  return request.items.map((item) => {
    const fn = eval("(" + item.fn + ")"); // eslint-disable-line no-eval
    const env = item.env;
    const key = (args) => Array.from(args).join("/");
    const e = {
      v() { const k = key(arguments); return k in env.values ? env.values[k] : null; },
      vis(code) { return Boolean(env.visible[code]); },
      sh() { const k = key(arguments); return k in env.shown ? env.shown[k] : ""; },
      qt() { const k = key(arguments); return k in env.wording ? env.wording[k] : ""; },
      ty(code) { return env.types[code]; },
    };
    try {
      const value = fn(e);
      return { value: value, text: Q.asText(value) };
    } catch (err) {
      return failure(err);
    }
  });
}

const handlers = { load: load, play: play, eval: evaluate };

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  let answer;
  try {
    const request = JSON.parse(line);
    answer = handlers[request.op](request);
  } catch (err) {
    answer = { crash: String(err && err.stack ? err.stack : err) };
  }
  process.stdout.write(JSON.stringify(encode(answer)) + "\n");
});
