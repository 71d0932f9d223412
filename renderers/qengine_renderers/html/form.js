/* The respondents' form: the page in front of the respondent, driven by the Session of
 * qengine.js (QEngine) over the compiled survey (QENGINE_SURVEY).
 *
 * It decides nothing about the survey: every answer goes to session.answer(), which
 * stores it or refuses it with the runtime's message; every redraw reads what the
 * session says is shown, with which wording and which problems. What is left here is
 * the furniture: pages and progress, reading inputs, showing messages at the right
 * moment, keeping progress in localStorage, downloading and posting the response.
 *
 * On a page sent by `qengine serve` (config.served) the server keeps the answers and
 * moves between pages: the script starts from the server's session, checks the page
 * and lets the form post it; Back and "Resume later" post as they are.
 */
(function () {
  "use strict";
  var Q = QEngine, spec = QENGINE_SURVEY, config = QENGINE_CONFIG, words = config.strings;
  var root = document.getElementById("qengine");
  var form = document.getElementById("qe-form");
  var storageKey = "qengine:" + spec.code + ":" + spec.fingerprint + ":" + config.format;
  document.documentElement.classList.replace("qe-nojs", "qe-js");

  var ui = {
    started: !spec.welcome,
    submitted: null, // the response, once submitted and until it is sent
    sent: false, // post_url acknowledged it: the end screen stays, the response is gone
    flagged: new Set(), // questions whose problems are on display (after a blocked Next)
    refused: new Map(), // input name -> {question, message, shown}: typed but not accepted
    notices: new Map(), // question -> message: a tick or click just refused (and undone)
    saved: false, // a served page showing the resume link
  };
  var session = null; // made at the end, once the page can show a defect

  // ---------------------------------------------------------------- elements
  function $(selector, within) { return (within || root).querySelector(selector); }
  function $$(selector, within) { return Array.prototype.slice.call((within || root).querySelectorAll(selector)); }
  var containers = {}, sections = {};
  $$("[data-question]").forEach(function (el) { containers[el.dataset.question] = el; });
  $$("[data-group]").forEach(function (el) { sections[el.dataset.group] = el; });

  /* The language's spacing, by the rules of qengine/renderers/typography.py: in French a
     no-break space before "? ! ; :", so that no line starts with "?". */
  var spacing = config.spacing.map(function (rule) { return [new RegExp(rule[0], "g"), rule[1]]; });
  function typeset(text) {
    return spacing.reduce(function (t, rule) { return t.replace(rule[0], rule[1]); }, text);
  }

  /* Every text the form shows goes through here (or typeset): survey text stays text. */
  function setText(el, text) {
    if (!el) return;
    var value = text === null || text === undefined ? "" : typeset(String(text));
    if (el.textContent !== value) el.textContent = value;
    if (el.dataset.text === "help" || el.dataset.text === "prefix" || el.dataset.text === "suffix" ||
        el.dataset.text === "description") el.hidden = value === "";
  }
  function show(el, visible) { if (el && el.hidden === visible) el.hidden = !visible; }
  function format(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  // ---------------------------------------------------------------- saving
  function restore() {
    if (config.served) return served(config.served);
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (saved && saved.session) {
        ui.started = Boolean(saved.started) || !spec.welcome;
        ui.submitted = saved.submitted || null;
        return Q.Session.fromJSON(spec, saved.session);
      }
    } catch (err) {
      // Storage unavailable, saved by an older form, or answers that now fail: start afresh.
    }
    return new Q.Session(spec, { format: config.format });
  }
  /* The state of a served page: its session, its screen, the problems the server found. */
  function served(state) {
    ui.started = state.screen !== "welcome";
    ui.saved = state.screen === "saved";
    ui.submitted = state.response;
    state.flagged.forEach(function (code) { ui.flagged.add(code); });
    Object.keys(state.refused).forEach(function (name) { ui.refused.set(name, state.refused[name]); });
    return Q.Session.fromJSON(spec, state.session);
  }
  function save() {
    if (config.served) return; // the server keeps the answers
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({
        session: session.toJSON(), started: ui.started, submitted: ui.submitted,
      }));
    } catch (err) {
      // Private browsing or a full storage: the form still works, without resuming.
    }
  }

  // ---------------------------------------------------------------- reading inputs
  var NUMBER = /^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/;

  /* The value an input stands for: null for blank, a number for number fields, or
     {invalid: message} for text that is not a number. */
  function valueOf(input) {
    if (input.type === "radio") return input.value;
    if (input.type === "checkbox") return input.checked ? "Y" : null;
    if (input.dataset.number) {
      var text = input.value.trim().replace(/\s/g, "");
      if (text === "") return null;
      if (!NUMBER.test(text)) return { invalid: Q.message(spec, "not_number", {}) };
      return Number(text.replace(",", "."));
    }
    return input.value;
  }

  function questionOf(input) { return input.closest("[data-question]").dataset.question; }

  function onInput(event) {
    var input = event.target;
    if (!input.name || !form.contains(input)) return;
    var typed = input.type !== "radio" && input.type !== "checkbox";
    if (typed && event.type === "change") {
      // Leaving a field: its refusal, if any, is now worth saying.
      var pending = ui.refused.get(input.name);
      if (pending) pending.shown = true;
      redraw();
      return;
    }
    var code = questionOf(input), value = valueOf(input);
    guard(function () {
      ui.notices.delete(code);
      if (value !== null && typeof value === "object") {
        ui.refused.set(input.name, { question: code, message: value.invalid, shown: false });
      } else {
        try {
          session.answer(input.name, value);
          ui.refused.delete(input.name);
        } catch (err) {
          if (!(err instanceof Q.AnswerError)) throw err;
          if (typed) {
            // Typed text stays as typed, and is said when the field is left.
            ui.refused.set(input.name, { question: code, message: err.detail, shown: false });
          } else {
            // A tick or a click that is refused is undone on screen and said at once.
            ui.notices.set(code, err.detail);
            syncInputs(code);
          }
        }
      }
      save();
      redraw();
    });
  }

  // ---------------------------------------------------------------- drawing
  function redraw() {
    var page = session.page, onPage = new Set(page ? page.questions : []);
    var pageGroups = new Set(page ? page.groups : []);
    var screen = ui.submitted || ui.sent ? "end" : !ui.started ? "welcome" : ui.saved ? "saved" : "form";
    show($("#qe-welcome"), screen === "welcome");
    show(form, screen === "form");
    show($("#qe-end"), screen === "end");
    setText($("[data-text='title']"), session.text(spec.title) || spec.code);
    document.title = typeset(session.text(spec.title) || spec.code);
    if (spec.welcome) setText($("[data-text='welcome']"), session.text(spec.welcome));
    // The end text may speak of the answers: it is drawn while they are there, and
    // stays as it was once a sent response has been forgotten.
    if (ui.submitted) setText($("[data-text='end']"), session.text(spec.end));
    show($("#qe-download"), Boolean(ui.submitted));
    spec.groups.forEach(function (g) {
      var section = sections[g.code];
      if (!section) return; // a served page holds its own groups only
      show(section, session.groupVisible(g.code));
      section.toggleAttribute("data-offpage", !pageGroups.has(g.code));
      if (pageGroups.has(g.code)) {
        var texts = session.groupTexts(g.code);
        setText($("[data-text='title']", section), texts[0]);
        setText($(":scope > [data-text='description']", section), texts[1]);
      }
    });
    spec.questions.forEach(function (q) {
      var el = containers[q.code];
      if (!el) return;
      var visible = session.isVisible(q.code);
      show(el, visible);
      el.toggleAttribute("data-offpage", !onPage.has(q.code));
      if (visible && onPage.has(q.code)) drawQuestion(q, el, session.view(q.code));
    });
    drawProgress(screen);
    drawNavigation();
  }

  function drawQuestion(q, el, view) {
    setText($("[data-text='text']", el), view.text);
    setText($("[data-text='help']", el), view.help);
    setText($("[data-text='prefix']", el), view.prefix);
    setText($("[data-text='suffix']", el), view.suffix);
    drawChoices(el, "option", view.options);
    drawChoices(el, "row", view.rows);
    view.columns.forEach(function (c) {
      $$("[data-column='" + c.code + "'], [data-column-label='" + c.code + "']", el).forEach(function (span) {
        setText(span, c.label);
      });
    });
    var clear = $("[data-clear]", el);
    if (clear) show(clear, session.given(q.code) !== null);
    syncInputs(q.code);
    drawProblems(q.code, el, view);
  }

  /* The options (or rows) shown now, with their current labels; the others hidden. */
  function drawChoices(el, attribute, shown) {
    var byCode = {};
    shown.forEach(function (c) { byCode[c.code] = c; });
    $$("[data-" + attribute + "]", el).forEach(function (node) {
      var choice = byCode[node.dataset[attribute]];
      show(node, Boolean(choice));
      if (choice) setText($("[data-text='label']", node), choice.label);
    });
  }

  /* Inputs show the stored answer; a field being typed in, or holding refused text, is left alone. */
  function syncInputs(code) {
    var given = session.given(code), q = session.byCode[code];
    $$("input, textarea", containers[code]).forEach(function (input) {
      var name = input.name;
      if (input.type === "radio") {
        input.checked = q.shape === "choice" ? given === input.value
          : given !== null && given[name.slice(code.length + 1)] === input.value;
      } else if (input.type === "checkbox") {
        input.checked = given !== null && given.indexOf(name.slice(code.length + 1)) >= 0;
      } else if (input !== document.activeElement && !ui.refused.has(name)) {
        var value = given;
        if (q.shape === "row_cells") {
          var cell = name.slice(code.length + 1).split("_");
          value = given !== null && given[cell[0]] ? given[cell[0]][cell[1]] : null;
        }
        var text = value === null || value === undefined ? "" : Q.asText(value);
        if (input.value !== text) input.value = text;
      }
    });
  }

  function drawProblems(code, el, view) {
    var messages = ui.notices.has(code) ? [ui.notices.get(code)] : [];
    ui.refused.forEach(function (r) { if (r.question === code && r.shown) messages.push(r.message); });
    // A refused answer is the question's problem until it is fixed; then its own problems show.
    if (ui.flagged.has(code) && !messages.length) messages = view.problems.slice();
    var box = $(".qe-errors", el);
    if (!box) return; // display text: nothing to answer, nothing to fix
    var text = messages.join("\n");
    if (box.dataset.shown !== text) {
      box.dataset.shown = text;
      box.replaceChildren.apply(box, messages.map(function (m) {
        var p = document.createElement("p");
        setText(p, m);
        return p;
      }));
    }
    el.classList.toggle("qe-invalid", messages.length > 0);
    $$("input, textarea", el).forEach(function (input) {
      if (messages.length) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
  }

  /* "Page 3 of 6", or "Page 3 of at most 8": the pages shown so far, then every page
     after this one, counted as certain only when no condition can hide it (spec's
     `always`). Answers never make the total grow while the respondent is on a page:
     it may only fall, when a page is skipped. The bar is the share of the survey's
     pages left behind, skipped ones included. */
  function drawProgress(screen) {
    var box = $("#qe-progress");
    show(box, screen === "form" && session.pages.length > 1);
    if (screen !== "form") return;
    var at = session.pageNumber, pages = session.pages, later = pages.slice(at + 1);
    var n = pages.slice(0, at + 1).filter(function (p) { return session.hasVisible(p); }).length;
    var certain = later.filter(function (p) { return p.always; }).length;
    var template = certain === later.length ? words.page_of : words.page_of_most;
    var percent = Math.round(100 * at / pages.length);
    $("[role='progressbar']", box).setAttribute("aria-valuenow", String(percent));
    $("[role='progressbar'] span", box).style.width = percent + "%";
    setText($("#qe-progress-text"), format(template, { n: Math.max(n, 1), total: Math.max(n, 1) + later.length }));
  }

  function isLastPage() { return session.findPage(session.pageNumber + 1, +1) >= session.pages.length; }

  function drawNavigation() {
    show($("#qe-back"), session.findPage(session.pageNumber - 1, -1) >= 0);
    setText($("#qe-next"), isLastPage() ? words.submit : words.next);
  }

  function drawSummary(problems) {
    var box = $("#qe-summary"), list = $("ul", box);
    list.replaceChildren();
    var seen = new Set();
    problems.forEach(function (p) {
      if (seen.has(p.question)) return;
      seen.add(p.question);
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = "#qe-q-" + p.question;
      setText(link, (session.view(p.question) || { text: p.question }).text.split("\n")[0]);
      link.addEventListener("click", function (event) {
        event.preventDefault();
        focusQuestion(p.question);
      });
      item.appendChild(link);
      list.appendChild(item);
    });
    show(box, problems.length > 0);
    if (problems.length) box.focus();
  }

  function focusQuestion(code) {
    var el = containers[code];
    var target = $("input:not([type=hidden]):not([disabled]), textarea", el);
    if (target && target.closest("[hidden]")) target = null;
    el.scrollIntoView({ block: "center" });
    (target || el).focus({ preventScroll: true });
  }

  function focusPage() {
    var page = session.page;
    window.scrollTo(0, 0);
    if (!page) return;
    var heading = $("#qe-g-" + page.groups[0]);
    if (heading) heading.focus({ preventScroll: true });
  }

  // ---------------------------------------------------------------- navigation
  function pendingRefusals() {
    var page = session.page, out = [];
    if (!page) return out;
    var onPage = new Set(page.questions);
    ui.refused.forEach(function (r) {
      if (onPage.has(r.question) && session.isVisible(r.question)) {
        r.shown = true;
        out.push(r);
      }
    });
    return out;
  }

  function onNext(event) {
    if (config.served && event.submitter && event.submitter.value !== "next") return; // Back, Resume later
    event.preventDefault();
    guard(function () {
      var refused = pendingRefusals();
      if (refused.length) {
        // Every problem of the page at once, the refusals first (as `qengine play` reports).
        var blocked = new Set(refused.map(function (r) { return r.question; }));
        var problems = refused.concat(session.problems().filter(function (p) { return !blocked.has(p.question); }));
        problems.forEach(function (p) { ui.flagged.add(p.question); });
        redraw();
        drawSummary(problems);
        return;
      }
      if (config.served) {
        // The server moves on, once the page has nothing left to fix here.
        var problems = session.problems();
        problems.forEach(function (p) { ui.flagged.add(p.question); });
        if (problems.length) {
          redraw();
          drawSummary(problems);
        } else {
          form.submit();
        }
        return;
      }
      if (!session.next()) {
        session.lastProblems.forEach(function (p) { ui.flagged.add(p.question); });
        redraw();
        drawSummary(session.lastProblems);
        return;
      }
      ui.flagged.clear();
      ui.notices.clear();
      drawSummary([]);
      if (session.finished) submit();
      else {
        save();
        redraw();
        focusPage();
      }
    });
  }

  function onBack() {
    if (config.served) return; // the button posts the page
    guard(function () {
      if (!session.back()) return;
      ui.flagged.clear();
      ui.notices.clear();
      drawSummary([]);
      save();
      redraw();
      focusPage();
    });
  }

  function submit() {
    var response;
    try {
      response = session.submit();
    } catch (err) {
      if (!(err instanceof Q.IncompleteError)) throw err;
      // A problem on an earlier page (an answer there no longer fits): go back to it.
      var code = err.problems[0].question;
      while (session.page === null || session.page.questions.indexOf(code) < 0) {
        if (!session.back()) break;
      }
      err.problems.forEach(function (p) { ui.flagged.add(p.question); });
      save();
      redraw();
      drawSummary(err.problems.filter(function (p) { return session.page.questions.indexOf(p.question) >= 0; }));
      return;
    }
    ui.submitted = response;
    save();
    redraw();
    $("#qe-end h2").focus();
    post();
  }

  // ---------------------------------------------------------------- the response
  function responseText() { return JSON.stringify(ui.submitted, null, 2) + "\n"; }

  function download() {
    var blob = new Blob([responseText()], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = spec.code + "-response.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  /* Send the response to post_url; without one, say plainly that nothing was sent. */
  function post() {
    var status = $("#qe-status");
    if (!config.postUrl) {
      setText(status, words.not_sent);
      return;
    }
    setText(status, words.sending);
    show($("#qe-retry"), false);
    fetch(config.postUrl, { method: "POST", headers: { "Content-Type": "application/json" }, body: responseText() })
      .then(function (reply) {
        if (!reply.ok) throw new Error("HTTP " + reply.status);
        setText(status, words.sent);
        // Sent: the next person at this computer must find nothing of it, on reload either.
        discard();
        ui.sent = true;
        redraw();
      })
      .catch(function () {
        setText(status, words.send_failed);
        show($("#qe-retry"), true);
      });
  }

  /* Nothing of the response left, on the device or in the page. */
  function discard() {
    try { window.localStorage.removeItem(storageKey); } catch (err) { /* nothing kept */ }
    session = new Q.Session(spec, { format: config.format });
    ui.submitted = null;
    ui.flagged.clear();
    ui.refused.clear();
    ui.notices.clear();
    form.reset();
  }

  function restart() {
    discard();
    ui.started = !spec.welcome;
    ui.sent = false;
    setText($("#qe-status"), "");
    redraw();
    focusPage();
  }

  /* An expression failing is a defect of the survey: say so, rather than go on wrongly. */
  function guard(action) {
    try {
      action();
    } catch (err) {
      if (!(err instanceof Q.EvaluationError)) throw err;
      var banner = $("#qe-defect");
      setText(banner, words.defect + " " + err.message);
      banner.hidden = false;
      banner.scrollIntoView();
    }
  }

  // ---------------------------------------------------------------- wiring
  form.addEventListener("input", onInput);
  form.addEventListener("change", onInput);
  form.addEventListener("submit", onNext);
  $("#qe-back").addEventListener("click", onBack);
  $$("[data-clear]").forEach(function (button) {
    button.addEventListener("click", function () {
      guard(function () {
        session.clear(button.dataset.clear);
        save();
        redraw();
      });
    });
  });
  var start = $("#qe-start");
  if (start && !config.served) {
    start.addEventListener("click", function () {
      ui.started = true;
      save();
      redraw();
      focusPage();
    });
  }
  if (!config.served) { // a served end screen has plain links
    $("#qe-download").addEventListener("click", download);
    $("#qe-retry").addEventListener("click", post);
    $("#qe-restart").addEventListener("click", restart);
  }
  guard(function () {
    session = restore();
    redraw();
  });
  if (session === null) {
    show(form, false); // the survey fails from its first page: nothing to fill in
    return;
  }
  if (ui.submitted && !config.served) post(); // closed before the answer came back: send again (or say nothing is sent)
})();
